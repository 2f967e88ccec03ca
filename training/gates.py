"""Quality gates, and the comparison of a candidate model (the challenger) with the current one
(the champion).

A thresholds file (``training/thresholds.toml``) lists gates: a metric of one evaluation set
with a lower (``min``) or upper (``max``) bound. A gate whose set was not evaluated (a config
without that corpus, a corpus that is not there) is skipped with a note, never failed.

Comparison, per gated metric: a paired bootstrap over the set's units (rows, or documents
for span and sourcing sets). Each of ``resamples`` resamples draws units with replacement and
measures both models on the same draw; the challenger fails when the whole ``level``
percentile interval of (challenger - champion), signed so that positive is better, lies
below ``-negligible``: it is worse by more than the sampling noise of that set allows (and by
more than ``negligible``, a change too small to matter however many rows show it). A small
set has a wide interval and so a wide tolerance; a large one a narrow tolerance.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from datasets.readers import DataError
from training.evalsets import ATTRIBUTION_METRICS, METRICS_BY_KIND, SPAN_METRICS, SetResult
from training.metrics import (
    HIGHER_IS_BETTER,
    bootstrap_indices,
    metric_ci,
    paired_difference_ci,
)

KNOWN_METRICS = frozenset(m for metrics in METRICS_BY_KIND.values() for m in metrics)
_HIGHER = HIGHER_IS_BETTER | set(SPAN_METRICS) | set(ATTRIBUTION_METRICS)


@dataclass(frozen=True, slots=True)
class Gate:
    """A bound on one metric of one evaluation set."""

    metric: str
    set: str = "overall"
    min: float | None = None
    max: float | None = None
    negligible: float = 0.0

    @property
    def higher_is_better(self) -> bool:
        return self.metric in _HIGHER

    @property
    def label(self) -> str:
        return f"{self.set}.{self.metric}"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The gates and how the bootstrap is drawn."""

    gates: tuple[Gate, ...]
    resamples: int = 1000
    level: float = 0.95
    seed: int = 0
    source: str | None = None


@dataclass(frozen=True, slots=True)
class GateResult:
    """One bound checked: ``margin`` is how far inside (positive) or outside the bound;
    ``ci`` the bootstrap interval of the value itself. ``status`` is pass, fail or skipped."""

    gate: str
    status: str
    value: float | None = None
    bound: str = ""
    margin: float | None = None
    ci: tuple[float, float] | None = None
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.status != "fail"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """Challenger against champion on one gated metric, on the same units.

    ``change`` is challenger minus champion, signed so that positive means better, and
    ``ci`` its paired-bootstrap interval.
    """

    gate: str
    status: str
    champion: float | None = None
    challenger: float | None = None
    change: float | None = None
    ci: tuple[float, float] | None = None
    negligible: float = 0.0
    units: int = 0
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.status != "fail"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}


def load_thresholds(path: Path) -> Thresholds:
    """Read the ``[[gate]]`` tables and the ``[bootstrap]`` table of a thresholds file.

    Raises
    ------
    DataError
        When the file is missing, does not parse, or a gate is malformed (named by number).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such thresholds file")
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: does not parse: {exc}") from exc
    unknown = set(raw) - {"gate", "bootstrap"}
    if unknown:
        raise DataError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}; known: gate, bootstrap"
        )
    entries = raw.get("gate", [])
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{path}: no [[gate]] tables")
    gates = []
    for i, entry in enumerate(entries, 1):
        at = f"{path}: gate {i}"
        unknown = set(entry) - {"metric", "set", "min", "max", "negligible"}
        if unknown:
            raise DataError(
                f"{at}: unknown key(s) {', '.join(sorted(unknown))};"
                " known: metric, set, min, max, negligible"
            )
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
                    negligible=float(entry.get("negligible", 0.0)),
                )
            )
        except (TypeError, ValueError) as exc:
            raise DataError(f"{at}: bounds must be numbers ({exc})") from None
    boot = raw.get("bootstrap", {})
    try:
        thresholds = Thresholds(
            tuple(gates),
            resamples=int(boot.get("resamples", 1000)),
            level=float(boot.get("level", 0.95)),
            seed=int(boot.get("seed", 0)),
            source=str(path),
        )
    except (TypeError, ValueError) as exc:
        raise DataError(f"{path}: [bootstrap] values must be numbers ({exc})") from None
    if thresholds.resamples < 100 or not 0.5 < thresholds.level < 1.0:
        raise DataError(f"{path}: [bootstrap] needs resamples >= 100 and 0.5 < level < 1")
    return thresholds


def _value(result: SetResult, gate: Gate) -> float:
    if gate.metric not in METRICS_BY_KIND[result.kind]:
        raise DataError(
            f"gate {gate.label}: {result.kind} sets have the metrics"
            f" {', '.join(METRICS_BY_KIND[result.kind])}, not {gate.metric!r}"
        )
    value = result.metric(gate.metric)
    if math.isnan(value):
        raise DataError(
            f"gate {gate.label}: the metric could not be measured on this data (ROC-AUC and"
            " PR-AUC need both classes, MSE graded labels); use another metric for this set"
        )
    return float(value)


def check_gates(
    results: dict[str, SetResult], thresholds: Thresholds, notes: dict[str, str] | None = None
) -> list[GateResult]:
    """Check every gate's bound; a gate whose set was not evaluated is skipped with a note
    (``notes`` by set name, ``"*"`` for any set)."""
    notes = notes or {}
    out = []
    cis = _Intervals(thresholds)
    for gate in thresholds.gates:
        result = results.get(gate.set)
        if result is None:
            why = (
                notes.get(gate.set)
                or notes.get("*")
                or f"this evaluation has no set {gate.set!r} (not a source of the config)"
            )
            out.append(GateResult(gate.label, "skipped", note=f"not evaluated: {why}"))
            continue
        value = _value(result, gate)
        ci = cis.of(result, gate.metric)
        if gate.min is not None:
            margin = value - gate.min
            status = "pass" if margin >= 0 else "fail"
            out.append(GateResult(gate.label, status, value, f">= {gate.min:g}", margin, ci))
        if gate.max is not None:
            margin = gate.max - value
            status = "pass" if margin >= 0 else "fail"
            out.append(GateResult(gate.label, status, value, f"<= {gate.max:g}", margin, ci))
    return out


def compare_models(
    champion: dict[str, SetResult],
    challenger: dict[str, SetResult],
    thresholds: Thresholds,
) -> list[ComparisonResult]:
    """The paired-bootstrap comparison of every gated metric (see the module notes).

    Both result sets must come from the same units of the same sets; a set only one side
    has is skipped with a note.
    """
    out = []
    seen: set[str] = set()
    for gate in thresholds.gates:
        if gate.label in seen:
            continue
        seen.add(gate.label)
        old, new = champion.get(gate.set), challenger.get(gate.set)
        if old is None or new is None:
            missing = "champion" if old is None else "challenger"
            out.append(
                ComparisonResult(
                    gate.label, "skipped", note=f"the {missing} has no set {gate.set!r}"
                )
            )
            continue
        if old.n_units != new.n_units:
            raise DataError(
                f"compare {gate.label}: the models were measured on different units"
                f" ({old.n_units} and {new.n_units})"
            )
        a, b = _value(old, gate), _value(new, gate)
        sign = 1.0 if gate.higher_is_better else -1.0
        idx = bootstrap_indices(new.n_units, thresholds.resamples, thresholds.seed)
        low, high = paired_difference_ci(
            _signed(gate.metric, sign), new, old, idx, level=thresholds.level
        )
        change = sign * (b - a)
        worse = not math.isnan(high) and high < -gate.negligible
        out.append(
            ComparisonResult(
                gate.label,
                "fail" if worse else "pass",
                a,
                b,
                change,
                (low, high),
                gate.negligible,
                new.n_units,
            )
        )
    return out


def _signed(metric: str, sign: float) -> Any:
    return lambda r, i: sign * r.metric(metric, i)


@dataclass
class _Intervals:
    """Bootstrap intervals of a metric on one model, drawn once per set."""

    thresholds: Thresholds
    cache: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)

    def of(self, result: SetResult, metric: str) -> tuple[float, float]:
        key = (result.name, metric)
        if key not in self.cache:
            idx = bootstrap_indices(result.n_units, self.thresholds.resamples, self.thresholds.seed)
            self.cache[key] = metric_ci(
                lambda r, i: r.metric(metric, i), result, idx, level=self.thresholds.level
            )
        return self.cache[key]
