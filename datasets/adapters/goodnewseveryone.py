"""GoodNewsEveryone (Bostan et al., LREC 2020): headlines with emotion cue words and outlets."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FOLDER = "goodnewseveryone"
FILE = "gne-release-v1.0.tsv"

# Outlets by register, for the tabloid-versus-wire headline comparison: the corpus's two
# tabloids against its public broadcasters and papers of record. Partisan sites and magazines
# are left out of that comparison.
TABLOID = frozenset({"dailymail", "NYP"})
WIRE = frozenset({"BBC", "NPR", "TheGuardian", "NYT", "WP", "FT"})


@dataclass(frozen=True, slots=True)
class CueHeadline:
    """One headline: ``cues`` are the annotated emotion cue phrases (lower-cased words)."""

    doc_id: str
    headline: str
    outlet: str
    emotion: str
    cues: tuple[str, ...]
    origin: str


def _phrases(cell: str) -> tuple[str, ...]:
    if not cell.strip():
        return ()
    try:
        groups = json.loads(cell)
    except json.JSONDecodeError:
        # Two rows of the release escape an inner quote twice over; read them as meant.
        groups = json.loads(cell.replace('\\\\"\\\\"', '\\"'))
    return tuple(" ".join(p) if isinstance(p, list) else str(p) for g in groups for p in g if p)


def read_goodnewseveryone(root: Path) -> Iterator[CueHeadline]:
    """Yield each distinct headline id once (the release repeats a few rows)."""
    path = Path(root) / FOLDER / FILE
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh, delimiter="\t"), 2):
            doc_id = (row.get("id") or "").strip()
            headline = (row.get("headline") or "").strip()
            if not doc_id or not headline or doc_id in seen:
                continue
            seen.add(doc_id)
            try:
                cues = _phrases(row.get("cue") or "")
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: the cue column is not JSON ({exc})") from exc
            yield CueHeadline(
                doc_id,
                headline,
                (row.get("source") or "").strip(),
                (row.get("dominant_emotion") or "").strip(),
                cues,
                f"{path}:{lineno}",
            )
