"""The sourcing score and the result an analysis returns."""

from __future__ import annotations

from sensational.results import AttributionInfo, SourceInfo, SourcingResult, Span
from sensational.sourcing.mentions import Mention
from sensational.sourcing.patterns import SOURCE_TAG
from sensational.sourcing.sources import Source

# An article with body text but no attribution and no hedge at all: its claims rest on
# nobody named, which is thin sourcing.
NO_ATTRIBUTION_SCORE = 0.8


def summarise(
    body: str, mentions: list[Mention], sources: list[Source], hedges: list[Span]
) -> SourcingResult:
    n_attributed = n_hedged = 0
    for m in mentions:
        n_attributed += m.key >= 0
        n_hedged += m.kind == "hedge"
    unsourced_hedges = len(hedges) + n_hedged
    n_claims = n_attributed + unsourced_hedges
    # Spans are immutable: a mention's spans serve both its source and its record.
    spans_of = {id(m): mention_spans(body, m) for m in mentions if m.key >= 0 or m.kind == "hedge"}
    infos = []
    for s in sources:
        spans = []
        for m in s.mentions:
            source, cue, content = spans_of[id(m)]
            if source:
                spans.append(source)
            if cue:
                spans.append(cue)
            if content:
                spans.append(content)
        infos.append(
            SourceInfo(
                name=s.name,
                kind=s.kind,
                attributions=len(s.mentions),
                share=len(s.mentions) / n_claims if n_claims else 0.0,
                spans=spans,
                media=list(s.media),
            )
        )
    infos.sort(key=lambda i: -i.attributions)
    records = [
        AttributionInfo(
            source=sources[m.key].name if m.key >= 0 else None,
            kind=sources[m.key].kind if m.key >= 0 else "hedge",
            cue=spans_of[id(m)][1],
            source_span=spans_of[id(m)][0],
            content=spans_of[id(m)][2],
            medium=m.medium,
        )
        for m in mentions
        if m.key >= 0 or m.kind == "hedge"
    ]
    if n_claims == 0:
        return SourcingResult(
            score=NO_ATTRIBUTION_SCORE, hedges=hedges, attributions=records, hedge_share=0.0
        )
    top = max((i.attributions for i in infos), default=0) / n_claims
    anonymous = sum(i.attributions for i in infos if i.kind == "anonymous") / n_claims
    hedge_share = unsourced_hedges / n_claims
    posts = sum(
        sum(1 for m in s.mentions if s.kind == "document" or m.medium in _POSTS) for s in sources
    )
    weak = min(1.0, anonymous + hedge_share + 0.7 * posts / n_claims)
    named = sum(1 for i in infos if i.kind != "anonymous")
    # Concentration on one source and weak (anonymous, hedged, single-post) sourcing each
    # raise the score; combined as independent risks so either alone can make it high.
    concentration = top if named <= 1 else top * (1 - 0.15 * min(named - 1, 4))
    risk = 1 - (1 - 0.6 * concentration) * (1 - 0.8 * weak)
    score = 0.1 + 0.85 * risk
    return SourcingResult(
        score=round(min(1.0, max(0.0, score)), 4),
        sources=infos,
        distinct_sources=len(infos),
        top_source_share=round(top, 4),
        anonymous_share=round(anonymous, 4),
        hedges=hedges,
        attributions=records,
        hedge_share=round(hedge_share, 4),
    )


_POSTS = {"tweet", "post", "blog", "email", "video", "podcast", "message"}


def mention_spans(body: str, m: Mention) -> tuple[Span | None, Span | None, Span | None]:
    """The source, cue and content spans of a mention."""
    src, cue, content = m.source, m.cue, m.content
    return (
        None
        if src is None
        else Span("body", *src, body[src[0] : src[1]], "source", 1.0, SOURCE_TAG),
        None if cue is None else Span("body", *cue, body[cue[0] : cue[1]], "cue", 1.0, SOURCE_TAG),
        None
        if content is None
        else Span("body", *content, body[content[0] : content[1]], "content", 1.0, SOURCE_TAG),
    )
