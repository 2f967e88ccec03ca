"""Text normalisation and page-boilerplate detection.

Offsets are always code points of the string exactly as the caller sent it: helpers here
return ranges into that string and never re-index it.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold the typographic variants that should not change a model's answer.

    Curly quotes and dashes become ASCII, invisible format characters go, runs of white
    space collapse to one space. Used for model input only, never for span offsets.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text).strip()


# Lines an extension scrapes along with the article: consent banners, newsletter and
# share prompts, link lists, section tags. Matched per line, anchored, case-insensitive.
_BOILERPLATE_LINE = re.compile(
    r"""^\s*(?:
        \[[A-Z][A-Z &/-]{1,30}\]                                   # [NEWS], [WORLD]
      | (?:don'?t|do\ not)\ miss\b.*
      | read\ (?:full\ article|more|next)\b.*
      | (?:follow|like)\ us\b.*
      | share\ (?:this|on)\b.*
      | (?:sign\ up|subscribe)\b.*(?:newsletter|inbox|email|updates).*
      | .*\bwe\ use\ cookies\b.*
      | .*\bcookie\ (?:policy|settings|preferences)\b.*
      | (?:advertisement|sponsored(?:\ content)?|related\ articles?|most\ read|trending)\s*:?\s*
      | (?:click|tap)\ here\b.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_LINE = re.compile(r"[^\r\n]+")


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` ranges of lines that are page furniture, not article text."""
    return [
        (m.start(), m.end()) for m in _LINE.finditer(text) if _BOILERPLATE_LINE.match(m.group())
    ]


def strip_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    """Return ``text`` without ``ranges`` (sorted, non-overlapping), each replaced by a newline."""
    if not ranges:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in ranges:
        parts.append(text[pos:start])
        parts.append("\n")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
