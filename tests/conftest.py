"""Shared fixtures: a small model trained on the project's own samples, settings, a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from datasets.corpora import REPO_ROOT, corpora_root
from sensational.artifact import load_bundle
from sensational.scorer import Scorer
from service.app import create_app
from service.settings import Settings
from training.train import train

DEFAULT_MODEL = REPO_ROOT / "models" / "default"


@pytest.fixture(scope="session")
def demo_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle trained on the project's own samples only: fast, and needs no corpora."""
    out = tmp_path_factory.mktemp("demo-model")
    train(output=out, corpora=None)
    return out


@pytest.fixture(scope="session")
def demo_scorer(demo_model_dir: Path) -> Scorer:
    return load_bundle(demo_model_dir)[0]


@pytest.fixture(scope="session")
def default_model_dir() -> Path:
    """The default model `make model` builds from the public corpora."""
    if corpora_root() is None:
        pytest.skip("no corpora root: the default model is trained from the public corpora")
    if not (DEFAULT_MODEL / "model.joblib").is_file():
        pytest.skip("models/default is not built: run `make model` (make test does)")
    return DEFAULT_MODEL


@pytest.fixture(scope="session")
def default_scorer(default_model_dir: Path) -> Scorer:
    return load_bundle(default_model_dir)[0]


@pytest.fixture
def settings(demo_model_dir: Path) -> Settings:
    return Settings(model_path=demo_model_dir)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c
