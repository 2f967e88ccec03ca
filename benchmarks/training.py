"""Wall time of the default model's training, run as `make train` would run it."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = Path("training/configs/default.toml")


def training_command(output: Path, *, help_text: str, config: Path = DEFAULT_CONFIG) -> list[str]:
    """The training command line; ``--config`` only when the CLI's help offers it."""
    cmd = [sys.executable, "-m", "training.train"]
    if "--config" in help_text and (REPO_ROOT / config).is_file():
        cmd += ["--config", str(config)]
    return [*cmd, "--output", str(output)]


def measure_training(*, timeout_s: float = 420) -> dict[str, Any]:
    """Train into a temporary folder and time it; the trained model is thrown away."""
    help_run = subprocess.run(
        [sys.executable, "-m", "training.train", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if help_run.returncode != 0:
        return {"skipped": f"training.train --help failed: {help_run.stderr.strip()[-500:]}"}
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        out = Path(tmp) / "model"
        cmd = training_command(out, help_text=help_run.stdout)
        start = time.perf_counter()
        try:
            done = subprocess.run(
                cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_s
            )
        except subprocess.TimeoutExpired:
            return {"skipped": f"training took longer than {timeout_s:.0f} s and was stopped"}
        wall = time.perf_counter() - start
        if done.returncode != 0:
            return {"skipped": f"training failed ({done.returncode}): {done.stderr.strip()[-800:]}"}
        card_path = out / "model-card.json"
        card = json.loads(card_path.read_text("utf-8")) if card_path.is_file() else {}
    shown = ["python" if c == sys.executable else c for c in cmd]
    shown[-1] = "<tmp>"
    return {
        "command": " ".join(shown),
        "wall_s": wall,
        "card_training_seconds": card.get("training_seconds"),
        "data": [d.get("name") for d in card.get("data", []) if isinstance(d, dict)],
    }
