"""The app factory: ``uvicorn service.app:create_app --factory``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from sensational import __version__
from sensational.errors import ModelLoadError
from service.answers import render
from service.errors import ApiError, register_error_handlers
from service.feedback import FeedbackService
from service.logs import configure_logging
from service.metrics import Metrics
from service.middleware import (
    BodyLimit,
    BodyLimitMiddleware,
    CorsMiddleware,
    RequestContextMiddleware,
)
from service.model_holder import SELF_TEST_BODY, SELF_TEST_HEADLINE, ModelHolder
from service.routes import admin, feedback, health, model, page, score
from service.settings import Settings, get_settings

log = logging.getLogger("service")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # In a function of its own: a local of this generator would keep the first model
        # alive for the server's lifetime, after any reload.
        _load_first_model(app, settings)
        # Connecting may wait for a store that is down: off the loop, and never fatal.
        await run_in_threadpool(app.state.feedback.prepare)
        hup = _install_reload_signal(app)
        try:
            yield
        finally:
            if hup:
                asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            app.state.feedback.close()

    # /docs and /redoc load Swagger UI and ReDoc from files shipped with fastapi-offline,
    # not from a CDN: the documentation works without internet.
    app = FastAPIOffline(
        title="Sensationalism scoring API",
        version=__version__,
        description=(
            "Scores news headlines and bodies for loaded framing and thin sourcing. What the"
            " service calls sensational, and what each score and criterion means:"
            " [the criteria](/criteria) (docs/criteria.md). Span offsets"
            " are code points into the text that was scored. Every error answers"
            ' `{"detail": ..., "code": ...}`.'
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.models = ModelHolder(cache_bytes=settings.answer_cache_mb * 1_000_000)
    app.state.metrics = Metrics()
    app.state.feedback = FeedbackService(
        settings.feedback_url, settings.feedback_text, settings.feedback_rate_limit
    )
    register_error_handlers(app)
    for module in (score, feedback, model, health, admin, page):
        app.include_router(module.router)
    # Added innermost first: the request id and metrics see every answer, CORS headers go
    # on the limit's 413 too, and the limit acts before anything reads the body.
    app.add_middleware(
        BodyLimitMiddleware,
        default=BodyLimit(settings.max_request_bytes, "max_request_bytes"),
        by_path={"/v1/score/batch": BodyLimit(settings.max_batch_bytes, "max_batch_bytes")},
        drain_bytes=settings.drain_bytes,
        drain_seconds=settings.drain_seconds,
    )
    if settings.cors_origins or settings.cors_origin_patterns:
        app.add_middleware(
            CorsMiddleware,
            allow_origins=settings.cors_origins,
            allow_origin_regex=settings.cors_origin_regex(),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-Request-ID"],
            allow_private_network=True,
            expose_headers=["X-Request-ID"],
            max_age=600,
        )
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    app.openapi = _with_live_example(app, app.openapi)  # type: ignore[method-assign]
    return app


def _load_first_model(app: FastAPI, settings: Settings) -> None:
    # A refused bundle fails start-up: uvicorn exits non-zero with the loader's reason.
    try:
        loaded = app.state.models.load(settings.model_path)
    except ModelLoadError as exc:
        log.critical("cannot start: %s", exc)
        raise
    card = loaded.card
    app.state.metrics.set_model(card["name"], card["version"], card["artifact"]["sha256"])
    log.info("loaded model %s %s from %s", card["name"], card["version"], loaded.path)


def _with_live_example(app: FastAPI, build: Callable[[], dict[str, Any]]) -> Callable[[], Any]:
    """Add the live model's answer to a fixed article as the example of ``ScoreResponse``."""

    def openapi() -> dict[str, Any]:
        schema = build()  # FastAPI builds it once and caches it on the app
        component = schema.get("components", {}).get("schemas", {}).get("ScoreResponse")
        loaded = app.state.models.current
        if component is not None and "examples" not in component and loaded is not None:
            result = loaded.scorer.score(SELF_TEST_HEADLINE, SELF_TEST_BODY)
            example = json.loads(render(result).json)
            component["examples"] = [example]
        return schema

    return openapi


def _install_reload_signal(app: FastAPI) -> bool:
    """``kill -HUP <pid>`` reloads the model in this process (one-worker servers).

    Only where a signal can be handled: the main thread of a Unix process. Under the test
    client the lifespan runs in another thread, and SIGHUP is left alone.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGHUP"):
        return False
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[object]] = set()

    def on_hup() -> None:
        task = loop.create_task(_reload_quietly(app))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    loop.add_signal_handler(signal.SIGHUP, on_hup)
    return True


async def _reload_quietly(app: FastAPI) -> None:
    with contextlib.suppress(ApiError):  # refused: already logged, the old model serves on
        await admin.reload_model(app)
