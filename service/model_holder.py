"""Holds the live scorer; a reload swaps it in one assignment so requests never see half a model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sensational.artifact import load_bundle
from sensational.scorer import Scorer


@dataclass(frozen=True)
class LoadedModel:
    scorer: Scorer
    card: dict[str, Any]
    path: Path


class ModelHolder:
    def __init__(self) -> None:
        self._current: LoadedModel | None = None

    @property
    def current(self) -> LoadedModel | None:
        return self._current

    def load(self, path: Path) -> LoadedModel:
        """Load and verify ``path``; swap it in only when it passes. Raises ModelLoadError."""
        scorer, card = load_bundle(path)
        loaded = LoadedModel(scorer, card, path)
        self._current = loaded
        return loaded
