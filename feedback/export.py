"""Export and review, for the data team (``python -m training feedback ...``).

An export is JSON lines, one report each (:func:`feedback.store.record`), oldest first. Only
reports a reviewer accepted go into training; the trainer reads an export and leaves the
others out (training/feedback_source.py).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from feedback.store import FeedbackStore


def export_reports(
    store: FeedbackStore,
    output: Path,
    *,
    since: datetime | None = None,
    verdicts: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> int:
    """Write the matching reports to ``output`` as JSON lines; return how many.

    Written to a temporary file beside ``output`` and renamed: a reader never sees half an
    export, and a failed export leaves the old file as it was.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for rec in store.reports(since=since, verdicts=verdicts, statuses=statuses):
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def describe(rec: dict[str, Any]) -> str:
    """A report in a few lines for a reviewer: the span marked [[like this]] in its sentence."""
    head = f"#{rec['id']} {rec['verdict']} ({rec['status']}, {rec['created_at']})"
    if rec.get("model_version"):
        head += f" model {rec['model_version']}"
    lines = [head]
    span = rec.get("span")
    if span:
        sentence = span.get("sentence")
        if sentence is not None and span.get("sentence_start") is not None:
            a = span["start"] - span["sentence_start"]
            b = span["end"] - span["sentence_start"]
            lines.append(f"  {span['field']}: {sentence[:a]}[[{sentence[a:b]}]]{sentence[b:]}")
        else:
            lines.append(f"  {span['field']}: [[{span['text']}]]")
        if span.get("category"):
            lines.append(f"  shown as: {span['category']}")
    elif rec.get("headline"):
        lines.append(f"  headline: {rec['headline']}")
    if rec.get("comment"):
        lines.append(f"  comment: {rec['comment']}")
    if rec.get("url"):
        lines.append(f"  url: {rec['url']}")
    return "\n".join(lines)


def review(
    store: FeedbackStore, *, accept: Sequence[int] = (), reject: Sequence[int] = ()
) -> dict[str, list[int]]:
    """Accept and reject reports by id; says which ids were changed and which do not exist."""
    both = sorted(set(accept) & set(reject))
    if both:
        raise ValueError(f"report(s) {', '.join(map(str, both))} both accepted and rejected")
    accepted = store.set_status(accept, "accepted")
    rejected = store.set_status(reject, "rejected")
    unknown = sorted((set(accept) - set(accepted)) | (set(reject) - set(rejected)))
    return {"accepted": accepted, "rejected": rejected, "unknown": unknown}
