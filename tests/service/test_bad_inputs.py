"""The bad-input table: each case gets a JSON 4xx naming the problem, or a correct score where
the input is merely odd; the server stays healthy after every one of them."""

from __future__ import annotations

import pytest

JSON = {"content-type": "application/json"}
MB = 1024 * 1024

# (case, request keyword arguments, expected status, words the error detail must contain)
CASES = [
    ("empty fields", {"json": {"headline": "", "body": ""}}, 422, "nothing to score"),
    ("whitespace only", {"json": {"headline": " \t\n", "body": "\u3000\n"}}, 422, "both empty"),
    ("no fields", {"json": {}}, 422, "both empty"),
    ("number for text", {"json": {"headline": 42}}, 422, "headline: Input should be a valid str"),
    ("list for text", {"json": {"body": ["a", "b"]}}, 422, "body: Input should be a valid str"),
    ("object for text", {"json": {"body": {"p": "x"}}}, 422, "body: Input should be a valid str"),
    ("bool for text", {"json": {"headline": True}}, 422, "headline"),
    ("unknown field", {"json": {"headline": "x", "titel": "y"}}, 422, "titel: Extra inputs"),
    ("array at the root", {"json": [{"headline": "x"}]}, 422, "must be a JSON object"),
    ("string at the root", {"json": "Panic!"}, 422, "must be a JSON object"),
    ("null at the root", {"content": b"null", "headers": JSON}, 422, "must be a JSON object"),
    ("empty body", {"content": b"", "headers": JSON}, 422, "request body is empty"),
    ("not JSON", {"content": b"headline=Panic", "headers": JSON}, 400, "not valid JSON"),
    ("truncated JSON", {"content": b'{"headline": "Pan', "headers": JSON}, 400, "not valid JSON"),
    ("NaN literal", {"content": b'{"headline": NaN}', "headers": JSON}, 422, "headline"),
    (
        "raw control character in a JSON string",
        {"content": b'{"headline": "a\x01b"}', "headers": JSON},
        400,
        "Invalid control character",
    ),
    (
        "invalid UTF-8",
        {"content": b'{"headline": "caf\xe9 \xff"}', "headers": JSON},
        400,
        "not valid UTF-8",
    ),
    (
        "deeply nested JSON",
        {"content": b"[" * 200_000 + b"]" * 200_000, "headers": JSON},
        400,
        "nested too deeply",
    ),
    (
        "deeply nested field value",
        {"content": b'{"body": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "headers": JSON},
        400,
        "nested too deeply",
    ),
    (
        "integer of 5000 digits",
        {"content": b'{"headline": ' + b"9" * 5000 + b"}", "headers": JSON},
        400,
        "could not be parsed as JSON",
    ),
    ("50 MB body", {"content": b" " * (50 * MB), "headers": JSON}, 413, "max_request_bytes"),
    ("one word of 1 MB", {"json": {"body": "a" * MB}}, 413, "(max_body_chars)"),
    (
        "text/plain body",
        {"content": b'{"headline": "x"}', "headers": {"content-type": "text/plain"}},
        415,
        "application/json",
    ),
    ("form body", {"data": {"headline": "x"}}, 415, "application/json"),
    (
        "HTML page in body",
        {"json": {"body": "<!DOCTYPE html><html><body><p>Hi</p></body></html>"}},
        422,
        "body looks like a web page's HTML",
    ),
    (
        "page body without a doctype in headline",
        {"json": {"headline": "<body><div><span>Storm</span><a href=x>more</a></div></body>"}},
        422,
        "headline looks like a web page's HTML",
    ),
    (
        "a few tags quoted in an article",
        {"json": {"headline": "Why <div> soup hurts", "body": "Use <p> and <a> with care."}},
        200,
        None,
    ),
    ("null for html", {"json": {"headline": "Storm hits", "html": None}}, 200, None),
    (
        "html with no article",
        {"json": {"html": "<nav>Home</nav>"}},
        422,
        "nothing to score: no headline or article text was found in html",
    ),
    ("html that is not HTML", {"json": {"html": "\x00\x01 not markup"}}, 200, None),
    ("control characters (escaped)", {"json": {"headline": "Panic\u0000 \u0007grips"}}, 200, None),
    (
        "right-to-left and zero-width",
        {"json": {"headline": "\u202eShocking\u202c\u200b panic \u05e9\u05dc\u05d5\u05dd"}},
        200,
        None,
    ),
    (
        "byte order mark",
        {"content": b'\xef\xbb\xbf{"headline": "x y"}', "headers": JSON},
        200,
        None,
    ),
    ("one long word (150k)", {"json": {"body": "a" * 150_000}}, 200, None),
    (
        "duplicate keys (last wins)",
        {"content": b'{"headline":"a","headline":"b"}', "headers": JSON},
        200,
        None,
    ),
    ("emoji only", {"json": {"headline": "\U0001f631\U0001f525\U0001f525"}}, 422, "no words"),
    ("punctuation only", {"json": {"headline": "...", "body": "- - -"}}, 422, "no words"),
    ("zero-width space only", {"json": {"headline": "\u200b"}}, 422, "no words"),
    (
        "lone surrogate escape",
        {"content": b'{"headline": "x \\ud800 y"}', "headers": JSON},
        200,
        None,
    ),
]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "needle"),
    [pytest.param(kw, st, nd, id=name) for name, kw, st, nd in CASES],
)
def test_bad_input(client, request_kwargs, status, needle):
    r = client.post("/v1/score", **request_kwargs)
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    answer = r.json()
    if needle is None:
        assert 0 <= answer["score"] <= 1
        for span in answer["framing"]["spans"]:
            assert span["end"] > span["start"]
    else:
        assert needle in answer["detail"]
        assert answer["code"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_odd_text_spans_still_index_the_text_as_sent(client):
    headline = "\u200bPanic\u200b grips \u202ethe\u202c capital \u05e9\u05dc\u05d5\u05dd \U0001f631"
    r = client.post("/v1/score", json={"headline": headline})
    assert r.status_code == 200
    for span in r.json()["framing"]["spans"]:
        assert headline[span["start"] : span["end"]] == span["text"]


def test_batch_with_bad_inputs_names_the_index(client):
    items = [{"headline": "Storm hits"}, {"headline": "x"}, {"body": "<html><p>a</p><p>b</p>"}]
    r = client.post("/v1/score/batch", json={"items": items})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("items[2].body looks like a web page's HTML")
    assert r.json()["errors"] == [
        {"field": "items[2].body", "message": r.json()["detail"], "type": "html_in_text"}
    ]
    r = client.post("/v1/score/batch", json={"items": "not a list"})
    assert r.status_code == 422
    assert "items" in r.json()["detail"]


def test_text_with_no_words_is_refused_as_nothing_to_score(client):
    r = client.post("/v1/score", json={"headline": "!!!", "body": "\u2014"})
    assert r.status_code == 422
    assert r.json()["code"] == "nothing_to_score"
