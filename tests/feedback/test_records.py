"""What a report keeps of the article: the sentence around the span, hashes, keys."""

from __future__ import annotations

import pytest

from feedback.records import (
    CONTEXT_CHARS,
    SpanRef,
    article_sha256,
    build_report,
    client_key,
    context_range,
    public_url,
)

BODY = (
    "Mr. Lee met Gen. Ortiz in the U.S. capital on Monday. Critics slammed the deal as a"
    " disaster. Officials said talks would go on.\nA second paragraph follows here."
)


def test_context_is_the_sentence_holding_the_span():
    start = BODY.index("slammed")
    a, b = context_range(BODY, start, start + 7)
    assert BODY[a:b] == "Critics slammed the deal as a disaster."


def test_context_covers_every_sentence_a_span_crosses_but_not_the_next_paragraph():
    start = BODY.index("disaster")
    end = BODY.index("Officials") + len("Officials")
    a, b = context_range(BODY, start, end)
    assert BODY[a:b] == "Critics slammed the deal as a disaster. Officials said talks would go on."
    start = BODY.index("second")
    a, b = context_range(BODY, start, start + 6)
    assert BODY[a:b] == "A second paragraph follows here."


def test_context_of_a_sentence_without_stops_is_bounded_and_cut_at_spaces():
    text = " ".join(f"word{i}" for i in range(2000))
    start = text.index("word1000 ")
    a, b = context_range(text, start, start + 8)
    assert b - a <= 2 * CONTEXT_CHARS + 8
    assert a <= start and b >= start + 8
    assert text[a - 1] == " " and text[b] == " "


def test_reports_differ_in_key_by_client_article_verdict_and_span():
    span = SpanRef("body", 0, 3, "Mr.")
    base = {"verdict": "missed", "headline": "H", "body": BODY, "span": span, "client": "c1"}
    key = build_report(**base).dedupe_key
    assert build_report(**base).dedupe_key == key
    assert build_report(**base, comment="other words").dedupe_key == key
    for change in (
        {"client": "c2"},
        {"verdict": "not_loaded"},
        {"body": BODY + "!"},
        {"span": SpanRef("body", 4, 7, "Lee")},
    ):
        assert build_report(**{**base, **change}).dedupe_key != key


@pytest.mark.parametrize(
    ("policy", "kept"),
    [("none", (None, None, None)), ("sentence", ("H", None, "c")), ("article", ("H", BODY, "c"))],
)
def test_score_reports_keep_what_the_policy_allows(policy, kept):
    r = build_report(
        verdict="score_too_high",
        headline="H",
        body=BODY,
        span=None,
        client="c",
        policy=policy,
        url="https://x.example/p?id=1",
    )
    assert (r.headline, r.body, r.client) == kept[:2] + ("c",)
    assert r.article_sha256 == article_sha256("H", BODY)
    assert r.url == (None if policy == "none" else "https://x.example/p")


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="text policy"):
        build_report(verdict="missed", headline="", body="x", span=None, client="c", policy="all")


def test_client_keys_hide_the_address_behind_the_secret():
    assert client_key("s1", "192.0.2.1") == client_key("s1", "192.0.2.1")
    assert client_key("s1", "192.0.2.1") != client_key("s2", "192.0.2.1")
    assert "192" not in client_key("s1", "192.0.2.1")


def test_hash_separates_headline_from_body():
    assert article_sha256("ab", "c") != article_sha256("a", "bc")
    assert public_url(None) is None
