"""Pure ASGI middleware: request ids, access log and metrics; the request-size limit.

Pure ASGI (not ``BaseHTTPMiddleware``) so the limit can act on the raw ``receive`` stream,
before anything parses the body, and so no middleware copies the response.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

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
    body = json.dumps({"detail": detail, "code": code}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The client may still be sending; do not keep a half-read connection.
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


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with a JSON 413 naming the limit.

    Bodies that are not declared as JSON get a 415 first: every route takes JSON only.
    A declared ``Content-Length`` over the limit is refused before one byte of the body is
    read. A chunked body is counted while it streams in and refused as soon as it passes the
    limit, so at most ``max_bytes`` are ever held. The body is then replayed to the app.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = _header(scope, "content-length")
        media_type = (_header(scope, "content-type") or "").split(";")[0].strip().lower()
        if declared != "0" and not (
            media_type == "application/json" or media_type.endswith("+json")
        ):
            # fetch() sends a string body as text/plain unless told otherwise: say what to do.
            shown = media_type or "none"
            await send_json_error(
                send,
                415,
                f"Content-Type {shown} is not accepted: send JSON with"
                " 'Content-Type: application/json'",
                "unsupported_media_type",
            )
            return
        if declared is not None:
            if not declared.isdigit():
                await send_json_error(
                    send, 400, f"Content-Length {declared!r} is not a number", "bad_request"
                )
                return
            if int(declared) > self.max_bytes:
                await send_json_error(send, 413, self._too_large(int(declared)), "too_large")
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                await send_json_error(send, 413, self._too_large(total, streamed=True), "too_large")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
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

    def _too_large(self, size: int, *, streamed: bool = False) -> str:
        amount = f"more than {self.max_bytes}" if streamed else str(size)
        return (
            f"request body has {amount} bytes; the limit is {self.max_bytes} bytes"
            " (max_request_bytes)"
        )


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope["headers"]:
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None
