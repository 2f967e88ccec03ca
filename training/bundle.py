"""Fit every part of a scorer bundle from loaded training data, and measure it.

``python -m training train`` reads, validates and splits the corpora; this module only fits
and evaluates, so tests and notebooks can call it directly.

Parts and the data each is fitted on (training split only):

- headline-style model: ``headlines`` (Chakraborty), case-folded.
- framing detector: lexicon priors blended with the rate at which each stem falls inside the
  loaded-technique spans of ``span_docs`` (PTC; training.terms); with ``params.tagger.enabled
  = true``, a token-window tagger learned from the same spans instead (training.tagger).
- sentence framing classifier: PTC sentences, positive when they overlap a loaded span.
- body-wording model: the bodies of ``articles`` (hyperpartisan), cross-fitted.
- which words in capitals are shouted: the running text of every training body.
- sourcing head, headline head, body head, article head and label thresholds: ``graded``
  (the reference set's development part) and ``pairs``; without graded rows, the labelled
  headlines and articles themselves (see :func:`graded_rows`).
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from datasets.adapters.ptc import LOADED_TECHNIQUES
from datasets.corpora import Example, SpanDoc, read_story_pairs
from datasets.reference import GradedArticle, HeadlinePair
from sensational.body import BodyWordingClassifier
from sensational.emphasis import learn_capitals
from sensational.features import SentenceFramingClassifier
from sensational.framing import FRAMING_DEFAULTS, FramingDetector, clean_tokens
from sensational.lexicon import load_lexicon, term_key, tokenize
from sensational.models import HEADLINE_DEFAULTS, build_headline_model
from sensational.results import Span
from sensational.scorer import (
    ArticleFeatures,
    BodyFeatures,
    HeadlineFeatures,
    LinearHead,
    Scorer,
)
from sensational.sourcing import SourcingAnalyzer
from sensational.streaming import OUT_OF_CORE_DEFAULTS
from sensational.text import find_boilerplate, strip_ranges
from training.heads import fit_linear_head
from training.metrics import (
    SpanCredit,
    binary_metrics,
    character_overlap,
    merge_ranges,
    prf,
    span_prf,
)
from training.outofcore import headline_learner, wording_learner
from training.sensationalism import graded_metrics, pair_ranking
from training.sourcing_fit import evaluate_sourcing_score, fit_sourcing_head
from training.tagger import TRAIN_DEFAULTS as TAGGER_TRAIN_DEFAULTS
from training.tagger import fit_tagger, split_title, tagger_summary
from training.terms import (
    LEARN_DEFAULTS,
    LEARNABLE_CATEGORIES,
    SpanJudgement,
    blend_with_lexicon,
    learn_terms,
    loaded_token_mask,
)

log = logging.getLogger("training")


@dataclass
class TrainingData:
    """Rows by what they can teach.

    ``headlines``: headline-only rows (the headline-style model); ``articles``: whole articles
    with a label (the body-wording model); ``span_docs``: span-annotated documents (the framing
    detector and sentence model); ``graded``: articles graded 0-3 under ``docs/criteria.md``
    (the three heads); ``pairs``: tabloid and sober headlines of the same news (the headline
    head). ``span_docs_dev`` is optional: span-annotated documents never trained on (the
    official PTC development split), used by :func:`evaluate_bundle` only.
    ``feedback_spans``: readers' accepted reports on spans (the framing detector's terms).
    """

    headlines: list[Example] = field(default_factory=list)
    articles: list[Example] = field(default_factory=list)
    span_docs: list[SpanDoc] = field(default_factory=list)
    span_docs_dev: list[SpanDoc] = field(default_factory=list)
    graded: list[GradedArticle] = field(default_factory=list)
    pairs: list[HeadlinePair] = field(default_factory=list)
    feedback_spans: list[SpanJudgement] = field(default_factory=list)


def default_params() -> dict[str, Any]:
    """Every hyperparameter of the bundle, by part."""
    return {
        "headline": dict(HEADLINE_DEFAULTS),
        "framing": dict(FRAMING_DEFAULTS),
        "terms": dict(LEARN_DEFAULTS),
        # The learned loaded-wording tagger (training.tagger), off by default (its reasons are
        # beside TRAIN_DEFAULTS there): the detector then uses the lexicon with learned term
        # weights.
        "tagger": dict(TAGGER_TRAIN_DEFAULTS),
        "sentence": {"C": 0.3, "min_df": 2},
        # Whole-body wording model (trained on the article corpora's bodies); its log-odds on
        # training bodies are cross-fitted over ``folds`` folds before the body head sees them.
        "wording": {"C": 10.0, "min_df": 2, "class_weight": "balanced", "folds": 5},
        # The three heads, fitted on graded rows. ``folds``: cross-fitting of the headline and
        # body heads' answers that the article head reads, and of the label thresholds;
        # ``framing_folds``: graded articles that are also span documents get framing features
        # from a detector fitted without them; ``pair_weight``: weight of a headline-pair row
        # against a graded headline.
        "heads": {"C": 1.0, "folds": 5, "framing_folds": 3, "pair_weight": 1.0},
        # "low" ends where at most ``missed_sensational`` of the sensational (grade >= 2)
        # articles score lower; "high" starts where at most ``false_high`` of the others score
        # as high (both on cross-fitted scores of the graded training rows).
        "thresholds": {"missed_sensational": 0.1, "false_high": 0.1},
        # enabled: the headline-style and body-wording models learn out of core (hashed
        # features, chunked SGD; training.outofcore), for corpora larger than memory.
        "out_of_core": dict(OUT_OF_CORE_DEFAULTS),
    }


def fit_bundle(
    data: TrainingData,
    *,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    name: str = "sensational",
    version: str = "0.0.0",
    n_jobs: int | None = None,
    report: dict[str, Any] | None = None,
) -> Scorer:
    """Fit the scorer on ``data`` (the training split only).

    With no ``span_docs`` the detector keeps the lexicon priors and there is no sentence
    model. The heads need graded rows: ``data.graded`` and ``data.pairs``, else the labelled
    ``headlines`` and ``articles`` themselves (``label >= 0.5`` read as sensational). ``report``,
    when given, receives the cross-fitted figures on the training rows (thresholds, ECE).
    """
    p = _merge(default_params(), params or {})
    clock = time.perf_counter()
    headline_params = dict(p["headline"])
    if len(data.headlines) < 200:  # tiny sets: fewer calibration folds than classes allow otherwise
        headline_params["calibration_cv"] = 2
    ooc = p["out_of_core"]
    if ooc["enabled"]:
        model = headline_learner(headline_params, ooc, seed)
    else:
        model = build_headline_model(headline_params, random_state=seed, n_jobs=n_jobs)
    model.fit([r.headline for r in data.headlines], [int(r.label >= 0.5) for r in data.headlines])
    log.info("headline model fitted in %.1f s", time.perf_counter() - clock)

    clock = time.perf_counter()
    lexicon = load_lexicon()
    detector, sentence_model = fit_framing(
        data.span_docs, lexicon, p, plain=data.articles, feedback=data.feedback_spans
    )
    log.info("tagger and sentence model fitted in %.1f s", time.perf_counter() - clock)

    clock = time.perf_counter()
    bodies = [a.body for a in data.articles] + [d.text for d in data.span_docs]
    bodies += [g.article.body for g in data.graded]
    scorer = Scorer(
        name=name,
        version=version,
        headline_model=model,
        framing=detector,
        sentence_model=sentence_model,
        capitals=learn_capitals(bodies, [e.term for e in lexicon]),
    )
    articles = [a for a in data.articles if a.body.strip()]
    wording: dict[str, float] = {}
    if articles:
        yb = np.array([int(a.label >= 0.5) for a in articles])
        stems = [_body_stems(a.body) for a in articles]
        wording_params = {k: v for k, v in p["wording"].items() if k != "folds"}
        learner = wording_learner(ooc, seed) if ooc["enabled"] else BodyWordingClassifier
        if len(set(yb.tolist())) == 2:
            scorer.body_wording = learner(**wording_params).fit(stems, yb)
            oof = _out_of_fold_wording(
                stems, yb, wording_params, int(p["wording"]["folds"]), seed, learner
            )
            wording = {a.body: w for a, w in zip(articles, oof, strict=True)}
    log.info("body-wording model fitted in %.1f s", time.perf_counter() - clock)

    clock = time.perf_counter()
    rows = graded_rows(data)
    fit_heads(scorer, rows, data.span_docs, lexicon, wording, p, seed, report, plain=articles)
    log.info("heads fitted in %.1f s", time.perf_counter() - clock)
    return scorer


def fit_framing(
    span_docs: Sequence[SpanDoc],
    lexicon: Sequence[Any],
    p: dict[str, Any],
    plain: Sequence[Example] = (),
    feedback: Sequence[SpanJudgement] = (),
) -> tuple[FramingDetector, SentenceFramingClassifier | None]:
    """The framing detector and the sentence model, fitted on ``span_docs``.

    The detector's spans come from the loaded-wording tagger (``params.tagger``; ``plain``
    articles teach it what ordinary reporting is like), or, with ``tagger.enabled = false``,
    from the lexicon with term weights blended from the span rates. Readers' accepted reports
    (``feedback``) count in either. With no span documents, the lexicon priors (re-weighted by
    the reports, if any) and no sentence model.
    """
    learned = {}
    sentence_model = None
    tagger = None
    if span_docs and p["tagger"].get("enabled", False):
        tagger = fit_tagger(span_docs, p["tagger"], plain=plain, feedback=feedback)
    elif span_docs or feedback:
        keys = [term_key(e.term) for e in lexicon]
        raw, stats = learn_terms(span_docs, keys, p["terms"], feedback=feedback)
        learned = blend_with_lexicon(raw, stats, lexicon, float(p["terms"]["prior_strength"]))
    if span_docs:
        sents, labels = ptc_sentences(span_docs)
        sentence_model = SentenceFramingClassifier(**p["sentence"]).fit(sents, labels)
    return FramingDetector(lexicon, learned, p["framing"], tagger), sentence_model


@dataclass
class HeadRow:
    """One graded row for the heads: a headline, a body or both, and what each is graded.

    ``article_y`` is the article's label (sensational: grade >= 2), ``headline_y`` the
    headline's alone; None where that part was not graded. ``weight`` scales the row.
    """

    headline: str
    body: str
    headline_y: int | None
    article_y: int | None
    weight: float = 1.0
    grade: int | None = None
    thin: int | None = None  # the main claim's sourcing is thin (sourcing rubric)


def graded_rows(data: TrainingData) -> list[HeadRow]:
    """The rows the heads learn from: graded articles and headline pairs, else the labelled
    headlines and articles of ``data`` (their ``label >= 0.5`` read as sensational)."""
    rows: list[HeadRow] = []
    for g in data.graded:
        rows.append(
            HeadRow(
                g.article.headline,
                g.article.body,
                int(g.headline_grade >= 2),
                int(g.grade >= 2),
                grade=g.grade,
                thin=int(g.sourcing.thin),
            )  # fmt: skip
        )
    for pair in data.pairs:
        rows.append(HeadRow(pair.tabloid, "", 1, None, weight=-1.0))
        rows.append(HeadRow(pair.sober, "", 0, None, weight=-1.0))
    if rows:
        return rows
    for r in data.headlines:
        rows.append(HeadRow(r.headline, "", int(r.label >= 0.5), None))
    for a in data.articles:
        y = int(a.label >= 0.5)
        rows.append(HeadRow(a.headline, a.body, y if a.headline.strip() else None, y))
    return rows


@dataclass
class _Featured:
    row: HeadRow
    head: HeadlineFeatures | None
    body: BodyFeatures | None
    sourcing: float


def fit_heads(
    scorer: Scorer,
    rows: Sequence[HeadRow],
    span_docs: Sequence[SpanDoc],
    lexicon: Sequence[Any],
    wording: dict[str, float],
    p: dict[str, Any],
    seed: int,
    report: dict[str, Any] | None = None,
    plain: Sequence[Example] = (),
) -> None:
    """Fit the headline, body and article heads and the label thresholds on ``rows``.

    Framing features of a row whose text is also a span document come from a detector fitted
    without it, and the body-wording log-odds of a training body are out-of-fold: in-sample
    answers would be over-confident and the heads would trust them too much. The article
    head reads the headline and body heads' cross-fitted log-odds for the same reason.
    """
    hp = p["heads"]
    featured = _featurize(scorer, rows, span_docs, lexicon, wording, p, seed, plain)
    pair_weight = float(hp["pair_weight"])
    C = float(hp["C"])

    heads = [f for f in featured if f.head is not None and f.row.headline_y is not None]
    bodies = [f for f in featured if f.body is not None and f.row.article_y is not None]
    if len({f.row.headline_y for f in heads}) < 2:
        raise ValueError(
            "cannot fit the headline head: the graded headlines hold one class or none; add"
            " the reference set (datasets/reference) or labelled headlines of both classes"
        )

    def head_weights(fs: Sequence[_Featured]) -> np.ndarray:
        return np.array([pair_weight if f.row.weight < 0 else f.row.weight for f in fs])

    def fit_head(fs: Sequence[_Featured]) -> LinearHead:
        return fit_linear_head(
            HeadlineFeatures._fields,
            np.array([f.head for f in fs]),
            np.array([f.row.headline_y for f in fs]),
            C=C,
            sample_weight=head_weights(fs),
        )

    def fit_body(fs: Sequence[_Featured]) -> LinearHead:
        return fit_linear_head(
            BodyFeatures._fields,
            np.array([f.body for f in fs]),
            np.array([f.row.article_y for f in fs]),
            C=C,
            free=("log_words",),
        )

    scorer.headline_head = fit_head(heads)
    if len({f.row.article_y for f in bodies}) < 2:
        # Headline-only data: bodies are then scored by the untrained fallback, and the card
        # says so.
        log.warning("no graded articles of both classes: the body and article heads stay unfitted")
        if report is not None:
            report["unfitted"] = ["body_head", "article_head"]
        return
    scorer.body_head = fit_body(bodies)

    # Cross-fitted headline and body log-odds of every article row, for the article head.
    both = [f for f in bodies if f.head is not None]
    folds = max(2, min(int(hp["folds"]), len(both) // 2))
    oof: dict[int, ArticleFeatures] = {}
    order = list(range(len(both)))
    random.Random(seed).shuffle(order)
    for k in range(folds):
        test = {order[i] for i in range(k, len(order), folds)}
        train_ids = {id(both[i]) for i in test}
        fold_heads = [f for f in heads if id(f) not in train_ids]
        fold_bodies = [f for f in bodies if id(f) not in train_ids]
        if (
            len({f.row.headline_y for f in fold_heads}) < 2
            or len({f.row.article_y for f in fold_bodies}) < 2
        ):
            continue
        trial = Scorer(scorer.name, scorer.version, scorer.headline_model)
        trial.headline_head, trial.body_head = fit_head(fold_heads), fit_body(fold_bodies)
        for i in test:
            f = both[i]
            assert f.head is not None and f.body is not None
            oof[i] = trial.article_features(f.head, f.body, f.sourcing)
    idx = sorted(oof)
    if len({both[i].row.article_y for i in idx}) < 2:
        # A handful of articles: no fold leaves both classes to learn from. The heads' own
        # (in-sample) answers stand in, and the card says so.
        log.warning("too few graded articles to cross-fit the article head: fitted in-sample")
        if report is not None:
            report["article_head_in_sample"] = True
        oof = {i: scorer.article_features(f.head, f.body, f.sourcing) for i, f in enumerate(both)}  # type: ignore[arg-type]
        idx = sorted(oof)
    if len({both[i].row.article_y for i in idx}) < 2:
        log.warning("the graded articles with a headline hold one class: no article head")
        if report is not None:
            report.setdefault("unfitted", []).append("article_head")
        return
    scorer.article_head = fit_linear_head(
        ArticleFeatures._fields,
        np.array([oof[i] for i in idx]),
        np.array([both[i].row.article_y for i in idx]),
        C=C,
    )
    _fit_thresholds(scorer, [both[i] for i in idx], [oof[i] for i in idx], p, report)


def _featurize(
    scorer: Scorer,
    rows: Sequence[HeadRow],
    span_docs: Sequence[SpanDoc],
    lexicon: Sequence[Any],
    wording: dict[str, float],
    p: dict[str, Any],
    seed: int = 0,
    plain: Sequence[Example] = (),
) -> list[_Featured]:
    """Features of every row; rows whose text is a span document get them from a detector and
    sentence model fitted without that document (``framing_folds`` refits)."""
    in_docs = {d.text.partition("\n")[2].strip(): d for d in span_docs}
    overlap = [i for i, r in enumerate(rows) if r.body and r.body.strip() in in_docs]
    by_row: dict[int, Scorer] = {}
    folds = int(p["heads"]["framing_folds"])
    if overlap and folds >= 2:
        for k in range(folds):
            part = overlap[k::folds]
            held = {id(in_docs[rows[i].body.strip()]) for i in part}
            detector, sentences = fit_framing(
                [d for d in span_docs if id(d) not in held], lexicon, p, plain
            )
            trial = replace(scorer, framing=detector, sentence_model=sentences)
            for i in part:
                by_row[i] = trial
    out = []
    for i, row in enumerate(rows):
        s = by_row.get(i, scorer)
        head = _head_feats(s, row.headline) if row.headline.strip() else None
        body = _body_feats(s, row.body, wording.get(row.body)) if row.body.strip() else None
        out.append(_Featured(row, head, body, 0.0))
    _fit_sourcing(scorer, out, p, seed)
    return out


def _fit_sourcing(
    scorer: Scorer, featured: Sequence[_Featured], p: dict[str, Any], seed: int
) -> None:
    """Fit ``sourcing.score`` on the rows graded for sourcing, and give every row its thin-
    sourcing score: cross-fitted where the row was graded (the article head must not read a
    score fitted on its own label), the fixed formula where it was not."""
    base = scorer.sourcing
    bodies = [f for f in featured if f.body is not None]
    feats = {id(f): base.features(f.row.headline, f.row.body) for f in bodies}
    for f in bodies:
        f.sourcing = float(base.analyze(f.row.headline, f.row.body).score or 0.0)
    graded = [f for f in bodies if f.row.thin is not None and feats[id(f)] is not None]
    thin = np.array([f.row.thin for f in graded])
    if len(graded) < 10 or min(thin.sum(), len(thin) - thin.sum()) < 5:
        return  # too few graded articles of each kind: the fixed formula stays
    folds = int(p["heads"]["folds"])
    order = list(range(len(graded)))
    random.Random(seed).shuffle(order)
    for k in range(folds):
        test = order[k::folds]
        held = set(test)
        train = [i for i in order if i not in held]
        head, _ = fit_sourcing_head([feats[id(graded[i])] for i in train], thin[train], seed=seed)
        for i in test:
            graded[i].sourcing = head.proba(feats[id(graded[i])])
    head, _ = fit_sourcing_head([feats[id(f)] for f in graded], thin, seed=seed)
    scorer.sourcing = SourcingAnalyzer(
        stance_cues=base.stance_cues, support_overlap=base.support_overlap, head=head
    )


def _fit_thresholds(
    scorer: Scorer,
    rows: Sequence[_Featured],
    article: Sequence[ArticleFeatures],
    p: dict[str, Any],
    report: dict[str, Any] | None,
) -> None:
    """Label thresholds from cross-fitted overall scores of the graded articles."""
    tp = p["thresholds"]
    # As Scorer.combine, with the floor at 0.5 until the thresholds exist.
    s = np.array(
        [
            max(
                scorer._proba(scorer.article_head, a), min(1.0 / (1.0 + math.exp(-a.headline)), 0.5)
            )
            for a in article
        ]
    )
    y = np.array([f.row.article_y for f in rows])
    low = float(np.quantile(s[y == 1], float(tp["missed_sensational"])))
    high = float(np.quantile(s[y == 0], 1.0 - float(tp["false_high"])))
    if low > high:  # the classes barely overlap: one boundary between them
        low = high = (low + high) / 2
    scorer.thresholds = (round(low, 3), round(max(high, low), 3))
    if report is not None:
        grades = [f.row.grade for f in rows]
        report["cross_fitted"] = {
            "rows": len(rows),
            "thresholds": list(scorer.thresholds),
            **(
                graded_metrics([g for g in grades if g is not None], s.tolist())
                if None not in grades
                else {}
            ),
        }


def ptc_sentences(docs: Iterable[SpanDoc]) -> tuple[list[str], list[int]]:
    """One row per non-empty line of each article: positive when it overlaps a loaded span."""
    sents, labels = [], []
    for doc in docs:
        ranges = [(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES]
        pos = 0
        for line in doc.text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            if line.strip():
                sents.append(line)
                labels.append(int(any(s < end and start < e for s, e in ranges)))
    return sents, labels


def ptc_title(doc: SpanDoc) -> tuple[str, int]:
    """The title (first line) of a PTC article and whether it holds a loaded span."""
    end = doc.text.find("\n")
    end = len(doc.text) if end < 0 else end
    hit = any(s < end and t in LOADED_TECHNIQUES for s, e, t in doc.spans)
    return doc.text[:end], int(hit)


def _out_of_fold_wording(
    stems: Sequence[Sequence[str]],
    y: np.ndarray,
    params: dict[str, Any],
    folds: int,
    seed: int,
    learner: Callable[..., BodyWordingClassifier] = BodyWordingClassifier,
) -> list[float]:
    """Body-wording log-odds of each training body from a model that did not see it."""
    out = np.zeros(len(stems))
    folds = min(folds, int(np.bincount(y, minlength=2).min()))
    if folds < 2:  # too few bodies to cross-fit: the body head learns nothing from wording
        return out.tolist()
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(out, y):
        model = learner(**params).fit([stems[i] for i in train], y[train])
        out[test] = model.decision_function([stems[i] for i in test])
    return out.tolist()


def _body_stems(body: str) -> list[str]:
    return [t.stem for t in clean_tokens(body, find_boilerplate(body))]


def _body_feats(scorer: Scorer, body: str, wording: float | None = None) -> BodyFeatures:
    skip = find_boilerplate(body)
    tokens = clean_tokens(body, skip)
    _, weight = scorer.framing.analyze(body, "body", tokens=tokens)
    return scorer.body_features(body, tokens, weight, wording, skip=skip)


def _head_feats(scorer: Scorer, headline: str) -> HeadlineFeatures:
    skip = find_boilerplate(headline)
    tokens = clean_tokens(headline, skip)
    _, weight = scorer.framing.analyze(headline, "headline", tokens=tokens)
    return scorer.headline_features(strip_ranges(headline, skip).strip(), tokens, weight)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


# ---------------------------------------------------------------------------------------------
# Evaluation


def evaluate_bundle(
    scorer: Scorer, held_out: TrainingData, *, describe: bool = True
) -> dict[str, Any]:
    """Metrics of every part on held-out data, keyed by part (``headline``, ``spans``, ...).

    With ``describe`` the answer also holds what the model is (label thresholds, learned terms,
    coefficients): once per model card, not once per evaluation set.
    """
    metrics: dict[str, Any] = {}
    if held_out.headlines:
        y = np.array([int(r.label >= 0.5) for r in held_out.headlines])
        proba = scorer.headline_model.predict_proba([r.headline for r in held_out.headlines])[:, 1]
        metrics["headline"] = binary_metrics(y, proba)
        overall = np.array([scorer.score(r.headline).score for r in held_out.headlines])
        metrics["overall_headline_only"] = binary_metrics(y, overall)
    for key, docs in (("spans", held_out.span_docs), ("spans_dev", held_out.span_docs_dev)):
        if docs:
            metrics[key] = span_metrics(scorer, docs)
            if scorer.sentence_model is not None:
                sents, labels = ptc_sentences(docs)
                proba = scorer.sentence_model.predict_proba(sents)[:, 1]
                metrics[key]["sentences"] = binary_metrics(np.array(labels), proba)
            titles = [ptc_title(d) for d in docs]
            ys = np.array([y for _, y in titles])
            proba = np.array([scorer.score(t).score for t, _ in titles])
            metrics[key]["titles_overall"] = binary_metrics(ys, proba)
    if held_out.articles:
        arts = [a for a in held_out.articles if a.body.strip()]
        y = np.array([int(a.label >= 0.5) for a in arts])
        results = [scorer.score(a.headline, a.body) for a in arts]
        metrics["body"] = binary_metrics(y, np.array([r.body.score for r in results]))
        metrics["overall_articles"] = binary_metrics(y, np.array([r.score for r in results]))
        metrics["framing_score_articles"] = binary_metrics(
            y, np.array([r.framing.score for r in results])
        )
    if held_out.graded:
        metrics["reference"] = reference_metrics(scorer, held_out.graded)
    if held_out.pairs:
        metrics["headline_pairs"] = pair_ranking(scorer, held_out.pairs)
    if not describe:
        return metrics
    metrics["labels"] = {
        "low_below": scorer.thresholds[0],
        "high_from": scorer.thresholds[1],
        "rule": "low below the cross-fitted score under which parameters.thresholds"
        ".missed_sensational of the graded sensational training articles fall; high from the"
        " score that parameters.thresholds.false_high of the other graded training articles"
        " reach; medium between",
    }
    metrics["framing_terms"] = term_summary(scorer.framing)
    for part in ("headline_head", "body_head", "article_head"):
        head = getattr(scorer, part)
        if head is not None:
            metrics[f"{part}_coefficients"] = head.as_dict()
    return metrics


def reference_metrics(scorer: Scorer, graded: Sequence[GradedArticle]) -> dict[str, Any]:
    """The scorer against graded articles: the overall score (headline and body) against the
    article grade, the headline alone against the headline grade, the body alone against the
    article grade; and how the labels fall by grade."""
    full = [scorer.score(g.article.headline, g.article.body) for g in graded]
    heads = [scorer.score(g.article.headline) for g in graded]
    bodies = [scorer.score(None, g.article.body) for g in graded]
    labels: dict[str, dict[str, int]] = {}
    for g, r in zip(graded, full, strict=True):
        row = labels.setdefault(f"grade_{g.grade}", {"low": 0, "medium": 0, "high": 0})
        row[r.label] += 1
    return {
        "split": "test (holdout_bucket(ref_id) == 0)",
        "article": graded_metrics([g.grade for g in graded], [r.score for r in full]),
        "headline_alone": graded_metrics(
            [g.headline_grade for g in graded], [r.score for r in heads]
        ),
        "body_alone": graded_metrics([g.grade for g in graded], [r.score for r in bodies]),
        "labels_by_grade": labels,
        # sourcing.score against the sourcing rubric's thin label of the main claim.
        "sourcing": evaluate_sourcing_score(scorer.sourcing, graded),
    }


def term_summary(detector: FramingDetector, top: int = 25) -> dict[str, Any]:
    """How many terms the detector knows, by origin, and the heaviest learned new ones."""
    by_source: dict[str, int] = {}
    for term in detector.table_.values():
        by_source[term.source] = by_source.get(term.source, 0) + 1
    new = sorted(
        ((" ".join(k), t.weight) for k, t in detector.learned.items() if t.category == "loaded"),
        key=lambda kv: -kv[1],
    )
    out: dict[str, Any] = {
        "lexicon_entries": len(detector.lexicon),
        "table_by_source": by_source,
        "learned_new_terms": len(new),
        "top_learned_new_stems": [[k, w] for k, w in new[:top]],
    }
    if detector.tagger is not None:
        out["tagger"] = tagger_summary(detector.tagger, top)
    return out


def span_metrics(scorer: Scorer, docs: Iterable[SpanDoc]) -> dict[str, Any]:
    """Predicted framing spans vs gold loaded-technique spans (Loaded_Language,
    Exaggeration,Minimisation, Appeal_to_fear-prejudice, Name_Calling,Labeling).

    The main figures count predicted spans of the categories those techniques cover (fear,
    conflict, hyperbole, outrage, plight, shouting, and learned ``loaded`` terms); clickbait
    and speculation spans have no gold counterpart in the corpus, so ``all_categories`` repeats
    the figures with every shown span (what a reader sees). ``partial_*`` follow the
    SemEval-2020 Task 11 SI measure (credit for the overlapping share of each span);
    ``char_*`` count characters; ``token_*`` count word tokens.
    """
    docs = list(docs)
    covered = LEARNABLE_CATEGORIES | {"loaded", "shouting"}
    gold_by_doc, pred_by_doc, all_by_doc = [], [], []
    for doc in docs:
        gold_by_doc.append(
            merge_ranges([(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES])
        )
        spans = framing_spans(scorer.framing, doc.text)
        pred_by_doc.append(merge_ranges([(s.start, s.end) for s in spans if s.category in covered]))
        all_by_doc.append(merge_ranges([(s.start, s.end) for s in spans]))
    out: dict[str, Any] = {
        "n_docs": len(docs),
        "gold_spans": sum(len(g) for g in gold_by_doc),
        "predicted_spans": sum(len(p) for p in pred_by_doc),
        "categories": sorted(covered),
    }
    out.update(_overlap_scores(docs, gold_by_doc, pred_by_doc, tokens=True))
    everything = _overlap_scores(docs, gold_by_doc, all_by_doc, tokens=False)
    out["all_categories"] = {
        "predicted_spans": sum(len(p) for p in all_by_doc),
        **everything,
    }
    return out


def framing_spans(detector: FramingDetector, text: str) -> list[Span]:
    """Spans of a PTC article as the scorer finds them: the title line read as a headline, the
    rest as a body; offsets index the whole article."""
    title, body, offset = split_title(text)
    head, _ = detector.analyze(title, "headline")
    rest, _ = detector.analyze(body, "body")
    return head + [replace(s, start=s.start + offset, end=s.end + offset) for s in rest]


def _overlap_scores(
    docs: Sequence[SpanDoc],
    gold_by_doc: Sequence[list[tuple[int, int]]],
    pred_by_doc: Sequence[list[tuple[int, int]]],
    *,
    tokens: bool,
) -> dict[str, float]:
    credits = []
    c_tp = c_pred = c_gold = 0
    t_tp = t_pred = t_gold = 0
    for doc, gold, pred in zip(docs, gold_by_doc, pred_by_doc, strict=True):
        credits.append(SpanCredit.of(pred, gold))
        both, n_pred, n_gold = character_overlap(pred, gold)
        c_tp, c_pred, c_gold = c_tp + both, c_pred + n_pred, c_gold + n_gold
        if tokens:
            toks = tokenize(doc.text)
            gmask = loaded_token_mask(toks, [(s, e, "Loaded_Language") for s, e in gold])
            pmask = loaded_token_mask(toks, [(s, e, "Loaded_Language") for s, e in pred])
            t_tp += sum(g and q for g, q in zip(gmask, pmask, strict=True))
            t_pred += sum(pmask)
            t_gold += sum(gmask)
    parts = {"partial": span_prf(credits), "char": prf(c_tp, c_pred, c_tp, c_gold)}
    if tokens:
        parts["token"] = prf(t_tp, t_pred, t_tp, t_gold)
    return {
        f"{prefix}_{name}": round(value, 4)
        for prefix, figures in parts.items()
        for name, value in figures.items()
    }


# ---------------------------------------------------------------------------------------------
# Project samples: headline twins and story pairs (never trained on by the default model)


def sample_metrics(scorer: Scorer) -> dict[str, Any]:
    """Pairwise ranking on the project's samples: the share of pairs where the loaded
    (sensational) side scores strictly higher, for the overall score and its parts."""
    from datasets.corpora import read_twins

    twins = read_twins()
    out: dict[str, Any] = {}
    loaded = [scorer.score(a) for a, _ in twins]
    sober = [scorer.score(b) for _, b in twins]
    out["headline_twins"] = {
        "pairs": len(twins),
        "overall_ranking": _share(loaded, sober, lambda r: r.score),
        "framing_ranking": _share(loaded, sober, lambda r: r.framing.score),
        "clickbait_ranking": _share(loaded, sober, lambda r: r.headline.clickbait),
        "loaded_labelled_high_or_medium": round(
            sum(r.label != "low" for r in loaded) / len(loaded), 4
        ),
        "sober_labelled_low": round(sum(r.label == "low" for r in sober) / len(sober), 4),
    }
    pairs = read_story_pairs()
    hot = [scorer.score(r["sensational"]["headline"], r["sensational"]["body"]) for r in pairs]
    cold = [scorer.score(r["sober"]["headline"], r["sober"]["body"]) for r in pairs]
    hot_b = [scorer.score(None, r["sensational"]["body"]) for r in pairs]
    cold_b = [scorer.score(None, r["sober"]["body"]) for r in pairs]
    out["story_pairs"] = {
        "pairs": len(pairs),
        "overall_ranking": _share(hot, cold, lambda r: r.score),
        "framing_ranking": _share(hot, cold, lambda r: r.framing.score),
        "body_ranking": _share(hot, cold, lambda r: r.body.score),
        "body_only_overall_ranking": _share(hot_b, cold_b, lambda r: r.score),
        "sober_labelled_high": round(sum(r.label == "high" for r in cold) / len(cold), 4),
        "sensational_labelled_low": round(sum(r.label == "low" for r in hot) / len(hot), 4),
    }
    return out


def _share(a: Sequence[Any], b: Sequence[Any], key: Any) -> float:
    wins = sum(key(x) > key(y) for x, y in zip(a, b, strict=True))
    return round(wins / len(a), 4) if a else math.nan
