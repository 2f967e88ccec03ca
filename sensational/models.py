"""The scikit-learn pipelines inside a scorer bundle."""

from __future__ import annotations

from typing import Any

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from sensational.text import normalize

HEADLINE_DEFAULTS: dict[str, Any] = {
    "C": 10.0,
    "word_ngram_max": 2,
    "char_ngram_min": 2,
    "char_ngram_max": 5,
    "min_df": 2,
    "calibration": "sigmoid",
    "calibration_cv": 3,
}

# Punctuation is kept as tokens: "?" and "!" are part of headline style.
_WORD_TOKENS = r"(?u)\b\w+\b|[^\w\s]"


def build_headline_model(
    params: dict[str, Any] | None = None, *, random_state: int = 0, n_jobs: int | None = None
) -> Pipeline:
    """Word and character n-gram TF-IDF, logistic regression, sigmoid-calibrated.

    Character n-grams stay case-sensitive on purpose: capitalisation is a strong cue of
    headline style, and the held-out accuracy drops without it.
    """
    p = {**HEADLINE_DEFAULTS, **(params or {})}
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=normalize_lower,
                    token_pattern=_WORD_TOKENS,
                    ngram_range=(1, int(p["word_ngram_max"])),
                    sublinear_tf=True,
                    dtype=_float32(),
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=normalize,
                    lowercase=False,
                    analyzer="char_wb",
                    ngram_range=(int(p["char_ngram_min"]), int(p["char_ngram_max"])),
                    min_df=int(p["min_df"]),
                    sublinear_tf=True,
                    dtype=_float32(),
                ),
            ),
        ]
    )
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=float(p["C"]), max_iter=3000, random_state=random_state),
        method=str(p["calibration"]),
        cv=int(p["calibration_cv"]),
        ensemble=False,
        n_jobs=n_jobs,
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def normalize_lower(text: str) -> str:
    return normalize(text).lower()


def _float32() -> Any:
    import numpy as np

    return np.float32
