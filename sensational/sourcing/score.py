"""The sourcing score, its features, and the result an analysis returns.

``sourcing.score`` is the probability that the main claim's sourcing is thin (the sourcing
rubric of ``docs/criteria.md``). A fitted head over :class:`SourcingFeatures` gives it when
the analyser carries one (``training/sourcing_fit.py`` fits it on graded articles); until
then :func:`fallback_score` does, a fixed formula of concentration and weak sourcing over
what the headline's claim rests on (over the whole article when no claim is traced).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from sensational.results import (
    AttributionInfo,
    HeadlineSupport,
    SourceInfo,
    SourcingResult,
    Span,
)
from sensational.sourcing.mentions import Mention
from sensational.sourcing.patterns import SOURCE_TAG, WORDS
from sensational.sourcing.sources import Source

# An article with body text but no attribution and no hedge at all: its claims rest on
# nobody named, which is thin sourcing.
NO_ATTRIBUTION_SCORE = 0.8
# Media that are one post rather than a publication or a statement.
POSTS = frozenset(WORDS["posts"])


class SourcingFeatures(NamedTuple):
    """The article-level features a fitted ``sourcing.score`` reads, all numbers.

    The first five describe what the headline's claim rests on, the rest the article.
    """

    claim_traced: float  # 1 when body sentences carry the headline's claim
    independent_named: float  # independent named sources behind the claim, capped at 3
    claim_anonymous: float  # 1 when anonymous sources or nameless hedges back the claim
    claim_hedged: float  # 1 when the claim is hedged ("reportedly")
    claim_posts_only: float  # 1 when the named backing is only posts, tweets or blogs
    top_share: float  # share of the article's claims made by its top source
    anonymous_share: float  # share made by anonymous sources
    hedge_share: float  # share that are hedges with no source
    named_sources: float  # log(1 + named sources in the article)
    no_attribution: float  # 1 when the body attributes nothing and hedges nothing


FEATURE_NAMES: tuple[str, ...] = SourcingFeatures._fields


def sourcing_features(
    result: SourcingResult, support: HeadlineSupport | None, backing: Sequence[Mention]
) -> SourcingFeatures:
    """The features of one analysed article (``backing``: the claim's attributions)."""
    traced = support is not None and bool(support.sentences)
    named_media = [m.medium for m in backing if m.kind not in ("anonymous", "hedge")]
    return SourcingFeatures(
        claim_traced=float(traced),
        independent_named=float(min(support.independent_sources, 3)) if support else 0.0,
        claim_anonymous=float(support is not None and "anonymous" in support.kinds),
        claim_hedged=float(support is not None and support.hedged),
        claim_posts_only=float(bool(named_media) and all(m in POSTS for m in named_media)),
        top_share=result.top_source_share,
        anonymous_share=result.anonymous_share,
        hedge_share=result.hedge_share,
        named_sources=math.log1p(sum(1 for s in result.sources if s.kind != "anonymous")),
        no_attribution=float(not result.attributions and not result.hedges),
    )


def fallback_score(
    mentions: Sequence[Mention], sources: Sequence[Source], unsourced_hedges: int
) -> float:
    """The score without a fitted head, over ``mentions`` and ``unsourced_hedges``.

    Concentration on one source and weak (anonymous, hedged, single-post) sourcing each
    raise it, combined as independent risks so that either alone can make it high. Its
    weights were set by hand; a head fitted on graded articles replaces it.
    """
    attributed = [m for m in mentions if m.key >= 0]
    n_claims = len(attributed) + unsourced_hedges
    if n_claims == 0:
        return NO_ATTRIBUTION_SCORE
    per_source: dict[int, int] = {}
    for m in attributed:
        per_source[m.key] = per_source.get(m.key, 0) + 1
    top = max(per_source.values(), default=0) / n_claims
    anonymous = sum(n for k, n in per_source.items() if sources[k].kind == "anonymous") / n_claims
    posts = sum(1 for m in attributed if sources[m.key].kind == "document" or m.medium in POSTS)
    weak = min(1.0, anonymous + unsourced_hedges / n_claims + 0.7 * posts / n_claims)
    named = sum(1 for k in per_source if sources[k].kind != "anonymous")
    concentration = top if named <= 1 else top * (1 - 0.15 * min(named - 1, 4))
    risk = 1 - (1 - 0.6 * concentration) * (1 - 0.8 * weak)
    return round(min(1.0, max(0.0, 0.1 + 0.85 * risk)), 4)


def summarise(
    body: str, mentions: list[Mention], sources: list[Source], hedges: list[Span]
) -> SourcingResult:
    """The result of an analysis, all but its score and headline support."""
    # One pass over the mentions builds both the records and each source's spans (spans are
    # immutable: one object serves both). This runs for every request, so it stays lean.
    spans_by_source: list[list[Span]] = [[] for _ in sources]
    records = []
    n_hedged = 0
    tag = SOURCE_TAG
    for m in mentions:
        key = m.key
        if key < 0 and m.kind != "hedge":
            continue
        n_hedged += key < 0
        src, cue, content = m.source, m.cue, m.content
        src_span = (
            None if src is None else Span("body", *src, body[src[0] : src[1]], "source", 1.0, tag)
        )
        cue_span = (
            None if cue is None else Span("body", *cue, body[cue[0] : cue[1]], "cue", 1.0, tag)
        )
        content_span = (
            None
            if content is None
            else Span("body", *content, body[content[0] : content[1]], "content", 1.0, tag)
        )
        if key >= 0:
            s = sources[key]
            own = spans_by_source[key]
            own.extend(x for x in (src_span, cue_span, content_span) if x is not None)
            records.append(
                AttributionInfo(s.name, s.kind, cue_span, src_span, content_span, m.medium)
            )
        else:
            records.append(
                AttributionInfo(None, "hedge", cue_span, src_span, content_span, m.medium)
            )
    n_attributed = len(records) - n_hedged
    unsourced_hedges = len(hedges) + n_hedged
    n_claims = n_attributed + unsourced_hedges
    if n_claims == 0:
        return SourcingResult(score=None, hedges=hedges, attributions=records, hedge_share=0.0)
    infos = [
        SourceInfo(
            name=s.name,
            kind=s.kind,
            attributions=len(s.mentions),
            share=len(s.mentions) / n_claims,
            spans=spans_by_source[i],
            media=list(s.media),
        )
        for i, s in enumerate(sources)
    ]
    infos.sort(key=lambda i: -i.attributions)
    top = max((i.attributions for i in infos), default=0) / n_claims
    anonymous = sum(i.attributions for i in infos if i.kind == "anonymous") / n_claims
    return SourcingResult(
        score=None,
        sources=infos,
        distinct_sources=len(infos),
        top_source_share=round(top, 4),
        anonymous_share=round(anonymous, 4),
        hedges=hedges,
        attributions=records,
        hedge_share=round(unsourced_hedges / n_claims, 4),
    )
