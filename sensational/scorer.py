"""The scorer bundle: every fitted part needed to answer one request, pickled as one object."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sensational.errors import InputError
from sensational.framing import FramingDetector
from sensational.results import FieldScore, Label, ModelRef, ScoreResult
from sensational.sourcing import SourcingAnalyzer
from sensational.text import find_boilerplate, strip_ranges

_WORD = re.compile(r"\w+")


@dataclass
class Scorer:
    """Score a headline and an article body.

    Parameters
    ----------
    name, version
        Identify the model in every answer and in the model card.
    headline_model
        A fitted classifier pipeline over raw headline strings (``predict_proba``).
    framing, sourcing
        The loaded-language detector and the attribution analyser.
    thresholds
        Scores below the first are ``low``, from the second on ``high``.
    """

    name: str
    version: str
    headline_model: Any
    framing: FramingDetector = field(default_factory=FramingDetector)
    sourcing: SourcingAnalyzer = field(default_factory=SourcingAnalyzer)
    body_model: Any = None
    thresholds: tuple[float, float] = (0.4, 0.7)

    def score(self, headline: str | None = None, body: str | None = None) -> ScoreResult:
        headline = _check_text(headline, "headline")
        body = _check_text(body, "body")
        if not headline.strip() and not body.strip():
            raise InputError("headline and body are both empty: send at least one of them")

        head_skip = find_boilerplate(headline)
        body_skip = find_boilerplate(body)
        clean_head = strip_ranges(headline, head_skip).strip()
        clean_body = strip_ranges(body, body_skip).strip()

        head_score = (
            FieldScore(float(self.headline_model.predict_proba([clean_head])[0, 1]))
            if clean_head
            else None
        )
        body_score = (
            FieldScore(float(self.body_model.predict_proba([clean_body])[0, 1]))
            if clean_body and self.body_model is not None
            else None
        )
        spans = self.framing.detect(headline, "headline", head_skip) + self.framing.detect(
            body, "body", body_skip
        )
        n_words = len(_WORD.findall(clean_head)) + len(_WORD.findall(clean_body))
        framing = self.framing.score(spans, n_words)
        sourcing = self.sourcing.analyze(headline, body, body_skip)

        parts = [s.score for s in (head_score, body_score) if s is not None] or [framing.score]
        overall = sum(parts) / len(parts)
        return ScoreResult(
            score=overall,
            label=self.label(overall),
            headline=head_score,
            body=body_score,
            framing=framing,
            sourcing=sourcing,
            model=ModelRef(self.name, self.version),
        )

    def label(self, score: float) -> Label:
        low, high = self.thresholds
        return "low" if score < low else "high" if score >= high else "medium"


def _check_text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    return value
