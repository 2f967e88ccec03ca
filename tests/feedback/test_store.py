"""The report store on SQLite and on a real PostgreSQL server: migrations, durability,
duplicates, filters, review status, a store that is down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from feedback.records import SpanRef, build_report
from feedback.store import Base, FeedbackStore, StoreUnavailable, engine_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, feedback_url):
    if request.param == "sqlite":
        return feedback_url
    return request.getfixturevalue("postgres_url")


def _report(store: FeedbackStore, word: str, verdict: str = "missed", client: str = "a"):
    body = f"The council said the {word} plan would pass."
    start = body.index(word)
    return build_report(
        verdict=verdict,
        headline="Council",
        body=body,
        span=SpanRef("body", start, start + len(word), word),
        client=store.client_key(client),
    )


def test_migrations_create_exactly_the_mapped_tables(store_url):
    store = FeedbackStore(store_url)
    store.ensure_ready()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.dispose()
    assert diff == []


def test_reports_are_durable_and_kept_once(store_url):
    store = FeedbackStore(store_url)
    added = [store.add(_report(store, w)) for w in ("bold", "brave", "bold")]
    assert [a.created for a in added] == [True, True, False]
    assert added[2].id == added[0].id
    store.dispose()
    # A new store object (a restarted service) reads what was committed.
    again = FeedbackStore(store_url)
    assert again.count() == 2
    assert [r["span"]["text"] for r in again.reports()] == ["bold", "brave"]
    # The client-key secret is the store's: the same address gives the same key.
    assert again.client_key("a") == FeedbackStore(store_url).client_key("a")
    again.dispose()


def test_filters_batches_and_review_status(store_url):
    store = FeedbackStore(store_url)
    words = [f"word{i}" for i in range(7)]
    for i, w in enumerate(words):
        store.add(_report(store, w, "missed" if i % 2 else "not_loaded"))
    assert len(list(store.reports(batch=2))) == 7
    assert [r["span"]["text"] for r in store.reports(limit=3, batch=2)] == words[:3]
    assert store.count(verdict="missed") == 3
    assert len(list(store.reports(verdicts=["not_loaded"]))) == 4
    assert store.set_status([1, 2, 99], "accepted") == [1, 2]
    assert store.set_status([3], "rejected") == [3]
    assert [r["id"] for r in store.reports(statuses=["accepted"])] == [1, 2]
    (rejected,) = store.reports(statuses=["rejected"])
    assert rejected["reviewed_at"] is not None
    assert store.count(status="pending") == 4
    future = datetime.now(UTC) + timedelta(days=1)
    assert list(store.reports(since=future)) == []
    assert len(list(store.reports(since=datetime(2000, 1, 1)))) == 7  # naive: read as UTC
    with pytest.raises(ValueError, match="unknown status"):
        store.set_status([1], "maybe")
    store.dispose()


def test_an_unreachable_store_raises_store_unavailable(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreUnavailable, match="sqlite"):
        FeedbackStore(f"sqlite:///{tmp_path}/file/x.sqlite3").ensure_ready()
    down = FeedbackStore("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreUnavailable, match="postgresql"):
        down.ping()


def test_postgresql_urls_use_psycopg_3():
    assert engine_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert engine_url("sqlite:///data/x.sqlite3").drivername == "sqlite"
    assert "secret" not in repr(FeedbackStore("postgresql://u:secret@h/db"))
