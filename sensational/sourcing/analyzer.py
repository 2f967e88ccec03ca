"""The sourcing analyser: attributions, sources and hedges of an article, and its score."""

from __future__ import annotations

from bisect import bisect_right

from sensational.results import SourcingResult, Span
from sensational.sentences import split_sentences
from sensational.sourcing.mentions import (
    Mention,
    blank,
    continuations,
    extract_mentions,
    hedge_spans,
)
from sensational.sourcing.patterns import SOURCE_TAG, is_separated
from sensational.sourcing.score import summarise
from sensational.sourcing.sources import merge
from sensational.sourcing.support import headline_support


class SourcingAnalyzer:
    """Find attributions, sources and hedges in an article and score its sourcing.

    The analyser holds no fitted state: resources are read once per process and shared,
    so it is cheap to construct and to pickle.

    Parameters
    ----------
    stance_cues
        Count stance verbs ("praised", "urged", "hopes") as attribution cues. They are
        part of attribution in annotated news (PolNeAR) but carry weaker evidence of
        where a factual claim comes from.
    support_overlap
        Share of the headline's content words a body sentence must contain to count as
        supporting the headline's claim.

    Examples
    --------
    >>> result = SourcingAnalyzer().analyze(
    ...     "Club to sack manager, insiders claim",
    ...     "The club will sack its manager this week, a source close to the board said.",
    ... )
    >>> [(s.name, s.kind) for s in result.sources]
    [('a source close to the board', 'anonymous')]
    """

    # Class-level defaults keep analysers pickled before a parameter existed working.
    stance_cues: bool = True
    support_overlap: float = 0.34

    def __init__(self, *, stance_cues: bool = True, support_overlap: float = 0.34) -> None:
        self.stance_cues = stance_cues
        self.support_overlap = support_overlap

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
        if not body or not body.strip():
            return SourcingResult(score=None)
        text = blank(body, exclude)
        sentences = split_sentences(text)
        starts = [s for s, _ in sentences]
        separated = is_separated(text)
        hedge_at = hedge_spans(text, separated)
        hedges = [Span("body", a, b, body[a:b], "hedge", 1.0, SOURCE_TAG) for a, b in hedge_at]
        mentions = extract_mentions(text, sentences, separated, stance_cues=self.stance_cues)
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
        mentions += continuations(text, mentions, sentences, starts)
        mentions.sort(key=lambda m: (m.cue or m.content or (0, 0))[0])
        sources = merge(mentions, text)
        result = summarise(body, mentions, sources, hedges)
        result.headline_support = headline_support(
            headline,
            body,
            sentences,
            mentions,
            hedges,
            sources,
            overlap=self.support_overlap,
            stance_cues=self.stance_cues,
        )
        return result

    def extract(self, text: str, sentences: list[tuple[int, int]] | None = None) -> list[Mention]:
        """Return the attributions with a cue found in ``text``, in text order.

        Sources are resolved per mention (pronouns still unresolved); merging happens in
        :meth:`analyze`. Used directly by the evaluation against annotated corpora.
        """
        if sentences is None:
            sentences = split_sentences(text)
        return extract_mentions(text, sentences, is_separated(text), stance_cues=self.stance_cues)
