"""The shape of the code: import contracts, the training command line and its aliases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from datasets.corpora import REPO_ROOT


def test_import_contracts_hold() -> None:
    """pyproject.toml [tool.importlinter]: the core imports neither the service, training,
    datasets nor FastAPI/typer; layers; no cycles among the modules of training/datasets."""
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout


def test_python_m_training_lists_its_commands_and_the_old_entry_points_still_work() -> None:
    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", *args, "--help"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    listing = run("training")
    for command in ("train", "evaluate", "fetch", "sourcing"):
        assert f" {command} " in listing
    assert "--champion-report" in run("training.evaluate")
    assert "--skip-invalid" in run("training.train")
