"""Resident memory of a scoring process, and the artifact's size on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

_FRESH_PROCESS = """
import json, sys
from sensational.artifact import load_bundle
from benchmarks.article import make_article
from benchmarks.memory import read_status
scorer, _ = load_bundle(sys.argv[1])
headline, body = make_article()
for _ in range(50):
    scorer.score(headline, body)
sys.stdout.write(json.dumps(read_status("self")))
"""


def parse_status(text: str) -> dict[str, float]:
    """``VmRSS`` and ``VmHWM`` (peak RSS) of a ``/proc/<pid>/status`` text, in MB (10^6 bytes).

    The kernel's "kB" there are KiB.
    """
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            amount, unit = value.split()
            if unit != "kB":
                raise ValueError(f"unexpected unit {unit!r} in {line!r}")
            out["rss_mb" if key == "VmRSS" else "peak_rss_mb"] = int(amount) * 1024 / 1e6
    if "rss_mb" not in out:
        raise ValueError("no VmRSS line: not a /proc/<pid>/status text of a live process")
    return out


def read_status(pid: int | str) -> dict[str, float]:
    return parse_status(Path(f"/proc/{pid}/status").read_text())


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (every thread's list), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(set(found))


def process_memory(pid: int) -> dict[str, Any]:
    """RSS of the serving worker: the process itself, or its largest child when it supervises.

    uvicorn with one worker serves in the process it started; with more it forks workers and
    the parent only supervises, so "one worker" is then a child.
    """
    kids = children(pid)
    if not kids:
        return {"pid": pid, **read_status(pid), "child_processes": 0}
    stats = [read_status(k) for k in kids]
    largest = max(stats, key=lambda s: s["rss_mb"])
    # The children include multiprocessing's helpers; the largest one is a serving worker.
    return {"pid": pid, **largest, "child_processes": len(kids), "supervisor": read_status(pid)}


def fresh_process_rss(model_dir: Path) -> dict[str, float]:
    """RSS of a new Python process that loaded the bundle and scored the article 50 times."""
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, str(model_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the scoring process failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def artifact_size(model_dir: Path) -> dict[str, Any]:
    """Bytes of every file of the model folder, and of the folder in all."""
    files = {p.name: p.stat().st_size for p in sorted(model_dir.iterdir()) if p.is_file()}
    return {"files": files, "total_bytes": sum(files.values())}
