"""``python -m service`` as a real process on loopback: refusals at start-up, SIGHUP, workers."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from datasets.corpora import REPO_ROOT
from sensational.artifact import CARD_FILE, MODEL_FILE, load_bundle, save_bundle
from tests.load.run import free_port, serve


def _start(model_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SENSATION_MODEL_PATH": str(model_dir),
        "SENSATION_PORT": str(free_port()),
        "SENSATION_HOST": "127.0.0.1",
    }
    return subprocess.run(
        [sys.executable, "-m", "service"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _corrupt(folder: Path) -> None:
    with (folder / MODEL_FILE).open("r+b") as fh:
        fh.seek(100)
        fh.write(b"corrupt")


def _old_sklearn(folder: Path) -> None:
    card = json.loads((folder / CARD_FILE).read_text())
    card["libraries"]["scikit-learn"] = "0.24.2"
    (folder / CARD_FILE).write_text(json.dumps(card))


@pytest.mark.parametrize(
    ("damage", "needle"),
    [
        (lambda f: shutil.rmtree(f), "does not exist"),
        (_corrupt, "checksum mismatch"),
        (_old_sklearn, "other library versions"),
        (lambda f: (f / MODEL_FILE).write_bytes(b""), "checksum mismatch"),
    ],
    ids=["missing folder", "corrupt", "other library versions", "truncated to nothing"],
)
def test_start_up_refuses_a_bad_model_and_exits_non_zero(model_copy, damage, needle):
    damage(model_copy)
    done = _start(model_copy)
    assert done.returncode == 2
    last = json.loads(done.stderr.strip().splitlines()[-1])
    assert last["level"] == "CRITICAL"
    assert last["msg"].startswith("cannot start:")
    assert needle in last["msg"]


def _sha(base_url: str) -> str:
    return httpx.get(f"{base_url}/readyz", timeout=5).json()["sha256"]


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def test_sighup_reloads_one_worker_in_place(model_copy, demo_scorer):
    with serve(model_copy) as server:
        before = _sha(server.base_url)
        card = save_bundle(dataclasses.replace(demo_scorer, version="7.7.7-hup"), model_copy, {})
        server.process.send_signal(signal.SIGHUP)
        assert _wait_for(lambda: _sha(server.base_url) == card["artifact"]["sha256"])
        assert _sha(server.base_url) != before
        assert server.process.poll() is None  # reloaded, not restarted or killed
        r = httpx.post(f"{server.base_url}/v1/score", json={"headline": "Storm hits"})
        assert r.json()["model"]["version"] == "7.7.7-hup"


def test_sighup_with_a_corrupt_model_keeps_the_old_one(model_copy):
    with serve(model_copy) as server:
        before = _sha(server.base_url)
        _corrupt(model_copy)
        server.process.send_signal(signal.SIGHUP)
        assert _wait_for(lambda: "reload refused" in server.log_path.read_text())
        assert server.process.poll() is None
        assert _sha(server.base_url) == before


def test_reload_reaches_every_worker(model_copy, demo_scorer):
    with serve(model_copy, workers=2) as server:
        card = save_bundle(dataclasses.replace(demo_scorer, version="8.8.8-all"), model_copy, {})
        r = httpx.post(
            f"{server.base_url}/v1/admin/reload",
            headers={"Authorization": f"Bearer {server.token}"},
            timeout=60,
        )
        assert r.status_code == 200
        assert r.json()["workers_restarting"] is True
        new = card["artifact"]["sha256"]

        seen: list[tuple[int, str]] = []

        def all_new() -> bool:
            # New connections are spread over the workers; every answer must be the new model.
            seen.clear()
            for _ in range(12):
                answer = httpx.get(f"{server.base_url}/readyz", headers={"Connection": "close"})
                seen.append((answer.status_code, answer.json().get("sha256", "")[:12]))
            return all(sha == new[:12] for _, sha in seen)

        assert _wait_for(all_new, timeout=90), f"new {new[:12]}; last answers {seen}"
        metrics = httpx.get(f"{server.base_url}/metrics").text
        assert "sensational_http_requests_total" in metrics
        assert load_bundle(model_copy)[1]["version"] == "8.8.8-all"
