"""Tokens with offsets, word stems, and the curated lexicon of loaded wording.

Everything here indexes the string exactly as sent: a token carries its ``start``/``end`` in
code points of the original text, so spans built from tokens always satisfy
``text == field[start:end]``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate, repeat
from typing import NamedTuple

from nltk.stem.snowball import SnowballStemmer

CATEGORIES = (
    "fear",
    "conflict",
    "hyperbole",
    "outrage",
    "plight",
    "clickbait",
    "speculation",
    "loaded",  # learned from data, not in the curated lexicon
    "shouting",  # words in capitals inside a sentence-case line (the tagger's rule)
)
KINDS = ("", "topic", "exact")
# A word, with inner apostrophes ("won't", "Trump’s") and hyphens ("jaw-dropping") kept.
_TOKEN = re.compile(r"\w+(?:['\u2019\u2018-]\w+)*")
# The same pattern as one group: ``split`` then returns gap, word, gap, ..., word, gap, and the
# running sum of the piece lengths gives every offset with no Match object per word.
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_STEMMER = SnowballStemmer("english")


class Token(NamedTuple):
    """One word of a text: its offsets into the text as sent, and its lookup key (stem).

    A named tuple rather than a dataclass: a 600-word body makes 600 of them per request.
    """

    start: int
    end: int
    stem: str


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One curated term or phrase: ``kind`` is ``"topic"`` for words that often merely name
    the subject of a sober report ("war", "strike"), and ``"exact"`` for a word that must not
    match other words with its stem ("weaponized", not "weapons")."""

    term: str
    category: str
    weight: float
    kind: str = ""


def surface(word: str) -> str:
    """A word as the lexicon spells it: lower-cased, apostrophes folded, possessive dropped."""
    word = word.lower().translate(_APOSTROPHES)
    return word[:-2] if word.endswith("'s") else word


def _stem_word(word: str) -> str:
    return _STEMMER.stem(surface(word))


class _StemCache(dict[str, str]):
    """``word -> stem``, filled on first use. A dict (not ``lru_cache``) so that a whole word
    list is mapped by ``dict.__getitem__`` in C; only unseen words run Python code."""

    max_size = 200_000

    def __missing__(self, word: str) -> str:
        if len(self) >= self.max_size:  # bounded memory on endless new words: start over
            self.clear()
        value = self[word] = _stem_word(word)
        return value


_STEMS = _StemCache()


def stem(word: str) -> str:
    """The lookup key of a word: lower-cased, apostrophes folded, Snowball-stemmed."""
    return _STEMS[word]


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` with their offsets in ``text`` and their stems."""
    # Hot path (every request): no Python code per word on cached stems.
    pieces = _TOKEN_SPLIT.split(text)
    offsets = list(accumulate(map(len, pieces)))
    stems = map(_STEMS.__getitem__, pieces[1::2])
    # tuple.__new__ builds the named tuples without Token.__new__'s Python frame.
    starts, ends = offsets[:-1:2], offsets[1::2]
    return list(map(tuple.__new__, repeat(Token), zip(starts, ends, stems, strict=True)))


def term_key(term: str) -> tuple[str, ...]:
    """The stem sequence a term or phrase matches."""
    return tuple(stem(m.group()) for m in _TOKEN.finditer(term))


def inflections(word: str) -> set[str]:
    """Regular inflections of a lexicon word, so that "panic" also matches "panicked".

    The Snowball stemmer maps "panicked" to "panick" and "slamming" to "slam"; generating the
    regular forms of each curated word and stemming them covers both spelling rules.
    """
    w = word.lower()
    # Only the endings English spelling allows: "war" + "d" or "wares" would make the lexicon's
    # "war" match "wards" and "ware".
    forms = {w, w + "s"}
    if w.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(w + "es")
    if w.endswith("e"):
        forms |= {w + "d", w[:-1] + "ing"}
    else:
        forms |= {w + "ed", w + "ing"}
    if w.endswith("c"):
        forms |= {w + "ked", w + "king", w + "ks"}
    if w.endswith("y") and len(w) > 3:
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return forms


def surface_forms(term: str) -> dict[str, frozenset[str]]:
    """The spellings of a one-word term and its regular inflections, by stem.

    Stems conflate words that an ``"exact"`` lexicon entry keeps apart ("completely" and
    "completing", "reportedly" and "reported", "weaponized" and "weapons"): such an entry
    matches only these spellings.
    """
    out: dict[str, set[str]] = {}
    for form in inflections(term):
        out.setdefault(stem(form), set()).add(surface(form))
    return {k: frozenset(v) for k, v in out.items()}


def load_lexicon(name: str = "lexicon.tsv") -> list[LexiconEntry]:
    """Read the curated lexicon shipped in ``sensational/resources``.

    Raises
    ------
    ValueError
        When a row has the wrong number of columns, an unknown category or kind, or a weight
        outside [0, 1]; the message names the line.
    """
    text = resources.files("sensational.resources").joinpath(name).read_text("utf-8")
    entries = []
    for lineno, row in enumerate(csv.reader(text.splitlines(), delimiter="\t"), 1):
        if not row or row[0].startswith("#"):
            continue
        if len(row) not in (3, 4):
            raise ValueError(f"{name}:{lineno}: expected 3 or 4 tab-separated columns")
        term, category, weight = row[0].strip(), row[1].strip(), float(row[2])
        if category not in CATEGORIES:
            raise ValueError(f"{name}:{lineno}: unknown category {category!r}")
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"{name}:{lineno}: weight {weight} is outside [0, 1]")
        kind = row[3].strip() if len(row) == 4 else ""
        if kind not in KINDS:
            raise ValueError(f"{name}:{lineno}: unknown kind {kind!r}")
        entries.append(LexiconEntry(term, category, weight, kind))
    return entries
