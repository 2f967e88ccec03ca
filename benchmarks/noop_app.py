"""The stack's ceiling: the same JSON posted to a route that validates it and does nothing.

``uvicorn benchmarks.noop_app:create_app --factory``. Served beside ``/healthz`` in the same
run, it shows how much of the scoring route's cost is FastAPI, pydantic and uvicorn alone.
"""

from __future__ import annotations

from fastapi import FastAPI

from service.schemas import ScoreRequest


def create_app() -> FastAPI:
    app = FastAPI(title="no-op scoring baseline")

    @app.get("/healthz")
    async def read_health() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.post("/v1/score")
    async def score_nothing(item: ScoreRequest) -> dict[str, int]:
        """Validate the request like the real route, then answer without scoring."""
        return {"chars": len(item.headline) + len(item.body)}

    return app
