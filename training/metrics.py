"""Every evaluation formula of the project, in one place.

Binary metrics of a score against labels, expected calibration error on the bins of
scikit-learn's ``calibration_curve``, character-range merging and the SemEval-2020 Task 11
partial-overlap credit of predicted spans, precision/recall/F1 from counts, and a paired
bootstrap of the difference between two models. Imported by training, evaluation and the
benchmarks; it imports nothing of theirs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    roc_auc_score,
)

ECE_BINS = 10
THRESHOLD = 0.5
# Metrics where a larger value is better; the others (brier, ece, mse) are errors.
HIGHER_IS_BETTER = frozenset(
    {"roc_auc", "pr_auc", "accuracy", "f1", "macro_f1", "precision", "recall"}
)
LOWER_IS_BETTER = frozenset({"brier", "ece", "mse"})

Range = tuple[int, int]


# ---------------------------------------------------------------------------------------------
# Scores against labels


def reliability(
    labels: Sequence[float] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    n_bins: int = ECE_BINS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean label, mean score and row count of each non-empty probability bin.

    The bins are those of ``sklearn.calibration.calibration_curve(strategy="uniform")``:
    ``n_bins`` equal-width bins, a score on an inner edge falling in the lower bin. For 0/1
    labels the first two arrays equal that function's ``prob_true`` and ``prob_pred``; graded
    labels (which it refuses) give the mean grade per bin.
    """
    y = np.asarray(labels, dtype=float)
    p = np.asarray(scores, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(edges[1:-1], p)
    total = np.bincount(ids, minlength=n_bins)
    sum_y = np.bincount(ids, weights=y, minlength=n_bins)
    sum_p = np.bincount(ids, weights=p, minlength=n_bins)
    keep = total > 0
    return sum_y[keep] / total[keep], sum_p[keep] / total[keep], total[keep]


def expected_calibration_error(
    labels: Sequence[float] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    n_bins: int = ECE_BINS,
) -> float:
    """ECE: the row-weighted mean of |mean label - mean score| over the bins of
    :func:`reliability`."""
    mean_y, mean_p, count = reliability(labels, scores, n_bins)
    if not count.sum():
        return math.nan
    return float(np.sum(count * np.abs(mean_y - mean_p)) / count.sum())


def _classes(grades: np.ndarray) -> np.ndarray:
    return (grades >= THRESHOLD).astype(int)


def _both_classes(grades: np.ndarray) -> bool:
    y = _classes(grades)
    return bool(y.size) and 0 < int(y.sum()) < y.size


def _roc_auc(grades: np.ndarray, p: np.ndarray) -> float:
    return float(roc_auc_score(_classes(grades), p)) if _both_classes(grades) else math.nan


def _pr_auc(grades: np.ndarray, p: np.ndarray) -> float:
    return (
        float(average_precision_score(_classes(grades), p)) if _both_classes(grades) else math.nan
    )


def _ece(grades: np.ndarray, p: np.ndarray) -> float:
    graded = bool(np.any((grades > 0.0) & (grades < 1.0)))
    return expected_calibration_error(grades if graded else _classes(grades), p)


# Each metric of a score against labels in [0, 1], as ``f(labels, scores)``: the class is
# ``label >= 0.5`` and the decision threshold 0.5.
SCORE_METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "roc_auc": _roc_auc,
    "pr_auc": _pr_auc,
    "accuracy": lambda g, p: float(accuracy_score(_classes(g), p >= THRESHOLD)),
    "f1": lambda g, p: float(f1_score(_classes(g), p >= THRESHOLD, zero_division=0)),
    "macro_f1": lambda g, p: float(
        f1_score(_classes(g), p >= THRESHOLD, average="macro", zero_division=0)
    ),
    "brier": lambda g, p: float(brier_score_loss(_classes(g), p)),
    "ece": _ece,
    "mse": lambda g, p: float(np.mean((g - p) ** 2)),
}


def binary_metrics(
    labels: Sequence[float] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    *,
    digits: int | None = 4,
) -> dict[str, Any]:
    """Every reported figure of one set of scores against labels in [0, 1].

    The class is ``label >= 0.5`` and the decision threshold 0.5. ROC-AUC and PR-AUC are NaN
    when only one class is present; ECE uses the labels as given (graded labels: the mean
    grade per bin), and MSE is added when any label is graded.

    Raises
    ------
    ValueError
        When the two arrays differ in length or are empty.
    """
    grades = np.asarray(labels, dtype=float)
    p = np.asarray(scores, dtype=float)
    if grades.shape != p.shape or grades.ndim != 1 or grades.size == 0:
        raise ValueError(f"need equal, non-empty labels and scores, got {grades.shape}, {p.shape}")
    graded = bool(np.any((grades > 0.0) & (grades < 1.0)))
    out: dict[str, Any] = {"n": int(grades.size), "positives": int(_classes(grades).sum())}
    for name, fn in SCORE_METRICS.items():
        if name != "mse" or graded:
            out[name] = fn(grades, p)
    return rounded(out, digits)


def rounded(values: dict[str, Any], digits: int | None) -> dict[str, Any]:
    """Round the float values (NaN kept) to ``digits``; ``None`` leaves them as they are."""
    if digits is None:
        return values
    return {
        k: round(v, digits) if isinstance(v, float) and not math.isnan(v) else v
        for k, v in values.items()
    }


def prf(
    matched_predicted: float, n_predicted: float, matched_gold: float, n_gold: float
) -> dict[str, float]:
    """Precision, recall and F1 from (fractional) match counts; 0 where nothing was counted."""
    p = matched_predicted / n_predicted if n_predicted else 0.0
    r = matched_gold / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1}


# ---------------------------------------------------------------------------------------------
# Character ranges and SemEval-2020 Task 11 span scoring


def merge_ranges(ranges: Iterable[Range]) -> list[Range]:
    """Sort and merge overlapping or touching ``(start, end)`` ranges; empty ones are dropped."""
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True, slots=True)
class SpanCredit:
    """Partial-overlap credit of one document (SemEval-2020 Task 11, span identification).

    Each predicted span earns the share of its characters inside gold spans (``p_credit``),
    each gold span the share of its characters that were predicted (``r_credit``); both
    lists are merged first, so overlapping spans are not counted twice.
    """

    p_credit: float
    n_pred: int
    r_credit: float
    n_gold: int

    @classmethod
    def of(cls, predicted: Iterable[Range], gold: Iterable[Range]) -> SpanCredit:
        pred, ref = merge_ranges(predicted), merge_ranges(gold)
        p_credit = r_credit = 0.0
        for ps, pe in pred:
            for gs, ge in ref:
                inter = min(pe, ge) - max(ps, gs)
                if inter > 0:
                    p_credit += inter / (pe - ps)
                    r_credit += inter / (ge - gs)
        return cls(p_credit, len(pred), r_credit, len(ref))

    def as_row(self) -> list[float]:
        return [self.p_credit, self.n_pred, self.r_credit, self.n_gold]


def span_prf(credits: Iterable[SpanCredit] | np.ndarray) -> dict[str, float]:
    """Micro precision, recall and F1 over documents (rows of ``SpanCredit.as_row``)."""
    rows = np.asarray(
        [c.as_row() for c in credits] if not isinstance(credits, np.ndarray) else credits,
        dtype=float,
    ).reshape(-1, 4)
    p_credit, n_pred, r_credit, n_gold = rows.sum(axis=0)
    return prf(p_credit, n_pred, r_credit, n_gold)


def character_overlap(predicted: Iterable[Range], gold: Iterable[Range]) -> tuple[int, int, int]:
    """Characters in both, predicted, gold: the character-level counts of one document."""
    pred = {i for s, e in merge_ranges(predicted) for i in range(s, e)}
    ref = {i for s, e in merge_ranges(gold) for i in range(s, e)}
    return len(pred & ref), len(pred), len(ref)


# ---------------------------------------------------------------------------------------------
# Paired bootstrap


def bootstrap_indices(n_units: int, resamples: int, seed: int = 0) -> np.ndarray:
    """``resamples`` rows of ``n_units`` indices drawn with replacement (seeded, so the same
    evaluation gives the same interval on any machine)."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_units, size=(resamples, n_units))


def paired_difference_ci(
    statistic: Callable[[Any, np.ndarray], float],
    challenger: Any,
    champion: Any,
    indices: np.ndarray,
    *,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile interval of ``statistic(challenger) - statistic(champion)`` over resamples.

    Both models are measured on the same resampled units (rows or documents) in every
    resample, so the interval is that of the paired difference. Resamples where the
    statistic is undefined (one class drawn) are left out.
    """
    diffs = np.array(
        [statistic(challenger, idx) - statistic(champion, idx) for idx in indices], dtype=float
    )
    diffs = diffs[~np.isnan(diffs)]
    if not diffs.size:
        return math.nan, math.nan
    tail = (1.0 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return float(low), float(high)


def metric_ci(
    statistic: Callable[[Any, np.ndarray], float],
    data: Any,
    indices: np.ndarray,
    *,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile interval of one model's metric over the same resamples."""
    values = np.array([statistic(data, idx) for idx in indices], dtype=float)
    values = values[~np.isnan(values)]
    if not values.size:
        return math.nan, math.nan
    tail = (1.0 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)
