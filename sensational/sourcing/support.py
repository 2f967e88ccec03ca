"""The headline's claim: which body sentences state it, and who backs them."""

from __future__ import annotations

from bisect import bisect_right

from sensational.results import HeadlineSupport, Span
from sensational.sourcing.mentions import Mention, extract_mentions
from sensational.sourcing.patterns import (
    DROP_WORDS,
    HEDGES,
    PERSON_PRONOUNS,
    SOURCE_TAG,
    WORD,
    is_separated,
)
from sensational.sourcing.sources import Source

HEDGE_WORDS = {"reportedly", "allegedly", "apparently", "supposedly", "purportedly", "claim"}
STOP = set(
    (
        "the a an and or but of to in on at for with from by as is are was were be been has have "
        "had it its this that these those he she they we you i his her their our your not no "
        "will would could should may might can says said say after over into about than more "
        "new just what who why how when where which there here out up down off all any some"
    ).split()
)


def headline_support(
    headline: str,
    body: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    hedges: list[Span],
    sources: list[Source],
    *,
    overlap: float,
    stance_cues: bool = True,
) -> HeadlineSupport | None:
    """Which body sentences state the headline's claim, and who backs them."""
    head_words = content_words(headline)
    if len(head_words) < 2:
        return None
    need = max(2, round(overlap * len(head_words) + 0.49))
    scored = []
    body_low = body.lower()
    if len(body_low) != len(body) or "\u03a3" in body:
        # A letter whose lower case is longer or depends on its neighbours (sigma):
        # lower each sentence on its own instead.
        body_low = ""
    for start, end in sentences:
        low = body_low[start:end] if body_low else body[start:end].lower()
        # Substring pre-check: most sentences share too few words to be worth splitting.
        if sum(map(low.__contains__, head_words)) < need:
            continue
        shared = len(head_words & content_words(body[start:end]))
        if shared >= need:
            scored.append((shared, -start, start, end))
    support = sorted(sorted(scored, reverse=True)[:3], key=lambda t: t[2])
    starts = [start for start, _ in sentences]
    hedged = bool(HEDGES.search(headline))
    backing: dict[str, str] = {}
    spans = []
    last = -1
    for _, _, start, end in support:
        spans.append(Span("body", start, end, body[start:end], "support", 1.0, SOURCE_TAG))
        add_backing(backing, mentions, sources, start, end)
        hedged = hedged or any(start <= h.start < end for h in hedges)
        last = max(last, bisect_right(starts, start) - 1)
    if spans and not backing:
        # A lede with no attribution of its own ("Fares will be frozen.") is backed
        # by the next two sentences ("..., the minister said."), else by the article.
        for start, end in sentences[last + 1 : last + 3]:
            add_backing(backing, mentions, sources, start, end)
        if not backing:
            for s in sources:
                backing.setdefault(s.name, s.kind)
    # "..., insiders claim" / "Minister says ...": the headline names its own source.
    # It counts as the body source whose name holds all its words, or on its own when
    # the body backs the claim with nobody.
    for m in extract_mentions(
        headline, [(0, len(headline))], is_separated(headline), stance_cues=stance_cues
    ):
        if m.kind in ("pronoun", "hedge") or m.name.lower() in PERSON_PRONOUNS:
            continue
        words = name_words(m.name)
        same = next((s for s in sources if words and words <= name_words(s.name)), None)
        if same is not None:
            backing.setdefault(same.name, same.kind)
        elif not backing:
            backing[m.name] = m.kind
    identifiable = [name for name, kind in backing.items() if kind != "anonymous"]
    return HeadlineSupport(
        sources=list(backing),
        # At most one identifiable source behind the claim: one speaker, or only
        # anonymous sources and hedges.
        single_source=bool(backing or (spans and hedged)) and len(identifiable) <= 1,
        hedged=hedged,
        sentences=spans,
    )


def add_backing(
    backing: dict[str, str], mentions: list[Mention], sources: list[Source], start: int, end: int
) -> None:
    for m in mentions:
        at = (m.cue or m.content or (-1, -1))[0]
        if start <= at < end and m.key >= 0:
            backing.setdefault(sources[m.key].name, sources[m.key].kind)


def name_words(name: str) -> set[str]:
    return {w.lower().removesuffix("'s").removesuffix("\u2019s") for w in WORD.findall(name)} - (
        DROP_WORDS
    )


def content_words(text: str) -> set[str]:
    # Suffix-stripped five-letter prefixes stand in for stems: "quits" and "quit" meet.
    out = set()
    for w in WORD.findall(text):
        w = w.lower()
        if len(w) > 2 and w not in STOP and w not in HEDGE_WORDS:
            out.add(_stem(w)[:5])
    return out


def _stem(word: str) -> str:
    """``word`` without one suffix of "ing", "ed", "es" or "s"."""
    if word.endswith("ing"):
        return word[:-3]
    if word.endswith(("ed", "es")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word
