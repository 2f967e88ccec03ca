"""Measure quality and speed and rewrite the benchmarks page.

``python -m benchmarks.run --model models/default --output docs/benchmarks.md`` (what
``make bench`` runs). Progress goes to stderr; ``--quick`` shortens every run for a smoke test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks import http, inprocess, memory, profiling, quality, report, scaling, training
from benchmarks.article import make_article, make_headline

log = logging.getLogger("benchmarks")

LIBRARIES = (
    "scikit-learn",
    "numpy",
    "scipy",
    "joblib",
    "nltk",
    "fastapi",
    "pydantic",
    "uvicorn",
    "uvloop",
    "httptools",
    "pyinstrument",
)


def cpu_model(cpuinfo: str) -> str:
    """The ``model name`` of a /proc/cpuinfo text (``unknown CPU`` when it has none)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            return value.strip()
    return "unknown CPU"


def environment() -> dict[str, Any]:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        info = ""
    libs = {}
    for name in LIBRARIES:
        try:
            libs[name] = version(name)
        except PackageNotFoundError:
            continue
    return {
        "cpu_model": cpu_model(info) if info else platform.processor() or "unknown CPU",
        "cpus": os.cpu_count() or 0,
        "usable_cpus": len(os.sched_getaffinity(0)),
        "load_average": " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)",
        "python": platform.python_version(),
        "libraries": libs,
    }


def step(name: str, fn: Callable[[], Any]) -> Any:
    """Run one measurement; a failure becomes ``{"skipped": ...}`` so the page still renders."""
    log.info("%s ...", name)
    started = time.perf_counter()
    try:
        result = fn()
    except Exception as exc:  # reported on the page, the run goes on
        log.warning("%s failed: %r", name, exc)
        result = {"skipped": f"failed: {exc!r}"}
    log.info("%s done in %.1f s", name, time.perf_counter() - started)
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--model", type=Path, default=Path("models/default"), help="bundle folder")
    parser.add_argument(
        "--output", type=Path, default=Path("docs/benchmarks.md"), help="page to write"
    )
    parser.add_argument("--corpora", type=Path, default=None, help="corpora root")
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke test")
    parser.add_argument("--skip-training", action="store_true", help="do not time training")
    parser.add_argument("--skip-http", action="store_true", help="do not start a server")
    parser.add_argument(
        "--no-wrk", action="store_true", help="use the Python load generator even if wrk exists"
    )
    parser.add_argument("--http-seconds", type=float, default=None, help="seconds per load run")
    parser.add_argument("--http-rounds", type=int, default=None, help="rounds of load runs")
    parser.add_argument("--http-connections", type=int, default=8, help="open connections")
    parser.add_argument(
        "--http-workers",
        default="1",
        help="comma-separated uvicorn worker counts to serve with; 1 is always included",
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace, command: str) -> dict[str, Any]:
    from datasets.corpora import corpora_root
    from sensational.artifact import load_bundle

    started = time.perf_counter()
    quick = args.quick
    results: dict[str, Any] = {
        "command": command,
        "started_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "environment": environment(),
        "options": "quick (short runs; figures are rough)" if quick else "full",
    }
    log.info("loading %s", args.model)
    load_started = time.perf_counter()
    scorer, card = load_bundle(args.model)
    results["model"] = {
        "name": card.get("name", scorer.name),
        "version": card.get("version", scorer.version),
        "sha256": card.get("artifact", {}).get("sha256", "n/a"),
        "path": str(args.model),
        "load_s": time.perf_counter() - load_started,
    }
    root = corpora_root(args.corpora)
    headline, body = make_article()

    results["quality"] = step("quality", lambda: quality.evaluate_quality(scorer, card, root))
    results["inprocess"] = step(
        "in-process latency",
        lambda: inprocess.measure_article(
            scorer,
            headline,
            body,
            runs=3 if quick else 5,
            calls=200 if quick else 1000,
            run_budget_s=1.0 if quick else 5.0,
        ),
    )
    results["framing"] = step(
        "framing path latency",
        lambda: inprocess.measure_framing(
            scorer, headline, body, runs=3 if quick else 5, calls=200 if quick else 1000
        ),
    )
    results["serialization"] = step(
        "response serialisation",
        lambda: inprocess.measure_serialization(
            scorer.score(headline, body), runs=3, calls=200 if quick else 2000
        ),
    )
    results["batch"] = step(
        "batch throughput",
        lambda: inprocess.measure_batch(scorer, size=16 if quick else 64, runs=2 if quick else 5),
    )
    results["scaling"] = step(
        "growth with body length",
        lambda: scaling.measure_scaling(
            scorer, runs=1 if quick else 3, budget_s=0.2 if quick else 1.0
        ),
    )
    results["profile"] = step(
        "profile",
        lambda: profiling.profile_scoring(
            scorer, headline, body, calls=200 if quick else 1000, budget_s=2.0 if quick else 8.0
        ),
    )
    headlines = [make_headline(seed=s) for s in range(20)] + _held_out_headlines(results)
    results["fast_path"] = step(
        "headline model paths",
        lambda: profiling.measure_headline_paths(scorer, headlines, calls=300 if quick else 2000),
    )
    results["memory"] = {
        "fresh_process": step(
            "memory of a scoring process", lambda: memory.fresh_process_rss(args.model)
        ),
        "artifact": step("artifact size", lambda: memory.artifact_size(args.model)),
    }
    if args.skip_http:
        results["http"] = {"skipped": "--skip-http was given"}
    else:
        # One worker is always served: the headline ratio is defined on it.
        workers = tuple(sorted({1, *(int(w) for w in args.http_workers.split(",") if w.strip())}))
        results["http"] = step(
            "HTTP load",
            lambda: http.measure_http(
                args.model,
                headline,
                body,
                duration_s=args.http_seconds or (2 if quick else 10),
                rounds=args.http_rounds or (1 if quick else 3),
                connections=args.http_connections,
                workers=workers,
                allow_wrk=not args.no_wrk,
            ),
        )
    if args.skip_training:
        results["training"] = {"skipped": "--skip-training was given"}
    else:
        results["training"] = step("training", training.measure_training)
    results["elapsed_s"] = time.perf_counter() - started
    return results


def _held_out_headlines(results: dict[str, Any]) -> list[str]:
    # Compare the direct path on real held-out headlines too, when the corpus is there.
    root = results.get("quality", {}).get("root")
    if not root:
        return []
    try:
        from datasets.adapters.chakraborty import read_chakraborty
        from datasets.corpora import holdout_bucket
    except ImportError:
        return []
    rows = (r.headline for r in read_chakraborty(Path(root)) if holdout_bucket(r.headline) == 0)
    return [h for _, h in zip(range(500), rows, strict=False)]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s bench %(message)s", datefmt="%H:%M:%S"
    )
    args = parse_args(argv)
    shown = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "-m", "benchmarks.run", *shown])
    from sensational.errors import ModelLoadError

    try:
        results = run(args, command)
    except ModelLoadError as exc:
        # Nothing can be measured without the model; the old page stays as it was.
        log.error("cannot benchmark %s: %s", args.model, exc)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report.render(results), "utf-8")
    for goal, measured, holds in report.goals(results):
        log.info("goal: %s: %s (holds: %s)", goal, measured, holds.strip("*"))
    log.info("wrote %s in %.0f s", args.output, results["elapsed_s"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
