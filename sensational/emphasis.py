"""Shouted emphasis: words in capitals for effect ("Elephant GORES buffalo"), not acronyms.

Capitals are read word by word, so a house style of Title Case ("Most Voters Don't Change")
never counts: only a word written wholly in capitals does. Acronyms are written that way too
("NATO", "UCLA", "IRS"), so :class:`Capitals` learns from running text which words are
ordinary words (mostly written in lower case) and which are acronyms (mostly in capitals). A
word in capitals is shouted when it is an ordinary word, or when it was never seen and is long
enough not to be an acronym (five letters or more, two vowels or more).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sensational.lexicon import stem

# Three or more capitals with no lower-case letter: "GORES", "DRONE BOMBS", "EVER", "WATCH:".
_CAPS = re.compile(r"(?<![^\W\d_])[A-Z][A-Z'\u2019-]*[A-Z](?![^\W\d_])")
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("AEIOUY")
# An unseen word this long with this many vowels is a word, not an acronym ("GORES", not "NFIP").
UNSEEN_WORD_LETTERS = 5
UNSEEN_WORD_VOWELS = 2


@dataclass(frozen=True)
class Capitals:
    """What running text writes in lower case (``ordinary``: word stems) and in capitals
    (``acronyms``: lower-cased words)."""

    ordinary: frozenset[str] = frozenset()
    acronyms: frozenset[str] = frozenset()

    def shouted(self, word: str) -> bool:
        """Whether ``word``, written in capitals, is shouted rather than an acronym."""
        low = word.lower()
        if low in self.acronyms:
            return False
        if stem(low) in self.ordinary:
            return True
        vowels = sum(ch in _VOWELS for ch in word)
        return len(word) >= UNSEEN_WORD_LETTERS and vowels >= UNSEEN_WORD_VOWELS

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of each shouted word of ``text`` (offsets into ``text``)."""
        return [m.span() for m in _CAPS.finditer(text) if self.shouted(m.group())]


def learn_capitals(
    texts: Iterable[str],
    words: Iterable[str] = (),
    *,
    min_lower: int = 2,
    max_caps_share: float = 0.5,
) -> Capitals:
    """Learn :class:`Capitals` from running text.

    A word of three letters or more is ordinary when written in lower case ``min_lower`` times
    or more and in capitals in less than ``max_caps_share`` of its occurrences; it is an acronym
    when written in capitals at least that share of the time (twice or more). ``words`` are
    known ordinary words besides (a lexicon).
    """
    lower: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group()
            if len(word) < 3:
                continue
            low = word.lower()
            seen[low] += 1
            if word == low:
                lower[low] += 1
            elif word.isupper():
                caps[low] += 1
    acronyms = frozenset(w for w, n in caps.items() if n >= 2 and n / seen[w] >= max_caps_share)
    ordinary = {
        stem(w) for w, n in lower.items() if n >= min_lower and caps[w] / seen[w] < max_caps_share
    }
    ordinary.update(stem(w.lower()) for w in words if w.isalpha())
    return Capitals(frozenset(ordinary), acronyms)
