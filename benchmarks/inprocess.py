"""In-process scoring speed: one article at a time, and a batch of distinct articles."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks.article import make_article, word_count
from benchmarks.stats import median, median_of_runs, summarize


def time_calls(fn: Callable[[], object], calls: int) -> tuple[list[float], float]:
    """Call ``fn`` ``calls`` times; return each call's wall seconds and the total CPU seconds."""
    if calls <= 0:
        raise ValueError(f"calls must be positive, got {calls}")
    samples = []
    clock = time.perf_counter
    cpu_start = time.process_time()
    for _ in range(calls):
        start = clock()
        fn()
        samples.append(clock() - start)
    return samples, time.process_time() - cpu_start


def measure_article(
    scorer: Any,
    headline: str,
    body: str,
    *,
    runs: int,
    calls: int,
    warmup: int = 50,
    run_budget_s: float | None = None,
) -> dict[str, Any]:
    """Latency of ``scorer.score(headline, body)``: medians over ``runs`` runs of ``calls`` calls.

    With ``run_budget_s``, a slow scorer gets fewer calls per run (never under 100) so the
    whole benchmark keeps to its time limit. Articles per second per core is calls divided
    by the CPU seconds of the process, so a scorer that used several threads would not look
    faster per core than it is.
    """
    start = time.perf_counter()
    for _ in range(warmup):
        scorer.score(headline, body)
    per_call = (time.perf_counter() - start) / max(warmup, 1)
    if run_budget_s is not None and per_call > 0:
        calls = max(min(calls, 100), min(calls, int(run_budget_s / per_call)))
    summaries = []
    for _ in range(runs):
        samples, cpu = time_calls(lambda: scorer.score(headline, body), calls)
        run = summarize(samples)
        run["articles_per_cpu_second"] = calls / cpu if cpu > 0 else float("nan")
        run["articles_per_second"] = calls / sum(samples)
        summaries.append(run)
    agg = median_of_runs(summaries)
    return {
        "words": word_count(headline) + word_count(body),
        "chars": len(headline) + len(body),
        "runs": runs,
        "calls": calls,
        "p50_ms": agg["p50"] * 1e3,
        "p99_ms": agg["p99"] * 1e3,
        "mean_ms": agg["mean"] * 1e3,
        "articles_per_second_per_core": agg["articles_per_cpu_second"],
        "articles_per_second": agg["articles_per_second"],
    }


def measure_framing(
    scorer: Any, headline: str, body: str, *, runs: int, calls: int, warmup: int = 50
) -> dict[str, Any]:
    """Latency of the framing path alone, as ``Scorer.score`` runs it: boilerplate ranges,
    cleaned tokens, the detector on headline and body (matches, tagger, register rules), link
    spans and the framing score. Medians over ``runs`` runs of ``calls`` calls."""
    from sensational.framing import clean_tokens
    from sensational.text import find_boilerplate

    framing = scorer.framing

    def run() -> None:
        head_tokens = clean_tokens(headline, find_boilerplate(headline))
        body_tokens = clean_tokens(body, find_boilerplate(body))
        head, head_w = framing.analyze(headline, "headline", tokens=head_tokens)
        spans, body_w = framing.analyze(body, "body", tokens=body_tokens)
        framing.score(head + spans, len(head_tokens) + len(body_tokens), head_w + body_w)
        if hasattr(framing, "link_spans"):
            framing.link_spans(body, "body")

    for _ in range(warmup):
        run()
    p50s = [summarize(time_calls(run, calls)[0]) for _ in range(runs)]
    agg = median_of_runs(p50s)
    return {
        "words": word_count(headline) + word_count(body),
        "runs": runs,
        "calls": calls,
        "p50_ms": agg["p50"] * 1e3,
        "p99_ms": agg["p99"] * 1e3,
        "tagger": getattr(framing, "tagger", None) is not None,
    }


def measure_serialization(result: Any, *, runs: int, calls: int) -> dict[str, Any]:
    """Cost of turning one result into the API's JSON (what the HTTP route adds per answer)."""
    try:
        from service.answers import render
    except ImportError as exc:
        return {"skipped": f"service.answers could not be imported: {exc}"}

    def dump() -> bytes:
        return render(result).json

    dump()
    p50s = [summarize(time_calls(dump, calls)[0])["p50"] for _ in range(runs)]
    return {"p50_ms": median(p50s) * 1e3, "bytes": len(dump())}


def measure_batch(scorer: Any, *, size: int, runs: int, words: int = 600) -> dict[str, Any]:
    """Articles per second over ``size`` distinct articles, best path the scorer offers.

    A ``score_batch`` method is used when the scorer has one; otherwise the articles are
    scored one after another, which is what the batch route does.
    """
    articles = [make_article(words, seed=seed) for seed in range(size)]
    batch = getattr(scorer, "score_batch", None)
    if callable(batch):
        method = "Scorer.score_batch"

        def run_once() -> None:
            batch(articles)
    else:
        method = "Scorer.score in a loop"

        def run_once() -> None:
            for headline, body in articles:
                scorer.score(headline, body)

    run_once()
    rates = []
    cpu_rates = []
    for _ in range(runs):
        cpu_start = time.process_time()
        start = time.perf_counter()
        run_once()
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        rates.append(size / wall)
        cpu_rates.append(size / cpu if cpu > 0 else float("nan"))
    return {
        "method": method,
        "size": size,
        "runs": runs,
        "articles_per_second": median(rates),
        "articles_per_second_per_core": median(cpu_rates),
    }
