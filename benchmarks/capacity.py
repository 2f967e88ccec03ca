"""Cores needed for a volume, from measured figures; the answer cache's hit rate, simulated.

The hit rate is measured with the service's own :class:`service.answers.AnswerCache` (its
byte budget and eviction) on a day of extension requests: readers open articles drawn from a
daily pool with Zipf popularity, requests are spread round robin over the workers (each
worker has its own cache), and every entry costs what a real one does (the benchmark
article's texts and its rendered answer).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class ReaderAssumptions:
    """What a day of the browser extension looks like (stated, not measured)."""

    readers: int = 1_000_000
    articles_per_reader: int = 10  # news pages opened per reader per day, extension on
    distinct_articles: int = 100_000  # pages those readers open in a day, across all sites
    zipf_exponent: float = 1.0  # popularity: the k-th most read page gets ~1/k of the reads
    peak_to_mean: float = 3.0  # the busiest hour against the daily mean
    utilisation: float = 0.7  # CPU the autoscaler lets a pod reach before adding one


def simulate_hit_rate(
    *,
    requests: int,
    distinct: int,
    zipf_exponent: float,
    workers: int,
    cache_bytes: int,
    headline_chars: int,
    body_chars: int,
    answer: Any,
    seed: int = 0,
) -> float:
    """Share of requests answered from the workers' caches (round-robin routing)."""
    from service.answers import AnswerCache

    ranks = np.arange(1, distinct + 1, dtype=float)
    weights = ranks**-zipf_exponent
    rng = np.random.default_rng(seed)
    picks = rng.choice(distinct, size=requests, p=weights / weights.sum())
    caches = [AnswerCache(cache_bytes) for _ in range(workers)]
    body = "x" * body_chars  # one shared string: each key costs its length, not its memory
    pad = "h" * max(0, headline_chars - 8)
    hits = 0
    for i, article in enumerate(picks.tolist()):
        cache = caches[i % workers]
        key = (f"{article:08d}{pad}", body, False)
        if cache.get(key) is not None:
            hits += 1
        else:
            cache.put(key, answer)
    return hits / requests


def cores_for(rate_per_second: float, per_core: float, utilisation: float = 1.0) -> float:
    return rate_per_second / (per_core * utilisation)


def batch_table(
    per_core: float,
    per_cpu_second: float,
    volumes: tuple[int, ...] = (1_000_000, 100_000_000),
) -> list[dict[str, float]]:
    """Cores busy all day to score each daily volume: at the measured wall-clock rate of one
    worker (this shared machine) and at its rate per CPU-second (a core of its own)."""
    rows = []
    for per_day in volumes:
        core_hours = per_day / per_core / 3600
        rows.append(
            {
                "articles_per_day": per_day,
                "mean_articles_per_second": per_day / SECONDS_PER_DAY,
                "core_hours": core_hours,
                "cores_all_day": core_hours / 24,
                # Spread over an 8-hour nightly window instead of the whole day.
                "cores_in_8_hours": core_hours / 8,
                "cores_all_day_dedicated": per_day / per_cpu_second / SECONDS_PER_DAY,
            }
        )
    return rows


def reader_table(
    a: ReaderAssumptions,
    *,
    hit_rate: float,
    scored_per_core: float,
    cached_per_core: float,
) -> dict[str, Any]:
    """Cores for the extension's traffic: misses cost a scored request, hits a cached one."""
    requests = a.readers * a.articles_per_reader
    mean_rps = requests / SECONDS_PER_DAY
    peak_rps = mean_rps * a.peak_to_mean
    core_seconds = (1 - hit_rate) / scored_per_core + hit_rate / cached_per_core
    busy = peak_rps * core_seconds
    return {
        "assumptions": asdict(a),
        "requests_per_day": requests,
        "mean_requests_per_second": mean_rps,
        "peak_requests_per_second": peak_rps,
        "hit_rate": hit_rate,
        "core_ms_per_request": core_seconds * 1e3,
        "busy_cores_at_peak": busy,
        "cores_at_peak": math.ceil(busy / a.utilisation),
        "cores_without_cache": math.ceil(peak_rps / scored_per_core / a.utilisation),
    }
