"""PolNeAR (Newell et al., LREC 2018): political news with brat attribution relations.

Each relation ties a Source span (who), a Cue span (said, according to, ...) and a Content
span (what); relations without a source are ``Attribution-no-source``. Spans may be
discontinuous, so every role is a tuple of ``(start, end)`` fragments in the article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FOLDER = "polnear"
SPLITS = ("train", "dev")

Fragments = tuple[tuple[int, int], ...]

# "T12<TAB>Cue 113 119;121 125<TAB>text". Span text may run over several lines (the
# annotators kept newlines inside spans), so only the header is parsed and text comes
# from the article itself.
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_EVENT = re.compile(r"^(E\d+)\t(\S.*)$")


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated relation: ``source`` is empty for relations without a source."""

    source: Fragments
    cue: Fragments
    content: Fragments


@dataclass(frozen=True, slots=True)
class AttributionDoc:
    """An article (title on its first line) with its attribution relations."""

    doc_id: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    annotator: str
    origin: str


def _fragments(spec: str) -> Fragments:
    return tuple(
        (int(a), int(b)) for a, b in (part.split() for part in spec.split(";") if part.strip())
    )


def read_ann(path: Path) -> tuple[GoldAttribution, ...]:
    """Parse one brat ``.ann`` file into its relations, in the order of their E lines.

    Raises
    ------
    ValueError
        When an event names a span id the file does not define, or a role it cannot read.
    """
    spans: dict[str, Fragments] = {}
    events: list[tuple[int, str]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, 1):
            if m := _TEXT_BOUND.match(line):
                spans[m.group(1)] = _fragments(m.group(3))
            elif m := _EVENT.match(line):
                events.append((lineno, m.group(2)))
    out = []
    for lineno, spec in events:
        roles: dict[str, Fragments] = {}
        for arg in spec.split():
            role, _, ref = arg.partition(":")
            if ref not in spans:
                raise ValueError(f"{path}:{lineno}: event names undefined span {ref!r}")
            roles[re.sub(r"\d+$", "", role)] = spans[ref]
        out.append(
            GoldAttribution(
                source=roles.get("Source", ()),
                cue=roles.get("Cue", ()),
                content=roles.get("Content", ()),
            )
        )
    return tuple(out)


def read_polnear(root: Path, *, split: str = "train") -> Iterator[AttributionDoc]:
    """Yield every article of ``split`` ("train" or "dev") with one annotator's relations.

    Articles labelled by several annotators (agreement checks) are yielded once, with the
    annotation file whose annotator id sorts first, so counts are per article. Offsets
    index the text as read with ``newline=""``, as the annotation tool counted them.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown PolNeAR split {split!r}: expected one of {SPLITS}")
    folder = root / FOLDER / split
    if not folder.is_dir():
        raise FileNotFoundError(f"PolNeAR split not found at {folder}")
    for text_path in sorted((folder / "text").glob("*.txt")):
        anns = sorted((folder / "attributions").glob(f"{text_path.stem}_*.ann"))
        if not anns:
            raise ValueError(f"{text_path}: no annotation file in {folder / 'attributions'}")
        with text_path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        ann = anns[0]
        yield AttributionDoc(
            doc_id=text_path.stem,
            text=text,
            attributions=read_ann(ann),
            annotator=ann.stem.rsplit("_", 1)[1],
            origin=str(ann),
        )
