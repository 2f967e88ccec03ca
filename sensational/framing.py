"""Loaded-language detection: spans with a category and a weight, and a framing score."""

from __future__ import annotations

import csv
import math
import re
from importlib import resources

from sensational.results import Field, FramingResult, Span


def load_lexicon() -> list[tuple[str, str, float]]:
    rows = []
    text = resources.files("sensational.resources").joinpath("lexicon.tsv").read_text("utf-8")
    for row in csv.reader(
        (ln for ln in text.splitlines() if ln and not ln.startswith("#")), delimiter="\t"
    ):
        rows.append((row[0], row[1], float(row[2])))
    return rows


class FramingDetector:
    """Match the lexicon in a text; everything is compiled once, at construction."""

    def __init__(self, lexicon: list[tuple[str, str, float]] | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self._entries = {term.lower(): (cat, w) for term, cat, w in self.lexicon}
        alternatives = sorted(self._entries, key=len, reverse=True)
        self._pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(t) for t in alternatives) + r")\b", re.IGNORECASE
        )

    def detect(self, text: str, field: Field, exclude: list[tuple[int, int]] = ()) -> list[Span]:
        spans = []
        for m in self._pattern.finditer(text):
            if any(s <= m.start() < e for s, e in exclude):
                continue
            cat, w = self._entries[m.group().lower()]
            spans.append(Span(field, m.start(), m.end(), m.group(), cat, w))
        return spans

    def score(self, spans: list[Span], n_words: int) -> FramingResult:
        total = sum(s.weight for s in spans)
        density = total / max(n_words, 1) * 100
        categories: dict[str, float] = {}
        for s in spans:
            categories[s.category] = categories.get(s.category, 0.0) + s.weight
        return FramingResult(1 - math.exp(-density / 4), spans, categories)
