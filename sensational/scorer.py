"""The scorer bundle: every fitted part needed to answer one request, pickled as one object."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sensational.body import BodyWordingClassifier
from sensational.errors import InputError
from sensational.features import SentenceFramingClassifier, group_tokens, sentence_bounds
from sensational.framing import FramingDetector, clean_tokens
from sensational.lexicon import Token
from sensational.models import FastHeadlineScorer
from sensational.results import FieldScore, Label, ModelRef, ScoreResult, Span
from sensational.sourcing import SourcingAnalyzer
from sensational.text import find_boilerplate, strip_ranges

# A stacker feature is named as a reason when it adds at least this much to the log-odds.
REASON_MIN_LOGIT = 0.5
BODY_FEATURES = ("mean_p", "top3_p", "share_loaded", "density", "log_words", "wording")
OVERALL_FEATURES = (
    "has_headline",
    "clickbait",
    "headline_framing",
    "headline_sentence",
    "has_body",
    "body_logit",
    "body_density",
)


@dataclass
class LinearHead:
    """A fitted logistic model over named features, kept as arrays so that one request costs
    one small dot product and no scikit-learn call."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def decision(self, x: Sequence[float]) -> float:
        z = (np.asarray(x, dtype=float) - self.mean) / self.scale
        return float(z @ self.coef + self.intercept)

    def proba(self, x: Sequence[float]) -> float:
        return 1.0 / (1.0 + math.exp(-self.decision(x)))

    def contributions(self, x: Sequence[float]) -> dict[str, float]:
        """Each feature's share of the log-odds, relative to the training mean."""
        z = (np.asarray(x, dtype=float) - self.mean) / self.scale * self.coef
        return dict(zip(self.names, z.tolist(), strict=True))

    def as_dict(self) -> dict[str, float]:
        """Coefficients per feature in original units (for the model card)."""
        out = {
            n: round(float(c / s), 4)
            for n, c, s in zip(self.names, self.coef, self.scale, strict=True)
        }
        out["intercept"] = round(
            float(self.intercept - np.sum(self.coef * self.mean / self.scale)), 4
        )
        return out


@dataclass
class Scorer:
    """Score a headline and an article body.

    Parameters
    ----------
    name, version
        Identify the model in every answer and in the model card.
    headline_model
        A fitted clickbait classifier pipeline over raw headline strings (``predict_proba``).
    framing, sourcing
        The loaded-language detector and the attribution analyser.
    sentence_model
        Probability that a sentence carries loaded wording (None: not trained).
    body_wording
        Log-odds that a whole body is written one-sidedly, from its stems (None: not trained).
    body_model
        :class:`LinearHead` over :data:`BODY_FEATURES`: ``body.score``.
    stacker
        :class:`LinearHead` over :data:`OVERALL_FEATURES`: the overall ``score``, and
        ``headline.score`` (the same model with no body).
    thresholds
        Scores below the first are ``low``, from the second on ``high``.
    """

    name: str
    version: str
    headline_model: Any
    framing: FramingDetector = field(default_factory=FramingDetector)
    sourcing: SourcingAnalyzer = field(default_factory=SourcingAnalyzer)
    body_model: LinearHead | None = None
    thresholds: tuple[float, float] = (0.4, 0.7)
    sentence_model: SentenceFramingClassifier | None = None
    stacker: LinearHead | None = None
    body_wording: BodyWordingClassifier | None = None

    # The fast headline path is derived from ``headline_model``: rebuilt, never pickled.
    def __post_init__(self) -> None:
        self._fast = _fast_headline(self.headline_model)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_fast"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._fast = _fast_headline(self.headline_model)

    def clickbait(self, headline: str) -> float:
        """The headline-style model's probability for one (cleaned) headline."""
        if self._fast is not None:
            return self._fast.proba(headline)
        return float(self.headline_model.predict_proba([headline])[0, 1])

    def score(self, headline: str | None = None, body: str | None = None) -> ScoreResult:
        headline = _check_text(headline, "headline")
        body = _check_text(body, "body")
        if not headline.strip() and not body.strip():
            raise InputError("headline and body are both empty: send at least one of them")

        head_skip = find_boilerplate(headline)
        body_skip = find_boilerplate(body)
        head_tokens = clean_tokens(headline, head_skip)
        body_tokens = clean_tokens(body, body_skip)
        head_spans, head_weight = self.framing.analyze(headline, "headline", tokens=head_tokens)
        body_spans, body_weight = self.framing.analyze(body, "body", tokens=body_tokens)
        framing = self.framing.score(
            head_spans + body_spans, len(head_tokens) + len(body_tokens), head_weight + body_weight
        )
        framing.link_spans = self.framing.link_spans(body, "body")

        head_feats = body_feats = None
        head_score = body_score = None
        if head_tokens:
            clean_head = strip_ranges(headline, head_skip).strip()
            clickbait = self.clickbait(clean_head)
            head_feats = self.headline_features(clickbait, head_tokens, head_weight)
        if body_tokens:
            body_feats = self.body_features(body, body_tokens, body_weight)
            body_framing = self.framing.score([], len(body_tokens), body_weight).score
            body_score = FieldScore(
                round(self.body_model.proba(body_feats), 6)
                if self.body_model is not None
                else body_framing,
                framing=round(body_framing, 6),
            )
        if head_feats is not None:
            head_score = FieldScore(
                round(self.combine(head_feats, None), 6),
                framing=round(self.framing.score([], len(head_tokens), head_weight).score, 6),
                clickbait=round(head_feats[0], 6),
            )
        overall = round(self.combine(head_feats, body_feats), 6)
        sourcing = self.sourcing.analyze(headline, body, body_skip)
        return ScoreResult(
            score=overall,
            label=self.label(overall),
            headline=head_score,
            body=body_score,
            framing=framing,
            sourcing=sourcing,
            model=ModelRef(self.name, self.version),
            reasons=self.reasons(head_feats, body_feats, head_spans, body_score),
        )

    def reasons(
        self,
        head: Sequence[float] | None,
        body: Sequence[float] | None,
        head_spans: Sequence[Span],
        body_score: FieldScore | None,
    ) -> list[str]:
        """What moved the overall score, strongest first, in plain words.

        Read off the stacker: each feature's contribution to the log-odds relative to an
        average training row. Spans and sourcing are described by their own fields.
        """
        if self.stacker is None:
            return []
        parts = self.stacker.contributions(overall_vector(head, body, self.body_model))
        heavy = dict.fromkeys(s.text.lower() for s in sorted(head_spans, key=lambda s: -s.weight))
        words = ", ".join(f"\u201c{w}\u201d" for w in list(heavy)[:3])
        said = {
            "clickbait": lambda: (
                f"The headline is written in clickbait style (headline-style model: {head[0]:.0%})."
            ),
            "headline_framing": lambda: (
                f"The headline uses loaded words: {words}."
                if words
                else "The headline's wording is loaded."
            ),
            "headline_sentence": lambda: (
                "The headline's phrasing resembles sentences marked as loaded language in"
                " annotated news."
            ),
            "body_logit": lambda: (
                f"The body's wording as a whole reads as loaded or one-sided (body score"
                f" {body_score.score:.0%})."
            ),
        }
        # Only parts that were sent: an absent one's zeros can still sit above the mean.
        present = set(said) - {"body_logit"} if head is not None else set()
        if body_score is not None:
            present.add("body_logit")
        out = [
            said[name]()
            for name, value in sorted(parts.items(), key=lambda kv: -kv[1])
            if value >= REASON_MIN_LOGIT and name in present
        ]
        if not out:
            out.append(
                "Nothing in the wording pushes the score up: headline style and loaded"
                " wording are at or below those of ordinary news."
            )
        return out

    def headline_features(
        self, clickbait: float, tokens: Sequence[Token], weight: float
    ) -> list[float]:
        """``[clickbait probability, framing weight (capped), sentence log-odds]``."""
        sentence = (
            self.sentence_model.decision_from_stems([t.stem for t in tokens])
            if self.sentence_model is not None
            else 0.0
        )
        return [clickbait, min(weight, 3.0), max(-6.0, min(6.0, sentence))]

    def body_features(
        self,
        body: str,
        tokens: Sequence[Token],
        weight: float,
        wording: float | None = None,
    ) -> list[float]:
        """The values of :data:`BODY_FEATURES` for a body (tokens already cleaned).

        ``wording`` replaces the body-wording model's log-odds (training passes out-of-fold
        values, since the model's answers on its own training bodies are over-confident).
        """
        probs: list[float] = []
        if self.sentence_model is not None:
            # Tokens index the body as sent, so the sentence bounds must too.
            for stems in group_tokens(tokens, sentence_bounds(body)):
                z = self.sentence_model.decision_from_stems(stems)
                probs.append(_sig(max(-30.0, min(30.0, z))))
        n = len(tokens)
        density = 100.0 * weight / (n + self.framing.params["score_pad_words"])
        if probs:
            top = sorted(probs, reverse=True)[:3]
            mean_p, top3 = sum(probs) / len(probs), sum(top) / len(top)
            share = sum(p >= 0.5 for p in probs) / len(probs)
        else:
            mean_p = top3 = share = 0.0
        if wording is None:
            wording = (
                self.body_wording.decision_from_stems([t.stem for t in tokens])
                if self.body_wording is not None
                else 0.0
            )
        return [
            mean_p,
            top3,
            share,
            min(density, 20.0),
            math.log1p(n),
            max(-8.0, min(8.0, wording)),
        ]

    def combine(self, head: Sequence[float] | None, body: Sequence[float] | None) -> float:
        """The overall probability from headline and body features (either may be None)."""
        x = overall_vector(head, body, self.body_model)
        if self.stacker is None:  # untrained bundle: mean of what is there
            parts = ([x[1]] if head is not None else []) + (
                [_sig(x[5])] if body is not None else []
            )
            return sum(parts) / len(parts) if parts else 0.0
        return self.stacker.proba(x)

    def label(self, score: float) -> Label:
        low, high = self.thresholds
        return "low" if score < low else "high" if score >= high else "medium"


def overall_vector(
    head: Sequence[float] | None, body: Sequence[float] | None, body_model: LinearHead | None
) -> list[float]:
    """The values of :data:`OVERALL_FEATURES`; absent parts are zeros with a 0 indicator."""
    h = [1.0, *head] if head is not None else [0.0, 0.0, 0.0, 0.0]
    if body is not None:
        z = body_model.decision(body) if body_model is not None else 0.0
        b = [1.0, max(-8.0, min(8.0, z)), body[3]]
    else:
        b = [0.0, 0.0, 0.0]
    return h + b


def _fast_headline(model: Any) -> FastHeadlineScorer | None:
    try:
        return FastHeadlineScorer(model)
    except (AttributeError, KeyError, TypeError, ValueError):  # not a pipeline we can unroll
        return None


def _sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _check_text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    return value
