"""The model card: what a model is, what it was trained on, how it measured, how to rebuild it.

``model-card.json`` is the machine-readable card (served by ``GET /v1/model``); ``model-card.md``
renders it for people.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

from datasets.corpora import REPO_ROOT
from sensational import __version__
from sensational.artifact import content_sha256
from sensational.scorer import Scorer

CARD_MARKDOWN = "model-card.md"
CONFIG_COPY = "config.json"


def model_version(scorer: Scorer) -> str:
    """``<code version>+<12 hex digits>``: the digits hash the fitted model itself (with its
    version left blank), so equal models share a version and any change of data, config,
    code or library that changes the model gives a new one."""
    before = scorer.version
    scorer.version = ""
    try:
        digest = content_sha256(scorer)
    finally:
        scorer.version = before
    return f"{__version__}+{digest[:12]}"


def git_commit(repo: Path = REPO_ROOT) -> dict[str, Any] | None:
    """The commit the code was at, and whether the working tree had changes; ``None`` outside
    a git checkout."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB (``getrusage``; the joblib worker
    processes of a parallel fit are not included)."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, 1)


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(terse=True)}


def render_card(card: dict[str, Any]) -> str:
    """The model card as Markdown, for people; the JSON card is the machine-readable one."""
    lines = [f"# Model card: {card['name']} {card['version']}", ""]
    if card.get("demo"):
        lines += [
            "**DEMONSTRATION MODEL**: trained on the project's own tiny samples because no"
            " corpora were found. Its scores mean little.",
            "",
        ]
    build = card.get("build", {})
    commit = build.get("git") or {}
    lines += [
        f"- Created: {card.get('created_at')}",
        f"- Artifact: `{card['artifact']['file']}`, SHA-256 `{card['artifact']['sha256']}`",
        f"- Version: `{card['version']}` (code {build.get('code_version')} + a hash of the"
        " fitted model)",
        f"- Code: commit `{commit.get('commit', 'unknown')}`"
        + (" (with uncommitted changes)" if commit.get("dirty") else ""),
        f"- Training time: {card.get('training_seconds')} s; peak memory of the training"
        f" process {build.get('peak_memory_mb')} MiB",
        f"- Split: {card.get('split')}",
        "",
    ]
    for export in (card.get("feedback") or {}).get("exports", []):
        verdicts = ", ".join(f"{v} {n}" for v, n in export["by_verdict"].items()) or "none"
        left = "; ".join(
            f"{k.removeprefix('feedback: ')}: {n}" for k, n in export["left_out"].items()
        )
        lines += [
            f"**Readers' reports** ({export['name']}): {export['accepted_used']} accepted reports"
            f" trained ({verdicts}): {export['span_judgements']} span judgements,"
            f" {export['article_rows']} article rows, {export['headline_rows']} headline rows."
            + (f" Left out: {left}." if left else ""),
            "",
        ]
    if card.get("samples_used"):
        lines += [
            "**Project samples in the training data**: "
            + "; ".join(f"{k}: {v}" for k, v in card["samples_used"].items()),
            "",
        ]
    lines += [
        "## Data",
        "",
        "| source | role | licence | rows | held out | files (SHA-256) |",
        "|---|---|---|---|---|---|",
    ]
    for d in card.get("data", []):
        files = "; ".join(
            f"{f['path']} `{(f.get('sha256') or f.get('sha256_of_listing', ''))[:12]}`"
            for f in d["files"]
        )
        verified = {True: " (matches the manifest)", False: " (differs from the manifest)"}
        files += verified.get(d.get("manifest_verified"), "")
        lines.append(
            f"| {d['name']} | {d['role']} | {d['licence']} | {d['rows']} | {d['held_out']} |"
            f" {files} |"
        )
    v = card.get("validation", {})
    skipped = v.get("skipped_invalid", 0)
    lines += [
        "",
        f"Invalid rows skipped: {skipped}"
        + (f" (listed in `{v['skipped_file']}`)" if v.get("skipped_file") else "")
        + f"; duplicates merged: {v.get('duplicates_merged', 0)}; left out by design:"
        f" {v.get('excluded') or 'none'}.",
        "",
        "## Rows",
        "",
        "```json",
        json.dumps(card.get("rows"), indent=2),
        "```",
        "",
        "## Metrics (held-out split unless named)",
        "",
        "```json",
        json.dumps(card.get("metrics"), indent=2),
        "```",
        "",
        "## Parameters",
        "",
        "```json",
        json.dumps(card.get("parameters"), indent=2),
        "```",
        "",
    ]
    if card.get("search"):
        s = card["search"]
        lines += [
            "## Hyperparameter search",
            "",
            f"{s['cv']}-fold cross-validation on the training split, scoring {s['scoring']}:"
            f" best {s['best_params']} ({s['best_score']}).",
            "",
        ]
    lines += ["## Libraries", ""]
    lines += [f"- {k} {v}" for k, v in card.get("libraries", {}).items()]
    return "\n".join(lines) + "\n"
