"""``POST /v1/feedback``: a reader reports a wrong highlight, a missed word, a wrong score or
source.

The report is checked like a scoring request (the same limits, ``html`` extracted the same
way, so span offsets index the same texts), then its span against the text; a refused report
stores nothing. What is kept of the article follows ``feedback_text`` (feedback.records).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from feedback.records import MAX_SPAN_CHARS, SPAN_VERDICTS, SpanRef, build_report
from feedback.store import StoreUnavailable, describe_url
from service.deps import SettingsDep
from service.errors import ApiError
from service.feedback import FeedbackService
from service.routes.score import prepare
from service.schemas import ErrorResponse, FeedbackRequest, FeedbackResponse, FeedbackSpanIn

log = logging.getLogger("service")
router = APIRouter(prefix="/v1", tags=["feedback"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": FeedbackResponse,
        "description": "The same client sent this report before: stored once, its id.",
    },
    400: {"model": ErrorResponse, "description": "The body is not JSON, or not UTF-8."},
    413: {"model": ErrorResponse, "description": "The request or a field is too large."},
    415: {"model": ErrorResponse, "description": "The body is not declared as JSON."},
    422: {
        "model": ErrorResponse,
        "description": "Refused, nothing stored: an invalid field or verdict, a comment over"
        " 1,000 characters, a span verdict without `span` (`span_required`), a span outside"
        " its field (`span_out_of_range`) or whose text is not the field's text at its offsets"
        " (`span_mismatch`); `errors[].field` says where.",
    },
    429: {
        "model": ErrorResponse,
        "description": "Too many reports from this address (`feedback_rate_limit`); the"
        " `Retry-After` header says in how many seconds to try again.",
    },
    503: {
        "model": ErrorResponse,
        "description": "The report store is unavailable (`store_unavailable`); nothing was"
        " stored. Scoring is not affected.",
    },
}


def client_address(request: Request) -> str:
    # Behind a proxy on the same host, uvicorn puts the X-Forwarded-For address here (it
    # trusts FORWARDED_ALLOW_IPS, 127.0.0.1 by default).
    return request.client.host if request.client else "unknown"


async def limit_reports(request: Request) -> None:
    """Refuse a client over ``feedback_rate_limit`` before its report is read."""
    service: FeedbackService = request.app.state.feedback
    wait = service.limiter.hit(client_address(request))
    if wait is not None:
        raise ApiError(
            429,
            f"too many reports from this address: the limit is {service.limiter.spec}"
            f" (feedback_rate_limit); try again in {wait} s",
            "rate_limited",
            headers={"Retry-After": str(wait)},
        )


def check_span(verdict: str, span: FeedbackSpanIn | None, texts: dict[str, str]) -> None:
    """Refuse a span verdict without a span, and a span that is not its field's text."""
    if span is None:
        if verdict in SPAN_VERDICTS:
            raise ApiError(
                422,
                f"span: a {verdict} report is about a piece of the text; send it as"
                ' {"field", "start", "end", "text"}',
                "span_required",
                field="span",
            )
        return
    text = texts[span.field]
    if span.end <= span.start or span.end > len(text):
        raise ApiError(
            422,
            f"span.end: the span [{span.start}, {span.end}) is not inside {span.field}"
            f" ({len(text)} characters); offsets are code points and end > start",
            "span_out_of_range",
            field="span.end",
        )
    if span.end - span.start > MAX_SPAN_CHARS:
        raise ApiError(
            422,
            f"span: {span.end - span.start} characters; a report is about a word or a phrase of"
            f" at most {MAX_SPAN_CHARS}",
            "span_too_long",
            field="span.end",
        )
    found = text[span.start : span.end]
    if found != span.text:
        raise ApiError(
            422,
            f"span.text {span.text!r} is not {span.field}[{span.start}:{span.end}], which is"
            f" {found!r}: offsets are code points into the text as scored",
            "span_mismatch",
            field="span.text",
        )
    if not found.strip():
        raise ApiError(422, "span.text holds no word", "span_mismatch", field="span.text")


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackResponse,
    responses=_RESPONSES,
    dependencies=[Depends(limit_reports)],
)
def post_feedback(
    item: FeedbackRequest, request: Request, response: Response, settings: SettingsDep
) -> FeedbackResponse:
    """Record a reader's report: 201 with its id once it is stored durably.

    The same report (client, article, verdict and span) sent again is stored once and
    answered 200 with the first one's id. What is kept of the article is set by
    `SENSATION_FEEDBACK_TEXT` (see the README, "Feedback").
    """
    service: FeedbackService = request.app.state.feedback
    headline, body, _ = prepare(item, settings)
    check_span(item.verdict, item.span, {"headline": headline, "body": body})
    span = item.span
    try:
        report = build_report(
            verdict=item.verdict,
            headline=headline,
            body=body,
            span=None
            if span is None
            else SpanRef(span.field, span.start, span.end, span.text, span.category, span.source),
            client=service.store.client_key(client_address(request)),
            policy=service.policy,
            model_version=item.model_version,
            url=item.url,
            comment=item.comment,
        )
        added = service.store.add(report)
    except StoreUnavailable as exc:
        log.error("report not stored in %s: %s", describe_url(service.store.url), exc)
        raise ApiError(
            503,
            "the report store is unavailable: nothing was stored; try again later",
            "store_unavailable",
        ) from exc
    if not added.created:
        response.status_code = 200
    return FeedbackResponse(id=added.id, duplicate=not added.created)
