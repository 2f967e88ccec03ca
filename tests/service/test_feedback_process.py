"""Reports answered 201 are on disk: the server is killed (SIGKILL) right after the answers,
and a new store counts every one of them."""

from __future__ import annotations

import httpx
import pytest

from feedback.store import FeedbackStore
from tests.load.run import feedback_payloads, serve


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_reports_answered_201_survive_a_killed_server(request, model_copy, feedback_url, backend):
    url = feedback_url if backend == "sqlite" else request.getfixturevalue("postgres_url")
    with serve(model_copy, env={"SENSATION_FEEDBACK_URL": url}) as server:
        created = 0
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            for payload in feedback_payloads(20):
                created += client.post("/v1/feedback", json=payload).status_code == 201
        server.process.kill()  # no shutdown, no flush: only what was committed remains
        server.process.wait(timeout=30)
    assert created == 20
    store = FeedbackStore(url)
    assert store.count() == 20
    store.dispose()
