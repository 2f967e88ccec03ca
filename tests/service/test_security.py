"""CORS, the request-size limit on the raw stream, settings refusals, logs without article text."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import ValidationError

from service.logs import JsonFormatter
from service.settings import Settings

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://0b6f3c1e-2a5d-4c8e-9f7a-1d2e3f4a5b6c"


def test_cors_answers_configured_origins_only(make_client):
    with make_client(cors_origins=[EXTENSION, FIREFOX]) as c:
        for origin in (EXTENSION, FIREFOX):
            pre = c.options(
                "/v1/score",
                headers={
                    "Origin": origin,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "content-type",
                },
            )
            assert pre.status_code == 200
            assert pre.headers["access-control-allow-origin"] == origin
            r = c.post("/v1/score", json={"headline": "Storm hits"}, headers={"Origin": origin})
            assert r.headers["access-control-allow-origin"] == origin
            assert "x-request-id" in r.headers["access-control-expose-headers"].lower()
        evil = "https://evil.example"
        pre = c.options(
            "/v1/score", headers={"Origin": evil, "Access-Control-Request-Method": "POST"}
        )
        assert pre.status_code == 400
        assert "access-control-allow-origin" not in pre.headers
        r = c.post("/v1/score", json={"headline": "Storm hits"}, headers={"Origin": evil})
        assert "access-control-allow-origin" not in r.headers


def test_every_firefox_install_is_allowed_by_the_moz_extension_pattern(make_client):
    installs = [FIREFOX, "moz-extension://5e1f0c2b-7d3a-4b9e-8c6f-2a1b3c4d5e6f"]
    with make_client(cors_origin_patterns=["moz-extension://*"]) as c:
        for origin in installs:
            r = c.post("/v1/score", json={"headline": "Storm hits"}, headers={"Origin": origin})
            assert r.headers["access-control-allow-origin"] == origin
        for other in (EXTENSION, "https://moz-extension.evil.example", "moz-extension://a.b"):
            r = c.post("/v1/score", json={"headline": "Storm hits"}, headers={"Origin": other})
            assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    "pattern", ["*", "https://*", "https://*.example.org", "moz-extension://a*"]
)
def test_only_extension_schemes_may_be_allowed_by_pattern(pattern):
    with pytest.raises(ValidationError, match="only extension origins"):
        Settings(cors_origin_patterns=[pattern])


def test_private_network_access_preflight_is_answered(make_client):
    headers = {
        "Origin": EXTENSION,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
        "Access-Control-Request-Private-Network": "true",
    }
    with make_client(cors_origins=[EXTENSION]) as c:
        r = c.options("/v1/score", headers=headers)
        assert r.status_code == 200
        assert r.headers["access-control-allow-private-network"] == "true"
        assert r.headers["access-control-allow-origin"] == EXTENSION
        refused = c.options("/v1/score", headers={**headers, "Origin": "https://evil.example"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "cors_refused"
    assert "access-control-allow-origin" not in refused.headers


def test_an_extension_with_host_permissions_needs_no_cors_setting(client):
    # Chromium and Firefox extensions with host_permissions for the API's address send their
    # Origin and ignore CORS: the service answers them like any client.
    r = client.post("/v1/score", json={"headline": "Storm hits"}, headers={"Origin": FIREFOX})
    assert r.status_code == 200


def test_no_cors_headers_without_configured_origins(client):
    r = client.post("/v1/score", json={"headline": "Storm"}, headers={"Origin": EXTENSION})
    assert "access-control-allow-origin" not in r.headers


def test_cors_headers_are_on_error_answers_too(make_client):
    with make_client(cors_origins=[EXTENSION], max_request_bytes=1024) as c:
        r = c.post("/v1/score", json={"body": "x" * 2000}, headers={"Origin": EXTENSION})
    assert r.status_code == 413
    assert r.headers["access-control-allow-origin"] == EXTENSION


def test_cors_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("SENSATION_CORS_ORIGINS", f"{EXTENSION}, {FIREFOX}")
    assert Settings().cors_origins == [EXTENSION, FIREFOX]
    monkeypatch.setenv("SENSATION_CORS_ORIGINS", json.dumps([EXTENSION]))
    assert Settings().cors_origins == [EXTENSION]


@pytest.mark.parametrize("origin", ["*", "chrome-extension://", "evil.example", "https://a/b"])
def test_wildcard_and_malformed_origins_are_refused(origin):
    with pytest.raises(ValidationError, match="CORS origin"):
        Settings(cors_origins=[origin])


def test_short_admin_token_is_refused_and_empty_means_unset():
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(admin_token="short")
    assert Settings(admin_token="").admin_token is None


def test_admin_token_is_compared_in_constant_time():
    import inspect

    from service import deps

    assert "hmac.compare_digest" in inspect.getsource(deps.require_admin)


def test_every_setting_is_described():
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"


def test_logs_are_json_lines_with_the_request_id_and_no_article_text(client, caplog):
    secret = "Zanzibarian marmalade conspiracy"
    caplog.set_level(logging.DEBUG)
    r = client.post(
        "/v1/score",
        json={"headline": secret, "body": f"{secret} again.", "url": "https://x.example/s"},
        headers={"X-Request-ID": "trace-123"},
    )
    assert r.status_code == 200
    client.post("/v1/score", json={"headline": secret, "colour": secret})  # a 422
    lines = [JsonFormatter().format(rec) for rec in caplog.records]
    access = [json.loads(line) for line in lines if '"request"' in line]
    assert any(
        a.get("request_id") == "trace-123" and a["status"] == 200 and a["path"] == "/v1/score"
        for a in access
    )
    assert any(a["status"] == 422 for a in access)
    for line in lines:
        json.loads(line)
        assert "Zanzibarian" not in line
        assert "x.example" not in line


def test_metrics_count_requests_scores_and_the_model(client):
    client.post("/v1/score", json={"headline": "Panic grips the capital"})
    client.post("/v1/score/batch", json={"items": [{"headline": "a b"}, {"headline": "c d"}]})
    client.post("/v1/score", json={"headline": ""})
    client.get("/v1/does-not-exist")
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert (
        'sensational_http_requests_total{endpoint="/v1/score",method="POST",status="200"} 1.0'
        in text
    )
    assert 'endpoint="/v1/score",method="POST",status="422"} 1.0' in text
    assert 'endpoint="/v1/score/batch",method="POST",status="200"} 1.0' in text
    assert 'endpoint="unmatched",method="GET",status="404"} 1.0' in text
    assert 'sensational_http_request_duration_seconds_bucket{endpoint="/v1/score"' in text
    assert "sensational_score_count 3.0" in text
    card = client.get("/v1/model").json()
    assert f'sensational_model_info{{name="{card["name"]}"' in text
