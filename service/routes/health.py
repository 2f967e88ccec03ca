"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def read_health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def read_readiness(request: Request) -> dict[str, str]:
    """A verified model is loaded and can score."""
    from fastapi import HTTPException

    loaded = request.app.state.models.current
    if loaded is None:
        raise HTTPException(503, "no model is loaded")
    return {"status": "ready", "model": f"{loaded.card['name']} {loaded.card['version']}"}
