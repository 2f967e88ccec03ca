"""NewsAgendas (Subbiah et al., WASSA 2023): articles with people's agenda labels and evidence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FOLDER = "newsagendas"
FILE = "newsagendas.jsonl"

_BREAK = re.compile(r"\s*(?:</?br\s*/?>\s*)+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AgendaArticle:
    """One article: ``labels`` as the annotators gave them, ``agenda_score`` 1-5 or None."""

    doc_id: str
    headline: str
    body: str
    labels: tuple[str, ...]
    agenda_score: int | None
    evidence: dict[str, tuple[str, ...]]
    source_type: str
    origin: str


def clean_body(text: str) -> str:
    """The body as plain text: ``<br>`` runs become paragraph breaks."""
    return "\n".join(p.strip() for p in _BREAK.split(text) if p.strip())


def read_newsagendas(root: Path) -> Iterator[AgendaArticle]:
    """Yield every article of the corpus; a malformed line raises ``ValueError`` naming it."""
    path = Path(root) / FOLDER / FILE
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                score = row["annotated-agenda-score"]
                yield AgendaArticle(
                    doc_id=str(row["id"]),
                    headline=str(row["article-title"]).strip(),
                    body=clean_body(str(row["article-contents"])),
                    labels=tuple(str(row.get("annotated-labels") or "").split()),
                    agenda_score=int(score) if str(score).isdigit() else None,
                    evidence={
                        str(k): tuple(str(s) for s in v)
                        for k, v in (row.get("annotated-evidence") or {}).items()
                    },
                    source_type=str(row.get("weak-label-0") or ""),
                    origin=f"{path}:{lineno}",
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{lineno}: not a NewsAgendas row ({exc})") from exc
