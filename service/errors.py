"""One JSON error shape for every 4xx and 5xx.

``{"detail": str, "code": str, "errors": [{"field", "message", "type"}]}``: ``detail`` says what
is wrong in words, ``code`` is stable for programs, and ``errors`` lists each problem with a
field (``items[2].body``, ``headline``; null when it is not about one field). The field path is
written the same way whether validation or the service's own checks found the problem.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

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
    429: "rate_limited",
    503: "not_ready",
}


def error_body(
    detail: str, code: str, errors: Sequence[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": list(errors or [])}


def field_path(loc: Iterable[str | int]) -> str | None:
    """``("items", 2, "body")`` as ``items[2].body``; None for the request body as a whole."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or None


class ApiError(StarletteHTTPException):
    """An HTTP error with its own stable ``code``, and the field it is about if any."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        code: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, detail, headers=headers)
        self.code = code
        self.field = field


def _validation_item(err: dict[str, Any]) -> tuple[str | None, str]:
    """The field path and the message of one pydantic error, in the service's words."""
    loc = list(err.get("loc", ()))
    if loc and loc[0] == "body":  # FastAPI's marker for "the request body", not a field
        loc = loc[1:]
    field = field_path(loc)
    kind = err.get("type")
    if field is None and kind == "missing":
        return None, "request body is empty: send a JSON object"
    if field is None and kind in ("model_attributes_type", "dict_type"):
        return None, "request body must be a JSON object, not an array, string or null"
    return field, str(err.get("msg"))


async def on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    raw = list(exc.errors())
    syntax = next((e for e in raw if e.get("type") == "json_invalid"), None)
    if syntax is not None:
        # Not JSON at all: a 400, like every other body that cannot be parsed.
        loc = syntax.get("loc", ())
        pos = loc[-1] if isinstance(loc, tuple | list) and loc else "?"
        reason = (syntax.get("ctx") or {}).get("error", "")
        detail = f"request body is not valid JSON at character {pos}: {reason}"
        return JSONResponse(
            status_code=400,
            content=error_body(
                detail, "invalid_json", [{"field": None, "message": detail, "type": "json_invalid"}]
            ),
        )
    errors = []
    parts = []
    for err in raw:
        field, message = _validation_item(err)
        errors.append({"field": field, "message": message, "type": err.get("type")})
        parts.append(f"{field}: {message}" if field else message)
    return JSONResponse(
        status_code=422, content=error_body("; ".join(parts), "validation_error", errors)
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
        code = "invalid_json"
    field = getattr(exc, "field", None)
    errors = [{"field": field, "message": detail, "type": code}] if field else []
    return JSONResponse(
        status_code=exc.status_code,
        content=error_body(detail, code, errors),
        headers=getattr(exc, "headers", None),
    )


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
