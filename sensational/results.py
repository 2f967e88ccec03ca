"""Plain result types of a score. The HTTP schemas mirror these field for field."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from pydantic import TypeAdapter

Field = Literal["headline", "body"]
Label = Literal["low", "medium", "high"]


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted stretch of the text as sent: ``text == <field>[start:end]`` (code points)."""

    field: Field
    start: int
    end: int
    text: str
    category: str
    weight: float
    source: str = "lexicon"


@dataclass(slots=True)
class FieldScore:
    """A field's score (the probability it is sensational when scored alone); ``framing`` is
    its loaded-wording density score, ``clickbait`` the headline-style model's probability
    (headline only)."""

    score: float
    framing: float | None = None
    clickbait: float | None = None


@dataclass(slots=True)
class FramingResult:
    """``spans`` mark loaded wording of the article; ``link_spans`` the loaded words of
    related-story link lists on the page (boilerplate: never in ``score`` or ``categories``)."""

    score: float
    spans: list[Span] = field(default_factory=list)
    categories: dict[str, float] = field(default_factory=dict)
    link_spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class SourceInfo:
    """One merged source: ``kind`` is person, organisation, document or anonymous.

    ``share`` is its part of all claims (attributions plus unattributed hedges); ``media``
    lists how it spoke when the text says so ("tweet", "statement", "blog").
    """

    name: str
    kind: str
    attributions: int
    share: float
    spans: list[Span] = field(default_factory=list)
    media: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AttributionInfo:
    """One attribution: who (``source``, None for a hedge), the cue, and the quoted content."""

    source: str | None
    kind: str
    cue: Span | None = None
    source_span: Span | None = None
    content: Span | None = None
    medium: str | None = None


@dataclass(slots=True)
class HeadlineSupport:
    """Who backs the headline's claim.

    ``sentences`` are the body sentences that state the claim; ``sources`` the sources
    attributed in them (or, when they carry none, in the next two sentences), plus a source
    the headline names itself. ``single_source`` is true when at most one identifiable (not
    anonymous) source backs the claim; ``hedged`` when the headline or those sentences hedge
    it ("reportedly", "is said to").

    ``kinds`` lists how the claim is backed: ``named`` (a person, organisation or document
    named), ``anonymous`` (an unnamed source, or a hedge that names nobody) and ``hedged``.
    ``independent_sources`` counts the named sources, once per real-world speaker and not
    counting one that only repeats another (a news agency citing a blogger is the blogger).
    ``label`` is the sourcing rubric's reading of it (``docs/criteria.md``): several_named,
    single, anonymous_hedged or unattributed; ``single_source_reliance`` is true for single
    and anonymous_hedged.
    """

    sources: list[str] = field(default_factory=list)
    single_source: bool = False
    hedged: bool = False
    sentences: list[Span] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    independent_sources: int = 0
    single_source_reliance: bool = False
    label: str = "unattributed"


@dataclass(slots=True)
class SourcingResult:
    """How much an article rests on few, anonymous or hedged sources.

    ``score`` is in [0, 1], high for thin sourcing, and None only when there is no body.
    Shares are of all claims: attributions plus hedges with no source (``hedge_share``).
    ``attributions`` lists every attribution found, in text order.
    """

    score: float | None
    sources: list[SourceInfo] = field(default_factory=list)
    distinct_sources: int = 0
    top_source_share: float = 0.0
    anonymous_share: float = 0.0
    hedges: list[Span] = field(default_factory=list)
    headline_support: HeadlineSupport | None = None
    attributions: list[AttributionInfo] = field(default_factory=list)
    hedge_share: float = 0.0


@dataclass(slots=True)
class ModelRef:
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class ExtractionQuality:
    """Whether text extracted from a page can be taken for the page's article.

    ``status`` is ``ok`` or ``doubtful``; a doubtful one has a stable ``reason`` code
    (``no_body``, ``mostly_links``, ``very_short``, ``teaser``, ``no_headline``) and a
    ``detail`` in words, so a client knows when to send the article text itself.
    """

    status: Literal["ok", "doubtful"]
    reason: str | None = None
    detail: str | None = None

    @classmethod
    def ok(cls) -> ExtractionQuality:
        return cls("ok")

    @classmethod
    def doubtful(cls, reason: str, detail: str) -> ExtractionQuality:
        return cls("doubtful", reason, detail)


@dataclass(frozen=True, slots=True)
class Extracted:
    """The texts scored when they were extracted from a page's HTML; spans index these."""

    headline: str
    body: str
    quality: ExtractionQuality | None = None


@dataclass(slots=True)
class ScoreResult:
    """One answer. ``score`` is the probability that the article (or the headline sent alone)
    is sensational under ``docs/criteria.md``; ``criteria`` are the codes of the criteria that
    raised it, ``reasons`` the same in words; ``headline_gap`` is the headline's score minus the
    body's, when both were sent (high: the headline overstates its article)."""

    score: float
    label: Label
    headline: FieldScore | None
    body: FieldScore | None
    framing: FramingResult
    sourcing: SourcingResult
    model: ModelRef
    reasons: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    headline_gap: float | None = None
    extracted: Extracted | None = None


@cache
def _result_adapter() -> TypeAdapter[ScoreResult]:
    return TypeAdapter(ScoreResult)


def result_json(result: ScoreResult) -> bytes:
    """The answer's JSON, as the API sends it: one compiled pydantic serialiser, built once."""
    return _result_adapter().dump_json(result)
