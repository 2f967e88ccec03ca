"""Fixtures of the API tests: apps built from explicit settings, a model folder to tamper with."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings

ADMIN_TOKEN = "test-admin-token-0123456789"


@pytest.fixture
def model_copy(demo_model_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the demo bundle that a test may replace or corrupt."""
    dst = tmp_path / "model"
    shutil.copytree(demo_model_dir, dst)
    return dst


@pytest.fixture
def make_client(
    demo_model_dir: Path,
) -> Callable[..., AbstractContextManager[TestClient]]:
    """``with make_client(max_body_chars=10) as c:`` a client of an app with those settings."""

    @contextmanager
    def build(**overrides: object) -> Iterator[TestClient]:
        settings = Settings(**{"model_path": demo_model_dir, **overrides})
        with TestClient(create_app(settings)) as client:
            yield client

    return build


@pytest.fixture
def admin_client(model_copy: Path) -> Iterator[TestClient]:
    """A client of an app with an admin token, serving ``model_copy``."""
    settings = Settings(model_path=model_copy, admin_token=ADMIN_TOKEN)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
