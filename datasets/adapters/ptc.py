"""SemEval-2020 Task 11 Propaganda Techniques Corpus: articles with technique spans."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from datasets.corpora import SpanDoc

TRAIN = "semeval2020-ptc"
DEV = "semeval2020-ptc-dev"
# PTC techniques that are loaded wording (what the framing highlighter is meant to find).
LOADED_TECHNIQUES = frozenset(
    {
        "Loaded_Language",
        "Exaggeration,Minimisation",
        "Appeal_to_fear-prejudice",
        "Name_Calling,Labeling",
    }
)


def read_ptc(root: Path, *, dev: bool = False) -> Iterator[SpanDoc]:
    """Yield every article with its ``(start, end, technique)`` spans.

    ``dev=False`` reads the training articles (``semeval2020-ptc``), ``dev=True`` the official
    development split (``semeval2020-ptc-dev``). Offsets index the file's text as read with
    ``newline=""``, so CRLF or lone CR would be kept exactly as the annotators counted them.
    """
    folder = root / (DEV if dev else TRAIN)
    articles = folder / ("dev-articles" if dev else "articles")
    labels = folder / ("dev-task-TC.labels" if dev else "task2-TC.labels")
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with labels.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row:
                continue
            if len(row) != 4:
                raise ValueError(
                    f"{labels}:{lineno}: expected 4 tab-separated fields, got {len(row)}"
                )
            doc_id, technique, start, end = row
            spans[doc_id].append((int(start), int(end), technique))
    for path in sorted(articles.glob("article*.txt")):
        doc_id = path.stem.removeprefix("article")
        with path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        yield SpanDoc(doc_id, text, tuple(sorted(spans.get(doc_id, ()))), str(path))
