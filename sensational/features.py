"""Learned parts of the framing side: term weights from span-annotated news, a sentence-level
loaded-language classifier, and the per-field features the overall stacker reads.

Speed: nothing here calls scikit-learn per request. The sentence classifier is linear over
binary stem n-grams, so it is stored as a ``feature -> coefficient`` dict and a request costs a
few dict look-ups per word.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from sensational.framing import Term
from sensational.lexicon import Token, stem, surface, surface_forms, term_key, tokenize

# PTC techniques that are loaded wording (the ones the detector is meant to find).
LOADED_TECHNIQUES = frozenset(
    {
        "Loaded_Language",
        "Exaggeration,Minimisation",
        "Appeal_to_fear-prejudice",
        "Name_Calling,Labeling",
    }
)
# Lexicon categories whose weights the span corpus can inform (see blend_with_lexicon).
LEARNABLE_CATEGORIES = frozenset({"fear", "conflict", "hyperbole", "outrage", "plight"})
LEARN_DEFAULTS: dict[str, Any] = {
    # Chosen by 5-fold cross-validation of span F1 on the PTC training articles.
    "prior_strength": 2.0,  # pseudo-occurrences of the lexicon prior when blending with data
    "min_count": 3,  # a new term needs this many occurrences in the training articles
    "min_docs": 2,  # ... in at least this many articles (one article's repetition is no rule)
    "min_rate": 0.35,  # ... and this smoothed share of them inside loaded spans
    "max_capitalised": 0.5,  # skip names: terms mostly written with a capital letter
    "max_ngram": 1,  # learned bigrams were mostly one corpus's collocations; phrases are curated
}
_START = itemgetter(0)  # Token.start, fetched in C
_STEM = itemgetter(2)  # Token.stem
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "said", "says", "mr", "mrs"}
# Words that name a group, a faith, a party or a subject are never learned as loaded terms: in a
# span corpus they sit inside name-calling spans ("radical Islamic jihadists") or fill whole
# articles on one subject, but they say who or what, not how it is framed.
_NOT_LOADED = frozenset(
    stem(w)
    for w in """black white gay gays lesbian homosexual homosexuals homosexuality heterosexual
    transgender jew jews jewish muslim muslims islam islamic christian christians catholic
    catholics church priest priests bishop bishops pope cardinal clergy god allah lord jesus christ
    evangelical evangelicals israeli palestinian russian russians american americans immigrant
    immigrants migrant migrants refugee refugees democrat democrats republican republicans
    liberal liberals conservative conservatives partisan bipartisan non-partisan nonpartisan
    women men woman man child children baby babies dog dogs police military soldier soldiers
    journalist journalists journal media public health welfare campaign manager personnel
    income counselor shepherd mankind contributor human sex sexual kidnap rapist pedophile porn
    espionage spy genocide torture warfare jihadist jihadists anti-jihadist conciliar sanctity
    indissoluble humanitarian innovation neoliberal law-abiding brick weight chip mirror ring
    barrel smoke boot disposition""".split()
)
# Sentence ends: after . ! ? (and a closing quote), or at a line break. Every match starts with
# a closing quote or white space; the leading look-ahead says so, which lets the engine skip
# all other characters cheaply (nearly twice as fast, same matches).
_SENTENCE_END = re.compile(
    r"(?=[\"'\u201d\u2019)\s])(?:(?<=[.!?])[\"'\u201d\u2019)]*\s+|\s*[\r\n]+\s*)"
)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text`` (offsets into ``text``), blanks dropped."""
    bounds = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def group_tokens(tokens: Sequence[Token], bounds: Sequence[tuple[int, int]]) -> list[list[str]]:
    """The stems of each sentence, given tokens (in text order) and sentence bounds of the
    same text. A token belongs to the first sentence it starts before the end of (the last
    sentence takes the rest); sentences without tokens are dropped."""
    if not bounds:
        return []
    starts = list(map(_START, tokens))
    stems = list(map(_STEM, tokens))
    groups: list[list[str]] = []
    a = 0
    # One bisection per sentence instead of a step per token.
    for _, end in bounds[:-1]:
        b = bisect_left(starts, end, a)
        if b > a:
            groups.append(stems[a:b])
        a = b
    if a < len(stems):
        groups.append(stems[a:])
    return groups


def stem_ngrams(stems: Sequence[str], max_n: int = 2) -> list[str]:
    """Unigram and bigram features of a stem sequence (bigrams joined by a space)."""
    feats = list(stems)
    if max_n >= 2:
        feats.extend(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False))
    return feats


@lru_cache(maxsize=65536)
def _analyzer(text: str) -> tuple[str, ...]:
    # Cached: training fits the same sentences once per cross-fitting fold.
    return tuple(stem_ngrams([t.stem for t in tokenize(text)]))


class SentenceFramingClassifier(ClassifierMixin, BaseEstimator):
    """Probability that a sentence contains loaded wording, from its stem n-grams.

    A logistic regression over binary unigram and bigram stem features. After ``fit`` the
    model is also kept as ``weights_`` (feature -> coefficient) so a request is scored with
    dict look-ups (:meth:`decision_from_stems`) instead of a vectoriser call.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    min_df : int
        Features seen in fewer training sentences are dropped.
    class_weight : str or None
        Passed to :class:`~sklearn.linear_model.LogisticRegression`.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    weights_ : dict of str to float
        Non-zero coefficients by feature.
    intercept_ : float
    """

    def __init__(self, *, C: float = 0.5, min_df: int = 2, class_weight: str | None = None):
        self.C = C
        self.min_df = min_df
        self.class_weight = class_weight

    def fit(self, X: Sequence[str], y: Sequence[int]) -> SentenceFramingClassifier:
        """Fit on sentences ``X`` with 0/1 labels ``y``."""
        X = _check_texts(X)
        y = np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} sentences but y has {len(y)} labels")
        vec = CountVectorizer(analyzer=_analyzer, binary=True, min_df=self.min_df)
        matrix = vec.fit_transform(X)
        clf = LogisticRegression(
            C=self.C, solver="liblinear", max_iter=2000, class_weight=self.class_weight
        )
        clf.fit(matrix, y)
        self.classes_ = clf.classes_
        names = vec.get_feature_names_out()
        self.weights_ = {
            str(n): float(c) for n, c in zip(names, clf.coef_[0], strict=True) if abs(c) > 1e-6
        }
        self.intercept_ = float(clf.intercept_[0])
        self.n_features_ = len(names)
        return self

    def decision_from_stems(self, stems: Sequence[str]) -> float:
        """The log-odds for a sentence given as its word stems."""
        feats = set(stems)
        feats.update(map(" ".join, zip(stems, stems[1:], strict=False)))
        return self.intercept_ + sum(map(self.weights_.get, feats, repeat(0.0)))

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "weights_")
        X = _check_texts(X)
        return np.array([self.decision_from_stems([t.stem for t in tokenize(x)]) for x in X])

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


def _check_texts(X: Any) -> list[str]:
    if isinstance(X, str):
        raise ValueError("X must be a list of strings, not a single string")
    X = list(X)
    bad = [type(x).__name__ for x in X if not isinstance(x, str)]
    if bad:
        raise ValueError(f"X must hold strings only; found {bad[0]}")
    return X


# ---------------------------------------------------------------------------------------------
# Term weights learned from span-annotated articles


def loaded_token_mask(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[bool]:
    """For each token, whether it overlaps a span of a loaded technique."""
    ranges = sorted((s, e) for s, e, tech in spans if tech in LOADED_TECHNIQUES)
    mask = []
    for t in tokens:
        mask.append(any(s < t.end and t.start < e for s, e in ranges))
    return mask


def learn_terms(
    docs: Iterable[Any],
    lexicon_keys: Iterable[tuple[str, ...]],
    params: dict[str, Any] | None = None,
) -> tuple[dict[tuple[str, ...], Term], dict[str, Any]]:
    """Learn term weights from span-annotated documents (``SpanDoc``-like objects).

    For every stem n-gram, count its occurrences and how many fall inside a loaded span
    (all of its words inside). A lexicon term's weight becomes its prior blended with that
    rate (``prior_strength`` pseudo-counts); a term absent from the lexicon is added, in the
    generic ``loaded`` category, when it is frequent enough, loaded often enough, and not a
    name, a stop word or a word that names a group or subject. One-word lexicon keys are also
    counted by spelling, since the detector matches an ``"exact"`` entry's own spellings only.

    Returns
    -------
    learned : dict
        Stem tuple -> :class:`~sensational.framing.Term`, with ``source="learned"``; the
        weight of a lexicon entry is filled in by :func:`blend_with_lexicon`.
    stats : dict
        Counts behind the weights: ``{"base_rate", "counts": {key: (n, inside)},
        "form_counts": {one-word lexicon key: {spelling: (n, inside)}}}``.
    """
    p = {**LEARN_DEFAULTS, **(params or {})}
    max_n = int(p["max_ngram"])
    lex = {k for k in lexicon_keys if k}
    lex_lengths = sorted({len(k) for k in lex})
    seen: Counter[tuple[str, ...]] = Counter()
    inside: Counter[tuple[str, ...]] = Counter()
    capital: Counter[tuple[str, ...]] = Counter()
    doc_freq: Counter[tuple[str, ...]] = Counter()
    lex_words = {k[0] for k in lex if len(k) == 1}
    by_form: dict[str, Counter[str]] = {}
    by_form_inside: dict[str, Counter[str]] = {}
    n_tokens = n_inside = 0
    for doc in docs:
        in_doc: set[tuple[str, ...]] = set()
        tokens = tokenize(doc.text)
        mask = loaded_token_mask(tokens, doc.spans)
        stems = [t.stem for t in tokens]
        n_tokens += len(tokens)
        n_inside += sum(mask)
        for t, hit in zip(tokens, mask, strict=True):
            if t.stem in lex_words:
                form = surface(doc.text[t.start : t.end])
                by_form.setdefault(t.stem, Counter())[form] += 1
                by_form_inside.setdefault(t.stem, Counter())[form] += hit
        lengths = sorted(set(range(1, max_n + 1)) | set(lex_lengths))
        for i in range(len(tokens)):
            for n in lengths:
                if i + n > len(tokens):
                    break
                key = tuple(stems[i : i + n])
                if n > max_n and key not in lex:
                    continue
                seen[key] += 1
                in_doc.add(key)
                if all(mask[i : i + n]):
                    inside[key] += 1
                if doc.text[tokens[i].start].isupper() and i > 0:
                    capital[key] += 1
        doc_freq.update(in_doc)
    base = n_inside / max(n_tokens, 1)
    k = float(p["prior_strength"])
    learned: dict[tuple[str, ...], Term] = {}
    for key, n in seen.items():
        hits = inside[key]
        if key in lex:
            learned[key] = Term("loaded", hits / n, "", "learned")  # blended later
            continue
        if n < p["min_count"] or doc_freq[key] < p["min_docs"]:
            continue
        if any(
            w in _STOP or w in _NOT_LOADED or any(c.isdigit() for c in w) or len(w) < 3 for w in key
        ):
            continue
        rate = (hits + k * base) / (n + k)
        if rate < p["min_rate"] or capital[key] / n > p["max_capitalised"]:
            continue
        learned[key] = Term("loaded", round(rate, 4), "", "learned")
    stats = {
        "lexicon_keys": lex,
        "base_rate": round(base, 4),
        "counts": {key: (seen[key], inside[key]) for key in learned},
        "form_counts": {
            w: {f: (c, by_form_inside[w][f]) for f, c in forms.items()}
            for w, forms in by_form.items()
        },
    }
    return learned, stats


def blend_with_lexicon(
    learned: dict[tuple[str, ...], Term],
    stats: dict[str, Any],
    lexicon: Iterable[Any],
    prior_strength: float,
) -> dict[tuple[str, ...], Term]:
    """Give each lexicon entry seen in the data the weight ``(inside + k * prior) / (n + k)``.

    Only categories the span corpus annotates are re-weighted: PTC marks loaded, exaggerated,
    fearful and name-calling wording, but not clickbait style or speculation, so those keep
    their curated priors (their PTC rate says nothing about them). An ``"exact"`` entry counts
    only the spellings the detector lets it match, so "weapons" does not decide the weight of
    "weaponized".
    """
    lexicon = list(lexicon)
    exact = {term_key(e.term) for e in lexicon if e.kind == "exact"}
    spellings: dict[str, set[str]] = {}
    for e in lexicon:
        key = term_key(e.term)
        if len(key) == 1 and key in exact:
            spellings.setdefault(key[0], set()).update(surface_forms(e.term).get(key[0], ()))
    form_counts = stats.get("form_counts", {})
    out = {k: t for k, t in learned.items() if k not in stats.get("lexicon_keys", ())}
    for e in lexicon:
        key = term_key(e.term)
        if e.category not in LEARNABLE_CATEGORIES or key not in stats["counts"]:
            continue
        n, hits = stats["counts"][key]
        if len(key) == 1 and key[0] in spellings and key[0] in form_counts:
            own = [c for f, c in form_counts[key[0]].items() if f in spellings[key[0]]]
            n, hits = sum(c[0] for c in own), sum(c[1] for c in own)
            if not n:
                continue  # only other words with this stem were seen: the prior stands
        w = (hits + prior_strength * e.weight) / (n + prior_strength)
        out[key] = Term(e.category, round(w, 4), e.kind, "learned")
    return out


def logit(p: float, eps: float = 1e-4) -> float:
    p = min(max(p, eps), 1 - eps)
    return math.log(p / (1 - p))
