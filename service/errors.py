"""One JSON error shape, ``{"detail": str, "code": str}``, for every 4xx and 5xx."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sensational.errors import InputError, SensationalError

log = logging.getLogger("service")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    503: "not_ready",
}


def error_body(detail: str, code: str, **extra: object) -> dict[str, object]:
    return {"detail": detail, "code": code, **extra}


def _describe(errors: list[dict[str, object]]) -> str:
    parts = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"  # type: ignore[union-attr]
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts)


async def on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
    return JSONResponse(
        status_code=422, content=error_body(_describe(errors), "validation_error", errors=errors)
    )


async def on_http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = _CODES.get(exc.status_code, "error")
    return JSONResponse(
        status_code=exc.status_code,
        content=error_body(str(exc.detail), code),
        headers=getattr(exc, "headers", None),
    )


async def on_input_error(_: Request, exc: InputError) -> JSONResponse:
    return JSONResponse(status_code=422, content=error_body(str(exc), exc.code))


async def on_domain_error(_: Request, exc: SensationalError) -> JSONResponse:
    log.error("domain error: %s", exc)
    return JSONResponse(status_code=503, content=error_body(str(exc), exc.code))


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, on_input_error)  # type: ignore[arg-type]
    app.add_exception_handler(SensationalError, on_domain_error)  # type: ignore[arg-type]
