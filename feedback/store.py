"""The report store: SQLite by default with no set-up, PostgreSQL for a ``postgresql://`` URL.

SQLAlchemy 2 maps the tables; Alembic migrations (``feedback/migrations``) create and change
them, run by :meth:`FeedbackStore.ensure_ready` before the first use. A write is committed
before :meth:`FeedbackStore.add` returns: SQLite in WAL mode with ``synchronous=FULL``,
PostgreSQL with its default ``synchronous_commit``. A store that cannot be reached raises
:class:`StoreUnavailable`, never a driver's own error.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Engine,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool

from feedback.records import STATUSES, NewReport, client_key

URL_ENV = "SENSATION_FEEDBACK_URL"
# Relative to the folder the service runs in (the repository root under `make run`).
DEFAULT_URL = "sqlite:///data/feedback.sqlite3"
MIGRATIONS = Path(__file__).parent / "migrations"
CONNECT_TIMEOUT_S = 3
_SECRET_KEY = "client_secret"


class StoreUnavailable(RuntimeError):
    """The store cannot be reached or written; the message says why."""


class Base(DeclarativeBase):
    pass


# SQLite gives an autoincrement primary key only to a column of type INTEGER.
_ID = BigInteger().with_variant(Integer(), "sqlite")


class Report(Base):
    """One reader's report (one row per report; a repeated report is kept once)."""

    __tablename__ = "feedback_reports"
    # Named as the migration names it (feedback/migrations/versions).
    __table_args__ = (UniqueConstraint("dedupe_key", name="uq_feedback_reports_dedupe_key"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    verdict: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    client: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(64))
    article_sha256: Mapped[str] = mapped_column(String(64), index=True)
    model_version: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(Text)
    stored_text: Mapped[str] = mapped_column(String(10))
    span_field: Mapped[str | None] = mapped_column(String(10))
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    span_text: Mapped[str | None] = mapped_column(Text)
    span_category: Mapped[str | None] = mapped_column(String(40))
    span_source: Mapped[str | None] = mapped_column(String(40))
    context: Mapped[str | None] = mapped_column(Text)
    context_start: Mapped[int | None] = mapped_column(Integer)
    headline: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)


class Meta(Base):
    """Settings the store keeps for itself (the secret of the client keys)."""

    __tablename__ = "feedback_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True, slots=True)
class Added:
    """The id of a stored report, and whether this call stored it (False: a repeat)."""

    id: int
    created: bool


def engine_url(url: str) -> URL:
    """The SQLAlchemy URL of a store address: ``postgresql://`` uses psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def describe_url(url: str) -> str:
    """The address with its password hidden, for logs and errors."""
    return engine_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the export, /readyz) work while a report is written; FULL syncs the
    # log at each commit, so a report answered 201 survives a power cut.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    parsed = engine_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            return create_engine(
                parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the folder of {database}: {exc}") from exc
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = (
        {"connect_timeout": CONNECT_TIMEOUT_S}
        if parsed.get_backend_name() == ("postgresql")
        else {}
    )
    # pre_ping: a server restarted since the last request is reconnected, not reported down.
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)


def migrate(engine: Engine) -> None:
    """Bring the tables to the newest migration (Alembic ``upgrade head``)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class FeedbackStore:
    """Reports in a database at ``url`` (see the module doc).

    Nothing connects until the first use: a service whose store is down starts and scores,
    and answers 503 on feedback until the store is back.
    """

    def __init__(self, url: str = DEFAULT_URL) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._secret: str | None = None
        self._ready_lock = threading.Lock()
        # SQLite takes one writer at a time: a lock in the process queues writers here,
        # instead of in SQLite's busy loop, which sleeps in growing steps.
        self._write_lock = threading.Lock() if self.backend == "sqlite" else None

    @property
    def backend(self) -> str:
        return engine_url(self.url).get_backend_name()

    def __repr__(self) -> str:
        return f"FeedbackStore({describe_url(self.url)!r})"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_store_engine(self.url)
        return self._engine

    def ensure_ready(self) -> None:
        """Create or upgrade the tables and read the client-key secret, once."""
        if self._secret is not None:
            return
        with self._ready_lock, self._unavailable("prepare"):
            if self._secret is not None:
                return
            migrate(self.engine)
            self._secret = self._load_secret()

    def _load_secret(self) -> str:
        with Session(self.engine) as session:
            found = session.get(Meta, _SECRET_KEY)
            if found is not None:
                return found.value
            session.add(Meta(key=_SECRET_KEY, value=secrets.token_hex(32)))
            try:
                session.commit()
            except IntegrityError:  # another process wrote it first
                session.rollback()
            found = session.get(Meta, _SECRET_KEY, populate_existing=True)
            assert found is not None
            return found.value

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the store answers a query."""
        self.ensure_ready()
        with self._unavailable("reach"), self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def client_key(self, address: str) -> str:
        """The pseudonymous key of a client address (see :func:`feedback.records.client_key`)."""
        self.ensure_ready()
        assert self._secret is not None
        return client_key(self._secret, address)

    def add(self, report: NewReport) -> Added:
        """Store ``report``, committed before this returns; a repeat gives the first one's id."""
        self.ensure_ready()
        span = report.span
        row = Report(
            created_at=datetime.now(UTC),
            verdict=report.verdict,
            status="pending",
            client=report.client,
            dedupe_key=report.dedupe_key,
            article_sha256=report.article_sha256,
            model_version=report.model_version,
            url=report.url,
            stored_text=report.stored_text,
            span_field=span.field if span else None,
            span_start=span.start if span else None,
            span_end=span.end if span else None,
            span_text=span.text if span else None,
            span_category=span.category if span else None,
            span_source=span.source if span else None,
            context=report.context,
            context_start=report.context_start,
            headline=report.headline,
            body=report.body,
            comment=report.comment,
        )
        with self._unavailable("write to"), self._writing(), Session(self.engine) as session:
            try:
                session.add(row)
                session.flush()  # the id, without reading the row back after the commit
                new_id = row.id
                session.commit()
                return Added(new_id, True)
            except IntegrityError:
                session.rollback()
            first = session.scalar(select(Report.id).where(Report.dedupe_key == report.dedupe_key))
            if first is None:  # not a repeat: some other constraint failed
                raise StoreUnavailable("the report was refused by the store's constraints")
            return Added(first, False)

    def count(self, **where: Any) -> int:
        """How many reports there are (``verdict=``, ``status=`` narrow it)."""
        self.ensure_ready()
        query = select(func.count()).select_from(Report)
        for name, value in where.items():
            query = query.where(getattr(Report, name) == value)
        with self._unavailable("read"), Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def reports(
        self,
        *,
        since: datetime | None = None,
        verdicts: Sequence[str] = (),
        statuses: Sequence[str] = (),
        ids: Sequence[int] = (),
        limit: int | None = None,
        batch: int = 1_000,
    ) -> Iterator[dict[str, Any]]:
        """Reports as export records (:func:`record`), oldest first, read in batches."""
        self.ensure_ready()
        query = select(Report).order_by(Report.id)
        if since is not None:
            query = query.where(Report.created_at >= _aware(since))
        if verdicts:
            query = query.where(Report.verdict.in_(list(verdicts)))
        if statuses:
            query = query.where(Report.status.in_(list(statuses)))
        if ids:
            query = query.where(Report.id.in_(list(ids)))
        after, left = 0, limit
        while left is None or left > 0:
            size = batch if left is None else min(batch, left)
            with self._unavailable("read"), Session(self.engine) as session:
                rows = session.scalars(query.where(Report.id > after).limit(size)).all()
                records = [record(r) for r in rows]
            yield from records
            if len(rows) < size:
                return
            after = rows[-1].id
            left = None if left is None else left - len(rows)

    def set_status(self, ids: Sequence[int], status: str) -> list[int]:
        """Mark reports ``accepted``, ``rejected`` or ``pending``; the ids that exist."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        self.ensure_ready()
        wanted = sorted(set(ids))
        if not wanted:
            return []
        with self._unavailable("write to"), self._writing(), Session(self.engine) as session:
            found = list(session.scalars(select(Report.id).where(Report.id.in_(wanted))))
            session.execute(
                update(Report)
                .where(Report.id.in_(found))
                .values(status=status, reviewed_at=None if status == "pending" else _now())
            )
            session.commit()
        return sorted(found)

    def dispose(self) -> None:
        """Close the pooled connections (a later use opens new ones)."""
        if self._engine is not None:
            self._engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        if self._write_lock is None:
            yield
            return
        with self._write_lock:
            yield

    @contextmanager
    def _unavailable(self, action: str) -> Iterator[None]:
        try:
            yield
        except (DBAPIError, PoolTimeout, OSError) as exc:
            reason = getattr(exc, "orig", None) or exc
            first = str(reason).strip().splitlines()[0] if str(reason).strip() else repr(reason)
            raise StoreUnavailable(
                f"cannot {action} the feedback store ({self.backend}): {first}"
            ) from exc


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    # SQLite gives back naive datetimes; every stored time is UTC.
    return _aware(moment).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def record(row: Report) -> dict[str, Any]:
    """A report as one line of an export (the format is in the README, "Feedback")."""
    span = None
    if row.span_field is not None:
        span = {
            "field": row.span_field,
            "start": row.span_start,
            "end": row.span_end,
            "text": row.span_text,
            "category": row.span_category,
            "source": row.span_source,
            "sentence": row.context,
            "sentence_start": row.context_start,
        }
    return {
        "id": row.id,
        "created_at": _iso(row.created_at),
        "verdict": row.verdict,
        "status": row.status,
        "reviewed_at": _iso(row.reviewed_at),
        "model_version": row.model_version,
        "article_sha256": row.article_sha256,
        "url": row.url,
        "span": span,
        "headline": row.headline,
        "body": row.body,
        "comment": row.comment,
        "stored_text": row.stored_text,
        "client": row.client,
    }
