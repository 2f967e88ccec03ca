"""The API contract: request and response models of every route."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ScoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    headline: str = Field("", description="The headline as shown on the page.")
    body: str = Field("", description="The article text as shown on the page.")
    url: str | None = Field(None, description="The page address; informative only.")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ScoreRequest]


class SpanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    field: Literal["headline", "body"]
    start: int = Field(description="Offset in code points into the field as sent.")
    end: int
    text: str
    category: str
    weight: float
    source: str


class FieldScoreOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    score: float


class FramingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    score: float
    spans: list[SpanOut]
    categories: dict[str, float]


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    kind: str
    attributions: int
    share: float
    spans: list[SpanOut]


class HeadlineSupportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sources: list[str]
    single_source: bool
    hedged: bool
    sentences: list[SpanOut]


class SourcingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    score: float | None
    sources: list[SourceOut]
    distinct_sources: int
    top_source_share: float
    anonymous_share: float
    hedges: list[SpanOut]
    headline_support: HeadlineSupportOut | None


class ModelRefOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    version: str


class ScoreResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    score: float = Field(ge=0, le=1)
    label: Literal["low", "medium", "high"]
    headline: FieldScoreOut | None
    body: FieldScoreOut | None
    framing: FramingOut
    sourcing: SourcingOut
    model: ModelRefOut
    reasons: list[str]


class BatchResponse(BaseModel):
    results: list[ScoreResponse]


class ErrorResponse(BaseModel):
    detail: str = Field(description="What is wrong, in words.")
    code: str = Field(description="A stable machine-readable code.")
