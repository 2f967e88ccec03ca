"""Who an article's claims rest on: attributions, sources, hedges, single-source reliance."""

from __future__ import annotations

from sensational.results import SourcingResult


class SourcingAnalyzer:
    def analyze(
        self, headline: str, body: str, exclude: list[tuple[int, int]] = ()
    ) -> SourcingResult:
        return SourcingResult(score=None)
