"""Chakraborty et al. 2016 "Stop Clickbait" headlines: 1 = clickbait, 0 = news."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from datasets.corpora import Example

FOLDER = "chakraborty-clickbait"
FILES = (("clickbait_data.gz", 1.0), ("non_clickbait_data.gz", 0.0))


def read_chakraborty(root: Path) -> Iterator[Example]:
    """Yield one headline per non-blank line; ``origin`` is ``file:line``.

    Blank lines are part of the published files (a few of them) and carry no row. A line that
    is not UTF-8 raises ``UnicodeDecodeError`` naming the file, since the published files have
    none and such a file is not the corpus.
    """
    folder = Path(root) / FOLDER
    for name, label in FILES:
        with gzip.open(folder / name, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                text = line.strip()
                if text:
                    yield Example(text, "", label, f"{folder / name}:{lineno}")
