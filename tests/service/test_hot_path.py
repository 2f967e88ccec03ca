"""The scoring hot path does no file I/O and compiles no regular expression.

Everything is loaded and compiled when the model loads; a request only computes. Checked by
counting calls to ``open`` and to the regex compiler while requests are answered.
"""

from __future__ import annotations

import builtins
import io
import os
import re._compiler as re_compiler

from tests.service.test_html import page

PAGE = page("furniture_classes")

REQUESTS = [
    ("/v1/score", {"headline": "Panic grips the capital as markets crash"}),
    (
        "/v1/score",
        {
            "headline": "Council publishes its budget",
            "body": "The mayor said the plan was a disaster, according to officials.\n"
            "Critics reportedly called it shocking. Share this article",
        },
    ),
    ("/v1/score", {"html": PAGE}),
    ("/v1/score/batch", {"items": [{"headline": "Storm hits"}, {"body": "Rain fell, he said."}]}),
]


def test_answering_requests_opens_no_file_and_compiles_no_regex(client, monkeypatch):
    for path, body in REQUESTS:  # warm-up: first use of lazily built objects, if any
        assert client.post(path, json=body).status_code == 200
    calls = {"open": 0, "compile": 0}

    def counting(name, original):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(builtins, "open", counting("open", builtins.open))
    monkeypatch.setattr(io, "open", counting("open", io.open))
    monkeypatch.setattr(os, "open", counting("open", os.open))
    monkeypatch.setattr(re_compiler, "compile", counting("compile", re_compiler.compile))
    for _ in range(3):
        for path, body in REQUESTS:
            r = client.post(path, json={**body})
            assert r.status_code == 200
    assert calls == {"open": 0, "compile": 0}
