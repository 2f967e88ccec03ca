"""BASIL (Fan et al., EMNLP 2019): lexical-bias spans in Fox, NYT and HuffPost articles.

Evaluation only: its licence states no grant, so no model of this project trains on it.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FOLDER = "basil"
FILE = "emnlp19-BASIL.zip"


@dataclass(frozen=True, slots=True)
class BasilArticle:
    """One article: the body is its sentences joined by single spaces; ``lexical`` and
    ``informational`` are ``(start, end)`` spans into the body."""

    doc_id: str
    outlet: str
    headline: str
    body: str
    lexical: tuple[tuple[int, int], ...]
    informational: tuple[tuple[int, int], ...]
    origin: str


def read_basil(root: Path) -> Iterator[BasilArticle]:
    """Yield the 300 articles in file-name order; a malformed file raises ``ValueError``."""
    path = Path(root) / FOLDER / FILE
    with zipfile.ZipFile(path) as zf:
        names = sorted(
            n
            for n in zf.namelist()
            if n.endswith(".json") and "/data/" in n and not n.startswith("__MACOSX")
        )
        for name in names:
            try:
                yield _article(json.loads(zf.read(name)), name, path)
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{name}: not a BASIL article ({exc})") from exc


def _article(row: dict, name: str, path: Path) -> BasilArticle:
    parts: list[str] = []
    spans: dict[str, list[tuple[int, int]]] = {"Lexical": [], "Informational": []}
    pos = 0
    for sentence in sorted(row["body"], key=lambda s: s["sentence-index"]):
        text = sentence["sentence"]
        for a in sentence.get("annotations", ()):
            quoted = str(a["text"]).strip()
            # The offsets are close but not always exact: find the quoted text near them.
            at = text.find(quoted, max(0, int(a["start"]) - 5)) if quoted else -1
            if at < 0:
                at = text.find(quoted) if quoted else -1
            if at >= 0 and a.get("bias") in spans:
                spans[a["bias"]].append((pos + at, pos + at + len(quoted)))
        parts.append(text)
        pos += len(text) + 1
    stem = Path(name).stem
    return BasilArticle(
        doc_id=stem,
        outlet=str(row.get("source") or stem.rsplit("_", 1)[-1]),
        headline=str(row.get("title") or "").strip(),
        body=" ".join(parts),
        lexical=tuple(spans["Lexical"]),
        informational=tuple(spans["Informational"]),
        origin=f"{path}#{name}",
    )
