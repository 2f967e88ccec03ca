"""The app factory: ``uvicorn service.app:create_app --factory``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from sensational import __version__
from service.errors import register_error_handlers
from service.model_holder import ModelHolder
from service.routes import health, model, page, score
from service.settings import Settings, get_settings

log = logging.getLogger("service")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A refused bundle fails start-up: uvicorn exits non-zero with the loader's reason.
        loaded = app.state.models.load(settings.model_path)
        log.info(
            "loaded model %s %s from %s", loaded.card["name"], loaded.card["version"], loaded.path
        )
        yield

    app = FastAPI(
        title="Sensationalism scoring API",
        version=__version__,
        description="Scores news headlines and bodies for loaded framing and thin sourcing.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.models = ModelHolder()
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
        )
    register_error_handlers(app)
    for module in (score, model, health, page):
        app.include_router(module.router)
    return app
