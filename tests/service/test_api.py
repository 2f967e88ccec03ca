import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings


def test_score_answers_the_documented_shape(client):
    r = client.post(
        "/v1/score", json={"headline": "Panic grips the capital", "body": "", "url": None}
    )
    assert r.status_code == 200
    body = r.json()
    assert 0 <= body["score"] <= 1
    assert body["label"] in {"low", "medium", "high"}
    assert 0 <= body["headline"]["score"] <= 1
    assert body["body"] is None
    assert set(body["framing"]) >= {"score", "spans"}
    assert set(body["sourcing"]) >= {"score", "sources"}
    assert set(body["model"]) == {"name", "version"}


def test_batch_keeps_the_order_of_items(client):
    items = [
        {"headline": h}
        for h in ("Panic grips the capital", "Council sets budget", "Markets in bloodbath")
    ]
    r = client.post("/v1/score/batch", json={"items": items})
    assert r.status_code == 200
    singles = [client.post("/v1/score", json=i).json()["score"] for i in items]
    assert [x["score"] for x in r.json()["results"]] == singles


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"headline": "", "body": "   "}, "both empty"),
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


def test_malformed_json_is_a_422(client):
    r = client.post(
        "/v1/score", content=b'{"headline": ', headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    assert "JSON" in r.json()["detail"]


def test_oversized_headline_names_the_limit(demo_model_dir):
    with TestClient(create_app(Settings(model_path=demo_model_dir, max_headline_chars=10))) as c:
        r = c.post("/v1/score", json={"headline": "x" * 11})
    assert r.status_code == 413
    assert "limit is 10" in r.json()["detail"]


def test_bad_batch_item_is_named_by_index(client):
    r = client.post("/v1/score/batch", json={"items": [{"headline": "ok"}, {"headline": " "}]})
    assert r.status_code == 422
    assert "items[1]" in r.json()["detail"]


def test_health_ready_and_model_card(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").json()["status"] == "ready"
    card = client.get("/v1/model").json()
    assert card["artifact"]["sha256"]
    assert card["demo"] is True


def test_refuses_to_start_on_a_missing_model(tmp_path):
    from sensational.errors import ModelLoadError

    with pytest.raises(ModelLoadError, match="does not exist"):
        with TestClient(create_app(Settings(model_path=tmp_path / "none"))):
            pass
