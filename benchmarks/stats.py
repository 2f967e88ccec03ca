"""Percentiles and summaries of timing samples, in plain Python so the maths is testable."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) with linear interpolation between closest ranks.

    This is numpy's default ("linear") method: for n sorted values the rank is
    ``q / 100 * (n - 1)``, interpolated between its neighbours.
    """
    if not values:
        raise ValueError("percentile of an empty sample")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within [0, 100], got {q}")
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def summarize(samples: Sequence[float]) -> dict[str, float]:
    """p50, p99, mean, min and count of one run's samples."""
    if not samples:
        raise ValueError("cannot summarize an empty sample")
    return {
        "n": len(samples),
        "p50": percentile(samples, 50),
        "p99": percentile(samples, 99),
        "mean": sum(samples) / len(samples),
        "min": min(samples),
    }


def median_of_runs(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    """Key by key median over several runs' summaries (the figure the report shows)."""
    if not runs:
        raise ValueError("no runs to take the median of")
    keys = runs[0].keys()
    return {key: median([run[key] for run in runs]) for key in keys}
