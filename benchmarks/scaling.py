"""How scoring cost grows with the body length: it should be linear, never worse."""

from __future__ import annotations

import time
from typing import Any

from benchmarks.article import make_body, make_headline, word_count
from benchmarks.stats import median

SIZES = (100, 1_000, 10_000, 50_000)


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares ``y = intercept + slope * x``; returns ``(intercept, slope)``."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("need two or more (x, y) pairs of equal length")
    mx = sum(xs) / len(xs)
    my = sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("all x values are equal: no line through them")
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return my - slope * mx, slope


def measure_scaling(
    scorer: Any, *, sizes: tuple[int, ...] = SIZES, runs: int = 3, budget_s: float = 1.0
) -> dict[str, Any]:
    """Median latency per body length; each size gets about ``budget_s`` seconds per run."""
    headline = make_headline()
    rows = []
    for n in sizes:
        body = make_body(n)
        start = time.perf_counter()
        scorer.score(headline, body)  # warm-up, and the estimate of how many calls fit
        first = time.perf_counter() - start
        calls = max(2, min(500, int(budget_s / max(first, 1e-6))))
        run_medians = []
        for _ in range(runs):
            samples = []
            for _ in range(calls):
                start = time.perf_counter()
                scorer.score(headline, body)
                samples.append(time.perf_counter() - start)
            run_medians.append(median(samples))
        words = word_count(body)
        ms = median(run_medians) * 1e3
        rows.append({"words": words, "calls": calls, "p50_ms": ms, "us_per_word": ms * 1e3 / words})
    intercept, slope = fit_line([r["words"] for r in rows], [r["p50_ms"] for r in rows])
    return {
        "rows": rows,
        "fixed_ms": intercept,
        "us_per_word_fit": slope * 1e3,
        "marginal_ratio": marginal_ratio(rows),
    }


def marginal_ratio(rows: list[dict[str, Any]]) -> float:
    """Marginal cost per word over the two longest bodies, over that of the pair before.

    Fixed costs make short bodies dearer per word, so the plain per-word cost falls with
    length even when growth is quadratic; the marginal cost does not. About 1 means linear,
    well above 1 means worse than linear. NaN with fewer than three sizes.
    """
    if len(rows) < 3:
        return float("nan")
    a, b, c = rows[-3], rows[-2], rows[-1]
    low = (b["p50_ms"] - a["p50_ms"]) / (b["words"] - a["words"])
    high = (c["p50_ms"] - b["p50_ms"]) / (c["words"] - b["words"])
    return high / low if low > 0 else float("nan")
