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
    409: "conflict",
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
        if err.get("type") == "json_invalid":
            loc = err.get("loc", ())
            pos = loc[-1] if isinstance(loc, tuple | list) and loc else "?"
            reason = (err.get("ctx") or {}).get("error", "")  # type: ignore[union-attr]
            parts.append(f"request body is not valid JSON at character {pos}: {reason}")
            continue
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request body"  # type: ignore[union-attr]
        if loc == "request body" and err.get("type") == "missing":
            parts.append("request body is empty: send a JSON object")
            continue
        if loc == "request body" and err.get("type") in ("model_attributes_type", "dict_type"):
            parts.append("request body must be a JSON object, not an array, string or null")
            continue
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts)


async def on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    raw = list(exc.errors())
    errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in raw]
    return JSONResponse(
        status_code=422, content=error_body(_describe(raw), "validation_error", errors=errors)
    )


async def on_http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = getattr(exc, "code", None) or _CODES.get(exc.status_code, "error")
    detail = str(exc.detail)
    # FastAPI turns every body it cannot decode into one vague 400; name the real problem.
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        detail = f"request body is not valid UTF-8: {cause.reason} at byte {cause.start}"
        code = "invalid_encoding"
    elif isinstance(cause, RecursionError):
        detail = "request body is JSON nested too deeply to parse"
        code = "too_deep"
    elif isinstance(cause, ValueError):  # e.g. an integer literal of thousands of digits
        detail = f"request body could not be parsed as JSON: {cause}"
    return JSONResponse(
        status_code=exc.status_code,
        content=error_body(detail, code),
        headers=getattr(exc, "headers", None),
    )


class ApiError(StarletteHTTPException):
    """An HTTP error with its own stable ``code``."""

    def __init__(self, status_code: int, detail: str, code: str) -> None:
        super().__init__(status_code, detail)
        self.code = code


async def on_input_error(_: Request, exc: InputError) -> JSONResponse:
    return JSONResponse(status_code=422, content=error_body(str(exc), exc.code))


async def on_domain_error(_: Request, exc: SensationalError) -> JSONResponse:
    log.error("domain error: %s", exc)
    return JSONResponse(status_code=503, content=error_body(str(exc), exc.code))


async def on_unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log (it holds code, not the request's text); the client
    # gets the same JSON shape as every other error.
    log.error("unhandled %s", type(exc).__name__, exc_info=exc)
    return JSONResponse(
        status_code=500, content=error_body("internal error; see the server log", "internal")
    )


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, on_input_error)  # type: ignore[arg-type]
    app.add_exception_handler(SensationalError, on_domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_unexpected_error)
