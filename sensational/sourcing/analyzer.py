"""The sourcing analyser: attributions, sources and hedges of an article, and its score."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from sensational.results import SourcingResult, Span
from sensational.sentences import split_sentences
from sensational.sourcing.mentions import (
    Mention,
    blank,
    continuations,
    extract_mentions,
    hedge_spans,
    quotations,
)
from sensational.sourcing.patterns import SOURCE_TAG, is_separated
from sensational.sourcing.score import (
    SourcingFeatures,
    fallback_score,
    sourcing_features,
    summarise,
)
from sensational.sourcing.sources import merge
from sensational.sourcing.support import trace_claim

if TYPE_CHECKING:
    from sensational.scorer import LinearHead


class SourcingAnalyzer:
    """Find attributions, sources and hedges in an article and score its sourcing.

    Resources are read once per process and shared, so an analyser is cheap to construct
    and to pickle; its only fitted part is the optional ``head``.

    Parameters
    ----------
    stance_cues
        Count stance verbs ("praised", "urged", "hopes") as attribution cues. They are
        part of attribution in annotated news (PolNeAR) but carry weaker evidence of
        where a factual claim comes from.
    support_overlap
        Share of the headline's content words a body sentence must contain to count as
        carrying the headline's claim.
    head
        A fitted logistic model over :class:`~sensational.sourcing.score.SourcingFeatures`
        giving ``score`` (``training.sourcing_fit.fit_sourcing_head``); None: the fixed
        formula :func:`~sensational.sourcing.score.fallback_score`.

    Examples
    --------
    >>> result = SourcingAnalyzer().analyze(
    ...     "Club to sack manager, insiders claim",
    ...     "The club will sack its manager this week, a source close to the board said.",
    ... )
    >>> [(s.name, s.kind) for s in result.sources]
    [('a source close to the board', 'anonymous')]
    >>> result.headline_support.label
    'anonymous_hedged'
    """

    # Class-level defaults keep analysers pickled before a parameter existed working.
    stance_cues: bool = True
    support_overlap: float = 0.34
    head: LinearHead | None = None

    def __init__(
        self,
        *,
        stance_cues: bool = True,
        support_overlap: float = 0.34,
        head: LinearHead | None = None,
    ) -> None:
        self.stance_cues = stance_cues
        self.support_overlap = support_overlap
        self.head = head

    def analyze(
        self, headline: str, body: str, exclude: list[tuple[int, int]] | tuple[()] = ()
    ) -> SourcingResult:
        """Analyse one article.

        Parameters
        ----------
        headline, body
            The texts as sent; every span indexes them exactly.
        exclude
            ``(start, end)`` ranges of ``body`` that are page furniture, to be skipped.

        Returns
        -------
        SourcingResult
            ``score`` is None only when the body is empty or white space.
        """
        return self._run(headline, body, exclude)[0]

    def features(
        self, headline: str, body: str, exclude: list[tuple[int, int]] | tuple[()] = ()
    ) -> SourcingFeatures | None:
        """The features the score is computed from (None when the body is empty)."""
        return self._run(headline, body, exclude)[1]

    def extract(self, text: str, sentences: list[tuple[int, int]] | None = None) -> list[Mention]:
        """Return the attributions with a cue found in ``text``, in text order.

        Sources are resolved per mention (pronouns still unresolved); merging happens in
        :meth:`analyze`. Used directly by the evaluation against annotated corpora.
        """
        if sentences is None:
            sentences = split_sentences(text)
        return extract_mentions(text, sentences, is_separated(text), stance_cues=self.stance_cues)

    def _run(
        self, headline: str, body: str, exclude: list[tuple[int, int]] | tuple[()]
    ) -> tuple[SourcingResult, SourcingFeatures | None]:
        if not body or not body.strip():
            return SourcingResult(score=None), None
        text = blank(body, exclude)
        sentences = split_sentences(text)
        separated = is_separated(text)
        # Pass 1: hedges, the claims credited to nobody ("reportedly").
        hedge_at = hedge_spans(text, separated)
        hedges = [Span("body", a, b, body[a:b], "hedge", 1.0, SOURCE_TAG) for a, b in hedge_at]
        # Pass 2: cues and the phrases naming their sources.
        quotes = quotations(text)
        mentions = self._mentions(text, sentences, separated, hedge_at, quotes)
        # Pass 3: one source per real-world speaker.
        sources = merge(mentions, text)
        # Pass 4: the headline's claim, traced to the sentences carrying it.
        trace = trace_claim(
            headline,
            body,
            sentences,
            mentions,
            hedges,
            sources,
            overlap=self.support_overlap,
            stance_cues=self.stance_cues,
            quotes=quotes,
        )
        # Pass 5: the result and its score.
        result = summarise(body, mentions, sources, hedges)
        result.headline_support = trace.support if trace is not None else None
        feats = sourcing_features(result, result.headline_support, trace.mentions if trace else ())
        if self.head is not None:
            result.score = round(self.head.proba(feats), 4)
        elif trace is not None and (trace.mentions or trace.hedges):
            result.score = fallback_score(trace.mentions, sources, trace.hedges)
        else:
            unsourced = len(hedges) + sum(1 for m in mentions if m.kind == "hedge")
            result.score = fallback_score(mentions, sources, unsourced)
        return result, feats

    def _mentions(
        self,
        text: str,
        sentences: list[tuple[int, int]],
        separated: bool,
        hedge_at: list[tuple[int, int]],
        quotes: list[tuple[int, int]] | None = None,
    ) -> list[Mention]:
        mentions = extract_mentions(
            text, sentences, separated, stance_cues=self.stance_cues, quotes=quotes
        )
        if hedge_at:
            # A cue inside a hedge ("reports suggest") is the hedge, not a second source.
            # Hedges do not overlap, so only the last one starting at or before a point
            # can hold it.
            hedge_starts = [a for a, _ in hedge_at]

            def in_hedge(r: tuple[int, int] | None) -> bool:
                if r is None:
                    return False
                i = bisect_right(hedge_starts, r[0]) - 1
                return i >= 0 and r[0] < hedge_at[i][1]

            mentions = [m for m in mentions if not in_hedge(m.cue) and not in_hedge(m.source)]
        mentions += continuations(text, mentions, sentences, [s for s, _ in sentences])
        mentions.sort(key=lambda m: (m.cue or m.content or (0, 0))[0])
        return mentions
