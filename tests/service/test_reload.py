"""Model hot reload: the token guard, good and bad artifacts, reloads under concurrent scoring."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sensational.artifact import CARD_FILE, MODEL_FILE, load_bundle, save_bundle
from service.app import create_app
from service.settings import Settings


class ExplodingModel:
    """Unpickles fine, fails the first prediction: only the self-test can catch it."""

    def predict_proba(self, _texts: list[str]) -> object:
        raise RuntimeError("this model cannot predict")


def _publish(scorer, folder: Path) -> dict:
    """Write ``scorer`` over the bundle in ``folder``, as an operator deploying a model would."""
    shutil.rmtree(folder)
    return save_bundle(scorer, folder, {"demo": True, "note": "reload test"})


def _sha(client: TestClient) -> str:
    return client.get("/readyz").json()["sha256"]


def test_reload_without_a_token_is_401(admin_client):
    r = admin_client.post("/v1/admin/reload")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wrong-token-wrong-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "test-admin-token-0123456789",
    ],
)
def test_reload_with_a_wrong_token_is_refused(admin_client, header):
    r = admin_client.post("/v1/admin/reload", headers={"Authorization": header})
    assert r.status_code in (401, 403)
    assert r.json()["code"] in ("unauthorized", "forbidden")


def test_reload_is_disabled_when_no_token_is_configured(client):
    r = client.post("/v1/admin/reload", headers={"Authorization": "Bearer anything-at-all-123"})
    assert r.status_code == 403
    assert "SENSATION_ADMIN_TOKEN" in r.json()["detail"]


def test_reload_swaps_in_a_new_good_artifact(admin_client, admin_headers, model_copy, demo_scorer):
    before = _sha(admin_client)
    card = _publish(dataclasses.replace(demo_scorer, version="9.9.9-test"), model_copy)
    r = admin_client.post("/v1/admin/reload", headers=admin_headers)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["model"]["version"] == "9.9.9-test"
    assert answer["previous_sha256"] == before
    assert answer["sha256"] == card["artifact"]["sha256"] != before
    assert answer["workers_restarting"] is False
    assert _sha(admin_client) == card["artifact"]["sha256"]
    assert admin_client.get("/v1/model").json()["version"] == "9.9.9-test"
    scored = admin_client.post("/v1/score", json={"headline": "Panic grips the capital"})
    assert scored.json()["model"]["version"] == "9.9.9-test"
    metrics = admin_client.get("/metrics").text
    assert 'sensational_model_reloads_total{outcome="ok"} 1.0' in metrics
    assert 'version="9.9.9-test"' in metrics


def _corrupt(folder: Path) -> str:
    with (folder / MODEL_FILE).open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00garbage\x00")
    return "checksum mismatch"


def _truncate_with_matching_checksum(folder: Path) -> str:
    path = folder / MODEL_FILE
    path.write_bytes(path.read_bytes()[:2000])
    card = json.loads((folder / CARD_FILE).read_text())
    card["artifact"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / CARD_FILE).write_text(json.dumps(card))
    return "could not be loaded"


def _other_library_versions(folder: Path) -> str:
    card = json.loads((folder / CARD_FILE).read_text())
    card["libraries"]["scikit-learn"] = "0.24.2"
    (folder / CARD_FILE).write_text(json.dumps(card))
    return "other library versions"


def _remove_folder(folder: Path) -> str:
    shutil.rmtree(folder)
    return "does not exist"


def _remove_card(folder: Path) -> str:
    (folder / CARD_FILE).unlink()
    return "model-card.json is missing"


def _card_not_json(folder: Path) -> str:
    (folder / CARD_FILE).write_text("{not json")
    return "not valid JSON"


@pytest.mark.parametrize(
    "damage",
    [
        _corrupt,
        _truncate_with_matching_checksum,
        _other_library_versions,
        _remove_folder,
        _remove_card,
        _card_not_json,
    ],
)
def test_a_bad_artifact_is_refused_and_the_old_model_keeps_serving(
    admin_client, admin_headers, model_copy, damage
):
    before = _sha(admin_client)
    needle = damage(model_copy)
    r = admin_client.post("/v1/admin/reload", headers=admin_headers)
    assert r.status_code == 409
    assert r.json()["code"] == "reload_refused"
    assert needle in r.json()["detail"]
    assert "still serving" in r.json()["detail"]
    assert _sha(admin_client) == before
    assert admin_client.post("/v1/score", json={"headline": "Storm hits"}).status_code == 200
    assert 'outcome="refused"' in admin_client.get("/metrics").text


def test_a_model_failing_its_self_test_is_refused(
    admin_client, admin_headers, model_copy, demo_scorer
):
    before = _sha(admin_client)
    _publish(dataclasses.replace(demo_scorer, headline_model=ExplodingModel()), model_copy)
    load_bundle(model_copy)  # checksum and versions are fine: only scoring fails
    r = admin_client.post("/v1/admin/reload", headers=admin_headers)
    assert r.status_code == 409
    assert "failed its self-test" in r.json()["detail"]
    assert _sha(admin_client) == before


def test_reload_never_loads_a_path_from_the_request(admin_client, admin_headers, tmp_path):
    r = admin_client.post(
        "/v1/admin/reload", headers=admin_headers, json={"path": str(tmp_path / "evil")}
    )
    # The body is ignored: the configured folder is reloaded, nothing else.
    assert r.status_code == 200
    assert "evil" not in r.text


def test_requests_in_flight_during_reloads_all_succeed(
    admin_client, admin_headers, model_copy, demo_scorer
):
    failures: list[str] = []
    done = threading.Event()
    answered = [0]

    def score_in_a_loop(n: int) -> None:
        while not done.is_set():
            r = admin_client.post(
                "/v1/score",
                json={"headline": f"Shocking panic number {n}", "body": "Officials said so."},
            )
            if r.status_code != 200:
                failures.append(f"{r.status_code} {r.text[:200]}")
            answered[0] += 1

    threads = [threading.Thread(target=score_in_a_loop, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    try:
        versions = []
        for i in range(4):
            version = f"9.{i}.0-test"
            _publish(dataclasses.replace(demo_scorer, version=version), model_copy)
            r = admin_client.post("/v1/admin/reload", headers=admin_headers)
            assert r.status_code == 200, r.text
            versions.append(r.json()["model"]["version"])
            # A corrupt artifact in the middle changes nothing for the scorers.
            _corrupt(model_copy)
            assert admin_client.post("/v1/admin/reload", headers=admin_headers).status_code == 409
    finally:
        done.set()
        for t in threads:
            t.join()
    assert versions == [f"9.{i}.0-test" for i in range(4)]
    assert failures == []
    assert answered[0] > 0


def test_startup_refuses_a_corrupt_model(model_copy):
    from sensational.errors import ModelLoadError

    _corrupt(model_copy)
    with pytest.raises(ModelLoadError, match="checksum mismatch"):
        with TestClient(create_app(Settings(model_path=model_copy))):
            pass


def test_an_unreadable_artifact_is_refused(admin_client, admin_headers, model_copy):
    import os

    if os.geteuid() == 0:
        # root reads any file: make the artifact a folder instead, which no one can read.
        (model_copy / MODEL_FILE).unlink()
        (model_copy / MODEL_FILE).mkdir()
    else:
        (model_copy / MODEL_FILE).chmod(0)
    before = _sha(admin_client)
    r = admin_client.post("/v1/admin/reload", headers=admin_headers)
    assert r.status_code == 409
    assert "still serving" in r.json()["detail"]
    assert _sha(admin_client) == before


def test_a_replaced_model_is_released(admin_client, admin_headers):
    """Nothing (the lifespan, a cache, a metric) keeps the previous model alive after a reload."""
    import gc
    import weakref

    admin_client.post("/v1/score", json={"headline": "Panic grips the capital"})
    previous = weakref.ref(admin_client.app.state.models.current)
    assert admin_client.post("/v1/admin/reload", headers=admin_headers).status_code == 200
    admin_client.post("/v1/score", json={"headline": "Panic grips the capital"})
    gc.collect()
    assert previous() is None
