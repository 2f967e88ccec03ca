"""Whole-body wording: a bag-of-stems classifier learned from labelled article bodies.

The sentence model and the term table look for loaded words one sentence at a time; this one
reads the body as a whole, the way the hyperpartisan corpus labels it (one-sided, partisan
writing shows in the vocabulary of the article as a whole, not in one phrase). It reads the
stems the framing tokeniser already made, so a request costs one counter and a few hundred
dict look-ups, never a vectoriser call.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted


def _identity(stems: Sequence[str]) -> Sequence[str]:
    return stems


class BodyWordingClassifier(ClassifierMixin, BaseEstimator):
    """Probability that a body is written one-sidedly, from its word stems.

    A logistic regression over sublinear TF-IDF stem unigrams, l2-normalised per body. ``X`` is
    a list of stem sequences (one per body), as :func:`sensational.framing.clean_tokens` makes
    them. After ``fit`` the model is kept as ``weights_`` (stem -> (idf, coefficient)) so that
    :meth:`decision_from_stems` needs no scikit-learn call.

    Parameters
    ----------
    C : float
        Inverse regularisation strength.
    min_df : int
        Stems in fewer training bodies are dropped.
    class_weight : str or None
        Passed to :class:`~sklearn.linear_model.LogisticRegression`.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    weights_ : dict of str to tuple of (float, float)
        The idf and the coefficient of every known stem.
    intercept_ : float
    """

    def __init__(self, *, C: float = 10.0, min_df: int = 2, class_weight: str | None = "balanced"):
        self.C = C
        self.min_df = min_df
        self.class_weight = class_weight

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[int]) -> BodyWordingClassifier:
        X = _check_stems(X)
        y = np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} bodies but y has {len(y)} labels")
        vec = TfidfVectorizer(
            analyzer=_identity, sublinear_tf=True, min_df=self.min_df, norm="l2", dtype=np.float64
        )
        matrix = vec.fit_transform(X)
        clf = LogisticRegression(C=self.C, max_iter=5000, class_weight=self.class_weight)
        clf.fit(matrix, y)
        self.classes_ = clf.classes_
        self.weights_ = {
            str(n): (float(i), float(c))
            for n, i, c in zip(vec.get_feature_names_out(), vec.idf_, clf.coef_[0], strict=True)
        }
        self.intercept_ = float(clf.intercept_[0])
        return self

    def decision_from_stems(self, stems: Sequence[str]) -> float:
        """The log-odds for one body given as its stems (the same as the fitted pipeline's)."""
        dot = norm = 0.0
        weights = self.weights_
        for stem, count in Counter(stems).items():
            known = weights.get(stem)
            if known is None:
                continue
            value = (1.0 + math.log(count)) * known[0]
            norm += value * value
            dot += value * known[1]
        return self.intercept_ + (dot / math.sqrt(norm) if norm else 0.0)

    def decision_function(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        check_is_fitted(self, "weights_")
        return np.array([self.decision_from_stems(s) for s in _check_stems(X)])

    def predict_proba(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


def _check_stems(X: Any) -> list[Sequence[str]]:
    if isinstance(X, str):
        raise ValueError("X must be a list of stem sequences, not a single string")
    X = list(X)
    for i, x in enumerate(X):
        if isinstance(x, str) or not all(isinstance(s, str) for s in x):
            raise ValueError(f"X[{i}] must be a sequence of stems (strings), one body per item")
    return X
