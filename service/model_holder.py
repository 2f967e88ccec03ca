"""Holds the live scorer; a reload swaps it in one assignment so requests never see half a model."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sensational.artifact import load_bundle
from sensational.errors import ModelLoadError
from sensational.scorer import Scorer
from service.answers import AnswerCache

# Scored once per load: a bundle that unpickles but cannot score is refused before it serves.
SELF_TEST_HEADLINE = "Shocking twist: you won't believe what the council decided"
SELF_TEST_BODY = (
    "The council approved the budget on Tuesday, officials said.\n"
    "Critics called the decision a disaster, according to a local newspaper."
)


@dataclass(frozen=True)
class LoadedModel:
    scorer: Scorer
    card: dict[str, Any]
    path: Path
    # This model's answers only: a reload brings a new, empty cache with the new model.
    answers: AnswerCache = field(default_factory=lambda: AnswerCache(0))


def self_test(scorer: Scorer, path: Path) -> None:
    """Score a fixed article and check the answer is well formed; raise ModelLoadError if not."""
    try:
        result = scorer.score(SELF_TEST_HEADLINE, SELF_TEST_BODY)
    except Exception as exc:  # any failure here means the bundle cannot serve
        raise ModelLoadError(f"{path} failed its self-test: scoring raised {exc!r}") from exc
    texts = {"headline": SELF_TEST_HEADLINE, "body": SELF_TEST_BODY}
    problems = []
    if not 0.0 <= result.score <= 1.0:
        problems.append(f"score {result.score} is outside [0, 1]")
    if result.label not in ("low", "medium", "high"):
        problems.append(f"label {result.label!r} is unknown")
    for span in result.framing.spans:
        if texts[span.field][span.start : span.end] != span.text:
            problems.append(f"span {span.text!r} does not match its offsets")
    if problems:
        raise ModelLoadError(f"{path} failed its self-test: " + "; ".join(problems))


class ModelHolder:
    """The live model of one worker process.

    Readers take ``current`` once per request and keep that object, so a reload that
    happens while they score cannot change the model under them.
    """

    def __init__(self, cache_bytes: int = 0) -> None:
        self.cache_bytes = cache_bytes
        self._current: LoadedModel | None = None
        self._reload_lock = threading.Lock()

    @property
    def current(self) -> LoadedModel | None:
        return self._current

    def load(self, path: Path) -> LoadedModel:
        """Load, verify and self-test ``path``; swap it in only when all pass.

        Raises ModelLoadError and leaves the live model as it was when anything fails.
        Loads are serialised so two reloads cannot interleave.
        """
        with self._reload_lock:
            try:
                scorer, card = load_bundle(path)
            except OSError as exc:  # unreadable file, permissions, a folder swapped mid-read
                raise ModelLoadError(f"{path} could not be read: {exc}") from exc
            self_test(scorer, path)
            loaded = LoadedModel(scorer, card, path, AnswerCache(self.cache_bytes))
            self._current = loaded
            _settle_heap()
            return loaded


def _settle_heap() -> None:
    """Put what is alive now (the model's ~100,000 objects) out of the cyclic collector's reach.

    Otherwise every full collection walks the whole model, a 40 ms pause in the middle of
    some request. Unfrozen first, so that a replaced model's cycles can still be collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
