"""Bounded load test on loopback: ``python -m tests.load.run --model models/default``.

Starts ``python -m service`` on 127.0.0.1 (a free port) with a private copy of the model,
sends concurrent scoring requests (single, batch, HTML) for ``--duration`` seconds or
``--max-requests`` requests, whichever ends first, and in the middle of the run:

1. corrupts the copy and asks for a reload: it must be refused (409) and scoring goes on;
2. publishes a good new version and reloads: it must be swapped in (200).

It samples the server's resident memory (RSS) every few seconds and reports requests,
failures, latency percentiles and RSS. Exit status 0 only when no request failed, both reloads
behaved, and RSS grew by no more than ``--rss-margin-mb`` within each steady window: from the
end of warm-up to the reload, and from 10 s after the reload to the end. The reload's own step
(two models alive for a moment) is reported, not judged.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
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
def serve(model_dir: Path, *, workers: int = 1, log_level: str = "WARNING") -> Iterator[Server]:
    """Run ``python -m service`` on loopback until the block ends; always stopped."""
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
        with serve(model_copy, workers=workers) as server:
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
    args = parser.parse_args(argv)
    if not (args.model / MODEL_FILE).is_file():
        parser.error(f"{args.model} has no {MODEL_FILE}: train it first (make model)")
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
    text = json.dumps(summary, indent=2)
    print(text)  # noqa: T201 - the report is this command's output
    if args.report:
        args.report.write_text(text + "\n")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
