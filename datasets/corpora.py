"""Where the public corpora live, and the rows they yield."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"
CORPORA_ENV = "SENSATION_CORPORA"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled row: ``label`` is in [0, 1] (0/1 for binary corpora, graded otherwise)."""

    headline: str
    body: str
    label: float
    origin: str  # "<file>:<line>" so every error and split can point back at the row


def corpora_root(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The corpora folder: the argument, else ``$SENSATION_CORPORA``, else ``../shared/corpora``,
    else ``data/corpora`` (where ``make data`` fetches them); ``None`` when none exists."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CORPORA_ENV):
        return Path(os.environ[CORPORA_ENV])
    for default in (REPO_ROOT.parent / "shared" / "corpora", REPO_ROOT / "data" / "corpora"):
        if default.is_dir():
            return default
    return None


def holdout_bucket(text: str, buckets: int = 5) -> int:
    """Deterministic split bucket of a text; bucket 0 is the held-out fifth."""
    return int(hashlib.sha256(text.strip().encode("utf-8")).hexdigest(), 16) % buckets


def read_twins(path: Path = SAMPLES / "headline_twins.jsonl") -> list[tuple[str, str]]:
    """The project's loaded/sober headline pairs: ``(loaded, sober)`` each."""
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                pairs.append((row["loaded"], row["sober"]))
    return pairs


def read_story_pairs(path: Path = SAMPLES / "story_pairs.jsonl") -> list[dict[str, Any]]:
    """Sober and sensational tellings of the same story, each with headline and body."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            for side in ("sober", "sensational"):
                if (
                    not isinstance(row.get(side), dict)
                    or not {"headline", "body"} <= row[side].keys()
                ):
                    raise ValueError(f"{path}:{lineno}: {side!r} needs a headline and a body")
            rows.append(row)
    return rows


def read_demo() -> Iterator[Example]:
    """The headline twins as labelled headlines: loaded = 1, sober = 0."""
    path = SAMPLES / "headline_twins.jsonl"
    for lineno, (loaded, sober) in enumerate(read_twins(path), 1):
        yield Example(loaded, "", 1.0, f"{path}:{lineno}")
        yield Example(sober, "", 0.0, f"{path}:{lineno}")


def read_story_pair_examples() -> list[Example]:
    """The story pairs as labelled articles: sensational = 1, sober = 0."""
    path = SAMPLES / "story_pairs.jsonl"
    out = []
    for i, row in enumerate(read_story_pairs(path), 1):
        for side, y in (("sensational", 1.0), ("sober", 0.0)):
            out.append(Example(row[side]["headline"], row[side]["body"], y, f"{path}:{i}#{side}"))
    return out


@dataclass(frozen=True, slots=True)
class SpanDoc:
    """A span-annotated document (PTC style): ``spans`` are ``(start, end, technique)``."""

    doc_id: str
    text: str
    spans: tuple[tuple[int, int, str], ...]
    origin: str
