"""The Dockerfile cannot be built here (no Docker engine): its commands are checked instead,
against the Makefile's targets and by running them outside a container."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

from datasets.corpora import REPO_ROOT
from tests.load.run import serve

DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()
MAKEFILE = (REPO_ROOT / "Makefile").read_text()


def _instructions(name: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [ln.split(None, 1)[1] for ln in joined.splitlines() if ln.startswith(name + " ")]


def _make_recipe(target: str) -> list[str]:
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", MAKEFILE, re.MULTILINE)
    assert match, f"Makefile has no {target} target"
    return [ln.strip() for ln in match.group(1).splitlines()]


def test_official_slim_base_matching_the_python_version():
    (base,) = _instructions("FROM")
    assert re.fullmatch(r"python:3\.11-slim", base)
    assert ">=3.11" in (REPO_ROOT / "pyproject.toml").read_text()


def test_runs_as_a_non_root_user():
    (user,) = _instructions("USER")
    assert user not in ("root", "0")
    assert any("useradd" in run and user in run for run in _instructions("RUN"))


def test_installs_the_pinned_runtime_requirements():
    assert any("pip install --no-cache-dir -r requirements.txt" in r for r in _instructions("RUN"))


def test_trains_the_default_model_with_the_make_model_command():
    (make_train,) = [ln for ln in _make_recipe("$(MODEL_DIR)/model.joblib") if "training" in ln]
    make_args = shlex.split(make_train.replace("$(PY)", "python"))[:-1]  # all but the output
    runs = [r for r in _instructions("RUN") if "-m training" in r]
    assert len(runs) == 1
    assert "--mount=type=bind,from=corpora" in runs[0]
    docker_cmd = runs[0].split("SENSATION_CORPORA=/corpora ", 1)[1]
    assert shlex.split(docker_cmd)[:-1] == make_args
    assert shlex.split(docker_cmd)[-1] == "/app/models/default"
    assert "SENSATION_MODEL_PATH=/app/models/default" in DOCKERFILE


def test_serves_with_the_make_run_command_and_probes_healthz():
    (cmd,) = _instructions("CMD")
    assert cmd == '["python", "-m", "service"]'
    assert any(ln.endswith("-m service") for ln in _make_recipe("run"))
    (health,) = _instructions("HEALTHCHECK")
    assert health.endswith('CMD ["python", "-m", "service.healthcheck"]')


def test_copied_folders_are_enough_to_import_the_service_and_the_trainer(tmp_path):
    for source in _instructions("COPY"):
        src, dst = source.split()
        target = tmp_path / dst
        if (REPO_ROOT / src).is_dir():
            shutil.copytree(REPO_ROOT / src, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO_ROOT / src, target if dst != "./" else tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", "import service.app, service.healthcheck, training.train"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _probe(port: int) -> int:
    env = {**os.environ, "SENSATION_PORT": str(port)}
    return subprocess.run(
        [sys.executable, "-m", "service.healthcheck"], cwd=REPO_ROOT, env=env, check=False
    ).returncode


def test_healthcheck_command_passes_on_a_live_server_and_fails_without_one(model_copy):
    with serve(model_copy) as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        assert _probe(port) == 0
    assert _probe(port) == 1


def test_dockerfile_copies_no_corpora_and_no_local_model():
    copied = " ".join(_instructions("COPY"))
    assert "corpora" not in copied
    assert "models" not in copied
