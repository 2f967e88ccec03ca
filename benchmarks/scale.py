"""Measure batch scoring, the answer cache and the out-of-core learners; write docs/scaling.md.

``python -m benchmarks.scale --model models/default --output docs/scaling.md`` (``make bench``
runs it after ``benchmarks.run``). ``--quick`` shrinks every run for a smoke test; the
figures it writes are then rough and the page says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import batch, capacity, outofcore
from benchmarks.article import make_article
from benchmarks.report import fmt, table
from benchmarks.run import environment, step

log = logging.getLogger("benchmarks")
BENCHMARKS_PAGE = Path("docs/benchmarks.md")


def http_per_core(page: Path = BENCHMARKS_PAGE) -> tuple[float | None, float | None]:
    """Requests/s of one worker, every request scored and answered from the cache, as
    ``make bench`` last measured them (docs/benchmarks.md)."""
    scored = cached = None
    try:
        text = page.read_text("utf-8")
    except OSError:
        return None, None
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 3 or cells[1] != "POST /v1/score":
            continue
        value = float(cells[2].replace(",", ""))
        if cells[0] == "service, 1 worker":
            scored = value
        elif cells[0].startswith("service, 1 worker, answer cache on"):
            cached = value
    return scored, cached


def measure_cache(model: Path, assumptions: capacity.ReaderAssumptions, requests: int) -> dict:
    from sensational.artifact import load_bundle
    from service.answers import render

    scorer, _ = load_bundle(model)
    headline, body = make_article()
    answer = render(scorer.score(headline, body))
    out: dict[str, Any] = {"requests_simulated": requests, "answer_bytes": len(answer.json)}
    for mb, workers in ((64, 1), (64, 8), (256, 1)):
        out[f"{mb}mb_{workers}w"] = capacity.simulate_hit_rate(
            requests=requests,
            distinct=assumptions.distinct_articles,
            zipf_exponent=assumptions.zipf_exponent,
            workers=workers,
            cache_bytes=mb * 1_000_000,
            headline_chars=len(headline),
            body_chars=len(body),
            answer=answer,
        )
    return out


def run(args: argparse.Namespace, command: str) -> dict[str, Any]:
    from datasets.corpora import corpora_root

    started = time.perf_counter()
    quick = args.quick
    results: dict[str, Any] = {
        "command": command,
        "started_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "environment": environment(),
        "options": "quick (short runs; figures are rough)" if quick else "full",
    }
    results["batch"] = step(
        "batch scoring on Dask",
        lambda: batch.measure_batch(
            args.model,
            speedup_articles=1_000 if quick else args.speedup_articles,
            growth_articles=2_000 if quick else args.growth_articles,
            rounds=1 if quick else args.rounds,
            partition_rows=100 if quick else 500,
        ),
    )
    assumptions = capacity.ReaderAssumptions()
    results["cache"] = step(
        "answer cache hit rate",
        lambda: measure_cache(args.model, assumptions, 200_000 if quick else 2_000_000),
    )
    scored, cached = http_per_core()
    results["http"] = {"scored_per_worker": scored, "cached_per_worker": cached}
    per_core = (results["batch"] or {}).get("per_core_articles_per_second")
    if per_core:
        results["batch_capacity"] = capacity.batch_table(
            per_core, results["batch"]["per_cpu_second"]
        )
    hit = (results["cache"] or {}).get("64mb_1w")
    if hit is not None and scored and cached:
        results["readers"] = capacity.reader_table(
            assumptions, hit_rate=hit, scored_per_core=scored, cached_per_core=cached
        )
    root = corpora_root(args.corpora)
    if args.skip_outofcore or root is None:
        why = "--skip-outofcore was given" if args.skip_outofcore else "no corpora root"
        results["outofcore"] = {"skipped": why}
    else:
        results["outofcore"] = step(
            "out-of-core learners", lambda: outofcore.measure_out_of_core(root, copies=2)
        )
    results["environment"]["load_average_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    results["elapsed_s"] = time.perf_counter() - started
    return results


# ---------------------------------------------------------------------------------------------
# The page


def _n(value: Any, digits: int = 1) -> str:
    return fmt(value, digits)


def render(r: dict[str, Any]) -> str:
    env = r["environment"]
    lines = [
        "# Scaling",
        "",
        "This page is rewritten by `make bench` (`" + r["command"] + "`); edit"
        " `benchmarks/scale.py` instead. How the pieces scale out: batch scoring on Dask"
        " (`training/batch.py`), training out of core (`training/outofcore.py`), the service"
        " as stateless replicas (`deploy/`).",
        "",
        table(
            ["", ""],
            [
                ["date (UTC)", r["started_utc"]],
                ["CPU", f"{env['cpu_model']}, {env['cpus']} logical CPUs"],
                ["load average at start", env["load_average"]],
                ["load average at end", env.get("load_average_end", "n/a")],
                ["options", r["options"]],
                ["run time", f"{r['elapsed_s']:.0f} s"],
            ],
        ),
        "",
        "The machine is shared: other jobs ran while these figures were taken when the load"
        " average above exceeds the number of CPUs, and wall-clock rates are then lower than"
        " on a quiet machine. Rates per CPU-second (CPU time the workers themselves used) are"
        " less sensitive to that; both are given.",
        "",
    ]
    lines += _batch(r.get("batch") or {})
    lines += _capacity(r)
    lines += _serving()
    lines += _outofcore(r.get("outofcore") or {})
    return "\n".join(lines) + "\n"


def _batch(b: dict[str, Any]) -> list[str]:
    out = ["## Batch scoring on Dask", ""]
    if "skipped" in b or not b:
        return [*out, f"Not measured: {b.get('skipped', 'not run')}.", ""]
    one, two = b["by_workers"]["1"], b["by_workers"]["2"]
    g = b["growth"]
    out += [
        f"Input: {b['speedup_articles']:,} articles ({b['speedup_input_mb']:.0f} MB of JSONL),"
        f" {b['articles']}. `score_files` on a `LocalCluster` (one process per worker,"
        f" one thread each), {b['partition_rows']} rows per partition, run in a fresh process"
        f" each time; {b['rounds']} rounds alternating 1 and 2 workers, medians. Rates count"
        " the scoring phase (first partition sent to last part written); cluster start and"
        " model loading are the start-up column.",
        "",
        table(
            [
                "workers",
                "articles/s (median)",
                "all rounds",
                "articles per worker CPU-second",
                "start-up s",
                "worker RSS MB (peak)",
                "client RSS MB (peak)",
            ],
            [
                [
                    w,
                    _n(s["articles_per_second"]),
                    ", ".join(f"{x:.1f}" for x in s["all_articles_per_second"]),
                    _n(s["articles_per_cpu_second"]),
                    _n(s["startup_seconds"]),
                    _n(s["worker_peak_rss_mb"]),
                    _n(s["client_peak_rss_mb"]),
                ]
                for w, s in (("1", one), ("2", two))
            ],
        ),
        "",
        f"- **Throughput per core** (1 worker): {_n(b['per_core_articles_per_second'])}"
        f" articles/s wall-clock; {_n(b['per_cpu_second'])} articles per CPU-second of a worker.",
        f"- **Speed-up from 1 to 2 workers**: {b['speedup']:.2f}x (medians of the rounds;"
        " every round is in the table). Target: >= 1.6x on 2 cores.",
        f"- **CPU per article**: 2 workers used"
        f" {one['articles_per_cpu_second'] / two['articles_per_cpu_second']:.2f}x the worker"
        " CPU per article of 1 worker; on two otherwise idle cores that puts the speed-up at"
        f" about {2 * two['articles_per_cpu_second'] / one['articles_per_cpu_second']:.2f}x"
        " (less the last partitions' tail). The wall-clock figure above is what this shared"
        " machine gave while it ran.",
        f"- **Memory per worker**: {_n(two['worker_peak_rss_mb'])} MB peak (the model, the"
        " Dask worker and one partition); the client, which streams the input and runs the"
        f" local scheduler, peaked at {_n(two['client_peak_rss_mb'])} MB.",
        "",
        "### Growth with the input",
        "",
        table(
            [
                "articles",
                "input MB",
                "articles/s",
                "articles per worker CPU-second",
                "worker peak MB",
                "client peak MB",
            ],
            [
                [
                    f"{s['articles']:,}",
                    _n(s["input_mb"]),
                    _n(s["articles_per_second"]),
                    _n(s["articles_per_cpu_second"]),
                    _n(_peak(s["worker_peak_rss_mb"])),
                    _n(s["client_peak_rss_mb"]),
                ]
                for s in (
                    {**g["small"], "articles_per_cpu_second": two["articles_per_cpu_second"]},
                    g["large"],
                )
            ],
        ),
        "",
        f"On {g['workers']} workers, an article costs"
        f" {two['articles_per_cpu_second'] / g['large']['articles_per_cpu_second']:.2f}x the"
        f" worker CPU at {g['large']['articles']:,} articles that it costs at"
        f" {g['small']['articles']:,} (1.00: the total grows linearly with the input), and"
        f" {g['cost_per_article_ratio']:.2f}x the wall-clock time (which also follows the"
        " machine's other load). For ten times the input"
        f" ({_n(g['large']['input_mb'], 0)} MB), a worker's peak grew by"
        f" {_peak(g['large']['worker_peak_rss_mb']) - _peak(g['small']['worker_peak_rss_mb']):.0f}"
        " MB and the client's (which also runs the scheduler) by"
        f" {g['large']['client_peak_rss_mb'] - g['small']['client_peak_rss_mb']:.0f} MB:"
        " the input is streamed one partition at a time, at most two per worker in flight.",
        "",
    ]
    return out


def _peak(value: float | list[float]) -> float:
    return max(value) if isinstance(value, list) else value


def _capacity(r: dict[str, Any]) -> list[str]:
    out = ["## Capacity, on paper", ""]
    rows = r.get("batch_capacity")
    if rows:
        per_core = r["batch"]["per_core_articles_per_second"]
        out += [
            f"### Batch: articles a day (at {per_core:.0f} articles/s per core, measured above)",
            "",
            table(
                [
                    "articles a day",
                    "mean articles/s",
                    "core-hours",
                    "cores all day",
                    "cores, 8-hour window",
                    "cores all day, dedicated cores",
                ],
                [
                    [
                        f"{x['articles_per_day']:,}",
                        _n(x["mean_articles_per_second"]),
                        _n(x["core_hours"]),
                        _n(x["cores_all_day"], 2),
                        _n(x["cores_in_8_hours"], 2),
                        _n(x["cores_all_day_dedicated"], 2),
                    ]
                    for x in rows
                ],
            ),
            "",
            "Assumptions: articles like the benchmark article (about 600 words; cost is linear"
            " in length, docs/benchmarks.md), a worker per core kept busy (Dask keeps two"
            " partitions per worker queued), no re-scoring. The first columns use the"
            " wall-clock rate of one worker on this shared machine; the last uses the rate"
            " per CPU-second a worker used, what a core of its own would give. Round up and"
            " add headroom for retries and uneven partitions.",
            "",
        ]
    cache = r.get("cache") or {}
    readers = r.get("readers")
    if cache and "skipped" not in cache:
        out += [
            "### The extension: 1 million daily readers",
            "",
            f"Answer-cache hit rate, measured with the service's `AnswerCache` on"
            f" {cache['requests_simulated']:,} simulated requests (answers of"
            f" {cache['answer_bytes']:,} bytes, the benchmark article's):",
            "",
            table(
                ["cache per worker", "workers (round robin)", "hit rate"],
                [
                    ["64 MB (default)", 1, _n(cache["64mb_1w"], 3)],
                    ["64 MB (default)", 8, _n(cache["64mb_8w"], 3)],
                    ["256 MB", 1, _n(cache["256mb_1w"], 3)],
                ],
            ),
            "",
            "The hit rate depends on how many answers a worker holds, not on how many workers"
            " share the traffic: round-robin routing only adds each worker's first miss per"
            " article.",
            "",
        ]
    if readers:
        a = readers["assumptions"]
        http = r["http"]
        out += [
            table(
                ["figure", "value"],
                [
                    ["readers a day", f"{a['readers']:,}"],
                    ["articles opened per reader a day (assumed)", a["articles_per_reader"]],
                    ["distinct articles a day (assumed)", f"{a['distinct_articles']:,}"],
                    ["popularity (assumed)", f"Zipf, exponent {a['zipf_exponent']}"],
                    ["requests a day", f"{readers['requests_per_day']:,}"],
                    ["mean requests/s", _n(readers["mean_requests_per_second"])],
                    [
                        f"peak requests/s ({a['peak_to_mean']}x the mean, assumed)",
                        _n(readers["peak_requests_per_second"]),
                    ],
                    ["answer-cache hit rate (measured, 64 MB)", _n(readers["hit_rate"], 3)],
                    [
                        "scored requests/s per worker (docs/benchmarks.md)",
                        _n(http["scored_per_worker"]),
                    ],
                    [
                        "cached requests/s per worker (docs/benchmarks.md)",
                        _n(http["cached_per_worker"]),
                    ],
                    ["core-ms per request, mixed", _n(readers["core_ms_per_request"], 2)],
                    ["busy cores at peak", _n(readers["busy_cores_at_peak"], 2)],
                    [
                        f"cores at peak, {a['utilisation']:.0%} target utilisation",
                        readers["cores_at_peak"],
                    ],
                    ["the same without the cache", readers["cores_without_cache"]],
                ],
            ),
            "",
            "The per-worker HTTP rates come from `make bench` (wrk on the same 2 cores as the"
            " server, so they understate a dedicated core). With one worker per pod and one"
            " CPU requested (deploy/kubernetes), the pod count equals the core count; the"
            " HorizontalPodAutoscaler's 70% CPU target is close to the utilisation assumed.",
            "",
        ]
    return out


def _serving() -> list[str]:
    return [
        "## Serving many replicas",
        "",
        "- **Stateless.** A worker reads the model from `SENSATION_MODEL_PATH` at start and on"
        " a reload, verifies its SHA-256 against the model card and self-tests it; it writes"
        " nothing (with several workers, prometheus_client's files go to a temporary folder)."
        " The answer cache is per worker and only saves work: any worker or replica may"
        " answer any request with the same bytes (tests/service/test_deploy.py). An optional"
        " feedback store, when added, is reached by a database URL, not a local file.",
        "- **Workers** (`SENSATION_WORKERS=N`): N uvicorn processes on one host, each with"
        " its own model (a scoring process holds about 285 MB, `benchmarks.memory`) and cache;"
        " `/metrics` sums them.",
        "- **Replicas**: identical pods behind any balancer. `deploy/kubernetes/sensational.yaml`"
        " runs one worker per pod with one CPU and 400 MiB requested (1.2x a worker's"
        " measured RSS; 640 MiB limit for the moment a reload holds two models), readiness on"
        " `/readyz` (a verified model is loaded), liveness on `/healthz`, and a"
        " HorizontalPodAutoscaler at 70% CPU; `deploy/compose/compose.yaml` runs N replicas"
        " behind nginx. The model is baked into the image at build time; to roll out a new"
        " one, build a new image (a rolling update keeps `maxUnavailable: 0`), or mount a"
        " volume and call `POST /v1/admin/reload` on each pod.",
        "- **A model from a URL** is not built in: an init container that downloads the"
        " model folder into a shared volume gives the same result, and the service still"
        " refuses a bundle whose checksum or library versions do not match its card.",
        "",
    ]


def _outofcore(o: dict[str, Any]) -> list[str]:
    out = ["## Training out of core", ""]
    if "skipped" in o or not o:
        return [*out, f"Not measured: {o.get('skipped', 'not run')}.", ""]
    rows = []
    for part, what in (("headline", "headline-style model"), ("body", "body-wording model")):
        d = o[part]
        for mode in ("in-memory", "out-of-core"):
            f = d[mode]
            rows.append(
                [
                    what,
                    mode,
                    f"{d['train_rows']:,} / {d['held_out_rows']:,}",
                    _n(f["accuracy"], 4),
                    _n(f["roc_auc"], 4),
                    _n(f["fit_s"]),
                    _n(f["peak_rss_mb"]),
                ]
            )
    c = o["headline_copies"]
    for mode in ("in-memory", "out-of-core"):
        f = c[mode]
        rows.append(
            [
                f"headline-style model, training rows x{o['copies']}",
                mode,
                f"{c['rows']:,}",
                _n(f["accuracy"], 4),
                _n(f["roc_auc"], 4),
                _n(f["fit_s"]),
                _n(f["peak_rss_mb"]),
            ]
        )
    out += [
        "`[params.out_of_core] enabled = true` (or `--set params.out_of_core.enabled=true`)"
        " trains the headline-style and body-wording models with hashed TF-IDF (2^20 columns"
        " per block) and `SGDClassifier.partial_fit` over chunks, 5 epochs after a counting"
        " pass; the headline model is calibrated on a tenth of the rows held back by hash."
        " Same evaluation, same model card. Below, each model fitted in a fresh process on"
        " its corpus's training split (bucket != 0) and measured on the held-out fifth"
        " (Chakraborty headlines; hyperpartisan bodies at threshold 0.5); the in-memory"
        " process reads the file into a list, the out-of-core one streams it.",
        "",
        table(
            [
                "model",
                "path",
                "train / held-out rows",
                "accuracy",
                "ROC-AUC",
                "fit s",
                "process peak MB",
            ],
            rows,
        ),
        "",
        "The in-memory model's peak grows with the rows (the TF-IDF matrix and the"
        " vocabulary); the out-of-core process's peak did not move with them: its fit holds"
        " a fixed state (a few arrays of 2^20 numbers), one chunk and the shuffle buffer."
        " What it costs: a pass over the data per epoch plus the counting and calibration"
        " passes (fit time), the hashed model's"
        " dense arrays in every serving worker (about 7 MB more resident memory), and a slower"
        " one-headline path (a hash per n-gram instead of a dictionary look-up). The whole"
        " bundle trained both ways on the default config: see the model cards"
        " (`training_seconds`, `metrics`).",
        "",
    ]
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--model", type=Path, default=Path("models/default"))
    parser.add_argument("--output", type=Path, default=Path("docs/scaling.md"))
    parser.add_argument("--corpora", type=Path, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--speedup-articles", type=int, default=10_000)
    parser.add_argument("--growth-articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-outofcore", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results")
    parser.add_argument(
        "--from-json", type=Path, default=None, help="render raw results written by --json"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s bench %(message)s", datefmt="%H:%M:%S"
    )
    args = parse_args(argv)
    shown = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "-m", "benchmarks.scale", *shown])
    if args.from_json:
        results = json.loads(args.from_json.read_text("utf-8"))
    else:
        results = run(args, command)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", "utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(results), "utf-8")
    log.info("wrote %s in %.0f s", args.output, results["elapsed_s"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
