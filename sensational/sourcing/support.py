"""The headline's claim: which body sentences carry it, and who backs them.

How a sentence is found to carry the claim: the headline's content words (no stop words,
no cue or hedge words) and each body sentence are reduced to Snowball stems, and a stem
also stands for its paraphrase group (``[paraphrases]`` in
``resources/sourcing_words.toml``: "mutiny" meets "revolt"). A sentence carries the claim
when it holds at least ``overlap`` of the headline's words (and two at least), one of them
a word of the claim itself rather than a name the article gives (a name alone, "Korvan",
does not carry "Korvan faces mutiny"). A quotation running over several sentences counts
as one, so that "The generals are close to open revolt. Korvan has lost the army." carries
the claim as a whole. The three sentences holding the most headline words are kept.

Who backs it: the attributions and hedges in those sentences (or, when they have none, in
the next two sentences), plus a source the headline names itself. Named sources count once
per real-world speaker, and a source that only relays another ("Veltass, citing Pol Norman's
blog, said") counts as the one it relays.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from sensational.lexicon import stem, tokenize
from sensational.results import HeadlineSupport, Span
from sensational.sourcing.mentions import Mention, extract_mentions, quotations
from sensational.sourcing.patterns import (
    DROP_WORDS,
    HEDGES,
    PERSON_PRONOUNS,
    SOURCE_TAG,
    WORD,
    WORDS,
    is_separated,
    load_cues,
)
from sensational.sourcing.sources import Source, name_tokens

# Verbs by which a source only passes on another's claim: "citing Pol Norman's blog".
RELAY_FORMS = frozenset("citing cited cites quoting quoted quotes".split())
_HEDGE_WORDS = frozenset(
    "reportedly purportedly allegedly apparently supposedly rumoured rumored claim claims".split()
)


def _group_keys() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group, words in WORDS["paraphrases"].items():
        for w in words:
            out.setdefault(stem(w), {stem(w)}).add("=" + group)
    return {k: frozenset(v) for k, v in out.items()}


_KEYS = _group_keys()
# Words that never carry a claim: the core's stop list, cue words, hedge words.
_NOT_CLAIM = frozenset(stem(w) for w in (*ENGLISH_STOP_WORDS, *_HEDGE_WORDS)) | frozenset(
    stem(w) for w in load_cues()
)


_GROUP_WORDS = {
    "=" + group: tuple(stem(w) for w in words) for group, words in WORDS["paraphrases"].items()
}


@lru_cache(maxsize=4096)
def _probes(keys: frozenset[str]) -> tuple[str, ...]:
    """Lower-case strings one of which any word standing for ``keys`` starts with: the first
    four letters of each stem (a stem is not always a prefix of its words: "mutini")."""
    stems = [s for k in keys for s in (_GROUP_WORDS.get(k) or (k,))]
    return tuple({s[:4] for s in stems})


def claim_words(text: str) -> dict[str, frozenset[str]]:
    """The content words of ``text`` as ``stem -> keys`` (the stem and its paraphrase
    groups), without stop words, cue words and hedge words."""
    out: dict[str, frozenset[str]] = {}
    for s in _stems(text):
        if len(s) > 1 and s not in _NOT_CLAIM and s not in out:
            out[s] = _KEYS.get(s) or frozenset((s,))
    return out


def _stems(text: str) -> list[str]:
    """The stems of ``text``'s words, a hyphenated word split ("dressing-room")."""
    out = []
    for tok in tokenize(text):
        if "-" in tok.stem:
            out.extend(stem(part) for part in text[tok.start : tok.end].split("-") if part)
        else:
            out.append(tok.stem)
    return out


@dataclass(slots=True)
class _Backing:
    named: dict[int, Source] = field(default_factory=dict)  # source index -> source
    anonymous: dict[int, Source] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # name -> kind, in order found
    relayed: set[int] = field(default_factory=set)  # sources that only pass a claim on
    origins: list[str] = field(default_factory=list)  # relayed-from names with no source
    mentions: list[Mention] = field(default_factory=list)
    hedges: int = 0


@dataclass(slots=True)
class ClaimTrace:
    """The headline's claim as traced: ``support`` for the answer, and what it rests on
    (``mentions``, and ``hedges`` with no source in its sentences) for the score."""

    support: HeadlineSupport
    mentions: list[Mention]
    hedges: int


def trace_claim(
    headline: str,
    body: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    hedges: list[Span],
    sources: list[Source],
    *,
    overlap: float,
    stance_cues: bool = True,
    quotes: list[tuple[int, int]] | None = None,
) -> ClaimTrace | None:
    """Which body sentences carry the headline's claim, and who backs them.

    None when the headline has fewer than two content words (nothing to trace).
    ``quotes`` are the quotations of ``body`` (:func:`~sensational.sourcing.mentions.
    quotations`), read again when None.
    """
    head = claim_words(headline)
    if len(head) < 2:
        return None
    units = _units(sentences, quotations(body) if quotes is None else quotes)
    scored = _carrying_units(body, headline, head, units, overlap)
    support = sorted(sorted(scored, reverse=True)[:3], key=lambda t: t[2])
    hedged = bool(HEDGES.search(headline))
    backing = _Backing()
    spans = []
    starts = [s for s, _ in sentences]
    last = -1
    for _, _, start, end in support:
        spans.append(Span("body", start, end, body[start:end], "support", 1.0, SOURCE_TAG))
        _add_backing(backing, body, mentions, sources, start, end)
        n = sum(1 for h in hedges if start <= h.start < end)
        backing.hedges += n
        hedged = hedged or n > 0
        last = max(last, bisect_right(starts, end - 1) - 1)
    if spans and not backing.names and not backing.hedges:
        # A lede with no attribution of its own ("Fares will be frozen.") is backed by the
        # next two sentences ("..., the minister said.").
        # Their hedges are about their own claims ("Campaigning is expected to start").
        for start, end in sentences[last + 1 : last + 3]:
            _add_backing(backing, body, mentions, sources, start, end)
    _headline_sources(headline, sources, backing, stance_cues)
    return ClaimTrace(_verdict(backing, spans, hedged), backing.mentions, backing.hedges)


def _carrying_units(
    body: str,
    headline: str,
    head: dict[str, frozenset[str]],
    units: list[tuple[int, int]],
    overlap: float,
) -> list[tuple[int, int, int, int]]:
    """``(shared words, -start, start, end)`` of each unit that carries the claim."""
    names = _name_stems(body, headline, head)
    claim = {s for s in head if s not in names}
    need = max(2, round(overlap * len(head) + 0.49))
    # Each key (a stem or a paraphrase group) -> the headline words it stands for.
    by_key: dict[str, set[str]] = {}
    probe_of: dict[str, set[str]] = {}
    for s, keys in head.items():
        for k in keys:
            by_key.setdefault(k, set()).add(s)
        for probe in _probes(keys):
            probe_of.setdefault(probe, set()).add(s)
    # A cheap first look: one scan of the lower-cased body for the first letters of every
    # headline word (stems and paraphrases); only sentences where at least ``need``
    # headline words may occur are stemmed.
    low = body.lower()
    hits = []
    for probe, words in probe_of.items():
        at = low.find(probe)
        while at >= 0:
            hits.append((at, words))
            at = low.find(probe, at + 1)
    # The headline words each unit may hold, from the hits that fall in it.
    unit_starts = [start for start, _ in units]
    maybe: dict[int, set[str]] = {}
    for at, words in hits:
        i = bisect_right(unit_starts, at) - 1
        if i >= 0 and at < units[i][1]:
            maybe.setdefault(i, set()).update(words)
    scored = []
    for i, words in sorted(maybe.items()):
        if len(words) < need:
            continue
        start, end = units[i]
        shared: set[str] = set()
        for s in _stems(body[start:end]):
            for k in _KEYS.get(s, (s,)):
                hit = by_key.get(k)
                if hit is not None:
                    shared |= hit
        if len(shared) >= need and (not claim or not shared.isdisjoint(claim)):
            scored.append((len(shared), -start, start, end))
    return scored


def _verdict(backing: _Backing, spans: list[Span], hedged: bool) -> HeadlineSupport:
    named = [i for i in backing.named if i not in backing.relayed]
    independent = len(named) + len(backing.origins)
    anonymous = bool(backing.anonymous) or backing.hedges > 0 or (hedged and not independent)
    kinds = [
        k
        for k, on in (("named", independent > 0), ("anonymous", anonymous), ("hedged", hedged))
        if on
    ]
    if independent >= 2:
        label = "several_named"
    elif independent == 1:
        label = "single"
    elif anonymous or hedged:
        label = "anonymous_hedged"
    else:
        label = "unattributed"
    identifiable = [name for name, kind in backing.names.items() if kind != "anonymous"]
    return HeadlineSupport(
        sources=list(backing.names),
        # At most one identifiable source behind the claim: one speaker, or only anonymous
        # sources and hedges.
        single_source=bool(backing.names or (spans and hedged)) and len(identifiable) <= 1,
        hedged=hedged,
        sentences=spans,
        kinds=kinds,
        independent_sources=independent,
        single_source_reliance=label in ("single", "anonymous_hedged"),
        label=label,
    )


def _units(
    sentences: list[tuple[int, int]], quotes: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentences, with the sentences one quotation runs over joined into one."""
    if not sentences:
        return []
    starts = [s for s, _ in sentences]
    join = [False] * len(sentences)  # join[i]: sentence i continues the one before
    joined = False
    for q_start, q_end in quotes:
        first = bisect_right(starts, q_start) - 1
        last = bisect_right(starts, q_end - 1) - 1
        for i in range(max(first, 0) + 1, last + 1):
            join[i] = joined = True
    if not joined:
        return sentences
    units: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(sentences):
        if join[i] and units:
            units[-1] = (units[-1][0], end)
        else:
            units.append((start, end))
    return units


# Characters that end the word before a capitalised word inside a sentence.
_MID_SENTENCE = frozenset("abcdefghijklmnopqrstuvwxyz,;:")


def _name_stems(body: str, headline: str, head: dict[str, frozenset[str]]) -> set[str]:
    """Headline stems that the body writes as names: capitalised inside a sentence."""
    names = set()
    for tok in tokenize(headline):
        if tok.stem not in head or tok.stem in names or not headline[tok.start].isupper():
            continue  # a word the headline writes in lower case is no name
        word = headline[tok.start : tok.end]
        word = word[:1].upper() + word[1:]
        at = body.find(word)
        while at >= 0:
            after = body[at + len(word) : at + len(word) + 1]
            if (
                at >= 2
                and body[at - 1] == " "
                and body[at - 2] in _MID_SENTENCE
                and not (after.isalnum())
            ):
                names.add(tok.stem)
                break
            at = body.find(word, at + 1)
    return names


def _add_backing(
    backing: _Backing,
    body: str,
    mentions: Sequence[Mention],
    sources: list[Source],
    start: int,
    end: int,
) -> None:
    """Add the attributions whose cue (or quoted content) lies in ``body[start:end]``."""
    here = []
    for m in mentions:
        at = (m.cue or m.content or (-1, -1))[0]
        if not start <= at < end or m.key < 0:
            continue
        here.append(m)
        source = sources[m.key]
        backing.mentions.append(m)
        backing.names.setdefault(source.name, source.kind)
        if source.kind == "anonymous":
            backing.anonymous[source.index] = source
        else:
            backing.named[source.index] = source
    for m in here:
        if m.cue is not None and body[m.cue[0] : m.cue[1]].lower() in RELAY_FORMS:
            _relay(backing, body, m, sources, here)


def _relay(
    backing: _Backing, body: str, m: Mention, sources: list[Source], here: list[Mention]
) -> None:
    """ "Veltass, citing Pol Norman's blog, said": Veltass relays Norman, and so does every
    other source the sentence attributes."""
    assert m.cue is not None
    after = _RELAYED.match(body, m.cue[1])
    if after is None:
        return
    words = set(name_tokens(after.group("name"))) - DROP_WORDS
    origin = next(
        (s for s in sources if s.index != m.key and words and words & set(s.tokens)), None
    )
    backing.relayed.update(x.key for x in here if origin is None or x.key != origin.index)
    if origin is not None:
        if origin.kind == "anonymous":
            backing.anonymous[origin.index] = origin
        else:
            backing.named[origin.index] = origin
        backing.names.setdefault(origin.name, origin.kind)
    else:
        backing.origins.append(after.group("name"))


# What a relay verb names: "citing Pol Norman's blog", "quoting an official".
_RELAYED = re.compile(
    r"\s+(?:a|an|the)?\s*(?P<name>(?:[A-Z][\w\u2019'.-]*\s+){0,3}[A-Z][\w\u2019'-]*"
    r"|(?:[a-z-]+\s+){0,2}(?:official|officials|source|sources|blogger|analyst|expert)s?)"
)


def _headline_sources(
    headline: str, sources: list[Source], backing: _Backing, stance_cues: bool
) -> None:
    """ "..., insiders claim" / "Minister says ...": the headline names its own source. It
    counts as the body source whose name holds all its words, or on its own when the body
    backs the claim with nobody."""
    for m in extract_mentions(
        headline, [(0, len(headline))], is_separated(headline), stance_cues=stance_cues
    ):
        if m.kind in ("pronoun", "hedge", "unsourced") or m.name.lower() in PERSON_PRONOUNS:
            continue
        words = _name_words(m.name)
        same = next((s for s in sources if words and words <= _name_words(s.name)), None)
        if same is not None:
            backing.names.setdefault(same.name, same.kind)
            (backing.anonymous if same.kind == "anonymous" else backing.named)[same.index] = same
        elif not backing.names:
            backing.names[m.name] = m.kind
            if m.kind == "anonymous":
                backing.anonymous[-1] = Source(m.name, m.kind, ())
            else:
                backing.origins.append(m.name)


@lru_cache(maxsize=4096)
def _name_words(name: str) -> frozenset[str]:
    return (
        frozenset(w.lower().removesuffix("'s").removesuffix("\u2019s") for w in WORD.findall(name))
        - DROP_WORDS
    )
