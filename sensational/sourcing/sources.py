"""Sources: what kind of speaker a source phrase names, and one source per real-world speaker.

Each phrase gets a kind: person, organisation, document (a tweet, a blog, a report, a
statement) or anonymous ("officials", "sources", "an insider", "47 percent"). Phrases that
name the same speaker are merged ("Pol Norman" / "Norman" / "he"; "Ukraine's General Staff" /
"the General Staff").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from sensational.sourcing.patterns import (
    AFTER_CAPITALISED,
    ANON_HEAD_SET,
    DOC_HEAD_SET,
    DROP_WORDS,
    INDEFINITE,
    KNOWN_HEADS,
    LOWER_WORD_KINDS,
    ORG_HEAD_SET,
    ORG_WORDS,
    PERSON_HEAD_SET,
    PERSON_PRONOUNS,
    TITLES,
    WORD,
    WORD_KINDS,
)

if TYPE_CHECKING:
    from sensational.sourcing.mentions import Mention


@dataclass(slots=True)
class Source:
    name: str
    kind: str
    tokens: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    index: int = -1


def classify(name: str) -> str:
    """The kind of a source phrase: person, organisation, document or anonymous."""
    kind = WORD_KINDS.get(name)
    if kind is not None:
        return kind  # "he", "they", "some": a quarter of all sources
    words = WORD.findall(name)
    if not words:
        return "anonymous" if name[:1].isdigit() else ""  # "42% say"
    lower = [w.lower().replace("\u2019", "'") for w in words]
    first = lower[0]
    if len(lower) == 1:
        kind = LOWER_WORD_KINDS.get(first)
        if kind is not None:
            return kind
    at = head_index(lower)
    head = lower[at]
    if at > 0 and words[at][0].isupper():
        head = ""  # "The Washington Post": a name, not the common noun "post"
    if head in DOC_HEAD_SET:
        return "document"
    if head in ANON_HEAD_SET:
        # "officials", "a source close to the club": unnamed, whatever the modifiers.
        return "anonymous"
    if not ORG_WORDS.isdisjoint(lower) or any(w.isupper() and len(w) > 1 for w in words):
        return "organisation"
    if head in PERSON_HEAD_SET or any(
        w[0].isupper() and w.lower() not in DROP_WORDS for w in words
    ):
        return "person"
    if head in ORG_HEAD_SET:
        return "organisation"
    # An unnamed speaker: "a Democratic strategist", "some", "one user".
    return "anonymous" if first in INDEFINITE else "person"


def head_index(lower: list[str]) -> int:
    # The head of "a source close to the board" is "source": stop at the first tail word.
    for i, w in enumerate(lower):
        if i and w in ("close", "familiar", "with", "for", "at", "from", "of", "in", "on"):
            return i - 1
    return len(lower) - 1


def head_word(lower: list[str]) -> str:
    return lower[head_index(lower)]


def refine_kind(name: str, kind: str, tokens: tuple[str, ...], text: str) -> str:
    """A lone capitalised name is a person only if a first name ever precedes it."""
    if kind != "person" or len(tokens) != 1 or not name[:1].isupper():
        return kind
    if name.lower() in KNOWN_HEADS or name.endswith("s"):
        return kind  # "Critics", "Fans": common nouns opening a sentence
    if any(w.lower().rstrip(".") in TITLES for w in WORD.findall(name)):
        return kind
    return kind if name.split()[-1] in after_capitalised(text) else "organisation"


# A capitalised word (not an article or determiner), then the next word, read without
# consuming it so that "Jane Lee Smith" yields both "Lee" and "Smith".


@lru_cache(maxsize=8)
def after_capitalised(text: str) -> frozenset[str]:
    """Words that follow a capitalised word somewhere in ``text`` (one scan per article).

    A word also counts cut before an apostrophe or hyphen ("Lee" in "Jane Lee's").
    """
    found: set[str] = set()
    for m in AFTER_CAPITALISED.finditer(text):
        word = m.group(1)
        found.add(word)
        found.update(word[:i] for i, c in enumerate(word) if c in "'\u2019-")
    return frozenset(found)


def name_tokens(name: str) -> tuple[str, ...]:
    words = [w.lower().replace("\u2019", "'") for w in WORD.findall(name)]
    # "Ukraine's General Staff" names the same body as "the General Staff": drop the owner.
    for i, w in enumerate(words):
        if w.endswith("'s") and i + 1 < len(words):
            words = words[i + 1 :]
            break
    return tuple(w.removesuffix("'s") for w in words if w not in DROP_WORDS and w not in TITLES)


def same_source(source: Source, kind: str, tokens: tuple[str, ...]) -> bool:
    if not tokens or not source.tokens:
        return False
    if kind == "person" and source.kind == "person":
        # "Pol Norman" / "Norman" / "Mr Norman": same surname, compatible first names.
        if tokens[-1] != source.tokens[-1]:
            return False
        return set(tokens[:-1]) <= set(source.tokens[:-1]) or set(source.tokens[:-1]) <= set(
            tokens[:-1]
        )
    if kind != source.kind:
        return False
    short, long_ = sorted((tokens, source.tokens), key=len)
    if kind == "anonymous":
        return short == long_ or (len(short) == 1 and short[0] in long_)
    return long_[-len(short) :] == short or (len(short) == 1 and short[0] in long_)


def merge(mentions: list[Mention], text: str) -> list[Source]:
    sources: list[Source] = []
    last_person: Source | None = None
    last_group: Source | None = None
    last_target: Source | None = None
    by_token: dict[str, list[int]] = {}  # word -> indices of the sources holding it
    for m in mentions:
        if m.source is None and m.kind != "continuation":
            continue
        target: Source | None = None
        if m.kind == "continuation":
            target = last_target
        elif m.kind == "person" and m.name.lower() in PERSON_PRONOUNS:
            if m.name.lower() == "i":
                continue  # first person inside a quote: the quoted speaker, already counted
            target = last_person
        elif m.kind == "pronoun":
            target = last_group or last_person
        else:
            tokens = name_tokens(m.name)
            # Only sources sharing a word can be the same one: look those up, newest first.
            seen = {i for t in tokens for i in by_token.get(t, ())}
            target = next(
                (
                    sources[i]
                    for i in sorted(seen, reverse=True)
                    if same_source(sources[i], m.kind, tokens)
                ),
                None,
            )
            if target is None:
                target = Source(m.name, refine_kind(m.name, m.kind, tokens, text), tokens)
                target.index = len(sources)
                sources.append(target)
            elif len(tokens) > len(target.tokens):
                target.name, target.tokens = m.name, tokens
            for t in tokens:
                holders = by_token.setdefault(t, [])
                if target.index not in holders:
                    holders.append(target.index)
        if target is None:
            continue
        target.mentions.append(m)
        last_target = target
        m.key = target.index
        if m.medium and m.medium not in target.media:
            target.media.append(m.medium)
        if target.kind == "person":
            last_person = target
        elif target.kind in ("organisation", "anonymous"):
            last_group = target
    for s in sources:
        for m in s.mentions:
            m.source_name = s.name
    return sources
