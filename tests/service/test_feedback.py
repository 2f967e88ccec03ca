"""POST /v1/feedback: every verdict, every refusal, duplicates, the rate limit, a store that is
down, and what is kept of the article under each text policy."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from feedback.records import article_sha256
from feedback.store import FeedbackStore
from service.app import create_app
from service.settings import Settings

HEADLINE = "😱 Panic as storm nears the coast"
BODY = (
    "🌊 Residents were trapped overnight. Officials said the damage was devastating.\n\n"
    "The coastguard said boats had been moved inland, according to a spokesman."
)


def span(field: str, needle: str, text: str | None = None) -> dict[str, Any]:
    text = text if text is not None else {"headline": HEADLINE, "body": BODY}[field]
    start = text.index(needle)
    return {"field": field, "start": start, "end": start + len(needle), "text": needle}


def report(verdict: str, sp: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"headline": HEADLINE, "body": BODY, "verdict": verdict, "span": sp, **extra}


@pytest.fixture
def app_with(
    demo_model_dir: Path, feedback_url: str
) -> Callable[..., AbstractContextManager[tuple[TestClient, FeedbackStore]]]:
    """``with app_with(feedback_rate_limit="3/minute") as (client, store):``"""

    @contextmanager
    def build(**overrides: Any) -> Iterator[tuple[TestClient, FeedbackStore]]:
        settings = Settings(
            **{"model_path": demo_model_dir, "feedback_url": feedback_url, **overrides}
        )
        store = FeedbackStore(settings.feedback_url)
        with TestClient(create_app(settings)) as client:
            yield client, store
        store.dispose()

    return build


SPAN_CASES = [
    ("not_loaded", span("headline", "Panic")),
    ("missed", span("body", "trapped")),
    ("source_wrong", span("body", "a spokesman")),
    ("score_too_high", None),
    ("score_too_low", None),
]


@pytest.mark.parametrize(("verdict", "sp"), SPAN_CASES, ids=[c[0] for c in SPAN_CASES])
def test_every_verdict_is_stored_and_answered_201(app_with, verdict, sp):
    with app_with() as (client, store):
        version = client.post("/v1/score", json={"headline": HEADLINE}).json()["model"]["version"]
        r = client.post(
            "/v1/feedback",
            json=report(verdict, sp, model_version=version, comment="café ☕ " * 3),
        )
        assert r.status_code == 201, r.text
        assert r.json() == {"id": 1, "duplicate": False}
        (rec,) = store.reports()
    assert rec["id"] == 1
    assert rec["verdict"] == verdict
    assert rec["status"] == "pending"
    assert rec["model_version"] == version
    assert rec["comment"] == "café ☕ " * 3
    assert rec["article_sha256"] == article_sha256(HEADLINE, BODY)
    assert rec["body"] is None  # the default keeps no whole article
    if sp is None:
        assert rec["span"] is None
        assert rec["headline"] == HEADLINE  # a score report keeps the headline
    else:
        got = rec["span"]
        assert {k: got[k] for k in ("field", "start", "end", "text")} == sp
        text = {"headline": HEADLINE, "body": BODY}[sp["field"]]
        sentence = got["sentence"]
        assert text[got["sentence_start"] : got["sentence_start"] + len(sentence)] == sentence
        assert sp["text"] in sentence
        assert len(sentence) < len(text) or sp["field"] == "headline"
        assert rec["headline"] is None


def test_the_sentence_around_a_span_is_kept_not_the_article(app_with):
    with app_with() as (client, store):
        sp = span("body", "devastating")
        assert client.post("/v1/feedback", json=report("not_loaded", sp)).status_code == 201
        (rec,) = store.reports()
    assert rec["span"]["sentence"] == "Officials said the damage was devastating."
    assert "Residents" not in rec["span"]["sentence"]
    assert rec["stored_text"] == "sentence"


@pytest.mark.parametrize("policy", ["none", "article"])
def test_the_text_policy_decides_what_is_kept(app_with, policy):
    with app_with(feedback_text=policy) as (client, store):
        sp = span("body", "devastating")
        payload = report("not_loaded", sp, url="https://news.example/a?utm=reader42#top")
        assert client.post("/v1/feedback", json=payload).status_code == 201
        (rec,) = store.reports()
    assert rec["stored_text"] == policy
    assert rec["span"]["text"] == "devastating"
    if policy == "none":
        assert rec["span"]["sentence"] is None
        assert rec["headline"] is None and rec["body"] is None and rec["url"] is None
    else:
        assert (rec["headline"], rec["body"]) == (HEADLINE, BODY)
        assert rec["url"] == "https://news.example/a"  # query and fragment dropped


def test_html_reports_index_the_extracted_text(app_with):
    html = (
        "<html><head><title>Storm chaos grips coast | Site</title></head><body><nav>Home</nav>"
        "<article><h1>Storm chaos grips coast</h1><p>Residents were trapped overnight as the"
        " storm hit.</p><p>Officials said the damage was devastating.</p></article></body></html>"
    )
    with app_with() as (client, store):
        extracted = client.post("/v1/score", json={"html": html}).json()["extracted"]
        sp = span("body", "devastating", extracted["body"])
        r = client.post("/v1/feedback", json={"html": html, "verdict": "not_loaded", "span": sp})
        assert r.status_code == 201, r.text
        (rec,) = store.reports()
    assert rec["article_sha256"] == article_sha256(extracted["headline"], extracted["body"])


REFUSALS = [
    ("unknown verdict", report("too_loud", span("body", "trapped")), "verdict", "literal_error"),
    ("not_loaded without span", report("not_loaded"), "span", "span_required"),
    ("missed without span", report("missed"), "span", "span_required"),
    ("source_wrong without span", report("source_wrong"), "span", "span_required"),
    (
        "span text not at its offsets",
        report("missed", {**span("body", "trapped"), "text": "trappd"}),
        "span.text",
        "span_mismatch",
    ),
    (
        "offsets in UTF-16 units",  # the emoji before "Panic" is one code point, two units
        report("not_loaded", {**span("headline", "Panic"), "start": 3, "end": 8}),
        "span.text",
        "span_mismatch",
    ),
    (
        "span past the end",
        report("missed", {"field": "headline", "start": 30, "end": 99, "text": "x"}),
        "span.end",
        "span_out_of_range",
    ),
    (
        "empty span",
        report("missed", {"field": "body", "start": 5, "end": 5, "text": ""}),
        "span.end",
        "span_out_of_range",
    ),
    (
        "span of spaces",
        report("missed", span("body", "\n\n")),
        "span.text",
        "span_mismatch",
    ),
    (
        "span over 300 characters",
        {
            **report(
                "missed", {"field": "body", "start": 0, "end": 301, "text": ("word " * 100)[:301]}
            ),
            "body": "word " * 100,
        },
        "span.text",
        "string_too_long",
    ),
    (
        "comment over 1,000 characters",
        report("missed", span("body", "trapped"), comment="x" * 1001),
        "comment",
        "string_too_long",
    ),
    (
        "unknown field",
        report("missed", span("body", "trapped"), colour="red"),
        "colour",
        "extra_forbidden",
    ),
    (
        "span of an unknown field",
        report("missed", {**span("body", "trapped"), "field": "title"}),
        "span.field",
        "literal_error",
    ),
    ("nothing to report on", {"verdict": "score_too_high"}, None, "nothing_to_score"),
]


@pytest.mark.parametrize(
    ("payload", "field", "kind"), [c[1:] for c in REFUSALS], ids=[c[0] for c in REFUSALS]
)
def test_refusals_answer_422_in_the_error_shape_and_store_nothing(app_with, payload, field, kind):
    with app_with() as (client, store):
        r = client.post("/v1/feedback", json=payload)
        assert r.status_code == 422, r.text
        body = r.json()
        assert set(body) == {"detail", "code", "errors"}
        assert body["detail"]
        if field is not None:
            assert [(e["field"], e["type"]) for e in body["errors"]] == [(field, kind)]
        else:
            assert body["code"] == kind
        assert store.count() == 0


def test_a_comment_of_exactly_1000_characters_is_accepted(app_with):
    with app_with() as (client, store):
        payload = report("missed", span("body", "trapped"), comment="é" * 1000)
        assert client.post("/v1/feedback", json=payload).status_code == 201
        assert store.count() == 1


def test_a_span_of_the_scoring_answer_can_be_sent_as_it_is(app_with):
    with app_with() as (client, store):
        answer = client.post("/v1/score", json={"headline": HEADLINE, "body": BODY}).json()
        shown = answer["framing"]["spans"][0]
        r = client.post("/v1/feedback", json=report("not_loaded", shown))
        assert r.status_code == 201, r.text
        (rec,) = store.reports()
    assert rec["span"]["category"] == shown["category"]
    assert rec["span"]["text"] == shown["text"]


def test_the_same_report_from_one_client_is_stored_once(app_with):
    with app_with() as (client, store):
        payload = report("not_loaded", span("headline", "Panic"))
        first = client.post("/v1/feedback", json=payload)
        again = client.post("/v1/feedback", json={**payload, "comment": "still wrong"})
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == {"id": first.json()["id"], "duplicate": True}
        # Another verdict, another span or another reader is another report.
        other_verdict = client.post(
            "/v1/feedback", json=report("missed", span("headline", "Panic"))
        )
        other_span = client.post("/v1/feedback", json=report("not_loaded", span("body", "trapped")))
        other_reader = TestClient(client.app, client=("203.0.113.9", 50000))
        from_other = other_reader.post("/v1/feedback", json=payload)
        assert {other_verdict.status_code, other_span.status_code, from_other.status_code} == {201}
        assert store.count() == 4


def test_concurrent_repeats_of_one_report_are_stored_once(app_with):
    with app_with(feedback_rate_limit="100/minute") as (client, store):
        payload = report("missed", span("body", "trapped"))
        statuses: list[int] = []
        ids: set[int] = set()

        def send() -> None:
            r = client.post("/v1/feedback", json=payload)
            statuses.append(r.status_code)
            ids.add(r.json()["id"])

        threads = [threading.Thread(target=send) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200] * 11 + [201]
        assert len(ids) == 1
        assert store.count() == 1


def test_rate_limit_per_client_answers_429_with_retry_after(app_with):
    with app_with(feedback_rate_limit="3/minute;100/hour") as (client, store):
        words = ["trapped", "overnight", "damage", "devastating"]
        answers = [
            client.post("/v1/feedback", json=report("missed", span("body", w))) for w in words
        ]
        assert [a.status_code for a in answers] == [201, 201, 201, 429]
        refused = answers[-1]
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["code"] == "rate_limited"
        assert "feedback_rate_limit" in refused.json()["detail"]
        assert store.count() == 3
        # Refused attempts do not count against the client; other clients are not affected.
        other = TestClient(client.app, client=("203.0.113.7", 50000))
        assert (
            other.post("/v1/feedback", json=report("missed", span("body", "damage"))).status_code
            == 201
        )
        # Scoring is never limited by it.
        assert client.post("/v1/score", json={"headline": HEADLINE}).status_code == 200


def test_invalid_reports_count_against_the_limit_too(app_with):
    with app_with(feedback_rate_limit="2/minute") as (client, _):
        bad = [client.post("/v1/feedback", json=report("missed")) for _ in range(2)]
        assert [b.status_code for b in bad] == [422, 422]
        assert (
            client.post("/v1/feedback", json=report("missed", span("body", "trapped"))).status_code
            == 429
        )


def test_a_bad_rate_limit_setting_is_refused():
    with pytest.raises(ValueError, match="feedback rate limit"):
        Settings(feedback_rate_limit="lots")


def test_a_store_that_is_down_gives_503_and_readyz_says_so_while_scoring_works(
    demo_model_dir, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    settings = Settings(
        model_path=demo_model_dir, feedback_url=f"sqlite:///{blocker}/feedback.sqlite3"
    )
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/feedback", json=report("missed", span("body", "trapped")))
        assert r.status_code == 503
        assert r.json()["code"] == "store_unavailable"
        assert "nothing was stored" in r.json()["detail"]
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["feedback"]["status"] == "unavailable"
        assert ready.json()["feedback"]["detail"]
        assert (
            client.post("/v1/score", json={"headline": HEADLINE, "body": BODY}).status_code == 200
        )


def test_readyz_reports_a_working_store(app_with):
    with app_with() as (client, _):
        assert client.get("/readyz").json()["feedback"] == {
            "status": "ok",
            "backend": "sqlite",
            "detail": None,
        }


def test_the_default_store_is_a_sqlite_file_under_data(monkeypatch):
    monkeypatch.delenv("SENSATION_FEEDBACK_URL")
    assert Settings().feedback_url == "sqlite:///data/feedback.sqlite3"


def test_cors_preflight_of_feedback_follows_the_scoring_rules(demo_model_dir, feedback_url):
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    settings = Settings(model_path=demo_model_dir, feedback_url=feedback_url, cors_origins=[origin])
    with TestClient(create_app(settings)) as client:
        for path in ("/v1/score", "/v1/feedback"):
            ok = client.options(
                path,
                headers={
                    "Origin": origin,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "content-type",
                },
            )
            assert ok.status_code == 200
            assert ok.headers["access-control-allow-origin"] == origin
            refused = client.options(
                path,
                headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
            )
            assert refused.status_code == 400
        posted = client.post(
            "/v1/feedback",
            json=report("missed", span("body", "trapped")),
            headers={"Origin": origin},
        )
        assert posted.status_code == 201
        assert posted.headers["access-control-allow-origin"] == origin


# ---------------------------------------------------------------------------------------------
# The same against a real PostgreSQL server


@pytest.mark.parametrize(("verdict", "sp"), SPAN_CASES, ids=[c[0] for c in SPAN_CASES])
def test_every_verdict_on_postgresql(demo_model_dir, postgres_url, verdict, sp):
    settings = Settings(model_path=demo_model_dir, feedback_url=postgres_url)
    store = FeedbackStore(postgres_url)
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").json()["feedback"]["backend"] == "postgresql"
        first = client.post("/v1/feedback", json=report(verdict, sp))
        again = client.post("/v1/feedback", json=report(verdict, sp))
        assert (first.status_code, again.status_code) == (201, 200)
        bad = client.post("/v1/feedback", json=report(verdict, sp, comment="x" * 1001))
        assert bad.status_code == 422
    (rec,) = store.reports()
    store.dispose()
    assert rec["verdict"] == verdict
    assert rec["id"] == first.json()["id"]
    if sp is not None:
        assert rec["span"]["text"] == sp["text"]


def test_postgresql_going_down_gives_503_and_coming_back_works(
    demo_model_dir, postgres_cluster, postgres_url
):
    settings = Settings(model_path=demo_model_dir, feedback_url=postgres_url)
    with TestClient(create_app(settings)) as client:
        assert (
            client.post("/v1/feedback", json=report("missed", span("body", "trapped"))).status_code
            == 201
        )
        postgres_cluster.stop()
        try:
            r = client.post("/v1/feedback", json=report("missed", span("body", "damage")))
            assert r.status_code == 503
            assert r.json()["code"] == "store_unavailable"
            ready = client.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["feedback"]["status"] == "unavailable"
            assert client.post("/v1/score", json={"headline": HEADLINE}).status_code == 200
        finally:
            postgres_cluster.start()
        r = client.post("/v1/feedback", json=report("missed", span("body", "damage")))
        assert r.status_code == 201
        assert client.get("/readyz").json()["feedback"]["status"] == "ok"
    store = FeedbackStore(postgres_url)
    assert store.count() == 2
    store.dispose()
