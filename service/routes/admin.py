"""Admin routes, behind ``Authorization: Bearer <SENSATION_ADMIN_TOKEN>``."""

from __future__ import annotations

import logging
import os
import signal

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from sensational.errors import ModelLoadError
from service.deps import AdminDep
from service.errors import ApiError
from service.model_holder import LoadedModel
from service.schemas import ErrorResponse, ModelRefOut, ReloadResponse

log = logging.getLogger("service")
router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[AdminDep])

# Set by `python -m service` when it runs several workers under uvicorn's supervisor.
SUPERVISOR_ENV = "SENSATION_SUPERVISOR_PID"


async def reload_model(app: FastAPI) -> tuple[LoadedModel | None, LoadedModel]:
    """Load the configured model path again; keep the old model if the new one is refused.

    The path is the one in the settings, never one from the request: loading runs pickle
    code, so only a folder the operator configured may be loaded.
    """
    previous = app.state.models.current
    try:
        # Loading takes a second or so: off the event loop, so scoring goes on meanwhile.
        loaded = await run_in_threadpool(app.state.models.load, app.state.settings.model_path)
    except ModelLoadError as exc:
        app.state.metrics.reloads.labels("refused").inc()
        log.error("reload refused, the previous model keeps serving: %s", exc)
        serving = "nothing" if previous is None else _describe(previous)
        raise ApiError(
            409, f"reload refused, still serving {serving}: {exc}", "reload_refused"
        ) from exc
    app.state.metrics.reloads.labels("ok").inc()
    app.state.metrics.set_model(loaded.card["name"], loaded.card["version"], _sha(loaded))
    log.info("reloaded model %s", _describe(loaded))
    return previous, loaded


@router.post(
    "/reload",
    response_model=ReloadResponse,
    responses={
        401: {"model": ErrorResponse, "description": "No bearer token was sent."},
        403: {"model": ErrorResponse, "description": "Wrong token, or admin routes disabled."},
        409: {"model": ErrorResponse, "description": "The new artifact was refused."},
    },
)
async def reload(request: Request) -> ReloadResponse:
    """Reload the model from the configured path: verify checksum and self-test, then swap."""
    previous, loaded = await reload_model(request.app)
    supervisor = os.environ.get(SUPERVISOR_ENV)
    restarting = supervisor is not None and supervisor == str(os.getppid())
    if restarting:
        # Other workers hold their own copy: uvicorn's supervisor replaces them one at a
        # time on SIGHUP, each new worker ready before the old one stops.
        os.kill(int(supervisor), signal.SIGHUP)
    return ReloadResponse(
        status="reloaded",
        model=_ref(loaded),
        sha256=_sha(loaded),
        previous=None if previous is None else _ref(previous),
        previous_sha256=None if previous is None else _sha(previous),
        workers_restarting=restarting,
    )


def _ref(loaded: LoadedModel) -> ModelRefOut:
    return ModelRefOut(name=loaded.card["name"], version=loaded.card["version"])


def _sha(loaded: LoadedModel) -> str:
    return str(loaded.card["artifact"]["sha256"])


def _describe(loaded: LoadedModel) -> str:
    return f"{loaded.card['name']} {loaded.card['version']} ({_sha(loaded)[:12]})"
