"""JSON-lines logging with the request id of the request being served.

Article text never reaches the log: access lines hold the method, path, status, size and
duration only, and error lines name the exception type and message of our own code.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _stamp_request_id(
    factory: Callable[..., logging.LogRecord],
) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        request_id = request_id_var.get()
        if request_id is not None:
            record.request_id = request_id
        return record

    make_record._sensational = True  # type: ignore[attr-defined]
    return make_record


def configure_logging(level: str) -> None:
    """Send every log record to stderr as JSON lines; idempotent.

    Records get the id of the request being served when they are created, so the id is
    right whichever handler formats them, whenever.
    """
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_sensational", False):
        logging.setLogRecordFactory(_stamp_request_id(factory))
    root = logging.getLogger()
    if not any(getattr(h, "_sensational", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._sensational = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn's own handlers would print a second, non-JSON copy.
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # Alembic names each plugin and step of a migration at INFO; its warnings still show.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
