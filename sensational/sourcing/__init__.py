"""Who an article's claims rest on: attributions, sources, hedges and single-source reliance.

The analysis runs in passes, one module each: :mod:`~sensational.sourcing.patterns` (the
grammar: cue lexicon, hedges, word lists), :mod:`~sensational.sourcing.mentions` (cues and
the phrases naming their sources), :mod:`~sensational.sourcing.sources` (kinds, and one
source per real-world speaker), :mod:`~sensational.sourcing.support` (the headline's claim
and who backs it) and :mod:`~sensational.sourcing.score` (the score and the result).
"""

from sensational.sourcing.analyzer import SourcingAnalyzer
from sensational.sourcing.mentions import Mention
from sensational.sourcing.patterns import HEDGES, CueEntry, load_cues
from sensational.sourcing.score import FEATURE_NAMES, NO_ATTRIBUTION_SCORE, SourcingFeatures

__all__ = [
    "FEATURE_NAMES",
    "HEDGES",
    "NO_ATTRIBUTION_SCORE",
    "CueEntry",
    "Mention",
    "SourcingAnalyzer",
    "SourcingFeatures",
    "load_cues",
]
