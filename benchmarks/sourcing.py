"""Speed of the sourcing path alone: ``SourcingAnalyzer.analyze`` on the 600-word article.

``python -m benchmarks.sourcing`` prints the figures as JSON: p50 and p99 of the wall time per
call (medians over runs), and the fastest call, which is the figure least disturbed by other
processes on a shared machine. The analyser is called as the scorer calls it, with the
body's boilerplate ranges.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from benchmarks.article import make_article, word_count
from benchmarks.stats import median, summarize
from sensational.sourcing import SourcingAnalyzer
from sensational.text import find_boilerplate


def measure_sourcing(
    analyzer: SourcingAnalyzer,
    *,
    words: int = 600,
    seeds: Sequence[int] = (0, 1, 2),
    runs: int = 5,
    calls: int = 200,
    warmup: int = 30,
) -> dict[str, Any]:
    """Latency of ``analyzer.analyze`` on the benchmark articles of ``seeds``."""
    if runs <= 0 or calls <= 0:
        raise ValueError(f"runs and calls must be positive, got {runs} and {calls}")
    articles = []
    for seed in seeds:
        headline, body = make_article(words, seed=seed)
        articles.append((headline, body, find_boilerplate(body)))
    for headline, body, skip in articles:
        for _ in range(warmup):
            analyzer.analyze(headline, body, skip)
    p50s, p99s, fastest = [], [], float("inf")
    clock = time.perf_counter
    for _ in range(runs):
        samples = []
        for headline, body, skip in articles:
            for _ in range(calls // len(articles) or 1):
                start = clock()
                analyzer.analyze(headline, body, skip)
                samples.append(clock() - start)
        run = summarize(samples)
        p50s.append(run["p50"])
        p99s.append(run["p99"])
        fastest = min(fastest, run["min"])
    return {
        "words": word_count(articles[0][1]),
        "articles": len(articles),
        "runs": runs,
        "calls_per_run": len(articles) * (calls // len(articles) or 1),
        "p50_ms": round(median(p50s) * 1e3, 3),
        "p99_ms": round(median(p99s) * 1e3, 3),
        "fastest_ms": round(fastest * 1e3, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the sourcing path on a 600-word article.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args(argv)
    figures = measure_sourcing(SourcingAnalyzer(), runs=args.runs, calls=args.calls)
    json.dump(figures, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
