"""HTTP throughput and latency of the served app under a real load generator.

``POST /v1/score`` with the benchmark article and ``GET /healthz`` are loaded in the same run
of the same server, with the same connections and duration; their ratio is the headline
figure. wrk is used when present (installed with apt-get when running as root); otherwise a
bounded pure-Python generator runs, and the report says which one did.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.memory import process_memory
from benchmarks.stats import median, percentile

log = logging.getLogger("benchmarks")

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICE_APP = "service.app:create_app"
NOOP_APP = "benchmarks.noop_app:create_app"

_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
_DURATION = re.compile(r"^([0-9.]+)(us|ms|s|m|h)$")

# wrk reads the body from a file, so no JSON escaping has to survive a Lua string literal.
WRK_POST_SCRIPT = """\
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
"""


@dataclass(slots=True)
class LoadResult:
    """One load-generator run against one URL."""

    tool: str
    requests: int
    duration_s: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def parse_duration_ms(token: str) -> float:
    """wrk's latency token (``497.00us``, ``1.20ms``, ``2.00s``) in milliseconds."""
    match = _DURATION.match(token.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {token!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(text: str) -> LoadResult:
    """Read requests/s, p50, p99, request and error counts from wrk's ``--latency`` output."""
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.MULTILINE)
    done = re.search(r"^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m|h),", text, re.MULTILINE)
    p50 = re.search(r"^\s*50(?:\.0+)?%\s+(\S+)", text, re.MULTILINE)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+(\S+)", text, re.MULTILINE)
    if not (rps and done and p50 and p99):
        raise ValueError(
            "wrk output lacks Requests/sec, the request count or the 50%/99% latency lines"
            f" (was it run with --latency?):\n{text}"
        )
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    if sockets:
        errors += sum(int(g) for g in sockets.groups())
    return LoadResult(
        tool="wrk",
        requests=int(done.group(1)),
        duration_s=parse_duration_ms(done.group(2) + done.group(3)) / 1e3,
        requests_per_second=float(rps.group(1)),
        p50_ms=parse_duration_ms(p50.group(1)),
        p99_ms=parse_duration_ms(p99.group(1)),
        errors=errors,
    )


def ensure_wrk() -> tuple[str | None, str]:
    """Path of wrk, installing the Debian package when running as root; and what happened."""
    found = shutil.which("wrk")
    if found:
        return found, "wrk found on PATH"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "wrk is missing and cannot be installed here (not root or no apt-get)"
    log.info("http: installing wrk with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

    def apt(*args: str) -> int:
        cmd = ["apt-get", *args]
        return subprocess.run(cmd, env=env, capture_output=True, timeout=300).returncode

    if apt("install", "-y", "-q", "wrk") != 0:  # a fresh machine may lack package lists
        apt("update", "-q")
        apt("install", "-y", "-q", "wrk")
    found = shutil.which("wrk")
    return found, "wrk installed with apt-get" if found else "apt-get could not install wrk"


CACHED_SUFFIX = ", answer cache on (the same article repeated)"


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" Copyright")[0].strip() if first else "wrk (version unknown)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # loopback only
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@contextmanager
def serve(
    app: str,
    model_dir: Path,
    *,
    workers: int = 1,
    ready_path: str = "/readyz",
    env: dict[str, str] | None = None,
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Run uvicorn on a free loopback port until the block ends; yield the process and base URL."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    env = {
        **os.environ,
        "SENSATION_MODEL_PATH": str(model_dir),
        "PYTHONPATH": str(REPO_ROOT),
        **(env or {}),
    }
    log_file = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log_file, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log_file.seek(0)
                tail = log_file.read().decode("utf-8", "replace")[-800:]
                raise RuntimeError(f"{app} exited with {proc.returncode} at start-up:\n{tail}")
            try:
                if _get(base + ready_path, timeout=1.0) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{app} was not ready within 60 s")
            time.sleep(0.2)
        yield proc, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log_file.close()


def run_wrk(
    wrk: str,
    url: str,
    *,
    duration_s: float,
    connections: int,
    body_file: Path | None = None,
    script: Path | None = None,
) -> LoadResult:
    cmd = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(duration_s))}s", "--latency"]
    env = dict(os.environ)
    if script is not None and body_file is not None:
        cmd += ["-s", str(script)]
        env["BENCH_BODY_FILE"] = str(body_file)
    done = subprocess.run(
        [*cmd, url], capture_output=True, text=True, env=env, timeout=duration_s + 60
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk(done.stdout)


def run_python_load(
    url: str,
    *,
    duration_s: float,
    connections: int,
    body: bytes | None = None,
    max_requests: int = 200_000,
) -> LoadResult:
    """Keep-alive connections, one thread each, for ``duration_s`` or ``max_requests`` in all.

    The generator shares the GIL and the cores with nothing but itself, yet it is far slower
    than wrk: its figures are a floor for the server, not the server's limit.
    """
    host_port = url.split("//", 1)[1].split("/", 1)
    host, port = host_port[0].split(":")
    path = "/" + (host_port[1] if len(host_port) > 1 else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration_s
    budget = [max_requests]

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        mine: list[float] = []
        bad = 0
        headers = {"Content-Type": "application/json"} if body is not None else {}
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            start = time.perf_counter()
            try:
                conn.request("POST" if body is not None else "GET", path, body, headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 300:
                    bad += 1
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                continue
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if not latencies:
        raise RuntimeError(f"no request to {url} succeeded ({errors[0]} errors)")
    return LoadResult(
        tool="python (threads, http.client)",
        requests=len(latencies),
        duration_s=elapsed,
        requests_per_second=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 50) * 1e3,
        p99_ms=percentile(latencies, 99) * 1e3,
        errors=errors[0],
    )


class LoadGenerator:
    """wrk when available, else the Python generator; same call for both."""

    def __init__(self, workdir: Path, body: bytes, *, allow_wrk: bool = True) -> None:
        self.body = body
        self.body_file = workdir / "article.json"
        self.body_file.write_bytes(body)
        self.script = workdir / "post.lua"
        self.script.write_text(WRK_POST_SCRIPT, "utf-8")
        self.wrk, self.how = ensure_wrk() if allow_wrk else (None, "wrk not used (--no-wrk)")
        self.tool = wrk_version(self.wrk) if self.wrk else "python (threads, http.client)"

    def run(self, url: str, *, post: bool, duration_s: float, connections: int) -> LoadResult:
        if self.wrk:
            return run_wrk(
                self.wrk,
                url,
                duration_s=duration_s,
                connections=connections,
                body_file=self.body_file if post else None,
                script=self.script if post else None,
            )
        return run_python_load(
            url,
            duration_s=duration_s,
            connections=connections,
            body=self.body if post else None,
        )


def _load_pair(
    gen: LoadGenerator, base: str, *, rounds: int, duration_s: float, connections: int
) -> dict[str, Any]:
    """Alternate ``/healthz`` and ``POST /v1/score`` for ``rounds``; medians of each."""
    health: list[LoadResult] = []
    score: list[LoadResult] = []
    for i in range(rounds):
        log.info("http: round %d/%d on %s", i + 1, rounds, base)
        health.append(
            gen.run(base + "/healthz", post=False, duration_s=duration_s, connections=connections)
        )
        score.append(
            gen.run(base + "/v1/score", post=True, duration_s=duration_s, connections=connections)
        )
    ratios = [
        s.requests_per_second / h.requests_per_second for s, h in zip(score, health, strict=True)
    ]
    return {
        "healthz": _median_result(health),
        "score": _median_result(score),
        "ratio": median(ratios),
        "ratios": ratios,
    }


def _median_result(results: list[LoadResult]) -> dict[str, Any]:
    return {
        "requests_per_second": median([r.requests_per_second for r in results]),
        "p50_ms": median([r.p50_ms for r in results]),
        "p99_ms": median([r.p99_ms for r in results]),
        "requests": sum(r.requests for r in results),
        "errors": sum(r.errors for r in results),
        "runs": [asdict(r) for r in results],
    }


def _warm_up(gen: LoadGenerator, base: str, connections: int) -> None:
    gen.run(base + "/healthz", post=False, duration_s=1, connections=connections)
    gen.run(base + "/v1/score", post=True, duration_s=1, connections=connections)


def measure_http(
    model_dir: Path,
    headline: str,
    body: str,
    *,
    duration_s: float,
    rounds: int,
    connections: int = 8,
    workers: tuple[int, ...] = (1,),
    noop_baseline: bool = True,
    allow_wrk: bool = True,
) -> dict[str, Any]:
    """Load the served app (and the no-op baseline); RSS of the worker after warm-up."""
    payload = json.dumps({"headline": headline, "body": body}).encode("utf-8")
    out: dict[str, Any] = {
        "connections": connections,
        "duration_s": duration_s,
        "rounds": rounds,
        "payload_bytes": len(payload),
    }
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        gen = LoadGenerator(Path(tmp), payload, allow_wrk=allow_wrk)
        out["tool"] = gen.tool
        out["tool_note"] = gen.how
        out["servers"] = {}
        # Every request scored (answer cache off) is the figure for articles seen for the first
        # time; the cached server shows what a popular article costs, once per worker.
        runs = [(n, False) for n in workers] + [(1, True)]
        for n, cached in runs:
            name = f"service, {n} worker{'s' if n > 1 else ''}"
            env = None if cached else {"SENSATION_ANSWER_CACHE_MB": "0"}
            if cached:
                name += CACHED_SUFFIX
            with serve(SERVICE_APP, model_dir, workers=n, env=env) as (proc, base):
                status = _post_status(base + "/v1/score", payload)
                if status != 200:
                    raise RuntimeError(f"POST /v1/score answered {status} to the benchmark article")
                _warm_up(gen, base, connections)
                mem_warm = process_memory(proc.pid)
                pair = _load_pair(
                    gen, base, rounds=rounds, duration_s=duration_s, connections=connections
                )
                # Unloaded latency: one client waiting for each answer, no queue in front.
                pair["score_one_connection"] = asdict(
                    gen.run(base + "/v1/score", post=True, duration_s=duration_s, connections=1)
                )
                pair["memory_after_warmup"] = mem_warm
                pair["memory_after_load"] = process_memory(proc.pid)
                out["servers"][name] = pair
        if noop_baseline:
            with serve(NOOP_APP, model_dir, ready_path="/healthz") as (proc, base):
                _warm_up(gen, base, connections)
                out["noop"] = _load_pair(
                    gen, base, rounds=rounds, duration_s=duration_s, connections=connections
                )
    return out


def _post_status(url: str, payload: bytes) -> int:
    req = urllib.request.Request(
        url, data=payload, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # loopback only
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
