"""Quality gates and the champion-versus-challenger comparison.

A thresholds file (``training/thresholds.toml``) lists gates: a metric of an evaluation set
with a lower (``min``) or upper (``max``) bound, and a ``tolerance``: how much worse than the
current model (the champion) a candidate (the challenger) may be on that metric.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from datasets.readers import DataError

# Metrics where a larger value is better; the rest (brier, ece, mse) are errors.
HIGHER_IS_BETTER = frozenset({"roc_auc", "pr_auc", "accuracy", "f1"})
KNOWN_METRICS = HIGHER_IS_BETTER | {"brier", "ece", "mse"}


@dataclass(frozen=True, slots=True)
class Gate:
    """A bound on one metric of one evaluation set (``overall`` unless named)."""

    metric: str
    set: str = "overall"
    min: float | None = None
    max: float | None = None
    tolerance: float = 0.0

    @property
    def higher_is_better(self) -> bool:
        return self.metric in HIGHER_IS_BETTER

    @property
    def label(self) -> str:
        return f"{self.set}.{self.metric}"


@dataclass(frozen=True, slots=True)
class GateResult:
    """One gate checked: ``margin`` is how far inside (positive) or outside the bound."""

    gate: str
    value: float
    bound: str
    passed: bool
    margin: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """Challenger against champion on one gated metric.

    ``change`` is challenger minus champion, signed so that positive means better.
    """

    gate: str
    champion: float
    challenger: float
    change: float
    tolerance: float
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_thresholds(path: Path) -> list[Gate]:
    """Read ``[[gate]]`` tables from a TOML thresholds file; raise ``DataError`` if unusable."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such thresholds file")
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: does not parse: {exc}") from exc
    entries = raw.get("gate", [])
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{path}: no [[gate]] tables")
    default_tolerance = raw.get("default_tolerance", 0.0)
    gates = []
    for i, entry in enumerate(entries, 1):
        at = f"{path}: gate {i}"
        unknown = set(entry) - {"metric", "set", "min", "max", "tolerance"}
        if unknown:
            raise DataError(f"{at}: unknown key(s) {', '.join(sorted(unknown))}")
        metric = entry.get("metric")
        if metric not in KNOWN_METRICS:
            raise DataError(f"{at}: metric must be one of {', '.join(sorted(KNOWN_METRICS))}")
        low, high = entry.get("min"), entry.get("max")
        if low is None and high is None:
            raise DataError(f"{at}: give 'min' or 'max'")
        try:
            gates.append(
                Gate(
                    metric=metric,
                    set=str(entry.get("set", "overall")),
                    min=None if low is None else float(low),
                    max=None if high is None else float(high),
                    tolerance=float(entry.get("tolerance", default_tolerance)),
                )
            )
        except (TypeError, ValueError) as exc:
            raise DataError(f"{at}: bounds must be numbers ({exc})") from None
    return gates


def metric_value(sets: dict[str, dict[str, Any]], gate: Gate) -> float:
    """The gated value; ``DataError`` when the set or metric was not measured."""
    if gate.set not in sets:
        known = ", ".join(sorted(sets)) or "none"
        raise DataError(f"gate {gate.label}: no evaluation set {gate.set!r} (sets: {known})")
    value = sets[gate.set].get(gate.metric)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise DataError(
            f"gate {gate.label}: the metric could not be measured on this data"
            " (it needs both classes, or graded labels for mse)"
        )
    return float(value)


def check_gates(sets: dict[str, dict[str, Any]], gates: list[Gate]) -> list[GateResult]:
    """Check every gate's bounds against the measured metrics."""
    results = []
    for gate in gates:
        value = metric_value(sets, gate)
        if gate.min is not None:
            margin = value - gate.min
            results.append(GateResult(gate.label, value, f">= {gate.min:g}", margin >= 0, margin))
        if gate.max is not None:
            margin = gate.max - value
            results.append(GateResult(gate.label, value, f"<= {gate.max:g}", margin >= 0, margin))
    return results


def compare_models(
    champion: dict[str, dict[str, Any]],
    challenger: dict[str, dict[str, Any]],
    gates: list[Gate],
) -> list[ComparisonResult]:
    """Fail a gated metric when the challenger is worse than the champion by more than its
    tolerance. Both metric sets must come from the same evaluation data."""
    results = []
    seen: set[str] = set()
    for gate in gates:
        if gate.label in seen:
            continue
        seen.add(gate.label)
        old, new = metric_value(champion, gate), metric_value(challenger, gate)
        change = new - old if gate.higher_is_better else old - new
        # A tiny epsilon so that equal models never fail on float noise.
        passed = change >= -gate.tolerance - 1e-12
        results.append(ComparisonResult(gate.label, old, new, change, gate.tolerance, passed))
    return results
