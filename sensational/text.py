"""Text normalisation and page-boilerplate detection.

Offsets are always code points of the string exactly as the caller sent it: helpers here
return ranges into that string and never re-index it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
# share prompts, link lists, section tags. Matched per line, case-insensitive, in two parts
# (see _is_boilerplate_line). First the prompts that open the line: cheap, as they fail on
# its first characters. Possessive quantifiers (*+) where white space could be split between
# two quantifiers: the same lines match, without the polynomial backtracking that made a
# line such as "Share" + 300 spaces + "a" take seconds.
_BOILERPLATE_START = re.compile(
    r"""^\s*+(?:
        (?:\[[A-Z][A-Z0-9 &/-]{1,30}\]\s*+)+                         # [NEWS], [WORLD] alone
      | (?:don'?t|do\ not)\ miss\b.*
      | read\ (?:the\ )?(?:full\ (?:article|story)|more|next|this\ next)\b.*
      | continue\ reading\b.*
      | (?:follow|like|find)\ us\b.*
      | follow\ @\w+.*
      | (?:click\ to\ )?share\ (?:this|on|via|the\ article|story)\b.*
      | share(?:\ this)?(?:facebook|twitter|x|whatsapp|email|linkedin|\W)*+  # \s and : are \W
      | (?:sign\ up|subscribe|register)\b.*(?:newsletter|inbox|email|updates|free|today|now).*
      | get\ (?:the\ )?(?:latest|best|our).*(?:inbox|newsletter|email).*
      | by\ (?:continuing|using)\ (?:to\ (?:use|browse)\ )?this\ (?:site|website).*
      | (?:advertisement|sponsored(?:\ content)?|related\ (?:articles?|stories|content)
         |most\ (?:read|popular|viewed)|trending(?:\ now)?|recommended(?:\ for\ you)?
         |more\ (?:stories|on\ this\ story|from\ \w+)|comments?|top\ stories)\s*+(?::\s*+)?
      | (?:click|tap)\ here\b.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Then the prompts that may stand anywhere in the line, searched for (a leading ".*" in an
# anchored pattern would retry every position of every paragraph). "newsletter ... sign up"
# is two searches: the first "newsletter" is the best start for a later "sign up".
_CONSENT = re.compile(
    r"\bwe (?:and our partners )?use cookies\b"
    r"|\b(?:accept|reject|manage) (?:all )?(?:cookies|consent|preferences)\b"
    r"|\bcookie (?:policy|settings|preferences|notice|consent)\b",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(r"\bnewsletter\b", re.IGNORECASE)
_SIGN_UP = re.compile(r"\b(?:sign up|subscribe)\b", re.IGNORECASE)
# Each of those holds one of these words: a line without any (most lines) skips the searches.
_ANYWHERE_KEYS = ("newsletter", "cookie", "consent", "preferences")
# The non-ASCII characters IGNORECASE equates with an ASCII letter ("\u0130" and "\u0131" with
# i, "\u017f" with s, the Kelvin sign with k; a test checks the list is complete). str.lower()
# does not fold all of them to that letter, so a line holding one skips the key-word check.
_CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")
# Headings that introduce a list of links: the short lines right under them go too.
_LINK_LIST_HEADING = re.compile(
    r"^\s*(?:(?:don'?t|do\ not)\ miss|related(?:\ (?:articles?|stories|content))?"
    r"|most\ (?:read|popular|viewed)|trending(?:\ now)?|recommended(?:\ for\ you)?"
    r"|more\ stories|top\ stories|read\ (?:more|next))\b[^a-z0-9]*$",
    re.IGNORECASE,
)
# A section tag before the headline text on the same line: "[NEWS] Generals in revolt".
_LEADING_TAG = re.compile(r"^\s*(?:\[[A-Z][A-Z0-9 &/-]{1,30}\]\s*)+")
# A bracketed section tag anywhere in a line ("[REVEAL]"): furniture, never highlighted.
SECTION_TAG = re.compile(r"\[[A-Z][A-Z0-9 &/-]{1,30}\]")
_LINE = re.compile(r"[^\r\n]+")
_LINK_LINE_MAX_WORDS = 16


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Return sorted ``(start, end)`` ranges of page furniture, not article text.

    Whole lines of consent, sign-up, follow and share prompts; a link-list heading such as
    "DON'T MISS" and the short lines under it (up to a blank line or a line that reads as a
    sentence of the article); a leading "[NEWS]"-style tag before text on the same line.
    """
    return list(_scan(text)[0])


def find_link_lists(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` of each teaser line under a link-list heading.

    They are part of :func:`find_boilerplate` (never scored as the article); they are listed
    on their own because they are headlines of other stories, whose loaded words a reader
    may still want shown (``framing.link_spans``).
    """
    return list(_scan(text)[1])


@lru_cache(maxsize=8)
def _scan(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    # Cached: the scorer asks for the boilerplate and then for the link lists of one text.
    ranges: list[tuple[int, int]] = []
    links: list[tuple[int, int]] = []
    in_list = False
    last_end = 0
    for m in _LINE.finditer(text):
        line = m.group()
        # A blank line (two breaks) ends a link list.
        if in_list and text[last_end : m.start()].count("\n") > 1:
            in_list = False
        last_end = m.end()
        if not line.strip():
            continue
        if _LINK_LIST_HEADING.match(line):
            in_list = True
            ranges.append((m.start(), m.end()))
        elif _is_boilerplate_line(line):
            ranges.append((m.start(), m.end()))
        elif in_list and _is_link_line(line):
            ranges.append((m.start(), m.end()))
            links.append((m.start(), m.end()))
        else:
            in_list = False
            tag = _LEADING_TAG.match(line)
            if tag:
                ranges.append((m.start(), m.start() + tag.end()))
    return tuple(ranges), tuple(links)


def _is_boilerplate_line(line: str) -> bool:
    """A whole line of consent, sign-up, follow or share prompt, or a section tag alone."""
    if _BOILERPLATE_START.match(line):
        return True
    if line.isascii() or not _CASE_TWINS.search(line):
        low = line.lower()
        if not any(key in low for key in _ANYWHERE_KEYS):
            return False
    if _CONSENT.search(line):
        return True
    first = _NEWSLETTER.search(line)
    return first is not None and _SIGN_UP.search(line, first.end()) is not None


def _is_link_line(line: str) -> bool:
    """A teaser link: short, and not ending like a sentence of running text."""
    stripped = line.strip()
    return len(stripped.split()) <= _LINK_LINE_MAX_WORDS and not stripped.endswith((".", '."'))


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
