"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from service.errors import ApiError
from service.schemas import (
    ErrorResponse,
    FeedbackStoreOut,
    HealthResponse,
    ModelRefOut,
    ReadyResponse,
)

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthResponse)
async def read_health() -> HealthResponse:
    """The process is up."""
    return HealthResponse(status="ok")


@router.get(
    "/readyz",
    response_model=ReadyResponse,
    responses={503: {"model": ErrorResponse, "description": "No verified model is loaded."}},
)
async def read_readiness(request: Request) -> ReadyResponse:
    """A verified model is loaded and passed its self-test; and whether reports can be stored.

    Readiness is about scoring: a report store that is down shows in `feedback` and leaves
    the answer 200, so a load balancer keeps sending scoring requests.
    """
    loaded = request.app.state.models.current
    if loaded is None:
        raise ApiError(503, "no model is loaded", "not_ready")
    feedback = request.app.state.feedback
    health = await run_in_threadpool(feedback.health)
    return ReadyResponse(
        status="ready",
        model=ModelRefOut(name=loaded.card["name"], version=loaded.card["version"]),
        sha256=loaded.card["artifact"]["sha256"],
        feedback=FeedbackStoreOut(
            status="ok" if health.ok else "unavailable",
            backend=feedback.store.backend,
            detail=health.detail,
        ),
    )


@router.get("/metrics", include_in_schema=False)
async def read_metrics(request: Request) -> Response:
    """Prometheus text format: requests and latency by endpoint, scores, the live model."""
    body, content_type = request.app.state.metrics.render()
    return Response(body, media_type=content_type)
