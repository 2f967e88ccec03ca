"""Alembic environment of the feedback store.

:func:`feedback.store.migrate` passes an open connection; the ``alembic`` command line works
too, with ``-x url=<store address>`` (default ``$SENSATION_FEEDBACK_URL``).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, text

from feedback.store import DEFAULT_URL, URL_ENV, Base, create_store_engine

# Any number will do, as long as nothing else on the server takes the same advisory lock.
_PG_LOCK = 7_310_455_921


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Workers starting together migrate one after the other; the later ones find the
        # tables there already. Released with the transaction.
        connection.execute(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK})"))
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        URL_ENV, DEFAULT_URL
    )
    engine = create_store_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


main()
