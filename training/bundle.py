"""Fit every part of a scorer bundle from loaded training data, and measure it.

The CLI (``training.train``) reads, validates and splits the corpora; this module only fits
and evaluates, so tests and notebooks can call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from datasets.corpora import Example, SpanDoc
from sensational.models import HEADLINE_DEFAULTS, build_headline_model
from sensational.scorer import Scorer


@dataclass
class TrainingData:
    """Rows by what they can teach: headline-only rows, whole articles, span-annotated docs."""

    headlines: list[Example] = field(default_factory=list)
    articles: list[Example] = field(default_factory=list)
    span_docs: list[SpanDoc] = field(default_factory=list)


def default_params() -> dict[str, Any]:
    return {"headline": dict(HEADLINE_DEFAULTS)}


def fit_bundle(
    data: TrainingData,
    *,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    name: str = "sensational",
    version: str = "0.0.0",
    n_jobs: int | None = None,
) -> Scorer:
    """Fit the scorer on ``data`` (the training split only)."""
    p = {**default_params(), **(params or {})}
    headline_params = dict(p["headline"])
    if len(data.headlines) < 200:  # tiny sets: fewer calibration folds than classes allow otherwise
        headline_params["calibration_cv"] = 2
    model = build_headline_model(headline_params, random_state=seed, n_jobs=n_jobs)
    model.fit([r.headline for r in data.headlines], [int(r.label >= 0.5) for r in data.headlines])
    return Scorer(name=name, version=version, headline_model=model)


def evaluate_bundle(scorer: Scorer, held_out: TrainingData) -> dict[str, Any]:
    """Metrics of every part on held-out data, keyed by part (``headline``, ...)."""
    metrics: dict[str, Any] = {}
    if held_out.headlines:
        y = np.array([int(r.label >= 0.5) for r in held_out.headlines])
        proba = scorer.headline_model.predict_proba([r.headline for r in held_out.headlines])[:, 1]
        metrics["headline"] = binary_metrics(y, proba)
    return metrics


def binary_metrics(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    both = len(set(y.tolist())) == 2
    return {
        "n": int(len(y)),
        "accuracy": round(float(accuracy_score(y, proba >= 0.5)), 4),
        "f1": round(float(f1_score(y, proba >= 0.5, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(y, proba)), 4) if both else float("nan"),
    }
