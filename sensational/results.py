"""Plain result types of a score. The HTTP schemas mirror these field for field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
    score: float


@dataclass(slots=True)
class FramingResult:
    score: float
    spans: list[Span] = field(default_factory=list)
    categories: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class SourceInfo:
    name: str
    kind: str
    attributions: int
    share: float
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class HeadlineSupport:
    sources: list[str] = field(default_factory=list)
    single_source: bool = False
    hedged: bool = False
    sentences: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class SourcingResult:
    score: float | None
    sources: list[SourceInfo] = field(default_factory=list)
    distinct_sources: int = 0
    top_source_share: float = 0.0
    anonymous_share: float = 0.0
    hedges: list[Span] = field(default_factory=list)
    headline_support: HeadlineSupport | None = None


@dataclass(slots=True)
class ModelRef:
    name: str
    version: str


@dataclass(slots=True)
class ScoreResult:
    score: float
    label: Label
    headline: FieldScore | None
    body: FieldScore | None
    framing: FramingResult
    sourcing: SourcingResult
    model: ModelRef
    reasons: list[str] = field(default_factory=list)
