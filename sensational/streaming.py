"""Out-of-core versions of the headline-style and body-wording models.

The in-memory models build a vocabulary and fit a logistic regression on the whole matrix, so
their memory grows with the corpus. These keep a fixed-size state instead: terms are hashed
into ``n_features`` columns (:class:`~sklearn.feature_extraction.text.HashingVectorizer`),
document frequencies are counted in one pass over the data, and a logistic-loss
:class:`~sklearn.linear_model.SGDClassifier` learns from one chunk at a time
(``partial_fit``) over ``epochs`` further passes. Memory is a few arrays of ``n_features``
plus one chunk, whatever the number of rows.

The features are the in-memory models' own: sublinear TF-IDF, L2-normalised per block, the
headline read through :func:`~sensational.models.fold_headline`, the body as its stems.
``C`` means what it means there: the L2 penalty is ``1 / (C * n_rows)`` per row.

Data come as a *stream factory*: a function that returns a fresh iterable of ``(texts,
labels)`` chunks each time it is called, one call per pass (``training.outofcore`` makes them
from files of any size). Rows should not come sorted by label: a gradient step sees one
chunk, and chunks of one class teach it little (the feeders shuffle within a buffer).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.utils import murmurhash3_32
from sklearn.utils.validation import check_is_fitted

from sensational.body import BodyWordingClassifier, _check_stems, _identity
from sensational.models import _WORD_TOKENS, fold_headline

Chunk = tuple[Sequence[Any], Sequence[int]]
StreamFactory = Callable[[], Iterable[Chunk]]

OUT_OF_CORE_DEFAULTS: dict[str, Any] = {
    "enabled": False,
    "n_features": 2**20,
    "epochs": 5,
    "chunk_rows": 5000,
    # Headline model: rows whose text hashes into this share are kept out of the gradient
    # steps and fit the sigmoid calibration instead (at most calibration_rows of them).
    "calibration_share": 0.1,
    "calibration_rows": 100_000,
}


def in_memory_chunks(X: Sequence[Any], y: Sequence[int], rows: int, seed: int) -> StreamFactory:
    """A stream factory over in-memory data, shuffled once (the same order every pass)."""
    order = np.random.default_rng(seed).permutation(len(X))
    y = np.asarray(y)

    def stream() -> Iterable[Chunk]:
        for start in range(0, len(order), rows):
            idx = order[start : start + rows]
            yield [X[i] for i in idx], y[idx]

    return stream


def _hash_index(term: str, n_features: int) -> int:
    """The column HashingVectorizer(alternate_sign=False) gives ``term``."""
    h = murmurhash3_32(term, seed=0)
    return (2147483647 - (n_features - 1)) % n_features if h == -(2**31) else abs(h) % n_features


class _HashedTfidf:
    """Fixed-size TF-IDF blocks: hashing vectorisers plus document frequencies."""

    def __init__(self, vectorizers: list[HashingVectorizer]) -> None:
        self.vectorizers = vectorizers
        self.n_features = vectorizers[0].n_features
        self.df = [np.zeros(self.n_features, dtype=np.int64) for _ in vectorizers]
        self.n_docs = 0
        self.idf: list[np.ndarray] = []
        self._analyzers: list[Callable[[Any], list[str]]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_analyzers"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._analyzers = None

    def count(self, texts: Sequence[Any]) -> None:
        for vec, df in zip(self.vectorizers, self.df, strict=True):
            df += np.diff(vec.transform(texts).tocsc().indptr)
        self.n_docs += len(texts)

    def finish(self, min_df: int) -> None:
        # sklearn's smooth idf; a column seen in fewer than min_df documents weighs nothing.
        for df in self.df:
            idf = np.log((1 + self.n_docs) / (1 + df)) + 1.0
            idf[df < min_df] = 0.0
            self.idf.append(idf.astype(np.float32))
        self.df = []

    def transform(self, texts: Sequence[Any]) -> sparse.csr_matrix:
        blocks = []
        for vec, idf in zip(self.vectorizers, self.idf, strict=True):
            m = vec.transform(texts).tocsr().astype(np.float64)
            m.data = (1.0 + np.log(m.data)) * idf[m.indices]
            norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            blocks.append(sparse.diags(1.0 / norms) @ m)
        return sparse.hstack(blocks, format="csr")

    def decision_one(self, text: Any, coef: np.ndarray, intercept: float) -> float:
        """``transform([text]) @ coef + intercept`` without building a matrix (one request)."""
        if self._analyzers is None:
            self._analyzers = [vec.build_analyzer() for vec in self.vectorizers]
        total = intercept
        n = self.n_features
        for b, (analyze, idf) in enumerate(zip(self._analyzers, self.idf, strict=True)):
            offset = b * n
            dot = norm = 0.0
            for j, count in Counter(_hash_index(t, n) for t in analyze(text)).items():
                value = (1.0 + math.log(count)) * float(idf[j])
                norm += value * value
                dot += value * float(coef[offset + j])
            if norm > 0:
                total += dot / math.sqrt(norm)
        return total


def _sgd(C: float, n_rows: int, seed: int) -> SGDClassifier:
    return SGDClassifier(
        loss="log_loss", penalty="l2", alpha=1.0 / (C * max(n_rows, 1)), random_state=seed
    )


class HashedHeadlineClassifier(ClassifierMixin, BaseEstimator):
    """The headline-style model, out of core: hashed word and character n-gram TF-IDF, an
    incrementally fitted logistic regression, sigmoid-calibrated on held-back rows.

    Parameters
    ----------
    C : float
        Inverse regularisation strength, per row as in the in-memory model.
    word_ngram_max, char_ngram_min, char_ngram_max, min_df : int
        As in :func:`sensational.models.build_headline_model`.
    n_features : int
        Hashed columns per block (words, characters).
    epochs : int
        Passes of ``partial_fit`` over the data (after the counting pass).
    chunk_rows : int
        Rows per chunk when ``fit`` is given in-memory data.
    calibration_share, calibration_rows
        Share of rows (by a hash of the text) held back to fit the calibration, and a cap.
    random_state : int

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    coef_ : ndarray of shape (2 * n_features,)
    intercept_ : float
    calibration_ : tuple of (float, float)
        ``a, b`` of ``p = 1 / (1 + exp(-(a * decision + b)))``.
    n_rows_ : int
        Rows seen in the counting pass.
    """

    def __init__(
        self,
        *,
        C: float = 10.0,
        word_ngram_max: int = 2,
        char_ngram_min: int = 2,
        char_ngram_max: int = 5,
        min_df: int = 2,
        n_features: int = 2**20,
        epochs: int = 5,
        chunk_rows: int = 5000,
        calibration_share: float = 0.1,
        calibration_rows: int = 100_000,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.word_ngram_max = word_ngram_max
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.min_df = min_df
        self.n_features = n_features
        self.epochs = epochs
        self.chunk_rows = chunk_rows
        self.calibration_share = calibration_share
        self.calibration_rows = calibration_rows
        self.random_state = random_state

    def _vectorizers(self) -> list[HashingVectorizer]:
        common = {"n_features": self.n_features, "alternate_sign": False, "norm": None}
        return [
            HashingVectorizer(
                preprocessor=fold_headline,
                token_pattern=_WORD_TOKENS,
                ngram_range=(1, self.word_ngram_max),
                **common,
            ),
            HashingVectorizer(
                preprocessor=fold_headline,
                lowercase=False,
                analyzer="char_wb",
                ngram_range=(self.char_ngram_min, self.char_ngram_max),
                **common,
            ),
        ]

    def _held_back(self, texts: Sequence[str]) -> np.ndarray:
        cut = int(self.calibration_share * 10_000)
        return np.array([zlib.crc32(t.encode("utf-8")) % 10_000 < cut for t in texts], dtype=bool)

    def fit(self, X: Sequence[str], y: Sequence[int]) -> HashedHeadlineClassifier:
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} headlines but y has {len(y)} labels")
        return self.fit_stream(in_memory_chunks(X, y, self.chunk_rows, self.random_state))

    def fit_stream(self, stream: StreamFactory) -> HashedHeadlineClassifier:
        """Fit from a stream factory of ``(headlines, labels)`` chunks (one call per pass)."""
        tfidf = _HashedTfidf(self._vectorizers())
        seen: Counter[int] = Counter()
        for texts, labels in stream():
            tfidf.count(texts)
            seen.update(int(v) for v in labels)
        if set(seen) != {0, 1}:
            raise ValueError(f"the headline model needs labels 0 and 1, got {sorted(seen)}")
        tfidf.finish(self.min_df)
        sgd = _sgd(self.C, tfidf.n_docs, self.random_state)
        for _ in range(self.epochs):
            for texts, labels in stream():
                keep = ~self._held_back(texts)
                if keep.any():
                    rows = [t for t, k in zip(texts, keep, strict=True) if k]
                    sgd.partial_fit(tfidf.transform(rows), np.asarray(labels)[keep], [0, 1])
        self.tfidf_ = tfidf
        self.classes_ = np.array([0, 1])
        self.coef_ = sgd.coef_[0].astype(np.float32)
        self.intercept_ = float(sgd.intercept_[0])
        self.n_rows_ = tfidf.n_docs
        self.calibration_ = self._fit_calibration(stream)
        return self

    def _fit_calibration(self, stream: StreamFactory) -> tuple[float, float]:
        scores: list[float] = []
        ys: list[int] = []
        for texts, labels in stream():
            held = self._held_back(texts)
            if held.any():
                rows = [t for t, h in zip(texts, held, strict=True) if h]
                scores += self._decisions(rows).tolist()
                ys += np.asarray(labels)[held].tolist()
            if len(scores) >= self.calibration_rows:
                break
        if len(set(ys)) < 2:  # too few rows held back: the learner's own probabilities
            return 1.0, 0.0
        platt = LogisticRegression(C=1e6).fit(np.array(scores)[:, None], ys)
        return float(platt.coef_[0, 0]), float(platt.intercept_[0])

    def _decisions(self, X: Sequence[str]) -> np.ndarray:
        return self.tfidf_.transform(X) @ self.coef_ + self.intercept_

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        """Calibrated log-odds of the positive class."""
        check_is_fitted(self, "coef_")
        if isinstance(X, str):
            raise ValueError("X must be a list of headlines, not a single string")
        a, b = self.calibration_
        if len(X) == 1:  # one request: no matrix, no scikit-learn dispatch
            d = self.tfidf_.decision_one(X[0], self.coef_, self.intercept_)
            return np.array([a * d + b])
        return a * self._decisions(X) + b

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-np.clip(self.decision_function(X), -700, 700)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class HashedBodyWordingClassifier(BodyWordingClassifier):
    """The body-wording model, out of core: hashed stem TF-IDF and an incrementally fitted
    logistic regression. ``X`` is a list of stem sequences, as for the in-memory model, and
    :meth:`decision_from_stems` answers one body without a scikit-learn call.

    Parameters
    ----------
    C, min_df, class_weight
        As in :class:`~sensational.body.BodyWordingClassifier` (``"balanced"`` weighs rows by
        the class counts of the counting pass).
    n_features, epochs, chunk_rows, random_state
        As in :class:`HashedHeadlineClassifier`.
    """

    def __init__(
        self,
        *,
        C: float = 10.0,
        min_df: int = 2,
        class_weight: str | None = "balanced",
        n_features: int = 2**20,
        epochs: int = 5,
        chunk_rows: int = 5000,
        random_state: int = 0,
    ) -> None:
        super().__init__(C=C, min_df=min_df, class_weight=class_weight)
        self.n_features = n_features
        self.epochs = epochs
        self.chunk_rows = chunk_rows
        self.random_state = random_state

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[int]) -> HashedBodyWordingClassifier:
        X = _check_stems(X)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} bodies but y has {len(y)} labels")
        return self.fit_stream(in_memory_chunks(X, y, self.chunk_rows, self.random_state))

    def fit_stream(self, stream: StreamFactory) -> HashedBodyWordingClassifier:
        """Fit from a stream factory of ``(stem sequences, labels)`` chunks."""
        vec = HashingVectorizer(
            analyzer=_identity, n_features=self.n_features, alternate_sign=False, norm=None
        )
        tfidf = _HashedTfidf([vec])
        seen: Counter[int] = Counter()
        for stems, labels in stream():
            tfidf.count(stems)
            seen.update(int(v) for v in labels)
        if set(seen) != {0, 1}:
            raise ValueError(f"the body-wording model needs labels 0 and 1, got {sorted(seen)}")
        tfidf.finish(self.min_df)
        weight = dict.fromkeys((0, 1), 1.0)
        if self.class_weight == "balanced":
            weight = {c: tfidf.n_docs / (2.0 * seen[c]) for c in (0, 1)}
        sgd = _sgd(self.C, tfidf.n_docs, self.random_state)
        for _ in range(self.epochs):
            for stems, labels in stream():
                labels = np.asarray(labels)
                w = np.where(labels == 1, weight[1], weight[0])
                sgd.partial_fit(tfidf.transform(stems), labels, [0, 1], sample_weight=w)
        self.tfidf_ = tfidf
        self.classes_ = np.array([0, 1])
        self.coef_ = sgd.coef_[0].astype(np.float32)
        self.intercept_ = float(sgd.intercept_[0])
        self.weights_ = {}  # the in-memory model's stem table; hashed columns replace it
        return self

    def decision_from_stems(self, stems: Sequence[str]) -> float:
        return self.tfidf_.decision_one(stems, self.coef_, self.intercept_)
