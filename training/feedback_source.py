"""Readers' reports as training data: an export (``python -m training feedback export``) read
as a ``[[data]] feedback = "F.jsonl"`` source.

Only reports a reviewer accepted are used; the others are counted and left out. What each
verdict teaches:

- ``not_loaded``: the reported span is not loaded wording: its words count outside loaded
  spans in the framing detector's term rates (and in the tagger's rows, when it is on);
- ``missed``: the span is loaded wording: its words count inside;
- ``score_too_high`` / ``score_too_low``: an article-level signal, a row labelled 0 / 1: an
  article row when the report kept headline and body (``feedback_text = article``), a
  headline row when it kept the headline only (the default for score reports), none when it
  kept no text;
- ``source_wrong``: for the people who maintain the sourcing rules; counted, not trained on.

Feedback rows are never held out: each is a reviewed judgement of the model's own output, and
they are few. The model card counts what came from feedback (:func:`feedback_card`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasets.corpora import Example
from datasets.readers import ReadReport
from feedback.records import SCORE_VERDICTS, STATUSES, VERDICTS
from training.terms import SpanJudgement


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    """One accepted report, as what it teaches: a span judgement or a labelled row."""

    report_id: int
    verdict: str
    origin: str
    judgement: SpanJudgement | None = None
    example: Example | None = None

    @property
    def key(self) -> str:
        return f"feedback:{self.report_id}"


def _problem(rec: Any) -> str | None:
    """What makes an export line unusable, or None."""
    if not isinstance(rec, dict):
        return "not a JSON object"
    if not isinstance(rec.get("id"), int):
        return "no integer 'id'"
    if rec.get("verdict") not in VERDICTS:
        return f"unknown verdict {rec.get('verdict')!r}; one of {', '.join(VERDICTS)}"
    if rec.get("status") not in STATUSES:
        return f"unknown status {rec.get('status')!r}; one of {', '.join(STATUSES)}"
    span = rec.get("span")
    if span is None:
        return None
    if not isinstance(span, dict):
        return "'span' is not an object"
    sentence, at = span.get("sentence"), span.get("sentence_start")
    if sentence is None:
        return None
    if not (isinstance(sentence, str) and isinstance(at, int)):
        return "span.sentence must be text with an integer span.sentence_start"
    try:
        a, b = int(span["start"]) - at, int(span["end"]) - at
    except (KeyError, TypeError, ValueError):
        return "span.start and span.end must be integers"
    if not (0 <= a < b <= len(sentence)) or sentence[a:b] != span.get("text"):
        return "span.text is not the sentence's text at the span's offsets"
    return None


def read_export(path: Path, report: ReadReport) -> list[FeedbackRow]:
    """The accepted reports of an export that can teach something, as rows.

    A line that is not a report is a problem (``file:line``); reports left out on purpose
    (not accepted, no text kept, ``source_wrong``) are counted in ``report.excluded``.
    """
    rows: list[FeedbackRow] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                report.add(origin, f"not JSON: {exc}")
                continue
            problem = _problem(rec)
            if problem is not None:
                report.add(origin, problem)
                continue
            row = _row(rec, origin, report)
            if row is not None:
                rows.append(row)
    return rows


def _row(rec: dict[str, Any], origin: str, report: ReadReport) -> FeedbackRow | None:
    verdict = rec["verdict"]
    if rec["status"] != "accepted":
        report.exclude(f"feedback: {rec['status']} reports (only accepted ones train)")
        return None
    if verdict == "source_wrong":
        report.exclude("feedback: source_wrong reports (for the sourcing rules, not trained on)")
        return None
    span = rec.get("span")
    if verdict in SCORE_VERDICTS:
        label = 1.0 if verdict == "score_too_low" else 0.0
        headline, body = rec.get("headline") or "", rec.get("body") or ""
        if not (headline.strip() or body.strip()):
            report.exclude("feedback: score reports that kept no article text")
            return None
        return FeedbackRow(
            rec["id"], verdict, origin, example=Example(headline, body, label, origin)
        )
    if span is None or span.get("sentence") is None:
        report.exclude("feedback: span reports that kept no sentence (feedback_text = none)")
        return None
    at = span["sentence_start"]
    judgement = SpanJudgement(
        text=span["sentence"],
        start=span["start"] - at,
        end=span["end"] - at,
        loaded=verdict == "missed",
        headline=span.get("field") == "headline",
    )
    return FeedbackRow(rec["id"], verdict, origin, judgement=judgement)


def feedback_card(sources: list[tuple[str, list[Any], ReadReport]]) -> dict[str, Any] | None:
    """What came from feedback, for the model card: per export, the accepted reports used
    by verdict and what they became, and the reports left out and why."""
    out = []
    for name, rows, report in sources:
        used = [r for r in rows if isinstance(r, FeedbackRow)]
        verdicts = Counter(r.verdict for r in used)
        out.append(
            {
                "name": name,
                "accepted_used": sum(verdicts.values()),
                "by_verdict": dict(sorted(verdicts.items())),
                "span_judgements": sum(r.judgement is not None for r in used),
                "article_rows": sum(
                    r.example is not None and bool(r.example.body.strip()) for r in used
                ),
                "headline_rows": sum(
                    r.example is not None and not r.example.body.strip() for r in used
                ),
                "left_out": {k: v for k, v in report.excluded.items() if k.startswith("feedback")},
                "invalid_lines": len(report.problems),
            }
        )
    return {"exports": out} if out else None
