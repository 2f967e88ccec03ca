"""Sources: what kind of speaker a source phrase names, and one source per real-world speaker.

Each phrase gets a kind: person, organisation, document (a tweet, a blog, a report, a
statement) or anonymous ("officials", "sources", "an insider", "47 percent"). Phrases that
name the same speaker are merged ("Pol Norman" / "Norman" / "he"; "Ukraine's General Staff" /
"the General Staff").
"""

from __future__ import annotations

import re
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
    PARTY_TAG,
    PERSON_HEAD_SET,
    PERSON_PRONOUNS,
    PLACE_OF,
    ROLE_GROUP,
    ROLE_WORDS,
    TITLES,
    WORD,
    WORD_KINDS,
    trie_pattern,
)

if TYPE_CHECKING:
    from sensational.sourcing.mentions import Mention


@dataclass(slots=True)
class Source:
    """One real-world speaker: ``name`` as shown (a person's full name), ``tokens`` the words
    it is compared by; ``owner`` and ``rest`` split an organisation's tokens; ``role_only``
    marks a person known only by a role ("the Russian leader")."""

    name: str
    kind: str
    tokens: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    index: int = -1
    owner: str = ""
    rest: tuple[str, ...] = ()
    role_only: bool = False


@lru_cache(maxsize=8192)
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
    if first == "the" and len(words) > 1 and all(w[0].isupper() for w in words[1:]):
        return "organisation"  # "The Northern Courier": no person's name opens with "the"
    if words[-1][0].isupper() and any(
        w in PERSON_HEAD_SET and words[i][0].islower() for i, w in enumerate(lower[:-1])
    ):
        return "person"  # "Kremlin watcher Pol Norman": a role, then the person's name
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
        if i and w in ("close", "familiar", "with", "for", "at", "from", "of", "in", "on", "by"):
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
    if not name.split()[-1][:1].isupper():
        # "The blogger", "The airport" open a sentence: a description, a person by its noun.
        return kind if tokens[0] in PERSON_HEAD_SET else "organisation"
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


@lru_cache(maxsize=8192)
def name_tokens(name: str) -> tuple[str, ...]:
    """The words that identify a source, lower-cased, without titles and determiners.

    A person keeps the words of the personal name ("Pol Norman" for "Kremlin watcher Pol
    Norman"); an organisation keeps its owner ("russia's foreign ministry").
    """
    words = [w.lower().replace("\u2019", "'") for w in WORD.findall(PARTY_TAG.sub(" ", name))]
    return tuple(w.removesuffix("'s") for w in words if w not in DROP_WORDS and w not in TITLES)


@lru_cache(maxsize=8192)
def person_name(name: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """``(display name, name words, role words)`` of a person phrase.

    The personal name is the last run of capitalised words that are no title, role or place:
    "Russian President Vladimir Putin" is Vladimir Putin with the roles russian and
    president; "the Russian leader" has no name, only roles. A party tag is dropped.
    """
    clean = PARTY_TAG.sub(" ", name)
    words = list(WORD.finditer(clean))
    # "President Arkady Korvan of Veldonia": the place after "of" is a role word too.
    cut = len(words)
    if cut >= 3 and words[-2].group() == "of" and words[-1].group()[0].isupper():
        cut -= 2
    # The name ends the phrase: in "the Veldonian leader" the capitalised word is a modifier.
    end = start = None
    for i in range(cut - 1, -1, -1):
        w = words[i].group()
        low = w.lower().rstrip(".").replace("\u2019", "'")
        if not (w[0].isupper() and not _role_word(low) and low not in DROP_WORDS):
            break
        end = cut - 1
        start = i
    # Roles keep the case of words that are no known role, so that a place or party the
    # table lacks ("Veldonian") stays recognisable.
    roles = tuple(
        _role_word(w.group().lower().rstrip(".")) or w.group()
        for i, w in enumerate(words)
        if w.group().lower() not in DROP_WORDS and (start is None or not start <= i <= end)
    )
    if start is None or end is None:
        return "", (), roles
    display = clean[words[start].start() : words[end].end()]
    tokens = tuple(
        low
        for w in words[start : end + 1]
        if (low := w.group().lower().replace("\u2019", "'").removesuffix("'s")) not in TITLES
    )
    return display, tokens, roles


def _role_word(low: str) -> str:
    """The role or place a word names ("pres." -> "", "russian" -> "russia"), else ""."""
    if low in TITLES or low in ROLE_WORDS or low in PERSON_HEAD_SET:
        return low
    place = PLACE_OF.get(low)
    if place is not None:
        return place
    return ""


_PLACES = frozenset(PLACE_OF.values())


def same_place(a: str, b: str) -> bool:
    """Whether two place words name the same place: by the table of places, else by their
    common stem ("Veldonia", "Veldonian")."""
    a, b = PLACE_OF.get(a, a), PLACE_OF.get(b, b)
    if a == b:
        return True
    sa, sb = _place_stem(a), _place_stem(b)
    return min(len(sa), len(sb)) >= 4 and (sa.startswith(sb) or sb.startswith(sa))


def _place_stem(word: str) -> str:
    for suffix in ("ians", "ian", "ans", "an", "ese", "ish", "ia", "a", "i", "e", "y", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _owner(tokens: tuple[str, ...], name: str) -> tuple[str, tuple[str, ...]]:
    """An organisation's owner and the rest of its words: "Russia's foreign ministry" and
    "the Russian foreign ministry" are both ("russia", ("foreign", "ministry"))."""
    words = [w.lower().replace("\u2019", "'") for w in WORD.findall(name)]
    for i, w in enumerate(words):
        if w.endswith("'s") and i + 1 < len(words):
            rest = tuple(x for x in tokens if x not in words[: i + 1] and x != w[:-2])
            return PLACE_OF.get(w[:-2], w[:-2]), rest
    if tokens and len(tokens) > 1:
        if tokens[0] in PLACE_OF:
            return PLACE_OF[tokens[0]], tokens[1:]
        # "the Ostrian foreign ministry": a place adjective the table lacks.
        first = next((w for w in WORD.findall(name) if w.lower() not in DROP_WORDS), "")
        if first[:1].isupper() and first.lower().endswith(DEMONYM_ENDINGS):
            return first.lower(), tokens[1:]
    return "", tokens


DEMONYM_ENDINGS = ("ian", "ean", "an", "ese", "ish", "ch", "i")


@dataclass(slots=True)
class _Key:
    """How a mention is compared with the sources found before it."""

    kind: str
    tokens: tuple[str, ...]
    display: str
    owner: str = ""
    rest: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


def _key(name: str, kind: str, text: str) -> _Key:
    tokens = name_tokens(name)
    kind = refine_kind(name, kind, tokens, text)
    if kind == "person":
        display, personal, roles = person_name(name)
        if personal:
            return _Key(kind, personal, display, roles=roles)
        if not name[:1].isupper() or name.split()[0].lower() in DROP_WORDS:
            return _Key(kind, tokens, name, roles=roles)  # "the Russian leader"
        return _Key(kind, tokens, name)
    if kind == "organisation":
        owner, rest = _owner(tokens, name)
        return _Key(kind, tokens, name, owner, rest)
    return _Key(kind, tokens, name)


def same_source(source: Source, key: _Key) -> bool:
    """Whether a mention keyed ``key`` names ``source``."""
    tokens = key.tokens
    if not tokens or not source.tokens:
        return False
    if tokens == source.tokens:
        return True  # "Washington" read as a person once and as a government once
    if key.kind == "person" and source.kind == "person":
        if source.role_only or (not source.name[:1].isupper() and key.roles):
            # Role descriptions are resolved by :func:`resolve_role`; but "the blogger" after
            # "a Moscow blogger" is the one just introduced, whoever it is.
            return refers_back(key, source)
        # "Pol Norman" / "Norman" / "Mr Norman": same surname, compatible first names.
        if tokens[-1] != source.tokens[-1]:
            return False
        return set(tokens[:-1]) <= set(source.tokens[:-1]) or set(source.tokens[:-1]) <= set(
            tokens[:-1]
        )
    if key.kind != source.kind:
        return False
    if key.kind == "organisation":
        if key.owner and source.owner and not same_place(key.owner, source.owner):
            return False  # Russia's foreign ministry is not France's
        tokens, other = key.rest or tokens, source.rest or source.tokens
    else:
        other = source.tokens
    short, long_ = sorted((tokens, other), key=len)
    if key.kind == "anonymous":
        return short == long_ or (len(short) == 1 and short[0] in long_)
    return long_[-len(short) :] == short or (len(short) == 1 and short[0] in long_)


INDEFINITE_OPENERS = ("a ", "an ", "one ")


def refers_back(key: _Key, source: Source) -> bool:
    """Whether the definite description ``key`` ("the blogger", "the Moscow blogger") takes up
    a person introduced by an indefinite one ("a Moscow blogger"): same head noun, and no
    modifier the introduction lacks."""
    return (
        source.role_only
        and key.display[:4].lower() == "the "
        and source.name.lower().startswith(INDEFINITE_OPENERS)
        and key.tokens[-1] == source.tokens[-1]
        and set(key.tokens) <= set(source.tokens)
    )


def resolve_role(
    roles: tuple[str, ...], text: str, titled: list[_Titled] | None = None
) -> str | None:
    """The full name of the one person ``text`` gives the role described by ``roles``.

    ``roles`` are the words of a description such as "the Russian leader" (``("russia",
    "leader")``). A person qualifies when the text puts a title of the same office right
    before the name ("Russian President Vladimir Putin", "President Arkady Korvan of
    Veldonia") or after it ("Vladimir Putin, the Russian president"), with the same place
    when the description names one. None when no person or more than one qualifies: the
    article does not say whose. ``titled`` is :func:`titled_people` of ``text``, when
    already known.
    """
    if not roles:
        return None
    head = roles[-1].lower()
    group = ROLE_GROUP.get(head, (head,))
    if titled is None:
        titled = titled_people(text, group)
    # Capitalised modifiers name a place or a body ("Veldonian", "Russian"): the person's
    # title must carry the same one.
    places = [r.lower() for r in roles[:-1] if r[:1].isupper() or r in _PLACES]
    found: dict[str, str] = {}
    for entry in titled:
        if entry.title not in group:
            continue
        seen = [PLACE_OF.get(p.lower(), p.lower()) for p in entry.places if p]
        if places and not any(same_place(p, w) for p in places for w in seen):
            continue
        display, tokens, _ = person_name(entry.name)
        if tokens and len(display) > len(found.get(tokens[-1], "")):
            found[tokens[-1]] = display
    if len(found) != 1:
        return None
    return next(iter(found.values()))


@dataclass(frozen=True, slots=True)
class _Titled:
    """A person the text gives a title: ``title`` as in :data:`ROLE_GROUP`, lower case."""

    title: str
    name: str
    places: tuple[str | None, ...]


def titled_people(text: str, titles: tuple[str, ...], low: str | None = None) -> list[_Titled]:
    """Everyone ``text`` names with one of ``titles`` (lower case; ``low`` is ``text``
    lower-cased, when already known)."""
    return _scan_titles(text, _title_pattern(titles), text.lower() if low is None else low)


def _scan_titles(text: str, title: re.Pattern[str], low: str) -> list[_Titled]:
    # Titles are found in the lower-cased text (a case-sensitive scan is several times
    # faster than a case-insensitive one), the names around them in the text itself.
    out = []
    for m in title.finditer(low):
        if m.start() and (low[m.start() - 1].isalnum() or low[m.start() - 1] in "._"):
            continue  # inside a word: "premayor"
        t = m.group()
        name = _NAME_AFTER.match(text, m.end())
        if name is not None:
            # "Russian President Vladimir Putin", "President Arkady Korvan of Veldonia"
            lead = _LEADING_PLACE.search(text, max(0, m.start() - 30), m.start())
            out.append(_Titled(t, name.group("name"), (lead and lead.group(1), name.group("pl"))))
        app = _APPOSITION_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if app is not None:
            # "Vladimir Putin, the Russian president"
            before = _TRAILING_NAME.search(text, max(0, app.start() - 60), app.start())
            if before is not None:
                out.append(_Titled(t, before.group(1), (app.group("pl"),)))
    return out


_NAME = r"(?:[A-Z][\w\u2019'.-]*\s+){0,2}[A-Z][\w\u2019'-]+"
_NAME_AFTER = re.compile(rf"\s+(?P<name>{_NAME})(?:\s+of\s+(?P<pl>[A-Z][a-z]+))?")
_APPOSITION_BEFORE = re.compile(r",\s+(?:the|a)\s+(?:(?P<pl>[A-Z][a-z]+)\s+)?(?:[a-z-]+\s+){0,2}$")
_LEADING_PLACE = re.compile(r"([A-Z][a-z]+)\s+$")
_TRAILING_NAME = re.compile(rf"({_NAME})$")


@lru_cache(maxsize=256)
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    """One of ``titles`` (lower case) as a whole word, for the lower-cased text."""
    # No look-behind in front: a pattern opening with a literal is scanned far faster; the
    # character before a match is checked by the caller.
    return re.compile(r"(?:" + trie_pattern(list(titles)) + r")(?![\w-])")


def merge(mentions: list[Mention], text: str) -> list[Source]:
    """Merge mentions into sources, one per real-world speaker, in order of first mention.

    Names merge by their words (surname and compatible first names for people; owner and
    head for organisations); a description of a role ("the Russian leader", "the
    president") joins the person the article gives that role, when exactly one; "he" and
    "she" continue the last person, "they" and "it" the last group.
    """
    book = _Book(text)
    last_person: Source | None = None
    last_group: Source | None = None
    last_target: Source | None = None
    for m in mentions:
        if m.source is None and m.kind != "continuation":
            continue
        if m.kind == "continuation":
            target = last_target
        elif m.kind == "person" and m.name.lower() in PERSON_PRONOUNS:
            if m.name.lower() == "i":
                continue  # first person inside a quote: the quoted speaker, already counted
            target = last_person
        elif m.kind == "pronoun":
            target = last_group or last_person
        else:
            target = book.named(m)
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
    for s in book.sources:
        for m in s.mentions:
            m.source_name = s.name
    return book.sources


class _Book:
    """The sources of one article so far, and what finding them again needs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sources: list[Source] = []
        self.by_token: dict[str, list[int]] = {}  # word -> indices of the sources holding it
        self.found: dict[tuple[str, str], Source] = {}  # (name, kind) -> its source
        self.resolved: dict[tuple[str, ...], str | None] = {}  # role -> full name
        self.low: str | None = None  # the text lower-cased, when a role needs it

    def named(self, m: Mention) -> Source:
        """The source a named mention belongs to, new or found again."""
        # A name seen before belongs where it went then: the source it joined only grows.
        known = self.found.get((m.name, m.kind))
        if known is not None:
            return known
        target = self.found[m.name, m.kind] = self._place(m)
        return target

    def _place(self, m: Mention) -> Source:
        key = _key(m.name, m.kind, self.text)
        role_only = key.kind == "person" and key.display == m.name and bool(key.roles)
        if role_only and m.name[:4].lower() == "the ":
            # Only a definite description says which one: "the president", not "a
            # president".
            full = self.role(key.roles)
            if full is not None:
                key = _key(full, "person", self.text)
                role_only = False
        # Only sources sharing a word can be the same one: look those up, newest first.
        sources, by_token = self.sources, self.by_token
        seen = {i for t in key.tokens for i in by_token.get(t, ())}
        target = next(
            (sources[i] for i in sorted(seen, reverse=True) if same_source(sources[i], key)),
            None,
        )
        if target is None:
            target = Source(key.display, key.kind, key.tokens, owner=key.owner, rest=key.rest)
            target.role_only = role_only
            target.index = len(sources)
            sources.append(target)
        elif len(key.tokens) > len(target.tokens) and not role_only:
            target.name, target.tokens = key.display, key.tokens
        for t in key.tokens:
            holders = by_token.setdefault(t, [])
            if target.index not in holders:
                holders.append(target.index)
        return target

    def role(self, roles: tuple[str, ...]) -> str | None:
        """:func:`resolve_role` of ``roles``, once per description and article."""
        if roles not in self.resolved:
            if self.low is None:
                self.low = self.text.lower()
            head = roles[-1].lower()
            titled = titled_people(self.text, ROLE_GROUP.get(head, (head,)), self.low)
            self.resolved[roles] = resolve_role(roles, self.text, titled)
        return self.resolved[roles]
