"""Shared fixtures: a small model trained on the project's own samples, settings, a client."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from datasets.corpora import REPO_ROOT, corpora_root
from sensational.artifact import load_bundle
from sensational.scorer import Scorer
from service.app import create_app
from service.settings import Settings
from tests.postgres import find_bindir, throwaway_cluster
from training.train import train

DEFAULT_MODEL = REPO_ROOT / "models" / "default"


@pytest.fixture(scope="session", autouse=True)
def session_feedback_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Apps (and servers started as processes) built with default settings store reports in a
    file of the session's temp folder, never in the repository's data/ folder."""
    url = f"sqlite:///{tmp_path_factory.mktemp('feedback')}/session.sqlite3"
    before = os.environ.get("SENSATION_FEEDBACK_URL")
    os.environ["SENSATION_FEEDBACK_URL"] = url
    yield url
    if before is None:
        os.environ.pop("SENSATION_FEEDBACK_URL", None)
    else:
        os.environ["SENSATION_FEEDBACK_URL"] = before


@pytest.fixture
def feedback_url(tmp_path: Path) -> str:
    """A fresh SQLite report store of this test's own."""
    return f"sqlite:///{tmp_path}/feedback.sqlite3"


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[object]:
    """A real PostgreSQL server for the session (tests/postgres.py), on a free loopback port."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package"
            " (scripts/ensure-postgresql.sh does, as root)"
        )
    with throwaway_cluster(bindir) as cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres_cluster: object) -> Iterator[str]:
    """The session's PostgreSQL database, emptied of reports for each test."""
    from sqlalchemy import create_engine, text

    url = postgres_cluster.url  # type: ignore[attr-defined]
    yield url
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS feedback_reports, feedback_meta, alembic_version"))
    engine.dispose()


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
