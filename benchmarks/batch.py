"""Batch scoring on Dask, measured: throughput per core, speed-up with workers, memory, growth.

Articles are synthesised by :mod:`benchmarks.article` (a 600-word article per seed, each one
different), written as JSONL and scored by ``training.batch.score_files`` in a fresh process,
so each run pays what a user's run pays and its client memory is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.article import make_article
from benchmarks.stats import median

REPO_ROOT = Path(__file__).resolve().parent.parent

_RUN = """
import json, resource, sys
from training.batch import score_files
from dataclasses import asdict
report = score_files(sys.argv[1], sys.argv[2], model=sys.argv[3], workers=int(sys.argv[4]),
                     partition_rows=int(sys.argv[5]), progress=False)
out = asdict(report)
out["client_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6
sys.stdout.write(json.dumps(out))
"""


def write_articles(path: Path, n: int, *, words: int = 600, offset: int = 0) -> int:
    """Write ``n`` distinct synthetic articles as JSONL; return the file's size in bytes."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(offset, offset + n):
            headline, body = make_article(words, seed=i)
            fh.write(json.dumps({"id": f"a{i}", "headline": headline, "body": body}) + "\n")
    return path.stat().st_size


def run_batch(
    input_path: Path, model: Path, workers: int, *, partition_rows: int, tmp: Path
) -> dict[str, Any]:
    """One ``score_files`` run in a new process; its report plus the client's peak memory."""
    out = Path(tempfile.mkdtemp(prefix="out-", dir=tmp))
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(input_path), str(out / "scores.parquet"), str(model)]
        + [str(workers), str(partition_rows)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"batch scoring failed: {done.stderr.strip()[-2000:]}")
    report = json.loads(done.stdout)
    if report["bad_rows"]:
        raise RuntimeError(f"{report['bad_rows']} rows failed: {report['bad_by_code']}")
    report["articles_per_second"] = report["rows"] / report["scoring_seconds"]
    report["articles_per_cpu_second"] = report["rows"] / sum(report["worker_cpu_seconds"])
    return report


def measure_batch(
    model: Path,
    *,
    speedup_articles: int = 10_000,
    growth_articles: int = 100_000,
    rounds: int = 3,
    partition_rows: int = 500,
    max_workers: int = 2,
) -> dict[str, Any]:
    """1 vs ``max_workers`` workers on ``speedup_articles`` (``rounds`` times, alternating),
    then ``growth_articles`` on ``max_workers``: the cost per article as the input grows."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as name:
        tmp = Path(name)
        small = tmp / "small.jsonl"
        small_bytes = write_articles(small, speedup_articles)
        runs: dict[int, list[dict[str, Any]]] = {1: [], max_workers: []}
        for _ in range(rounds):
            for workers in runs:
                runs[workers].append(
                    run_batch(small, model, workers, partition_rows=partition_rows, tmp=tmp)
                )
        by_workers = {w: _summary(rs) for w, rs in runs.items()}
        one, many = by_workers[1], by_workers[max_workers]
        large = tmp / "large.jsonl"
        large_bytes = write_articles(large, growth_articles)
        grown = run_batch(large, model, max_workers, partition_rows=partition_rows, tmp=tmp)
        small_at_max = many
    return {
        "articles": "synthetic: benchmarks/article.py make_article(600, seed=i), i = 0..n-1",
        "speedup_articles": speedup_articles,
        "speedup_input_mb": small_bytes / 1e6,
        "rounds": rounds,
        "partition_rows": partition_rows,
        "load_average_after": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "by_workers": {str(w): s for w, s in by_workers.items()},
        "speedup": many["articles_per_second"] / one["articles_per_second"],
        "speedup_best": many["best_articles_per_second"] / one["best_articles_per_second"],
        "per_core_articles_per_second": one["articles_per_second"],
        "per_cpu_second": median(
            [r["articles_per_cpu_second"] for rs in runs.values() for r in rs]
        ),
        "growth": {
            "workers": max_workers,
            "small": {
                "articles": speedup_articles,
                "input_mb": small_bytes / 1e6,
                "articles_per_second": small_at_max["articles_per_second"],
                "worker_peak_rss_mb": small_at_max["worker_peak_rss_mb"],
                "client_peak_rss_mb": small_at_max["client_peak_rss_mb"],
            },
            "large": {
                "articles": growth_articles,
                "input_mb": large_bytes / 1e6,
                "articles_per_second": grown["articles_per_second"],
                "scoring_seconds": grown["scoring_seconds"],
                "worker_peak_rss_mb": max(grown["worker_peak_rss_mb"]),
                "client_peak_rss_mb": grown["client_peak_rss_mb"],
                "articles_per_cpu_second": grown["articles_per_cpu_second"],
            },
            "cost_per_article_ratio": small_at_max["articles_per_second"]
            / grown["articles_per_second"],
        },
    }


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "runs": len(runs),
        "articles_per_second": median([r["articles_per_second"] for r in runs]),
        "best_articles_per_second": max(r["articles_per_second"] for r in runs),
        "all_articles_per_second": [round(r["articles_per_second"], 1) for r in runs],
        "scoring_seconds": median([r["scoring_seconds"] for r in runs]),
        "startup_seconds": median([r["startup_seconds"] for r in runs]),
        "worker_rss_mb": max(max(r["worker_rss_mb"]) for r in runs),
        "worker_peak_rss_mb": max(max(r["worker_peak_rss_mb"]) for r in runs),
        "client_peak_rss_mb": max(r["client_peak_rss_mb"] for r in runs),
        "articles_per_cpu_second": median([r["articles_per_cpu_second"] for r in runs]),
    }
