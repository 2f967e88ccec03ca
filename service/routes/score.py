"""Scoring routes."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from sensational.errors import InputError
from service.deps import ModelDep, SettingsDep
from service.schemas import BatchRequest, BatchResponse, ErrorResponse, ScoreRequest, ScoreResponse
from service.settings import Settings

router = APIRouter(prefix="/v1", tags=["scoring"])

_ERRORS = {
    413: {"model": ErrorResponse, "description": "A field or the batch is over its size limit."},
    422: {
        "model": ErrorResponse,
        "description": "The request is malformed or has nothing to score.",
    },
    503: {"model": ErrorResponse, "description": "No model is loaded yet."},
}


def _check_limits(item: ScoreRequest, settings: Settings, where: str = "") -> None:
    for name, limit in (
        ("headline", settings.max_headline_chars),
        ("body", settings.max_body_chars),
    ):
        size = len(getattr(item, name))
        if size > limit:
            raise HTTPException(413, f"{where}{name} has {size} characters; the limit is {limit}")


@router.post("/score", response_model=ScoreResponse, responses=_ERRORS)
def score_article(item: ScoreRequest, model: ModelDep, settings: SettingsDep) -> ScoreResponse:
    """Score one article: overall score, framing spans and sourcing."""
    _check_limits(item, settings)
    result = model.scorer.score(item.headline, item.body)
    return ScoreResponse.model_validate(result)


@router.post("/score/batch", response_model=BatchResponse, responses=_ERRORS)
def score_batch(batch: BatchRequest, model: ModelDep, settings: SettingsDep) -> BatchResponse:
    """Score up to ``max_batch_items`` articles; answers keep the order of the items.

    A bad item rejects the whole batch, and the error names its index.
    """
    if len(batch.items) > settings.max_batch_items:
        raise HTTPException(
            413, f"batch has {len(batch.items)} items; the limit is {settings.max_batch_items}"
        )
    for i, item in enumerate(batch.items):
        _check_limits(item, settings, where=f"items[{i}].")
        if not item.headline.strip() and not item.body.strip():
            raise InputError(
                f"items[{i}]: headline and body are both empty: send at least one of them"
            )
    results = [model.scorer.score(item.headline, item.body) for item in batch.items]
    return BatchResponse(results=[ScoreResponse.model_validate(r) for r in results])
