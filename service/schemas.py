"""The API contract: request and response models of every route."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from feedback.records import MAX_COMMENT_CHARS, MAX_SPAN_CHARS, Verdict


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
            " `extracted` holds the texts the span offsets refer to, and `extracted.quality`"
            " says whether to trust them."
        ),
    )
    url: str | None = Field(
        None,
        max_length=2048,
        pattern=r"^https?://\S+$",
        description=(
            "The page's address, with the text an extension extracted itself or with `html`"
            " (it resolves the page's links); not logged, not stored."
        ),
    )


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


QualityReason = Literal["no_body", "mostly_links", "very_short", "teaser", "no_headline"]


class ExtractionQualityOut(BaseModel):
    status: Literal["ok", "doubtful"] = Field(
        description="`doubtful`: the texts may not be the page's article; see `reason`."
    )
    reason: QualityReason | None = Field(
        None,
        description=(
            "Why the extraction is doubtful: no article text found, mostly link text (a list"
            " of stories), very short (paywalled or loaded by script), teaser-sized, or no"
            " headline. A client should then send the article's text in `headline` and `body`."
        ),
    )
    detail: str | None = Field(None, description="The reason in words.")


class ExtractedOut(BaseModel):
    headline: str = Field(description="The headline that was scored; headline spans index it.")
    body: str = Field(description="The body that was scored; body spans index it.")
    quality: ExtractionQualityOut = Field(
        description="Whether the extracted texts can be taken for the page's article."
    )


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
    kinds: list[Literal["named", "anonymous", "hedged"]] = Field(
        description="How the headline's claim is backed: named sources, anonymous ones"
        " (or a hedge naming nobody), hedged wording."
    )
    independent_sources: int = Field(
        description="Named sources backing the claim, once per speaker, repeaters not counted."
    )
    single_source_reliance: bool = Field(
        description="The claim rests on one source, or only on anonymous or hedged attribution."
    )
    label: Literal["several_named", "single", "anonymous_hedged", "unattributed"] = Field(
        description="The sourcing rubric's label for the claim (docs/criteria.md)."
    )


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

    score: float = Field(
        ge=0,
        le=1,
        description=(
            "Probability that the article (or a headline sent alone) is sensational under"
            " docs/criteria.md."
        ),
    )
    label: Literal["low", "medium", "high"]
    headline: FieldScoreOut | None
    body: FieldScoreOut | None
    framing: FramingOut
    sourcing: SourcingOut
    model: ModelRefOut
    reasons: list[str] = Field(
        description="What raised the score, strongest first, in the words of docs/criteria.md."
    )
    criteria: list[str] = Field(
        description=(
            "Codes of the criteria that raised the score, in the order of `reasons`: loaded,"
            " name_calling, exaggeration, shouting, label_prefix, curiosity_gap, speculation,"
            " overstated_headline, thin_sourcing (docs/criteria.md)."
        )
    )
    headline_gap: float | None = Field(
        description=(
            "The headline's score minus the body's, when both were sent: high when the"
            " headline overstates its article."
        )
    )
    extracted: ExtractedOut | None = Field(
        None, description="Only when `html` was sent: the texts that were scored."
    )


class BatchResponse(BaseModel):
    results: list[ScoreResponse] = Field(description="One answer per item, in the items' order.")


class ErrorItemOut(BaseModel):
    field: str | None = Field(
        description="Path of the field, e.g. `headline` or `items[2].body`; null for the whole"
        " request."
    )
    message: str = Field(description="What is wrong with it.")
    type: str = Field(description="A stable machine-readable kind, e.g. `string_type`.")


class ErrorResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "items[2].body has 250000 characters; the limit is 200000"
                    " (max_body_chars)",
                    "code": "too_large",
                    "errors": [
                        {
                            "field": "items[2].body",
                            "message": "items[2].body has 250000 characters; the limit is"
                            " 200000 (max_body_chars)",
                            "type": "too_large",
                        }
                    ],
                }
            ]
        }
    )

    detail: str = Field(description="What is wrong, in words.")
    code: str = Field(description="A stable machine-readable code.")
    errors: list[ErrorItemOut] = Field(
        default_factory=list,
        description="Each problem that concerns a field, with its path; empty otherwise.",
    )


class FeedbackSpanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: Literal["headline", "body"] = Field(description="The field the span is in.")
    start: int = Field(ge=0, description="Offset in code points into the field as scored.")
    end: int = Field(ge=0, description="End offset (exclusive), in code points.")
    text: str = Field(
        max_length=MAX_SPAN_CHARS,
        description="The span's text: must equal the field's text from `start` to `end`.",
    )
    # A span of the scoring answer may be sent as it is: these three come with it.
    category: str | None = Field(
        None, max_length=40, description="The highlight's category, as the reader saw it."
    )
    weight: float | None = Field(None, description="Accepted, not stored.")
    source: str | None = Field(None, max_length=40, description="The highlight's source.")


class FeedbackRequest(ScoreRequest):
    """A reader's report: the article as it was scored, the verdict, and the span it is about."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "headline": "Council approves budget",
                    "body": "The council approved the budget, which critics slammed.",
                    "model_version": "0.1.0+11435404096a",
                    "verdict": "not_loaded",
                    "span": {"field": "body", "start": 47, "end": 54, "text": "slammed"},
                    "comment": "A fair word for what the critics did.",
                }
            ]
        },
    )

    url: str | None = Field(
        None,
        max_length=2048,
        pattern=r"^https?://\S+$",
        description=(
            "The page's address. Stored without its query and fragment (unless"
            " `SENSATION_FEEDBACK_TEXT` is `none`: not stored)."
        ),
    )
    model_version: str | None = Field(
        None, max_length=100, description="The model version the reader saw (`model.version`)."
    )
    verdict: Verdict = Field(
        description=(
            "`not_loaded`: a highlight is wrong; `missed`: a word or phrase should be"
            " highlighted; `score_too_high`, `score_too_low`; `source_wrong`: a listed source"
            " or attribution is wrong. The first two and `source_wrong` need a `span`."
        )
    )
    span: FeedbackSpanIn | None = Field(
        None, description="The piece of text the report is about; null for a score verdict."
    )
    comment: str | None = Field(
        None, max_length=MAX_COMMENT_CHARS, description="The reader's words (optional)."
    )


class FeedbackResponse(BaseModel):
    id: int = Field(description="The stored report's id.")
    duplicate: bool = Field(
        False,
        description="True (with status 200) when this client had sent the same report before:"
        " it is stored once, and `id` is the first one's.",
    )


class FeedbackStoreOut(BaseModel):
    status: Literal["ok", "unavailable"] = Field(
        description="`unavailable`: reports are answered 503; scoring is not affected."
    )
    backend: str = Field(description="`sqlite` or `postgresql`.")
    detail: str | None = Field(None, description="Why the store is unavailable.")


class HealthResponse(BaseModel):
    status: Literal["ok"] = Field(description="Always `ok`: the process answers.")


class ReadyResponse(BaseModel):
    status: Literal["ready"] = Field(
        description="A verified model is loaded and passed its self-test."
    )
    model: ModelRefOut
    sha256: str = Field(description="Checksum of the live model.joblib.")
    feedback: FeedbackStoreOut = Field(
        description="The report store: readiness is about scoring, so a store that is down"
        " shows here and does not make this answer a 503."
    )


class ReloadResponse(BaseModel):
    status: Literal["reloaded"]
    model: ModelRefOut = Field(description="The model now serving.")
    sha256: str = Field(description="Checksum of the model now serving.")
    previous: ModelRefOut | None = Field(description="The model that served before.")
    previous_sha256: str | None
    workers_restarting: bool = Field(
        description="True when other worker processes are being restarted to load it too."
    )
