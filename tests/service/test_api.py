"""Every endpoint's answers and every error case of the scoring API."""

import pytest

from service.schemas import BatchRequest, BatchResponse, ScoreRequest, ScoreResponse


def test_score_answers_the_documented_shape(client):
    r = client.post(
        "/v1/score", json={"headline": "Panic grips the capital", "body": "", "url": None}
    )
    assert r.status_code == 200
    body = r.json()
    ScoreResponse.model_validate(body)
    assert 0 <= body["score"] <= 1
    assert body["label"] in {"low", "medium", "high"}
    assert 0 <= body["headline"]["score"] <= 1
    assert body["body"] is None
    assert set(body["framing"]) >= {"score", "spans", "categories"}
    assert set(body["sourcing"]) >= {"score", "sources", "hedges", "headline_support"}
    assert set(body["model"]) == {"name", "version"}
    assert body["extracted"] is None


def test_spans_index_the_text_as_sent(client):
    headline = "Café owner says SHOCKING 🚨 panic grips town"
    body = "Line one.\r\nOfficials warned of a catastrophe.\r\n"
    r = client.post("/v1/score", json={"headline": headline, "body": body})
    assert r.status_code == 200
    spans = r.json()["framing"]["spans"]
    texts = {"headline": headline, "body": body}
    assert spans, "the lexicon should match words in this text"
    for span in spans:
        assert texts[span["field"]][span["start"] : span["end"]] == span["text"]


def test_null_fields_mean_absent(client):
    r = client.post("/v1/score", json={"headline": "Council sets budget", "body": None})
    assert r.status_code == 200
    assert r.json()["body"] is None


def test_batch_keeps_the_order_of_items(client):
    items = [
        {"headline": h}
        for h in ("Panic grips the capital", "Council sets budget", "Markets in bloodbath")
    ]
    r = client.post("/v1/score/batch", json={"items": items})
    assert r.status_code == 200
    BatchResponse.model_validate(r.json())
    singles = [client.post("/v1/score", json=i).json()["score"] for i in items]
    assert [x["score"] for x in r.json()["results"]] == singles


def test_empty_batch_answers_an_empty_list(client):
    r = client.post("/v1/score/batch", json={"items": []})
    assert r.status_code == 200
    assert r.json() == {"results": []}


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"headline": "", "body": "   "}, "nothing to score: headline and body are both empty"),
        ({}, "nothing to score"),
        ({"headline": 3}, "headline"),
        ({"headline": "x", "colour": "red"}, "colour"),
        ([], "request"),
    ],
)
def test_bad_requests_get_a_json_error_naming_the_problem(client, payload, needle):
    r = client.post("/v1/score", json=payload)
    assert r.status_code == 422
    assert needle in r.json()["detail"]
    assert r.json()["code"]


def test_malformed_json_is_a_400(client):
    r = client.post(
        "/v1/score", content=b'{"headline": ', headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_json"
    assert "not valid JSON at character 13" in r.json()["detail"]


@pytest.mark.parametrize(
    ("limits", "payload", "needle"),
    [
        ({"max_headline_chars": 10}, {"headline": "x" * 11}, "limit is 10 (max_headline_chars)"),
        ({"max_body_chars": 20}, {"body": "word " * 5}, "limit is 20 (max_body_chars)"),
        ({"max_html_chars": 30}, {"html": "<p>" + "y" * 40}, "limit is 30 (max_html_chars)"),
        (
            {"max_body_chars": 5},
            {"html": "<article><p>long enough body</p></article>"},
            "extracted body has 16 characters",
        ),
    ],
)
def test_oversized_fields_name_the_limit(make_client, limits, payload, needle):
    with make_client(**limits) as c:
        r = c.post("/v1/score", json=payload)
    assert r.status_code == 413
    assert r.json()["code"] == "too_large"
    assert needle in r.json()["detail"]


def test_batch_over_the_item_limit_is_a_413(make_client):
    with make_client(max_batch_items=2) as c:
        r = c.post("/v1/score/batch", json={"items": [{"headline": "a"}] * 3})
    assert r.status_code == 413
    assert "limit is 2 (max_batch_items)" in r.json()["detail"]


def test_request_over_the_byte_limit_is_a_413_naming_it(make_client):
    with make_client(max_request_bytes=2048) as c:
        r = c.post("/v1/score", json={"body": "word " * 1000})
    assert r.status_code == 413
    assert "the limit is 2048 bytes (max_request_bytes)" in r.json()["detail"]


def test_bad_batch_item_is_named_by_index_and_nothing_is_scored(client):
    r = client.post("/v1/score/batch", json={"items": [{"headline": "ok"}, {"headline": " "}]})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "items[1]: nothing to score: headline and body are both empty; send at least one"
    )
    assert r.json()["code"] == "nothing_to_score"
    assert r.json()["errors"][0]["field"] == "items[1]"


def test_batch_item_of_a_wrong_type_is_named_by_index(client):
    r = client.post("/v1/score/batch", json={"items": [{"headline": "ok"}, {"headline": 7}]})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("items[1].headline: Input should be a valid string")
    assert [e["field"] for e in r.json()["errors"]] == ["items[1].headline"]


def test_oversized_batch_item_is_named_by_index(make_client):
    with make_client(max_headline_chars=5) as c:
        r = c.post("/v1/score/batch", json={"items": [{"headline": "ok"}, {"headline": "x" * 9}]})
    assert r.status_code == 413
    assert r.json()["detail"].startswith("items[1].headline has 9 characters")


def test_health_ready_and_model_card(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    card = client.get("/v1/model").json()
    assert ready["status"] == "ready"
    assert ready["sha256"] == card["artifact"]["sha256"]
    assert ready["model"] == {"name": card["name"], "version": card["version"]}
    assert card["demo"] is True


def test_not_ready_before_a_model_is_loaded(settings):
    from fastapi.testclient import TestClient

    from service.app import create_app

    app = create_app(settings)
    c = TestClient(app)  # not entered: the lifespan has not loaded the model
    assert c.get("/healthz").status_code == 200
    r = c.get("/readyz")
    assert r.status_code == 503
    assert r.json()["code"] == "not_ready"
    assert c.post("/v1/score", json={"headline": "x"}).status_code == 503
    assert c.get("/v1/model").status_code == 503


def test_unknown_route_and_wrong_method_use_the_error_shape(client):
    r = client.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    r = client.get("/v1/score")
    assert r.status_code == 405
    assert r.json()["code"] == "method_not_allowed"


def test_openapi_documents_the_full_answer_with_examples(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    score = schemas["ScoreResponse"]
    assert set(score["properties"]) >= {
        "score",
        "label",
        "headline",
        "body",
        "framing",
        "sourcing",
        "model",
        "extracted",
    }
    (example,) = score["examples"]
    assert (
        ScoreResponse.model_validate(example).model.name == client.get("/v1/model").json()["name"]
    )
    for name in ("ScoreRequest", "BatchRequest", "ErrorResponse"):
        model = {"ScoreRequest": ScoreRequest, "BatchRequest": BatchRequest}.get(name)
        assert schemas[name]["examples"]
        for ex in schemas[name]["examples"]:
            if model is not None:
                model.model_validate(ex)
    assert "SpanOut" in schemas
    op = spec["paths"]["/v1/score"]["post"]
    assert {"413", "422"} <= set(op["responses"])
    assert op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse"
    )
    assert "/v1/admin/reload" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_request_id_is_returned_and_a_sane_client_id_is_kept(client):
    r = client.get("/healthz")
    assert len(r.headers["x-request-id"]) == 32
    r = client.get("/healthz", headers={"X-Request-ID": "ext-42.a_b"})
    assert r.headers["x-request-id"] == "ext-42.a_b"
    r = client.get("/healthz", headers={"X-Request-ID": "has spaces; and <tags>"})
    assert r.headers["x-request-id"] != "has spaces; and <tags>"
    assert len(r.headers["x-request-id"]) == 32


def test_web_page_is_still_served(client):
    assert client.get("/").status_code == 200


def test_docs_load_their_assets_from_the_service(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/static-offline-docs/{asset}" in page.text
        r = client.get(f"/static-offline-docs/{asset}")
        assert r.status_code == 200
        assert len(r.content) > 10_000
