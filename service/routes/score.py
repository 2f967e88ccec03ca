"""Scoring routes.

Scoring blocks for milliseconds (a 600-word article takes a few, a body at the 200,000-character
limit about 100 ms), so it runs in FastAPI's thread pool: on the event loop it would stop every
other request for that long. Only an answer already in the model's cache is given from the
event loop, where the thread hop (~0.1 ms) would be most of its cost.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from sensational.errors import InputError, NothingToScore
from sensational.html import extract_article
from sensational.results import Extracted, ExtractionQuality
from service.answers import Answer, CacheKey, render, render_batch
from service.deps import ModelDep, SettingsDep
from service.errors import ApiError
from service.metrics import Metrics
from service.model_holder import LoadedModel
from service.schemas import BatchRequest, BatchResponse, ErrorResponse, ScoreRequest, ScoreResponse
from service.settings import Settings

router = APIRouter(prefix="/v1", tags=["scoring"])


class Prepared(NamedTuple):
    """Texts ready to score; ``quality`` is set when they were extracted from ``html``."""

    headline: str
    body: str
    quality: ExtractionQuality | None


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The body is not JSON, or not UTF-8."},
    413: {
        "model": ErrorResponse,
        "description": "The request, a field or the batch is too large; the detail names the"
        " setting.",
    },
    415: {"model": ErrorResponse, "description": "The body is not declared as JSON."},
    422: {
        "model": ErrorResponse,
        "description": "A field is invalid (`validation_error`, `html_in_text`) or there is"
        " nothing to score (`nothing_to_score`); `errors[].field` says where.",
    },
    503: {"model": ErrorResponse, "description": "No model is loaded yet."},
}
# A field sent as text that is really a page: an extension that meant to send `html`. A few
# tags are text (an article may quote `<div>` or `<p>`); a page starts with a doctype or
# <html>, has a <head> or <body>, or is mostly markup.
_PAGE_START = re.compile(r"^\s*<(?:!doctype|html)\b", re.IGNORECASE)
_PAGE_TAG = re.compile(r"<(?:head|body)\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_MARKUP_TAGS = 20
_MARKUP_SHARE = 0.3
_SCAN_CHARS = 100_000


def looks_like_a_page(text: str) -> bool:
    """Whether a text field holds a page's HTML rather than text that mentions markup."""
    if _PAGE_START.match(text) or _PAGE_TAG.search(text, 0, _SCAN_CHARS):
        return True
    scanned = text[:_SCAN_CHARS]
    tags = _TAG.findall(scanned)
    return len(tags) >= _MARKUP_TAGS and sum(map(len, tags)) >= _MARKUP_SHARE * len(scanned)


def prepare(item: ScoreRequest, settings: Settings, where: str = "") -> Prepared:
    """Texts to score, and the extraction's verdict when they came from ``html``.

    Every limit is checked; a refusal names the field as ``items[2].body`` in a batch.
    """
    if item.html is not None and len(item.html) > settings.max_html_chars:
        raise ApiError(
            413,
            f"{where}html has {len(item.html)} characters; the limit is"
            f" {settings.max_html_chars} (max_html_chars)",
            "too_large",
            field=f"{where}html",
        )
    for name in ("headline", "body"):
        sent = getattr(item, name)
        # Only what the client sent as text is checked: an extract may quote any markup.
        if sent is not None and looks_like_a_page(sent):
            raise ApiError(
                422,
                f"{where}{name} looks like a web page's HTML: send the page in `html`, or the"
                f" article's text in `{name}`",
                "html_in_text",
                field=f"{where}{name}",
            )
    headline, body = item.headline, item.body
    quality = None
    if item.html is not None:
        article = extract_article(item.html, item.url)
        headline = article.headline if headline is None else headline
        body = article.body if body is None else body
        quality = article.quality
    headline, body = headline or "", body or ""
    for name, text, limit, setting in (
        ("headline", headline, settings.max_headline_chars, "max_headline_chars"),
        ("body", body, settings.max_body_chars, "max_body_chars"),
    ):
        if len(text) > limit:
            origin = "extracted " if getattr(item, name) is None else ""
            raise ApiError(
                413,
                f"{where}{origin}{name} has {len(text)} characters; the limit is {limit}"
                f" ({setting})",
                "too_large",
                field=f"{where}{name}",
            )
    if not headline.strip() and not body.strip():
        item_path = where.rstrip(".")
        if item.html is not None:
            detail = (
                "nothing to score: no headline or article text was found in html; send the"
                " article's text in `headline` and `body`"
            )
        else:
            detail = "nothing to score: headline and body are both empty; send at least one"
        if item_path:
            detail = f"{item_path}: {detail}"
        raise ApiError(422, detail, NothingToScore.code, field=item_path or None)
    return Prepared(headline, body, quality)


def _cached(model: LoadedModel, metrics: Metrics, key: CacheKey) -> Answer | None:
    answer = model.answers.get(key)
    if answer is not None:
        metrics.answer_cache.labels("hit").inc()
        metrics.scores.observe(answer.score)
    return answer


def _answer(model: LoadedModel, metrics: Metrics, prepared: Prepared) -> Answer:
    headline, body, quality = prepared
    key = (headline, body, quality)
    answer = _cached(model, metrics, key)
    if answer is None:
        result = model.scorer.score(headline, body)
        if quality is not None:
            result.extracted = Extracted(headline, body, quality)
        answer = render(result)
        model.answers.put(key, answer)
        metrics.answer_cache.labels("miss").inc()
        metrics.scores.observe(answer.score)
    return answer


def _answer_request(
    item: ScoreRequest, model: LoadedModel, metrics: Metrics, settings: Settings
) -> Answer:
    return _answer(model, metrics, prepare(item, settings))


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
        answer = _cached(model, metrics, (item.headline or "", item.body or "", None))
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
    prepared = [prepare(item, settings, f"items[{i}].") for i, item in enumerate(batch.items)]
    # One model for the whole batch, even if a reload lands half way through it.
    metrics = request.app.state.metrics
    answers = []
    for i, p in enumerate(prepared):
        try:
            answers.append(_answer(model, metrics, p))
        except InputError as exc:  # e.g. texts of punctuation only: name the item
            raise ApiError(422, f"items[{i}]: {exc}", exc.code, field=f"items[{i}]") from exc
    return Response(render_batch(answers), media_type="application/json")
