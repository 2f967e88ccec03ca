"""Bounded load test on loopback: ``python -m tests.load.run --model models/default``.

Two parts, each against its own ``python -m service`` on 127.0.0.1 (a free port).

Scoring: with a private copy of the model, concurrent scoring requests (single, batch, HTML)
for ``--duration`` seconds or ``--max-requests`` requests, whichever ends first, and in the
middle of the run:

1. corrupts the copy and asks for a reload: it must be refused (409) and scoring goes on;
2. publishes a good new version and reloads: it must be swapped in (200).

It samples the server's resident memory (RSS) every few seconds and reports requests,
failures, latency percentiles and RSS. It passes only when no request failed, both reloads
behaved, and RSS grew by no more than ``--rss-margin-mb`` within each steady window: from the
end of warm-up to the reload, and from 10 s after the reload to the end. The reload's own step
(two models alive for a moment) is reported, not judged.

Feedback: ``--feedback-reports`` distinct readers' reports (every verdict) from
``--feedback-clients`` concurrent clients, each with an address of its own (X-Forwarded-For,
which uvicorn trusts from 127.0.0.1), and each client sending some of its reports a second
time. It passes only when every report was answered 201, every repeat 200 with the first
one's id, and the store (a temporary SQLite file, or ``--feedback-store``) holds exactly as
many reports as were answered 201: nothing lost, nothing stored twice.

Exit status 0 only when every part run passed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from datasets.corpora import REPO_ROOT
from feedback.store import FeedbackStore
from sensational.artifact import MODEL_FILE, load_bundle, save_bundle

LOOPBACK = "127.0.0.1"
SAMPLES = REPO_ROOT / "datasets" / "samples" / "headline_twins.jsonl"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    token: str
    log_path: Path


@dataclass
class LoadReport:
    requests: int = 0
    failures: int = 0
    failure_examples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    reloads: dict[str, int] = field(default_factory=dict)
    reload_window_s: tuple[float, float] | None = None
    rss_mb: list[tuple[float, float]] = field(default_factory=list)
    duration_s: float = 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def memory(self, warmup_s: float, settle_s: float) -> dict[str, float | None]:
        """RSS in two steady windows, before and after the reload, and the step between.

        A leak grows RSS inside a window. The step is the reload itself: for a moment two
        models are alive, and the allocator keeps that high-water mark.
        """
        reload_start, reload_end = self.reload_window_s or (self.duration_s, self.duration_s)
        before = [mb for t, mb in self.rss_mb if warmup_s <= t < reload_start]
        after = [mb for t, mb in self.rss_mb if t >= reload_end + settle_s]

        def growth(window: list[float]) -> float | None:
            return round(window[-1] - window[0], 1) if len(window) >= 2 else None

        return {
            "start": round(self.rss_mb[0][1], 1) if self.rss_mb else None,
            "after_warmup": round(before[0], 1) if before else None,
            "before_reload": round(before[-1], 1) if before else None,
            "after_reload": round(after[0], 1) if after else None,
            "end": round(self.rss_mb[-1][1], 1) if self.rss_mb else None,
            "growth_before_reload": growth(before),
            "growth_after_reload": growth(after),
            "reload_step": round(after[0] - before[-1], 1) if before and after else None,
        }

    def summary(self, warmup_s: float, settle_s: float = 10.0) -> dict[str, object]:
        return {
            "requests": self.requests,
            "failures": self.failures,
            "failure_examples": self.failure_examples[:5],
            "duration_s": round(self.duration_s, 1),
            "requests_per_s": round(self.requests / max(self.duration_s, 1e-9), 1),
            "latency_ms": {
                "p50": round(self.percentile(0.50), 2),
                "p90": round(self.percentile(0.90), 2),
                "p99": round(self.percentile(0.99), 2),
                "max": round(max(self.latencies_ms, default=float("nan")), 2),
            },
            "reloads": self.reloads,
            "reload_window_s": self.reload_window_s,
            "rss_mb": self.memory(warmup_s, settle_s),
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    model_dir: Path,
    *,
    workers: int = 1,
    log_level: str = "WARNING",
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Run ``python -m service`` on loopback until the block ends; always stopped.

    ``env`` adds settings (``SENSATION_FEEDBACK_URL``, ...) to the server's environment.
    """
    port = free_port()
    token = secrets.token_urlsafe(24)
    log_path = Path(tempfile.mkstemp(prefix="sensational-load-", suffix=".log")[1])
    env = {
        **os.environ,
        "SENSATION_MODEL_PATH": str(model_dir),
        "SENSATION_HOST": LOOPBACK,
        "SENSATION_PORT": str(port),
        "SENSATION_ADMIN_TOKEN": token,
        "SENSATION_WORKERS": str(workers),
        "SENSATION_LOG_LEVEL": log_level,
        **(env or {}),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "service"], cwd=REPO_ROOT, env=env, stdout=log, stderr=log
        )
    server = Server(process, f"http://{LOOPBACK}:{port}", token, log_path)
    try:
        wait_ready(server)
        yield server
    finally:
        stop(process)


def wait_ready(server: Server, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {server.process.returncode}:\n"
                + server.log_path.read_text(errors="replace")[-2000:]
            )
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server was not ready within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its child processes (the uvicorn workers), in MB."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


def payloads(seed: int = 0) -> list[tuple[str, dict[str, object]]]:
    """A fixed mix of requests built from the project's own sample headlines."""
    rows = [json.loads(line) for line in SAMPLES.read_text("utf-8").splitlines() if line.strip()]
    heads = [r[k] for r in rows for k in ("loaded", "sober")]
    rng = random.Random(seed)
    out: list[tuple[str, dict[str, object]]] = []
    for i in range(200):
        body = "\n\n".join(
            f"{rng.choice(heads)}, officials said on Tuesday. {rng.choice(heads)}."
            for _ in range(rng.randint(1, 30))
        )
        kind = i % 10
        if kind < 6:
            out.append(("/v1/score", {"headline": rng.choice(heads), "body": body}))
        elif kind < 8:
            out.append(("/v1/score", {"headline": rng.choice(heads)}))
        elif kind == 8:
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            html = (
                f"<html><head><title>{rng.choice(heads)} | Site</title></head><body>"
                f"<nav>Home World</nav><article><h1>{rng.choice(heads)}</h1>{paragraphs}"
                "</article><footer>Contact</footer></body></html>"
            )
            out.append(("/v1/score", {"html": html}))
        else:
            items = [{"headline": rng.choice(heads), "body": body} for _ in range(8)]
            out.append(("/v1/score/batch", {"items": items}))
    return out


async def _client_loop(
    client: httpx.AsyncClient,
    work: list[tuple[str, dict[str, object]]],
    report: LoadReport,
    deadline: float,
    max_requests: int,
    offset: int,
) -> None:
    i = offset
    while time.monotonic() < deadline and report.requests < max_requests:
        path, body = work[i % len(work)]
        i += 1
        started = time.perf_counter()
        try:
            r = await client.post(path, json=body)
            ok = r.status_code == 200
            problem = f"{path} {r.status_code} {r.text[:200]}"
        except httpx.HTTPError as exc:
            ok, problem = False, f"{path} {type(exc).__name__}: {exc}"
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        report.requests += 1
        if not ok:
            report.failures += 1
            report.failure_examples.append(problem)


async def _reloads(
    server: Server, model_copy: Path, report: LoadReport, at: float, run_started: float
) -> None:
    await asyncio.sleep(max(0.0, at - (time.monotonic() - run_started)))
    headers = {"Authorization": f"Bearer {server.token}"}
    scorer, _ = await asyncio.to_thread(load_bundle, model_copy)
    good = model_copy.with_name(model_copy.name + "-next")
    await asyncio.to_thread(
        save_bundle, dataclasses.replace(scorer, version=scorer.version + "+reloaded"), good, {}
    )
    reload_started = time.monotonic() - run_started
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as admin:
        # 1. A corrupt artifact: refused, the old model keeps serving.
        with (model_copy / MODEL_FILE).open("r+b") as fh:
            fh.seek(100)
            fh.write(b"corrupt")
        r = await admin.post("/v1/admin/reload", headers=headers)
        report.reloads["corrupt_refused" if r.status_code == 409 else "corrupt_WRONG"] = 1
        # 2. A good new version, published in place: swapped in.
        await asyncio.to_thread(shutil.rmtree, model_copy)
        await asyncio.to_thread(shutil.copytree, good, model_copy)
        r = await admin.post("/v1/admin/reload", headers=headers)
        report.reloads["good_swapped_in" if r.status_code == 200 else "good_WRONG"] = 1
    report.reload_window_s = (round(reload_started, 1), round(time.monotonic() - run_started, 1))


async def _sample_rss(
    pid: int, report: LoadReport, deadline: float, run_started: float, every: float
) -> None:
    while time.monotonic() < deadline:
        report.rss_mb.append((time.monotonic() - run_started, rss_mb(pid)))
        await asyncio.sleep(every)
    report.rss_mb.append((time.monotonic() - run_started, rss_mb(pid)))


async def drive(
    server: Server,
    model_copy: Path,
    *,
    duration: float,
    concurrency: int,
    max_requests: int,
    sample_every: float,
) -> LoadReport:
    report = LoadReport()
    work = payloads()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    started = time.monotonic()
    deadline = started + duration
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60, limits=limits) as client:
        await asyncio.gather(
            _sample_rss(server.process.pid, report, deadline, started, sample_every),
            _reloads(server, model_copy, report, duration / 2, started),
            *(
                _client_loop(client, work, report, deadline, max_requests, n * 17)
                for n in range(concurrency)
            ),
        )
    report.duration_s = time.monotonic() - started
    return report


def run(
    model: Path,
    *,
    duration: float = 180.0,
    concurrency: int = 8,
    max_requests: int = 500_000,
    workers: int = 1,
    sample_every: float = 5.0,
) -> LoadReport:
    """Serve a private copy of ``model`` on loopback, drive it, stop it; return the report."""
    with tempfile.TemporaryDirectory(prefix="sensational-load-") as tmp:
        model_copy = Path(tmp) / "model"
        shutil.copytree(model, model_copy)
        store = {"SENSATION_FEEDBACK_URL": f"sqlite:///{tmp}/feedback.sqlite3"}
        with serve(model_copy, workers=workers, env=store) as server:
            return asyncio.run(
                drive(
                    server,
                    model_copy,
                    duration=duration,
                    concurrency=concurrency,
                    max_requests=max_requests,
                    sample_every=sample_every,
                )
            )


# ---------------------------------------------------------------------------------------------
# Feedback: many readers' reports at once, nothing lost

VERDICT_CYCLE = ("not_loaded", "missed", "score_too_high", "score_too_low", "source_wrong")


@dataclass
class FeedbackLoadReport:
    sent: int = 0
    created: int = 0  # answered 201
    repeats_sent: int = 0
    repeats_ok: int = 0  # answered 200 with the first report's id
    failures: int = 0
    failure_examples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    ids: set[int] = field(default_factory=set)
    stored: int | None = None
    duration_s: float = 0.0
    backend: str = ""

    @property
    def lost(self) -> bool:
        return self.stored != self.created or len(self.ids) != self.created

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies_ms)

        def pct(q: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else 0

        return {
            "store": self.backend,
            "reports_sent": self.sent,
            "answered_201": self.created,
            "repeats_sent": self.repeats_sent,
            "repeats_answered_200_same_id": self.repeats_ok,
            "failures": self.failures,
            "failure_examples": self.failure_examples[:5],
            "stored": self.stored,
            "stored_equals_201s": self.stored == self.created,
            "duration_s": round(self.duration_s, 1),
            "reports_per_s": round((self.sent + self.repeats_sent) / max(self.duration_s, 1e-9), 1),
            "latency_ms": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": pct(1.0)},
        }


def feedback_payloads(n: int, seed: int = 0) -> list[dict[str, object]]:
    """``n`` distinct reports of every verdict on articles built from the sample headlines."""
    rows = [json.loads(line) for line in SAMPLES.read_text("utf-8").splitlines() if line.strip()]
    heads = [r[k] for r in rows for k in ("loaded", "sober")]
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for i in range(n):
        headline = rng.choice(heads)
        body = f"{rng.choice(heads)}, officials said on day {i}. {rng.choice(heads)}."
        verdict = VERDICT_CYCLE[i % len(VERDICT_CYCLE)]
        report: dict[str, object] = {"headline": headline, "body": body, "verdict": verdict}
        if verdict not in ("score_too_high", "score_too_low"):
            words = [(m.start(), m.end()) for m in re.finditer(r"\w+", body)]
            start, end = rng.choice(words)
            report["span"] = {"field": "body", "start": start, "end": end, "text": body[start:end]}
        if i % 7 == 0:
            report["comment"] = f"report {i}: the model got this one wrong"
        out.append(report)
    return out


async def _feedback_client(
    base_url: str,
    address: str,
    work: list[dict[str, object]],
    repeats: int,
    report: FeedbackLoadReport,
) -> None:
    first_ids: list[tuple[dict[str, object], int]] = []
    headers = {"X-Forwarded-For": address}
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=headers) as client:

        async def send(payload: dict[str, object], expect: int) -> int | None:
            started = time.perf_counter()
            try:
                r = await client.post("/v1/feedback", json=payload)
                problem = None if r.status_code == expect else f"{r.status_code} {r.text[:200]}"
                answer = r.json() if problem is None else None
            except (httpx.HTTPError, ValueError) as exc:
                problem, answer = f"{type(exc).__name__}: {exc}", None
            report.latencies_ms.append((time.perf_counter() - started) * 1000)
            if problem is not None:
                report.failures += 1
                report.failure_examples.append(f"{address} {problem}")
                return None
            assert answer is not None
            return int(answer["id"])

        for payload in work:
            report.sent += 1
            got = await send(payload, 201)
            if got is not None:
                report.created += 1
                report.ids.add(got)
                first_ids.append((payload, got))
        for payload, first in first_ids[:repeats]:
            report.repeats_sent += 1
            again = await send(payload, 200)
            if again == first:
                report.repeats_ok += 1
            elif again is not None:
                report.failures += 1
                report.failure_examples.append(f"{address} repeat got id {again}, not {first}")


def run_feedback(
    model: Path,
    *,
    reports: int = 10_000,
    clients: int = 50,
    repeats_per_client: int = 10,
    store_url: str | None = None,
    workers: int = 1,
) -> FeedbackLoadReport:
    """Serve ``model`` with a report store, send ``reports`` reports from ``clients``
    concurrent clients (and repeats), then count what the store holds."""
    work = feedback_payloads(reports)
    shares = [work[i::clients] for i in range(clients)]
    with tempfile.TemporaryDirectory(prefix="sensational-feedback-load-") as tmp:
        url = store_url or f"sqlite:///{tmp}/feedback.sqlite3"
        env = {
            "SENSATION_FEEDBACK_URL": url,
            # Every client sends hundreds of reports in seconds: the limit is not under test.
            "SENSATION_FEEDBACK_RATE_LIMIT": "1000000/minute",
        }
        report = FeedbackLoadReport(backend=FeedbackStore(url).backend)
        with serve(model, workers=workers, env=env) as server:
            started = time.monotonic()

            async def drive_all() -> None:
                await asyncio.gather(
                    *(
                        _feedback_client(
                            server.base_url, f"127.0.1.{n + 1}", share, repeats_per_client, report
                        )
                        for n, share in enumerate(shares)
                    )
                )

            asyncio.run(drive_all())
            report.duration_s = time.monotonic() - started
        store = FeedbackStore(url)
        report.stored = store.count()
        store.dispose()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="model folder to serve")
    parser.add_argument("--duration", type=float, default=180.0, help="seconds (default 180)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--max-requests", type=int, default=500_000, help="stop after this many")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of the server")
    parser.add_argument(
        "--warmup", type=float, default=None, help="seconds left out of the RSS check (10%%)"
    )
    parser.add_argument(
        "--rss-margin-mb",
        type=float,
        default=20.0,
        help="allowed RSS growth within the steady windows before and after the reload",
    )
    parser.add_argument("--report", type=Path, help="also write the summary as JSON here")
    parser.add_argument(
        "--only", choices=("scoring", "feedback"), help="run one part only (default: both)"
    )
    parser.add_argument(
        "--feedback-reports", type=int, default=10_000, help="distinct reports to send"
    )
    parser.add_argument(
        "--feedback-clients", type=int, default=50, help="concurrent clients, one address each"
    )
    parser.add_argument(
        "--feedback-store",
        help="report store address (default: a temporary SQLite file), e.g. postgresql://...",
    )
    args = parser.parse_args(argv)
    if not (args.model / MODEL_FILE).is_file():
        parser.error(f"{args.model} has no {MODEL_FILE}: train it first (make model)")
    out: dict[str, object] = {}
    problems: list[str] = []
    if args.only != "feedback":
        out["scoring"], found = _scoring_part(args)
        problems += found
    if args.only != "scoring":
        fb = run_feedback(
            args.model,
            reports=args.feedback_reports,
            clients=args.feedback_clients,
            store_url=args.feedback_store,
            workers=args.workers,
        )
        out["feedback"] = fb.summary()
        if fb.failures:
            problems.append(f"{fb.failures} feedback requests failed")
        if fb.lost:
            problems.append(f"the store holds {fb.stored} reports for {fb.created} answered 201")
    out["verdict"] = "ok" if not problems else "; ".join(problems)
    text = json.dumps(out, indent=2)
    print(text)  # noqa: T201 - the report is this command's output
    if args.report:
        args.report.write_text(text + "\n")
    return 0 if not problems else 1


def _scoring_part(args: argparse.Namespace) -> tuple[dict[str, object], list[str]]:
    report = run(
        args.model,
        duration=args.duration,
        concurrency=args.concurrency,
        max_requests=args.max_requests,
        workers=args.workers,
    )
    warmup = args.warmup if args.warmup is not None else max(5.0, args.duration * 0.1)
    summary = report.summary(warmup)
    summary["rss_margin_mb"] = args.rss_margin_mb
    memory = report.memory(warmup, 10.0)
    problems = []
    if report.failures:
        problems.append(f"{report.failures} requests failed")
    if report.reloads != {"corrupt_refused": 1, "good_swapped_in": 1}:
        problems.append(f"reloads did not behave: {report.reloads}")
    for window in ("growth_before_reload", "growth_after_reload"):
        growth = memory[window]
        if growth is None or growth > args.rss_margin_mb:
            problems.append(f"RSS {window} was {growth} MB (margin {args.rss_margin_mb} MB)")
    summary["verdict"] = "ok" if not problems else "; ".join(problems)
    return summary, problems


if __name__ == "__main__":
    sys.exit(main())
