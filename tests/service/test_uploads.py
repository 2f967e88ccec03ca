"""Oversized uploads against a real uvicorn server: every HTTP client reads the 413 JSON.

Python's urllib and http.client send the whole body before they read the answer; a server
that answers and closes without reading the rest resets the connection under them, and they
never see the error. The server discards the rest of the upload (bounded) first.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from service.app import create_app
from service.middleware import BodyLimit, BodyLimitMiddleware
from service.settings import Settings

LIMIT = 64 * 1024
BATCH_LIMIT = 256 * 1024
# Several megabytes: far more than the socket buffers of a loopback connection hold, so a
# server that stopped reading would reset the client half way through.
UPLOAD = 8 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_model_dir: Path) -> Iterator[str]:
    settings = Settings(
        model_path=demo_model_dir,
        max_request_bytes=LIMIT,
        max_batch_bytes=BATCH_LIMIT,
        log_level="WARNING",
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="upload-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail("the app did not start on 127.0.0.1")
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _oversized_json(size: int) -> bytes:
    return json.dumps({"body": "word " * (size // 5)}).encode()


def _check_413(status: int, payload: bytes, setting: str = "max_request_bytes") -> None:
    assert status == 413
    answer = json.loads(payload)
    assert answer["code"] == "too_large"
    assert f"({setting})" in answer["detail"]


def test_urllib_reads_the_413(server):
    request = urllib.request.Request(
        f"http://{server}/v1/score",
        data=_oversized_json(UPLOAD),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    _check_413(caught.value.code, caught.value.read())


def test_http_client_reads_the_413(server):
    conn = http.client.HTTPConnection(server, timeout=30)
    conn.request(
        "POST",
        "/v1/score",
        body=_oversized_json(UPLOAD),
        headers={"Content-Type": "application/json"},
    )
    response = conn.getresponse()
    _check_413(response.status, response.read())
    conn.close()


def test_a_chunked_upload_reads_the_413(server):
    data = _oversized_json(UPLOAD)
    chunks = (data[i : i + 65536] for i in range(0, len(data), 65536))
    conn = http.client.HTTPConnection(server, timeout=30)
    conn.request(
        "POST",
        "/v1/score",
        body=chunks,
        headers={"Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = conn.getresponse()
    _check_413(response.status, response.read())
    conn.close()


def test_the_batch_route_has_its_own_byte_limit(server):
    item = {"html": "<html><body><article><h1>Storm</h1>" + "<p>Rain fell.</p>" * 500}
    small = json.dumps({"items": [item] * 10}).encode()  # 10 pages: over LIMIT, under BATCH
    assert LIMIT < len(small) < BATCH_LIMIT
    conn = http.client.HTTPConnection(server, timeout=60)
    conn.request(
        "POST", "/v1/score/batch", body=small, headers={"Content-Type": "application/json"}
    )
    response = conn.getresponse()
    assert response.status == 200, response.read()[:300]
    assert len(json.loads(response.read())["results"]) == 10
    conn.close()
    big = json.dumps({"items": [item] * 40}).encode()
    conn = http.client.HTTPConnection(server, timeout=60)
    conn.request("POST", "/v1/score/batch", body=big, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    _check_413(response.status, response.read(), "max_batch_bytes")
    conn.close()


# --- the middleware on its own: what it reads and when it stops -------------------------------


class _Recorder:
    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.app_called = False

    async def app(self, scope, receive, send) -> None:
        self.app_called = True
        message = await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": message["body"]})

    async def send(self, message: dict) -> None:
        self.messages.append(message)


def _scope(headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http",
        "method": "POST",
        "path": "/v1/score",
        "headers": [(b"content-type", b"application/json"), *headers],
    }


def _run(middleware: BodyLimitMiddleware, scope: dict, receive, recorder: _Recorder) -> None:
    asyncio.run(middleware(scope, receive, recorder.send))


def _middleware(recorder: _Recorder, limit: int, **kwargs) -> BodyLimitMiddleware:
    return BodyLimitMiddleware(recorder.app, BodyLimit(limit, "max_request_bytes"), **kwargs)


def _chunks(chunks: list[bytes]):
    reads = 0

    async def receive() -> dict:
        nonlocal reads
        reads += 1
        more = reads < len(chunks)
        return {"type": "http.request", "body": chunks[reads - 1], "more_body": more}

    return receive, lambda: reads


def test_a_chunked_body_over_the_limit_is_discarded_to_its_end_then_refused():
    recorder = _Recorder()
    receive, reads = _chunks([b"x" * 400] * 100)
    _run(
        _middleware(recorder, 1000), _scope([(b"transfer-encoding", b"chunked")]), receive, recorder
    )
    assert reads() == 100  # all read, none held past the limit
    assert not recorder.app_called
    assert recorder.messages[0]["status"] == 413
    assert (b"connection", b"close") in recorder.messages[0]["headers"]
    assert b"max_request_bytes" in recorder.messages[1]["body"]


def test_discarding_stops_at_its_byte_bound():
    recorder = _Recorder()
    receive, reads = _chunks([b"x" * 1000] * 1000)
    middleware = _middleware(recorder, 1000, drain_bytes=10_000)
    _run(middleware, _scope([(b"transfer-encoding", b"chunked")]), receive, recorder)
    assert 10 < reads() < 20
    assert recorder.messages[0]["status"] == 413


def test_discarding_stops_at_its_time_bound():
    recorder = _Recorder()
    started = time.monotonic()

    async def slow_receive() -> dict:
        await asyncio.sleep(0.05)
        return {"type": "http.request", "body": b"x" * 600, "more_body": True}

    middleware = _middleware(recorder, 1000, drain_seconds=0.3)
    _run(middleware, _scope([(b"transfer-encoding", b"chunked")]), slow_receive, recorder)
    assert time.monotonic() - started < 2
    assert recorder.messages[0]["status"] == 413


def test_a_chunked_body_under_the_limit_reaches_the_app_whole():
    recorder = _Recorder()
    receive, _ = _chunks([b"ab", b"cd", b"ef"])
    _run(
        _middleware(recorder, 1000), _scope([(b"transfer-encoding", b"chunked")]), receive, recorder
    )
    assert recorder.app_called
    assert recorder.messages[1]["body"] == b"abcdef"


def test_a_declared_length_past_the_discard_bound_is_refused_without_reading():
    recorder = _Recorder()

    async def receive() -> dict:
        raise AssertionError("the body must not be read")

    middleware = _middleware(recorder, 1024, drain_bytes=1_000_000)
    _run(middleware, _scope([(b"content-length", b"52428800")]), receive, recorder)
    assert recorder.messages[0]["status"] == 413
    assert b"52428800 bytes" in recorder.messages[1]["body"]


def test_a_client_waiting_for_100_continue_gets_the_413_without_sending():
    recorder = _Recorder()

    async def receive() -> dict:
        raise AssertionError("the body must not be asked for")

    scope = _scope([(b"content-length", b"5000"), (b"expect", b"100-continue")])
    _run(_middleware(recorder, 1024), scope, receive, recorder)
    assert recorder.messages[0]["status"] == 413
