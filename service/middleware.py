"""Pure ASGI middleware: request ids, access log and metrics; the request-size limit.

Pure ASGI (not ``BaseHTTPMiddleware``) so the limit can act on the raw ``receive`` stream,
before anything parses the body, and so no middleware copies the response.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.logs import request_id_var
from service.metrics import Metrics

log = logging.getLogger("service.access")

REQUEST_ID_HEADER = "x-request-id"
# A client may pass its own id (to match its logs); anything else is replaced, never logged.
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


async def send_json_error(send: Send, status: int, detail: str, code: str) -> None:
    """Answer with the service's JSON error shape, from a middleware (outside the routes)."""
    body = json.dumps({"detail": detail, "code": code, "errors": []}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The body was not read to its end (or was discarded): no keep-alive.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Give each request an id (header ``X-Request-ID``), log one JSON line, count it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, REQUEST_ID_HEADER)
        request_id = given if given and _CLIENT_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            # Route templates only: raw paths would give one label per URL ever requested.
            endpoint = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.requests.labels(endpoint, method, str(status)).inc()
            self.metrics.latency.labels(endpoint, method).observe(elapsed)
            if scope["path"] not in _QUIET_PATHS or status >= 400:
                log.info(
                    "request",
                    extra={
                        "method": method,
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)


@dataclass(frozen=True, slots=True)
class BodyLimit:
    """A request-size limit and the setting that sets it (named in the 413)."""

    max_bytes: int
    setting: str


class BodyLimitMiddleware:
    """Refuse request bodies over their limit with a JSON 413 naming the limit's setting.

    Bodies that are not declared as JSON get a 415 first: every route takes JSON only.
    A declared ``Content-Length`` over the limit is refused without holding one byte of it; a
    chunked body is counted while it streams in and refused as soon as it passes the limit, so
    at most the limit is ever held. Either way the rest of the upload is then read and thrown
    away, up to ``drain_bytes`` and ``drain_seconds``, before the 413 is sent: clients that
    send their whole body before reading the answer (Python's urllib and http.client, chunked
    uploads) otherwise get a connection reset instead of the error. A client that asked
    ``Expect: 100-continue`` has sent nothing yet and gets the 413 at once.

    Parameters
    ----------
    default
        The limit of every route not in ``by_path``.
    by_path
        Limits of particular paths (the batch route takes more than one article).
    """

    def __init__(
        self,
        app: ASGIApp,
        default: BodyLimit,
        by_path: dict[str, BodyLimit] | None = None,
        drain_bytes: int = 32 * 1024 * 1024,
        drain_seconds: float = 5.0,
    ) -> None:
        self.app = app
        self.default = default
        self.by_path = by_path or {}
        self.drain_bytes = drain_bytes
        self.drain_seconds = drain_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.by_path.get(scope["path"], self.default)
        declared = _header(scope, "content-length")
        media_type = (_header(scope, "content-type") or "").split(";")[0].strip().lower()
        if declared != "0" and not (
            media_type == "application/json" or media_type.endswith("+json")
        ):
            # fetch() sends a string body as text/plain unless told otherwise: say what to do.
            shown = media_type or "none"
            await self._refuse(
                scope,
                receive,
                send,
                415,
                f"Content-Type {shown} is not accepted: send JSON with"
                " 'Content-Type: application/json'",
                "unsupported_media_type",
                remaining=int(declared) if declared and declared.isdigit() else None,
            )
            return
        if declared is not None:
            if not declared.isdigit():
                await send_json_error(
                    send, 400, f"Content-Length {declared!r} is not a number", "bad_request"
                )
                return
            if int(declared) > limit.max_bytes:
                await self._refuse(
                    scope,
                    receive,
                    send,
                    413,
                    _too_large(limit, str(int(declared))),
                    "too_large",
                    remaining=int(declared),
                )
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            more = message.get("more_body", False)
            if total > limit.max_bytes:
                chunks.clear()
                detail = _too_large(limit, f"more than {limit.max_bytes}")
                await self._refuse(
                    scope, receive, send, 413, detail, "too_large", remaining=None if more else 0
                )
                return
            chunks.append(chunk)
            if not more:
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        detail: str,
        code: str,
        *,
        remaining: int | None,
    ) -> None:
        """Send the error after discarding what is left of the upload, within the bounds.

        ``remaining`` is the number of bytes still to come when known (a declared length),
        None for a stream of unknown length, 0 when all has been read.
        """
        waiting = (_header(scope, "expect") or "").lower() == "100-continue"
        if remaining != 0 and not waiting and (remaining or 0) <= self.drain_bytes:
            await self._drain(receive)
        await send_json_error(send, status, detail, code)

    async def _drain(self, receive: Receive) -> None:
        drained = 0
        try:
            async with asyncio.timeout(self.drain_seconds):
                while drained <= self.drain_bytes:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    drained += len(message.get("body", b""))
                    if not message.get("more_body", False):
                        return
        except TimeoutError:
            log.info("stopped discarding a refused upload after %s s", self.drain_seconds)


class CorsMiddleware(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered in the service's JSON error shape.

    Private Network Access preflights (``Access-Control-Request-Private-Network: true``, sent
    by Chromium before a public page's script reaches a loopback or private address) get
    ``Access-Control-Allow-Private-Network: true`` for allowed origins.
    """

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        origin = request_headers.get("origin")
        detail = (
            f"CORS preflight refused ({refused}) for origin {origin!r}: allowed are the"
            " origins in cors_origins and cors_origin_patterns, methods GET and POST, and the"
            " headers Content-Type and X-Request-ID"
        )
        headers = {k: v for k, v in response.headers.items() if k.lower().startswith("access-")}
        headers["Vary"] = response.headers.get("vary", "Origin")
        return JSONResponse(
            {"detail": detail, "code": "cors_refused", "errors": []},
            status_code=400,
            headers=headers,
        )


def _too_large(limit: BodyLimit, amount: str) -> str:
    return (
        f"request body has {amount} bytes; the limit is {limit.max_bytes} bytes ({limit.setting})"
    )


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope["headers"]:
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None
