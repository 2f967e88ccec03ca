"""Register rules: when a speculation or clickbait marker is the plain word of its register.

The lexicon lists hedges and hype markers ("may", "could", "alleged", "faces", "breaking").
Most of their occurrences in ordinary news are not hype at all, so a marker is shown only when
its context makes it one (docs/criteria.md, "speculation" and "label_prefix"):

1. **Legal wording.** "alleged", "allegedly", "allegation" in a sentence about a court, a
   charge, the police or a crime is the precise word the law requires: plain.
2. **"faces" as "is charged with".** "faces charges", "is facing trial", "faces up to ten years"
   and the like state a legal fact: plain.
3. **Weak markers need something to hype.** A marker with a low prior ("may", "might",
   "could", "warns", "risk", "faces", "reportedly", ...) is speculation only when the rest of
   its sentence, up to :data:`CLAUSE_WORDS` words on, carries loaded wording ("hospitals could
   be overwhelmed", "may spark chaos"). "Visitors may park on the verge" and "the package may
   include adverts" are permission and plain possibility.
4. **"May" with a capital inside a sentence** is a name or a month ("Theresa May", "in May"):
   never a marker.
5. **Hype labels belong to headlines.** "breaking", "exclusive", "revealed", "secret" and
   the softer clickbait phrases ("find out", "this one") count in a headline (or a teaser
   headline in a link list); in body text only unmistakable ones (prior weight of
   :data:`STRONG_CLICKBAIT` or more: "you won't believe") count ("breaking the law", "a
   secret ballot" are plain). "breaking" and "exclusive" count only as a label prefix: the
   first word of the headline's line, followed by ":", "|" or a dash.
6. **A warning is an attribution.** "warns", "warned", "warning" say who forecasts: an
   attributed forecast is not speculation (the loaded words of the warning are marked
   themselves).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Container, Sequence

from sensational.lexicon import Token, stem

# Below this prior weight a speculation marker needs loaded wording in its clause (rule 3).
WEAK_MARKER = 0.5
# How many words after a weak marker its clause may run (rule 3).
CLAUSE_WORDS = 8
# In body text only clickbait phrases this unmistakable count (rule 5).
STRONG_CLICKBAIT = 0.7

_ALLEGED = frozenset(stem(w) for w in ("alleged", "allegedly", "allegation", "allegations"))
_LEGAL = frozenset(
    stem(w)
    for w in """court courts judge judges jury juror trial trials tribunal magistrate magistrates
    prosecutor prosecutors prosecution prosecuted charge charges charged indicted indictment
    police officer officers detective detectives arrest arrested custody bail suspect suspects
    defendant defendants lawyer lawyers attorney attorneys lawsuit sued plaintiff plead pleaded
    guilty convicted conviction sentenced sentence crime crimes criminal offence offences offense
    offenses murder murdered manslaughter assault assaulted rape raped fraud theft stolen robbery
    abuse abused harassment misconduct victim victims inquest investigation investigators
    complaint extradition accused testified testimony hearing verdict""".split()
)
_FACE = frozenset(stem(w) for w in ("face", "faces", "faced", "facing"))
# What one faces when the law is involved ("faces charges", "faces up to 10 years").
_LEGAL_OBJECT = frozenset(
    stem(w)
    for w in """charge charges trial retrial prosecution jail prison sentence sentencing years
    months life fine fines extradition deportation lawsuit lawsuits court hearing inquiry
    investigation impeachment disciplinary questioning counts count up""".split()
)
_WARN = frozenset(stem(w) for w in ("warn", "warns", "warned", "warning", "warnings"))
_LABEL_ONLY = frozenset(stem(w) for w in ("breaking", "exclusive"))
_MAY = stem("may")
_NEWS = stem("news")
_TAGS = re.compile(r"\[[^\]\n]*\]")
_LABEL_PUNCT = frozenset(":|-\u2013\u2014")
# Categories whose matches count as loaded wording for rule 3.
LOADED_CATEGORIES = frozenset({"fear", "conflict", "hyperbole", "outrage", "plight", "loaded"})


def is_plain_marker(
    text: str,
    tokens: Sequence[Token],
    a: int,
    b: int,
    category: str,
    prior: float,
    segment: Sequence[int],
    loaded: Container[int],
    *,
    headline: bool,
) -> bool:
    """True when the marker at tokens ``a..b-1`` is plain in its register (not shown).

    ``prior`` is the marker's lexicon weight; ``segment`` the sentence number of each token
    (never decreasing); ``loaded`` the indices of tokens in loaded wording (learned or lexicon).
    """
    first = tokens[a]
    if category == "clickbait":
        if not headline:
            return prior < STRONG_CLICKBAIT  # rule 5
        if b - a > 1:
            return False
        if first.stem in _LABEL_ONLY:
            return not _label_prefix(text, tokens, a)
        return False
    if category != "speculation":
        return False
    sentence = segment[a]
    if first.stem == _MAY and b - a == 1:
        word = text[first.start : first.end]
        if word[0].isupper() and not word.isupper() and a > 0 and segment[a - 1] == sentence:
            return True  # rule 4
    if first.stem in _ALLEGED:
        # Sentence numbers never decrease along the tokens: the sentence is one slice.
        lo = bisect_left(segment, sentence)
        hi = bisect_right(segment, sentence)
        if any(t.stem in _LEGAL for t in tokens[lo:hi]):
            return True  # rule 1
    if first.stem in _WARN:
        return True  # rule 6
    if first.stem in _FACE:
        nxt = [t.stem for t in tokens[b : b + 3]]
        if any(s in _LEGAL_OBJECT for s in nxt):
            return True  # rule 2
    if prior >= WEAK_MARKER:
        return False
    end = min(len(tokens), b + CLAUSE_WORDS)
    return not any(k in loaded and segment[k] == sentence for k in range(b, end))  # rule 3


def _label_prefix(text: str, tokens: Sequence[Token], a: int) -> bool:
    """The first word of its line (after any bracketed tag), followed by ":", "|" or a dash
    ("BREAKING: ...", "Exclusive | ...", "Breaking news - ...")."""
    line_start = text.rfind("\n", 0, tokens[a].start) + 1
    if _TAGS.sub("", text[line_start : tokens[a].start]).strip():
        return False
    last = a + 1 if a + 1 < len(tokens) and tokens[a + 1].stem == _NEWS else a
    end = tokens[last].end
    nxt = tokens[last + 1].start if last + 1 < len(tokens) else len(text)
    return any(c in _LABEL_PUNCT for c in text[end:nxt])
