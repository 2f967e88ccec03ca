"""The page's route and files, checked over HTTP without a browser (these always run)."""

from __future__ import annotations

import json
import re

import pytest

from service.routes.page import ASSETS, STATIC
from service.settings import Settings


def test_the_page_is_served_with_a_strict_content_security_policy(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    policy = r.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert '<script src="/static/app.js"' in r.text


def test_every_file_the_page_references_is_served(client):
    page = client.get("/").text
    referenced = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert referenced == {"/static/app.js", "/static/style.css"}
    types = {"/static/app.js": "javascript", "/static/style.css": "text/css"}
    for path in referenced:
        r = client.get(path)
        assert r.status_code == 200, path
        assert types[path] in r.headers["content-type"]


@pytest.mark.parametrize(
    "path", ["/static/index.html", "/static/..%2Froutes%2Fpage.py", "/static/missing.js"]
)
def test_only_the_listed_assets_are_served(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_every_listed_asset_exists():
    assert all((STATIC / name).is_file() for name in ASSETS)


def test_the_page_calls_only_public_routes(client):
    script = (STATIC / "app.js").read_text("utf-8")
    api = re.findall(r'const API = "([^"]+)"', script)
    fetched = set(re.findall(r'fetch\("([^"]+)"', script)) | set(api)
    public = set(client.get("/openapi.json").json()["paths"])
    assert api == ["/v1/score"]
    assert fetched - public == {"/static/examples.json"}


def test_the_examples_are_articles_the_api_scores(client):
    examples = json.loads((STATIC / "examples.json").read_text("utf-8"))["examples"]
    assert 3 <= len(examples) <= 4
    assert len({e["id"] for e in examples}) == len(examples)
    limits = Settings()
    for example in examples:
        assert example["title"] and example["headline"] and example["body"]
        assert len(example["headline"]) <= limits.max_headline_chars
        assert len(example["body"]) <= limits.max_body_chars
        r = client.post(
            "/v1/score", json={"headline": example["headline"], "body": example["body"]}
        )
        assert r.status_code == 200, example["id"]
        if example["id"] == "alarmist":
            assert r.json()["framing"]["spans"]
