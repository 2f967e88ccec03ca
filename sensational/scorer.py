"""The scorer bundle: every fitted part needed to answer one request, pickled as one object.

The overall ``score`` is the calibrated probability that a reader grading the article under
``docs/criteria.md`` would grade it 2 or more (sensational). Three small logistic heads give it:

- the **headline head** over :class:`HeadlineFeatures` (headline style, loaded wording, the
  sentence model, shouted words): ``headline.score``, the answer for a headline sent alone;
- the **body head** over :class:`BodyFeatures`: ``body.score``, the answer for a body alone;
- the **article head** over :class:`ArticleFeatures` (both heads' log-odds, how far the headline
  outruns the body, thin sourcing): the answer for headline and body together.

All three are fitted on the reference set's grades, so they share one scale. A sensational
headline over a sober body keeps the article at least medium (:meth:`Scorer.combine`): by the
criteria an overstated headline is itself sensational, and ``headline_gap`` says how far it
outruns its body.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np

from sensational.body import BodyWordingClassifier
from sensational.criteria import CATEGORY_CRITERION, CRITERIA, HYPE_LABELS
from sensational.emphasis import Capitals
from sensational.errors import InputError, NothingToScore
from sensational.features import SentenceFramingClassifier, group_tokens, sentence_bounds
from sensational.framing import FramingDetector, clean_tokens
from sensational.lexicon import Token
from sensational.models import FastHeadlineScorer
from sensational.results import (
    Field,
    FieldScore,
    Label,
    ModelRef,
    ScoreResult,
    SourcingResult,
    Span,
)
from sensational.sourcing import SourcingAnalyzer
from sensational.text import find_boilerplate, strip_ranges

# Clipping bounds of the features, each with its reason.
# A headline holds a handful of loaded words at most; past three matches' weight a reader's
# verdict no longer moves, and one long headline must not dominate the fit.
HEADLINE_LOADED_CAP = 3.0
# Shouted words in a headline: two already make it shouting; more is the same device.
HEADLINE_SHOUTING_CAP = 3.0
# Log-odds of the sentence and wording models: beyond +-6 (p = 0.0025 / 0.9975) the models are
# over-confident on text unlike their training data, and the heads must not follow them there.
LOGIT_CLIP = 6.0
# Loaded-wording density (weight per 100 words): past 20 the body is saturated with it.
DENSITY_CAP = 20.0
# Shouted words per 100 body words: past 5 the body shouts throughout.
BODY_SHOUTING_CAP = 5.0
# The weight a shouting span shows (framing.categories): a strong cue, said once per word.
SHOUTING_WEIGHT = 0.5
# A feature is named in ``reasons`` when it adds at least this much to the log-odds.
REASON_MIN_LOGIT = 0.4
# ``headline_gap`` (headline score minus body score) from which the headline is said to
# overstate its body.
OVERSTATED_GAP = 0.25
# ``sourcing.score`` (the calibrated probability that the sourcing is thin) from which a
# headline claim resting on one source, hedged, is named as thin sourcing.
THIN_SOURCING = 0.5

_START_END = attrgetter("start", "end")
_HAS_WORD = re.compile(r"[^\W_]")
# A short label before a colon, bar or dash at the start of a headline: "WATCH:", "SHOCK |".
_LABEL = re.compile(r"^\W*((?:[^\W\d_]+[ -]?){1,2}?)\s*(?::|\||\s-\s)")


class HeadlineFeatures(NamedTuple):
    """What the headline head reads, in its order."""

    style: float  # headline-style model probability (case-folded text)
    loaded: float  # weight of loaded wording matched, capped at HEADLINE_LOADED_CAP
    sentence: float  # sentence model log-odds, clipped to LOGIT_CLIP
    shouting: float  # shouted words, capped at HEADLINE_SHOUTING_CAP
    label: float  # 1.0 when a hype label opens the headline ("WATCH:", "REVEALED:")


class BodyFeatures(NamedTuple):
    """What the body head reads, in its order."""

    sentence_mean: float  # mean probability of a loaded sentence
    sentence_top3: float  # mean of the three most loaded sentences
    loaded_share: float  # share of sentences more likely loaded than not
    density: float  # loaded-wording weight per 100 words, capped at DENSITY_CAP
    wording: float  # whole-body wording model log-odds, clipped to LOGIT_CLIP
    shouting: float  # shouted words per 100 words, capped at BODY_SHOUTING_CAP
    log_words: float  # log(1 + words)


class ArticleFeatures(NamedTuple):
    """What the article head reads, in its order."""

    headline: float  # headline head log-odds
    body: float  # body head log-odds
    gap: float  # max(0, headline - body) log-odds: the headline outrunning its body
    sourcing: float  # thin-sourcing score in [0, 1] (0 when the body has no claim to trace)


# Which criterion each feature evidences, for ``reasons`` and ``criteria``.
_FEATURE_CRITERION = {
    "style": "curiosity_gap",
    "loaded": "loaded",
    "sentence": "loaded",
    "shouting": "shouting",
    "label": "label_prefix",
    "sentence_mean": "loaded",
    "sentence_top3": "loaded",
    "loaded_share": "loaded",
    "density": "loaded",
    "wording": "loaded",
    "gap": "overstated_headline",
    "sourcing": "thin_sourcing",
}


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
        return _sig(self.decision(x))

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
        A fitted headline-style classifier pipeline over raw headline strings
        (``predict_proba``); it folds letter case itself.
    framing, sourcing
        The loaded-language detector and the attribution analyser.
    sentence_model
        Probability that a sentence carries loaded wording (None: not trained).
    body_wording
        Log-odds that a whole body is written one-sidedly, from its stems (None: not trained).
    headline_head, body_head, article_head
        :class:`LinearHead` over :class:`HeadlineFeatures`, :class:`BodyFeatures` and
        :class:`ArticleFeatures`.
    capitals
        Which words in capitals are shouted and which are acronyms.
    thresholds
        Scores below the first are ``low``, from the second on ``high``.
    """

    name: str
    version: str
    headline_model: Any
    framing: FramingDetector = field(default_factory=FramingDetector)
    sourcing: SourcingAnalyzer = field(default_factory=SourcingAnalyzer)
    thresholds: tuple[float, float] = (0.3, 0.6)
    sentence_model: SentenceFramingClassifier | None = None
    body_wording: BodyWordingClassifier | None = None
    headline_head: LinearHead | None = None
    body_head: LinearHead | None = None
    article_head: LinearHead | None = None
    capitals: Capitals = field(default_factory=Capitals)

    # The fast headline path is derived from ``headline_model``: rebuilt, never pickled.
    def __post_init__(self) -> None:
        self._fast = _fast_headline(self.headline_model)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_fast"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._fast = _fast_headline(self.headline_model)

    @property
    def headline_floor(self) -> float:
        """The least score of an article whose headline alone scores at least this much: the
        middle of the ``medium`` band, so a sensational headline keeps its article medium."""
        low, high = self.thresholds
        return (low + high) / 2

    def style(self, headline: str) -> float:
        """The headline-style model's probability for one (cleaned) headline."""
        if self._fast is not None:
            return self._fast.proba(headline)
        return float(self.headline_model.predict_proba([headline])[0, 1])

    def score(self, headline: str | None = None, body: str | None = None) -> ScoreResult:
        headline = _check_text(headline, "headline")
        body = _check_text(body, "body")
        if not headline.strip() and not body.strip():
            raise InputError("headline and body are both empty: send at least one of them")
        if not _HAS_WORD.search(headline) and not _HAS_WORD.search(body):
            raise NothingToScore(
                "headline and body hold no words (only punctuation, symbols or invisible"
                " characters): there is nothing to score"
            )

        head_skip = find_boilerplate(headline)
        body_skip = find_boilerplate(body)
        head_tokens = clean_tokens(headline, head_skip)
        body_tokens = clean_tokens(body, body_skip)
        head_spans, head_weight = self.framing.analyze(headline, "headline", tokens=head_tokens)
        body_spans, body_weight = self.framing.analyze(body, "body", tokens=body_tokens)
        head_shouts = self.shouted(headline, "headline", head_skip, head_spans)
        body_shouts = self.shouted(body, "body", body_skip, body_spans)
        head_spans = sorted([*head_spans, *head_shouts], key=_START_END)
        body_spans = sorted([*body_spans, *body_shouts], key=_START_END)
        # Shouting spans are shown but not weighed here: the heads count shouted words apart.
        framing = self.framing.score(
            head_spans + body_spans, len(head_tokens) + len(body_tokens), head_weight + body_weight
        )
        framing.link_spans = self.framing.link_spans(body, "body")
        sourcing = self.sourcing.analyze(headline, body, body_skip)

        hf = bf = None
        head_score = body_score = None
        if head_tokens:
            clean_head = strip_ranges(headline, head_skip).strip()
            hf = self.headline_features(clean_head, head_tokens, head_weight)
            head_score = FieldScore(
                round(self._proba(self.headline_head, hf), 6),
                framing=round(self.framing.score([], len(head_tokens), head_weight).score, 6),
                clickbait=round(hf.style, 6),
            )
        if body_tokens:
            bf = self.body_features(
                body, body_tokens, body_weight, skip=body_skip, shouted=len(body_shouts)
            )
            body_score = FieldScore(
                round(self._proba(self.body_head, bf), 6),
                framing=round(self.framing.score([], len(body_tokens), body_weight).score, 6),
            )
        af = self.article_features(hf, bf, sourcing) if hf is not None and bf is not None else None
        overall = round(self.combine(hf, bf, af), 6)
        gap = (
            round(head_score.score - body_score.score, 6)
            if head_score is not None and body_score is not None
            else None
        )
        reasons, criteria = self.explain(
            hf, bf, af, head_spans, body_spans, gap, sourcing, headline=headline
        )
        return ScoreResult(
            score=overall,
            label=self.label(overall),
            headline=head_score,
            body=body_score,
            framing=framing,
            sourcing=sourcing,
            model=ModelRef(self.name, self.version),
            reasons=reasons,
            criteria=criteria,
            headline_gap=gap,
        )

    def shouted(
        self, text: str, field: Field, skip: Sequence[tuple[int, int]], spans: Sequence[Span]
    ) -> list[Span]:
        """Spans of shouted words (category ``shouting``) outside boilerplate and not already
        inside a span of loaded wording."""
        taken = [(s.start, s.end) for s in spans]
        out = []
        for a, b in self.capitals.spans(text):
            if any(x < b and a < y for x, y in (*skip, *taken)):
                continue
            out.append(Span(field, a, b, text[a:b], "shouting", SHOUTING_WEIGHT, "emphasis"))
        return out

    # -----------------------------------------------------------------------------------------
    # Features

    def headline_features(
        self, clean_head: str, tokens: Sequence[Token], weight: float
    ) -> HeadlineFeatures:
        """The :class:`HeadlineFeatures` of a headline (boilerplate already removed)."""
        sentence = (
            self.sentence_model.decision_from_stems([t.stem for t in tokens])
            if self.sentence_model is not None
            else 0.0
        )
        return HeadlineFeatures(
            style=self.style(clean_head),
            loaded=min(weight, HEADLINE_LOADED_CAP),
            sentence=_clip(sentence, LOGIT_CLIP),
            shouting=min(float(len(self.capitals.spans(clean_head))), HEADLINE_SHOUTING_CAP),
            label=1.0 if hype_label(clean_head) else 0.0,
        )

    def body_features(
        self,
        body: str,
        tokens: Sequence[Token],
        weight: float,
        wording: float | None = None,
        skip: Sequence[tuple[int, int]] = (),
        shouted: int | None = None,
    ) -> BodyFeatures:
        """The :class:`BodyFeatures` of a body (tokens already cleaned of ``skip``).

        ``wording`` replaces the body-wording model's log-odds (training passes out-of-fold
        values, since the model's answers on its own training bodies are over-confident).
        """
        probs: list[float] = []
        if self.sentence_model is not None:
            # Tokens index the body as sent, so the sentence bounds must too.
            for stems in group_tokens(tokens, sentence_bounds(body)):
                probs.append(_sig(_clip(self.sentence_model.decision_from_stems(stems), 30.0)))
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
        if shouted is None:
            shouted = len(self.capitals.spans(strip_ranges(body, list(skip))))
        return BodyFeatures(
            sentence_mean=mean_p,
            sentence_top3=top3,
            loaded_share=share,
            density=min(density, DENSITY_CAP),
            wording=_clip(wording, LOGIT_CLIP),
            shouting=min(100.0 * shouted / (n + 10), BODY_SHOUTING_CAP),
            log_words=math.log1p(n),
        )

    def article_features(
        self, head: HeadlineFeatures, body: BodyFeatures, sourcing: SourcingResult | float | None
    ) -> ArticleFeatures:
        """The :class:`ArticleFeatures` of a headline and body scored together."""
        h = self._decision(self.headline_head, head)
        b = self._decision(self.body_head, body)
        thin = sourcing.score if isinstance(sourcing, SourcingResult) else sourcing
        return ArticleFeatures(headline=h, body=b, gap=max(0.0, h - b), sourcing=float(thin or 0.0))

    # -----------------------------------------------------------------------------------------
    # Scores

    def combine(
        self,
        head: HeadlineFeatures | None,
        body: BodyFeatures | None,
        article: ArticleFeatures | None = None,
    ) -> float:
        """The overall probability from whichever parts were sent.

        With both, the article head's answer, but never below ``min(headline score,
        headline_floor)``: a sober body cannot bring a sensational headline below medium.
        """
        if head is not None and body is None:
            return self._proba(self.headline_head, head)
        if body is not None and head is None:
            return self._proba(self.body_head, body)
        if head is None or body is None:
            return 0.0
        if article is None:
            article = self.article_features(head, body, None)
        p = self._proba(self.article_head, article)
        return max(p, min(_sig(article.headline), self.headline_floor))

    def label(self, score: float) -> Label:
        low, high = self.thresholds
        return "low" if score < low else "high" if score >= high else "medium"

    @staticmethod
    def _decision(head: LinearHead | None, x: Sequence[float]) -> float:
        if head is not None:
            return head.decision(x)
        # An untrained bundle: the mean of the probability-like inputs, as log-odds.
        vals = [min(max(v, 0.0), 1.0) for v in x[:2]]
        return _logit(sum(vals) / len(vals))

    def _proba(self, head: LinearHead | None, x: Sequence[float]) -> float:
        return _sig(self._decision(head, x))

    # -----------------------------------------------------------------------------------------
    # Reasons

    def explain(
        self,
        head: HeadlineFeatures | None,
        body: BodyFeatures | None,
        article: ArticleFeatures | None,
        head_spans: Sequence[Span],
        body_spans: Sequence[Span],
        gap: float | None,
        sourcing: SourcingResult,
        headline: str = "",
    ) -> tuple[list[str], list[str]]:
        """``reasons`` (what raised the score, strongest first, in the criteria's words) and
        ``criteria`` (their codes).

        Read off the heads: each feature's contribution to the log-odds relative to an average
        training row. The loaded-wording weight of a field is credited to the criterion its
        heaviest spans evidence (loaded words, exaggeration, a curiosity-gap phrase). A
        criterion is named once, at its strongest contribution.
        """
        strength: dict[str, float] = {}

        def add(
            head_: LinearHead | None,
            x: Sequence[float] | None,
            spans: Sequence[Span] = (),
            skip: frozenset[str] = frozenset(),
        ) -> None:
            if head_ is None or x is None:
                return
            for name, value in head_.contributions(x).items():
                crit = _FEATURE_CRITERION.get(name)
                if name in ("loaded", "density"):
                    crit = _dominant_criterion(spans) or crit
                if crit and name not in skip and value >= REASON_MIN_LOGIT:
                    strength[crit] = max(strength.get(crit, 0.0), value)

        add(self.headline_head, head, head_spans)
        add(self.body_head, body, body_spans)
        add(self.article_head, article, skip=frozenset({"headline", "body"}))
        if gap is not None and gap >= OVERSTATED_GAP and head is not None:
            strength["overstated_headline"] = max(strength.get("overstated_headline", 0.0), 1.0)
        support = sourcing.headline_support
        thin = (
            sourcing.score is not None
            and sourcing.score >= THIN_SOURCING
            and support is not None
            and support.single_source_reliance
            and support.hedged
        )
        if thin:
            # One source and "reportedly", "is said to", "it is understood": the criterion is
            # met whatever the head's weight, so it is named, after stronger ones.
            strength["thin_sourcing"] = max(strength.get("thin_sourcing", 0.0), REASON_MIN_LOGIT)

        quoted: dict[str, list[str]] = {}
        for s in sorted([*head_spans, *body_spans], key=lambda s: -s.weight):
            found = quoted.setdefault(CATEGORY_CRITERION.get(s.category, ""), [])
            if s.text.lower() not in found:
                found.append(s.text.lower())
        quoted["shouting"] = [headline[a:b] for a, b in self.capitals.spans(headline)]
        quoted["label_prefix"] = [label] if (label := hype_label(headline)) else []
        head_p = self._proba(self.headline_head, head) if head is not None else None
        body_p = self._proba(self.body_head, body) if body is not None else None
        numbers = {
            "curiosity_gap": f"headline-style model {head.style:.0%}" if head else "",
            "overstated_headline": (
                f"headline {head_p:.2f} against body {body_p:.2f}"
                if head_p is not None and body_p is not None
                else ""
            ),
            "thin_sourcing": _thin_detail(sourcing),
        }
        order = sorted(strength, key=lambda c: -strength[c])
        reasons = []
        for crit in order:
            examples = ", ".join(f"\u201c{w}\u201d" for w in quoted.get(crit, [])[:3])
            detail = f": {examples}" if examples else ""
            if numbers.get(crit):
                detail += f" ({numbers[crit]})"
            reasons.append(f"{CRITERIA[crit]}{detail}.")
        if not reasons:
            reasons.append(
                "Nothing in the wording, the headline or the sourcing pushes the score up:"
                " they read like sober news."
            )
        return reasons, order


def _dominant_criterion(spans: Sequence[Span]) -> str | None:
    """The criterion whose spans carry the most weight."""
    weight: dict[str, float] = {}
    for s in spans:
        crit = CATEGORY_CRITERION.get(s.category)
        if crit:
            weight[crit] = weight.get(crit, 0.0) + s.weight
    return max(weight, key=weight.__getitem__) if weight else None


def _thin_detail(sourcing: SourcingResult) -> str:
    """Who the headline's claim rests on, for the thin-sourcing reason."""
    if sourcing.score is None:
        return ""
    support = sourcing.headline_support
    if support is None or not support.single_source_reliance:
        return f"sourcing score {sourcing.score:.2f}"
    who = " and ".join(support.sources) or "no named source"
    hedge = ", hedged" if support.hedged else ""
    return f"the headline's claim rests on {who}{hedge}; sourcing score {sourcing.score:.2f}"


def hype_label(headline: str) -> str | None:
    """The hype label opening ``headline`` ("WATCH", "SHOCK"), if any: one or two words of
    :data:`~sensational.criteria.HYPE_LABELS` before a colon, bar or spaced dash."""
    m = _LABEL.match(headline)
    if m is None:
        return None
    words = m.group(1).strip().lower().replace("-", " ").split()
    return m.group(1).strip() if words and all(w in HYPE_LABELS for w in words) else None


def _fast_headline(model: Any) -> FastHeadlineScorer | None:
    try:
        return FastHeadlineScorer(model)
    except (AttributeError, KeyError, TypeError, ValueError):  # not a pipeline we can unroll
        return None


def _clip(value: float, bound: float) -> float:
    return max(-bound, min(bound, value))


def _sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-_clip(z, 700.0)))


def _logit(p: float, eps: float = 1e-4) -> float:
    p = min(max(p, eps), 1 - eps)
    return math.log(p / (1 - p))


def _check_text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    return value
