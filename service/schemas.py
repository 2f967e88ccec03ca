"""The API contract: request and response models of every route."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ScoreRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "headline": "You won't believe what this council did next",
                    "body": "The council approved the budget on Tuesday, officials said.",
                    "url": "https://news.example/council-budget",
                },
                {"html": "<html><body><article><h1>Storm hits coast</h1><p>Rain fell.</p>"},
            ]
        },
    )

    headline: str | None = Field(
        None, description="The headline as shown on the page; null or absent means none."
    )
    body: str | None = Field(
        None,
        description=(
            "The article text as shown on the page, paragraphs separated by newlines;"
            " null or absent means none. Send page HTML in `html`, not here."
        ),
    )
    html: str | None = Field(
        None,
        description=(
            "The article page's HTML. Headline and body are extracted from it (page furniture"
            " left out) for whichever of `headline` and `body` is not sent; the answer's"
            " `extracted` holds the texts the span offsets refer to."
        ),
    )
    url: str | None = Field(None, description="The page address; informative only, not logged.")


class BatchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"headline": "Panic grips the capital as prices soar"},
                        {"headline": "Council publishes its budget for 2027"},
                    ]
                }
            ]
        },
    )

    items: list[ScoreRequest] = Field(
        description="Articles to score; a bad item rejects the batch and the error names its index."
    )


class ExtractedOut(BaseModel):
    headline: str = Field(description="The headline that was scored; headline spans index it.")
    body: str = Field(description="The body that was scored; body spans index it.")


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
    framing: float | None = Field(None, description="Loaded-wording density score of the field.")
    clickbait: float | None = Field(None, description="Headline-style model probability.")


class FramingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    score: float
    spans: list[SpanOut] = Field(description="Loaded wording of the article.")
    categories: dict[str, float]
    link_spans: list[SpanOut] = Field(
        description="Loaded words of related-story link lists on the page: boilerplate, shown"
        " apart from the article and never counted in any score."
    )


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    kind: str = Field(description="person, organisation, document or anonymous.")
    attributions: int
    share: float
    spans: list[SpanOut]
    media: list[str] = Field(description='How the source spoke: "tweet", "statement", ...')


class AttributionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    source: str | None = Field(description="The merged source's name; null for a hedge.")
    kind: str
    cue: SpanOut | None
    source_span: SpanOut | None
    content: SpanOut | None
    medium: str | None


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
    attributions: list[AttributionOut]
    hedge_share: float


class ModelRefOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    version: str


class ScoreResponse(BaseModel):
    # Its OpenAPI example is the live model's answer to a fixed article (service/app.py),
    # so it always shows every field as the running version returns it.
    model_config = ConfigDict(from_attributes=True)

    score: float = Field(ge=0, le=1)
    label: Literal["low", "medium", "high"]
    headline: FieldScoreOut | None
    body: FieldScoreOut | None
    framing: FramingOut
    sourcing: SourcingOut
    model: ModelRefOut
    reasons: list[str]
    extracted: ExtractedOut | None = Field(
        None, description="Only when `html` was sent: the texts that were scored."
    )


class BatchResponse(BaseModel):
    results: list[ScoreResponse] = Field(description="One answer per item, in the items' order.")


class ErrorResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"detail": "body has 250000 characters; the limit is 200000", "code": "too_large"}
            ]
        }
    )

    detail: str = Field(description="What is wrong, in words.")
    code: str = Field(description="A stable machine-readable code.")
    errors: list[dict[str, Any]] | None = Field(
        None, description="Validation errors only: each with `loc`, `msg` and `type`."
    )


class HealthResponse(BaseModel):
    status: Literal["ok"] = Field(description="Always `ok`: the process answers.")


class ReadyResponse(BaseModel):
    status: Literal["ready"] = Field(
        description="A verified model is loaded and passed its self-test."
    )
    model: ModelRefOut
    sha256: str = Field(description="Checksum of the live model.joblib.")


class ReloadResponse(BaseModel):
    status: Literal["reloaded"]
    model: ModelRefOut = Field(description="The model now serving.")
    sha256: str = Field(description="Checksum of the model now serving.")
    previous: ModelRefOut | None = Field(description="The model that served before.")
    previous_sha256: str | None
    workers_restarting: bool = Field(
        description="True when other worker processes are being restarted to load it too."
    )
