"""Learned parts of the framing side: a sentence-level loaded-language classifier and the
sentence helpers the per-field features of the overall stacker use.

Speed: nothing here calls scikit-learn per request. The sentence classifier is linear over
binary stem n-grams, so it is stored as a ``feature -> coefficient`` dict and a request costs a
few dict look-ups per word.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from sensational.lexicon import Token, tokenize

_START = itemgetter(0)  # Token.start, fetched in C
_STEM = itemgetter(2)  # Token.stem
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


def logit(p: float, eps: float = 1e-4) -> float:
    p = min(max(p, eps), 1 - eps)
    return math.log(p / (1 - p))
