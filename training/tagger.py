"""Fit the loaded-wording tagger (:class:`sensational.tagger.LoadedWordingTagger`) and measure
its spans.

Training rows are tokens:

- PTC articles (``SpanDoc``): a token is positive when it overlaps a span of a loaded technique
  (Loaded_Language, Name_Calling,Labeling, Exaggeration,Minimisation, Appeal_to_fear-prejudice).
  The title line is featurised as a headline and the rest as a body, as the scorer sends them.
- GoodNewsEveryone headlines (optional): a token is positive when it is one of the headline's
  annotated emotion cue words.
- NewsAgendas evidence (optional): tokens of the snippets annotators gave as evidence of
  clickbait or propaganda are positive, the rest of those articles negative.

- plain articles (label 0 of the article corpora, training split): every token negative, so the
  model sees ordinary reporting, which the span corpus lacks.
- readers' reports, reviewed and accepted (``SpanJudgement``): the tokens of a reported span,
  positive for a missed highlight, negative for a wrong one, featurised in their sentence.

Each extra source has a sample weight (``params.tagger.cue_weight``, ``evidence_weight``,
``plain_weight``; 0 leaves it out). Plain articles at 0.5 cut highlights on held-out sober
articles by a third at equal PTC span F1; cue headlines and evidence snippets did not raise
PTC span F1 on held-out articles, so they are off by default.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from datasets.corpora import SpanDoc
from sensational.framing import FramingDetector
from sensational.lexicon import Token, tokenize
from sensational.tagger import TAGGER_DEFAULTS, LoadedWordingTagger, feature_dicts
from training.terms import SpanJudgement, loaded_token_mask

log = logging.getLogger("training")

TRAIN_DEFAULTS: dict[str, Any] = {
    **TAGGER_DEFAULTS,
    # Off by default: on held-out data the tagger halves highlights on sober text against the
    # lexicon path, but ranks the graded reference set no better, reads letter case in
    # headlines (Title Case moved 12% of labels), costs ~1.7 ms more per 600-word article
    # (over the 4 ms budget) and triples training time. `[params.tagger] enabled = true`.
    "enabled": False,
    # Sample weight of a GoodNewsEveryone headline token and of a NewsAgendas token, relative
    # to a PTC token; 0 leaves the source out.
    "cue_weight": 0.0,
    "evidence_weight": 0.0,
    # Sample weight of a token of a plain (label 0) article of the article corpora, every
    # token negative: mainstream reporting the span corpus lacks; 0 leaves them out.
    "plain_weight": 0.5,
    # Sample weight of a token of a reader's accepted report (as terms.feedback_weight).
    "feedback_weight": 3.0,
    # A stem takes a learned category when it sits inside spans this often ...
    "category_min_count": 3,
    # ... and a stem is an ordinary word (not an acronym) when seen in lower case this often.
    "lower_min_count": 2,
}
# The framing category each loaded technique stands for.
TECHNIQUE_CATEGORY = {
    "Appeal_to_fear-prejudice": "fear",
    "Exaggeration,Minimisation": "hyperbole",
    "Name_Calling,Labeling": "outrage",
    "Loaded_Language": "loaded",
}


def valence_tables() -> tuple[dict[str, float], dict[str, float]]:
    """VADER's word valences, and the strongest valence per stem (for unseen inflections)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from sensational.lexicon import stem

    words = {w: float(v) for w, v in SentimentIntensityAnalyzer().lexicon.items() if w.isalpha()}
    stems: dict[str, float] = {}
    for w, v in words.items():
        s = stem(w)
        if abs(v) > abs(stems.get(s, 0.0)):
            stems[s] = v
    return words, stems


def split_title(text: str) -> tuple[str, str, int]:
    """A PTC article as ``(title, body, body offset)``: title on line 1, the rest the body."""
    end = text.find("\n")
    if end < 0:
        return text, "", len(text)
    return text[:end], text[end + 1 :], end + 1


def doc_parts(doc: SpanDoc) -> list[tuple[str, bool, list[tuple[int, int, str]]]]:
    """``(text, is headline, spans shifted into that text)`` for the title and the body."""
    title, body, offset = split_title(doc.text)
    out = []
    for text, shift, headline in ((title, 0, True), (body, offset, False)):
        if not text.strip():
            continue
        spans = [
            (max(0, s - shift), min(len(text), e - shift), t)
            for s, e, t in doc.spans
            if e > shift and s < shift + len(text)
        ]
        out.append((text, headline, spans))
    return out


def _features(
    detector: FramingDetector,
    text: str,
    tokens: Sequence[Token],
    headline: bool,
    tables: tuple[dict[str, float], dict[str, float]],
) -> list[dict[str, float]]:
    return feature_dicts(
        text,
        tokens,
        detector.matches(text, tokens),
        title=headline,
        valence=tables[0],
        stem_valence=tables[1],
    )


def span_rows(
    docs: Iterable[SpanDoc],
    detector: FramingDetector,
    tables: tuple[dict[str, float], dict[str, float]],
) -> tuple[list[dict[str, float]], list[int]]:
    """Token rows and labels of span-annotated articles."""
    X: list[dict[str, float]] = []
    y: list[int] = []
    for doc in docs:
        for text, headline, spans in doc_parts(doc):
            tokens = tokenize(text)
            X += _features(detector, text, tokens, headline, tables)
            y += [int(m) for m in loaded_token_mask(tokens, spans)]
    return X, y


def cue_mask(tokens: Sequence[Token], text: str, cues: Iterable[str]) -> list[bool]:
    """Tokens that spell out one of the cue phrases (lower-cased word sequences) in order."""
    words = [text[t.start : t.end].lower() for t in tokens]
    mask = [False] * len(words)
    for cue in cues:
        parts = cue.lower().split()
        if not parts:
            continue
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts:
                for k in range(i, i + len(parts)):
                    mask[k] = True
    return mask


def cue_rows(
    headlines: Iterable[Any],
    detector: FramingDetector,
    tables: tuple[dict[str, float], dict[str, float]],
) -> tuple[list[dict[str, float]], list[int]]:
    """Token rows of GoodNewsEveryone headlines (``CueHeadline``): cue words positive."""
    X: list[dict[str, float]] = []
    y: list[int] = []
    for h in headlines:
        tokens = tokenize(h.headline)
        X += _features(detector, h.headline, tokens, True, tables)
        y += [int(m) for m in cue_mask(tokens, h.headline, h.cues)]
    return X, y


EVIDENCE_LABELS = ("clickbait", "propaganda")


def evidence_rows(
    articles: Iterable[Any],
    detector: FramingDetector,
    tables: tuple[dict[str, float], dict[str, float]],
) -> tuple[list[dict[str, float]], list[int]]:
    """Token rows of NewsAgendas articles (``AgendaArticle``) with clickbait or propaganda
    evidence: tokens inside an evidence snippet are positive."""
    X: list[dict[str, float]] = []
    y: list[int] = []
    for a in articles:
        snippets = [s for label in EVIDENCE_LABELS for s in a.evidence.get(label, ())]
        if not snippets:
            continue
        for text, headline in ((a.headline, True), (a.body, False)):
            if not text.strip():
                continue
            ranges = []
            for snip in snippets:
                at = text.find(snip.strip())
                if at >= 0:
                    ranges.append((at, at + len(snip.strip()), "Loaded_Language"))
            tokens = tokenize(text)
            X += _features(detector, text, tokens, headline, tables)
            y += [int(m) for m in loaded_token_mask(tokens, ranges)]
    return X, y


def plain_rows(
    articles: Iterable[Any],
    detector: FramingDetector,
    tables: tuple[dict[str, float], dict[str, float]],
) -> tuple[list[dict[str, float]], list[int]]:
    """Token rows of plain articles (``Example`` with label 0): every token negative."""
    X: list[dict[str, float]] = []
    for a in articles:
        if a.label >= 0.5:
            continue
        for text, headline in ((a.headline, True), (a.body, False)):
            if text.strip():
                X += _features(detector, text, tokenize(text), headline, tables)
    return X, [0] * len(X)


def feedback_rows(
    judgements: Iterable[SpanJudgement],
    detector: FramingDetector,
    tables: tuple[dict[str, float], dict[str, float]],
) -> tuple[list[dict[str, float]], list[int]]:
    """Token rows of readers' reports: the span's tokens only, labelled by the verdict."""
    X: list[dict[str, float]] = []
    y: list[int] = []
    for j in judgements:
        tokens = tokenize(j.text)
        rows = _features(detector, j.text, tokens, j.headline, tables)
        for t, row in zip(tokens, rows, strict=True):
            if j.start < t.end and t.start < j.end:
                X.append(row)
                y.append(int(j.loaded))
    return X, y


def learn_categories(docs: Iterable[SpanDoc], min_count: int) -> dict[str, str]:
    """Stem -> the framing category of the technique whose spans it is most often inside.

    Only categories other than the generic ``loaded`` are kept (that one is the default).
    """
    counts: dict[str, Counter[str]] = {}
    for doc in docs:
        tokens = tokenize(doc.text)
        for t in tokens:
            for s, e, tech in doc.spans:
                if tech in TECHNIQUE_CATEGORY and s < t.end and t.start < e:
                    counts.setdefault(t.stem, Counter())[TECHNIQUE_CATEGORY[tech]] += 1
    out = {}
    for s, c in counts.items():
        category, n = c.most_common(1)[0]
        if n >= min_count and category != "loaded":
            out[s] = category
    return out


def lower_case_stems(texts: Iterable[str], min_count: int) -> set[str]:
    """Stems seen spelled in lower case at least ``min_count`` times (ordinary words)."""
    seen: Counter[str] = Counter()
    for text in texts:
        for t in tokenize(text):
            if text[t.start].islower():
                seen[t.stem] += 1
    return {s for s, n in seen.items() if n >= min_count}


def fit_tagger(
    docs: Sequence[SpanDoc],
    params: dict[str, Any] | None = None,
    *,
    cues: Sequence[Any] = (),
    evidence: Sequence[Any] = (),
    plain: Sequence[Any] = (),
    extra_texts: Iterable[str] = (),
    feedback: Sequence[SpanJudgement] = (),
) -> LoadedWordingTagger:
    """Fit the tagger on span-annotated articles (and, weighted, cue headlines and evidence).

    The lexicon features come from the curated lexicon alone (no weights learned from the same
    articles, which would make the model trust them more than they deserve).
    """
    p = {**TRAIN_DEFAULTS, **(params or {})}
    detector = FramingDetector()
    tables = valence_tables()
    X, y = span_rows(docs, detector, tables)
    weights = [1.0] * len(y)
    for rows, w in (
        (cue_rows(cues, detector, tables) if p["cue_weight"] > 0 else ([], []), p["cue_weight"]),
        (
            evidence_rows(evidence, detector, tables) if p["evidence_weight"] > 0 else ([], []),
            p["evidence_weight"],
        ),
        (
            plain_rows(plain, detector, tables) if p["plain_weight"] > 0 else ([], []),
            p["plain_weight"],
        ),
        (feedback_rows(feedback, detector, tables), p["feedback_weight"]),
    ):
        X += rows[0]
        y += rows[1]
        weights += [float(w)] * len(rows[1])
    if len(set(y)) < 2:
        raise ValueError("cannot fit the tagger: the training tokens hold one class")
    pipeline = Pipeline(
        [
            ("features", _MinCountVectorizer(int(p["min_count"]))),
            ("classifier", LogisticRegression(C=float(p["C"]), max_iter=3000)),
        ]
    )
    pipeline.fit(X, np.array(y), classifier__sample_weight=np.array(weights))
    texts = [d.text for d in docs] + [h.headline for h in cues] + list(extra_texts)
    return LoadedWordingTagger(
        pipeline,
        valence=tables[0],
        stem_valence=tables[1],
        categories=learn_categories(docs, int(p["category_min_count"])),
        lower_stems=lower_case_stems(texts, int(p["lower_min_count"])),
        params={k: p[k] for k in TAGGER_DEFAULTS},
    )


class _MinCountVectorizer(DictVectorizer):
    """A ``DictVectorizer`` that keeps only features present in ``min_count`` rows or more."""

    def __init__(self, min_count: int = 1) -> None:
        super().__init__()
        self.min_count = min_count

    def fit(self, X: Any, y: Any = None) -> _MinCountVectorizer:
        counts: Counter[str] = Counter()
        for row in X:
            counts.update(row.keys())
        kept = sorted(k for k, n in counts.items() if n >= self.min_count)
        self.feature_names_ = kept
        self.vocabulary_ = {k: i for i, k in enumerate(kept)}
        return self

    def fit_transform(self, X: Any, y: Any = None) -> Any:
        X = list(X)
        return self.fit(X).transform(X)

    def transform(self, X: Any) -> Any:
        """The rows as a CSR matrix (the same as ``DictVectorizer.transform`` for the
        numeric values :func:`~sensational.tagger.feature_dicts` makes, in one pass)."""
        from scipy.sparse import csr_matrix

        get = self.vocabulary_.get
        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        for row in X:
            for name, value in row.items():
                j = get(name)
                if j is not None:
                    indices.append(j)
                    values.append(value)
            indptr.append(len(indices))
        shape = (len(indptr) - 1, len(self.vocabulary_))
        matrix = csr_matrix((values, indices, indptr), shape=shape, dtype=np.float64)
        matrix.sort_indices()
        return matrix


def tagger_summary(tagger: LoadedWordingTagger, top: int = 25) -> dict[str, Any]:
    """What the tagger is, for the model card: size, thresholds, heaviest words."""
    words = sorted(
        ((k[2:], w) for k, w in tagger.coef_.items() if k.startswith("w=")), key=lambda kv: -kv[1]
    )
    return {
        "features": len(tagger.coef_),
        "threshold": tagger.params["threshold"],
        "extend_threshold": tagger.params["extend_threshold"],
        "learned_categories": len(tagger.categories),
        "lower_case_stems": len(tagger.lower_stems),
        "top_words": [[k, round(w, 3)] for k, w in words[:top]],
    }


# ---------------------------------------------------------------------------------------------
# Measuring spans


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges with overlapping or touching ones merged; empty ones dropped."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def char_prf(pairs: Iterable[tuple[list[tuple[int, int]], list[tuple[int, int]]]]) -> dict:
    """Character-level precision, recall and F1 over ``(predicted, gold)`` range lists."""
    tp = n_pred = n_gold = 0
    for pred, gold in pairs:
        p = merge_ranges(pred)
        g = merge_ranges(gold)
        n_pred += sum(e - s for s, e in p)
        n_gold += sum(e - s for s, e in g)
        for ps, pe in p:
            for gs, ge in g:
                tp += max(0, min(pe, ge) - max(ps, gs))
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4)}
