"""Scoring routes.

Scoring blocks for milliseconds (a 600-word article takes a few, a body at the 200,000-character
limit about 100 ms), so it runs in FastAPI's thread pool: on the event loop it would stop every
other request for that long. Only an answer already in the model's cache is given from the
event loop, where the thread hop (~0.1 ms) would be most of its cost.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from sensational.errors import InputError
from sensational.html import extract_article
from sensational.results import Extracted
from service.answers import Answer, CacheKey, render, render_batch
from service.deps import ModelDep, SettingsDep
from service.errors import ApiError
from service.metrics import Metrics
from service.model_holder import LoadedModel
from service.schemas import BatchRequest, BatchResponse, ErrorResponse, ScoreRequest, ScoreResponse
from service.settings import Settings

router = APIRouter(prefix="/v1", tags=["scoring"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The body is not JSON in UTF-8."},
    413: {"model": ErrorResponse, "description": "The request, a field or the batch is too large."},
    415: {"model": ErrorResponse, "description": "The body is not declared as JSON."},
    422: {
        "model": ErrorResponse,
        "description": "The request is malformed or has nothing to score; the detail says where.",
    },
    503: {"model": ErrorResponse, "description": "No model is loaded yet."},
}
# Markup in a text field: an extension that meant to send `html`. Three tags, or a doctype.
_TAG = re.compile(
    r"<(?:html|head|body|div|p|span|article|section|script|style|a|br|meta|link|h[1-6])\b[^<>]*>",
    re.IGNORECASE,
)
_DOCTYPE = re.compile(r"^\s*<(?:!doctype|html)\b", re.IGNORECASE)


def _prepare(item: ScoreRequest, settings: Settings, where: str = "") -> tuple[str, str, bool]:
    """Texts to score and whether they came from ``html``; check every limit."""
    if item.html is not None and len(item.html) > settings.max_html_chars:
        raise ApiError(
            413,
            f"{where}html has {len(item.html)} characters; the limit is"
            f" {settings.max_html_chars} (max_html_chars)",
            "too_large",
        )
    headline, body = item.headline, item.body
    extracted = item.html is not None
    if extracted:
        article = extract_article(item.html)
        headline = article.headline if headline is None else headline
        body = article.body if body is None else body
    headline, body = headline or "", body or ""
    for name, text, limit, setting in (
        ("headline", headline, settings.max_headline_chars, "max_headline_chars"),
        ("body", body, settings.max_body_chars, "max_body_chars"),
    ):
        if len(text) > limit:
            origin = "extracted " if extracted and getattr(item, name) is None else ""
            raise ApiError(
                413,
                f"{where}{origin}{name} has {len(text)} characters; the limit is {limit}"
                f" ({setting})",
                "too_large",
            )
        if _DOCTYPE.match(text) or len(_TAG.findall(text, 0, 100_000)) >= 3:
            raise InputError(
                f"{where}{name} looks like HTML markup: send plain text, or the page in `html`"
            )
    if not headline.strip() and not body.strip():
        what = "the html has no headline or article text" if extracted else "both empty"
        raise InputError(f"{where}headline and body are {what}: send at least one of them")
    return headline, body, extracted


def _cached(model: LoadedModel, metrics: Metrics, key: CacheKey) -> Answer | None:
    answer = model.answers.get(key)
    if answer is not None:
        metrics.answer_cache.labels("hit").inc()
        metrics.scores.observe(answer.score)
    return answer


def _answer(
    model: LoadedModel, metrics: Metrics, headline: str, body: str, extracted: bool
) -> Answer:
    key = (headline, body, extracted)
    answer = _cached(model, metrics, key)
    if answer is None:
        result = model.scorer.score(headline, body)
        if extracted:
            result.extracted = Extracted(headline, body)
        answer = render(result)
        model.answers.put(key, answer)
        metrics.answer_cache.labels("miss").inc()
        metrics.scores.observe(answer.score)
    return answer


def _answer_request(
    item: ScoreRequest, model: LoadedModel, metrics: Metrics, settings: Settings
) -> Answer:
    return _answer(model, metrics, *_prepare(item, settings))


# The routes answer JSON bytes serialised once from the core's result (service.answers);
# `response_model` documents that shape in OpenAPI.
@router.post("/score", response_model=ScoreResponse, responses=_ERRORS)
async def score_article(
    item: ScoreRequest, request: Request, model: ModelDep, settings: SettingsDep
) -> Response:
    """Score one article: overall score and label, framing spans, sourcing, model."""
    metrics = request.app.state.metrics
    answer = None
    if item.html is None:
        # An answer in the cache was checked and scored before: give it from the event loop.
        # Anything else (extraction, checks, scoring) blocks for milliseconds: thread pool.
        answer = _cached(model, metrics, (item.headline or "", item.body or "", False))
    if answer is None:
        answer = await run_in_threadpool(_answer_request, item, model, metrics, settings)
    return Response(answer.json, media_type="application/json")


@router.post("/score/batch", response_model=BatchResponse, responses=_ERRORS)
def score_batch(
    batch: BatchRequest, request: Request, model: ModelDep, settings: SettingsDep
) -> Response:
    """Score up to ``max_batch_items`` articles; answers keep the order of the items.

    A bad item rejects the whole batch before anything is scored, and the error names its
    index (``items[3].body ...``), so a client can drop or fix it and resend.
    """
    if len(batch.items) > settings.max_batch_items:
        raise ApiError(
            413,
            f"batch has {len(batch.items)} items; the limit is {settings.max_batch_items}"
            " (max_batch_items)",
            "too_large",
        )
    prepared = [_prepare(item, settings, f"items[{i}].") for i, item in enumerate(batch.items)]
    # One model for the whole batch, even if a reload lands half way through it.
    metrics = request.app.state.metrics
    answers = [_answer(model, metrics, *p) for p in prepared]
    return Response(render_batch(answers), media_type="application/json")
