"""Training configuration: read from TOML or YAML, overridable from the command line.

The file format is documented in ``training/configs/example-own-data.toml``. Unknown keys are
errors, so a typo never silently falls back to a default. Relative paths in a config (``path``
of a data source, ``output``) are relative to the folder the command runs in, like paths given
on the command line.
"""

from __future__ import annotations

import copy
import difflib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from datasets.corpora import REPO_ROOT
from datasets.readers import Columns

DEFAULT_CONFIG = REPO_ROOT / "training" / "configs" / "default.toml"
ROLES = ("train", "evaluate")
# The project's own labelled samples a config may train on, by name (``[[data]] sample = ...``).
SAMPLES = ("headline-twins", "story-pairs")


class ConfigError(ValueError):
    """A config that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class DataSource:
    """One entry of ``[[data]]``: a public corpus, a file of the team's own, or a project sample.

    Parameters
    ----------
    corpus
        Name of a public corpus adapter (see ``datasets/registry.py``).
    path
        A CSV, TSV or JSONL file (relative paths: from the working directory).
    sample
        One of the project's own samples (:data:`SAMPLES`): used only when a config names it.
    feedback
        An export of readers' reports (``python -m training feedback export``); its accepted
        reports train (training/feedback_source.py) and are never held out.
    fraction
        Share of the source's rows to use, chosen by a hash of each row, so the mix is stable.
    role
        ``train`` (split into training rows and the held-out fifth) or ``evaluate`` (all of it
        is an extra evaluation set, reported under its own name).
    columns, fmt, delimiter, encoding
        How to read ``path``.
    """

    name: str
    corpus: str | None = None
    path: Path | None = None
    sample: str | None = None
    feedback: Path | None = None
    fraction: float = 1.0
    role: str = "train"
    columns: Columns = field(default_factory=Columns)
    fmt: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"


@dataclass(slots=True)
class TrainConfig:
    """Everything one training run depends on, apart from the data files' contents."""

    name: str = "sensational"
    seed: int = 0
    n_jobs: int = 2
    skip_invalid: bool = False
    data: list[DataSource] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    output: Path | None = None
    source: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        """The resolved config as plain JSON-ready data (written beside the model)."""
        out = asdict(self)
        out["source"] = str(self.source) if self.source else None
        out["output"] = str(self.output) if self.output else None
        out["data"] = [_source_dict(s) for s in self.data]
        return json.loads(json.dumps(out, default=str))


def _source_dict(source: DataSource) -> dict[str, Any]:
    out = {k: v for k, v in asdict(source).items() if v is not None}
    if source.path is None:
        for key in ("columns", "fmt", "delimiter", "encoding"):
            out.pop(key, None)
    else:
        out["path"] = str(source.path)
    if source.feedback is not None:
        out["feedback"] = str(source.feedback)
    return out


_TOP_KEYS = {"name", "seed", "n_jobs", "skip_invalid", "output", "data", "params", "search"}
_SOURCE_KEYS = {
    "name",
    "corpus",
    "path",
    "sample",
    "feedback",
    "fraction",
    "role",
    "format",
    "delimiter",
    "encoding",
    "headline",
    "body",
    "label",
    "label_kind",
    "positive",
    "negative",
}


def load_config(path: Path | None = None) -> TrainConfig:
    """Read a TOML (``.toml``) or YAML (``.yaml``/``.yml``) training config.

    Raises
    ------
    ConfigError
        When the file is missing, does not parse, or holds an unknown or ill-typed key.
    """
    path = Path(path or DEFAULT_CONFIG)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        if path.suffix.lower() == ".toml":
            raw = tomllib.loads(path.read_text("utf-8"))
        elif path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            raw = yaml.safe_load(path.read_text("utf-8")) or {}
        else:
            raise ConfigError(f"{path}: a config is .toml, .yaml or .yml")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: does not parse: {exc}") from exc
    except Exception as exc:  # yaml.YAMLError, imported lazily
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{path}: does not parse: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a table of keys")
    return config_from_dict(raw, path)


def config_from_dict(raw: dict[str, Any], path: Path | None = None) -> TrainConfig:
    """Build a :class:`TrainConfig` from parsed data; ``path`` anchors relative file paths."""
    where = str(path) if path else "config"
    _no_unknown_keys(raw, _TOP_KEYS, where)
    entries = raw.get("data", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where}: 'data' must be a list of tables ([[data]])")
    sources = [_source(entry, i, where) for i, entry in enumerate(entries, 1)]
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{where}: data name(s) used twice: {', '.join(dupes)}")
    for key, kind in (("params", dict), ("search", dict)):
        if not isinstance(raw.get(key, {}), kind):
            raise ConfigError(f"{where}: '{key}' must be a table")
    return TrainConfig(
        name=_typed(raw, "name", str, "sensational", where),
        seed=_typed(raw, "seed", int, 0, where),
        n_jobs=_typed(raw, "n_jobs", int, 2, where),
        skip_invalid=_typed(raw, "skip_invalid", bool, False, where),
        data=sources,
        params=copy.deepcopy(raw.get("params", {})),
        search=copy.deepcopy(raw.get("search", {})),
        output=Path(raw["output"]) if raw.get("output") else None,
        source=path,
    )


def _typed(raw: dict[str, Any], key: str, kind: type, default: Any, where: str) -> Any:
    value = raw.get(key, default)
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise ConfigError(f"{where}: '{key}' must be a {kind.__name__}, not {value!r}")
    return value


def _source(entry: Any, index: int, where: str) -> DataSource:
    at = f"{where}: data entry {index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{at}: must be a table")
    _no_unknown_keys(entry, _SOURCE_KEYS, at)
    corpus, path, sample = entry.get("corpus"), entry.get("path"), entry.get("sample")
    feedback = entry.get("feedback")
    if sum(v is not None for v in (corpus, path, sample, feedback)) != 1:
        raise ConfigError(f"{at}: give exactly one of 'corpus', 'path', 'sample' or 'feedback'")
    if sample is not None and sample not in SAMPLES:
        raise ConfigError(f"{at}: unknown sample {sample!r}; the samples are {', '.join(SAMPLES)}")
    if corpus is not None:
        from datasets.registry import get_adapter

        try:
            corpus = get_adapter(str(corpus)).name
        except KeyError as exc:
            raise ConfigError(f"{at}: {exc.args[0]}") from None
    fraction = entry.get("fraction", 1.0)
    if not isinstance(fraction, int | float) or not 0.0 < float(fraction) <= 1.0:
        raise ConfigError(f"{at}: 'fraction' must be a number in (0, 1], not {fraction!r}")
    role = entry.get("role", "train")
    if role not in ROLES:
        raise ConfigError(f"{at}: 'role' must be one of {', '.join(ROLES)}, not {role!r}")
    label_kind = entry.get("label_kind", "auto")
    if label_kind not in ("auto", "binary", "classes", "score"):
        raise ConfigError(f"{at}: 'label_kind' must be auto, binary, classes or score")
    positive = tuple(str(v) for v in entry.get("positive", ()))
    negative = tuple(str(v) for v in entry.get("negative", ()))
    if label_kind == "classes" and not (positive and negative):
        raise ConfigError(f"{at}: label_kind = 'classes' needs 'positive' and 'negative' lists")
    fmt = entry.get("format")
    if fmt is not None and fmt not in ("csv", "tsv", "jsonl"):
        raise ConfigError(f"{at}: 'format' must be csv, tsv or jsonl")
    resolved = None if path is None else Path(str(path)).resolve()
    export = None if feedback is None else Path(str(feedback)).resolve()
    if export is not None and role != "train":
        raise ConfigError(f"{at}: a feedback export trains; it has no role = {role!r}")
    name = entry.get("name") or corpus or sample or (resolved.stem if resolved else None)
    name = name or (f"feedback-{export.stem}" if export else f"data{index}")
    return DataSource(
        name=str(name),
        corpus=corpus,
        path=resolved,
        sample=sample,
        feedback=export,
        fraction=float(fraction),
        role=role,
        columns=Columns(
            headline=entry.get("headline", "headline") or None,
            body=entry.get("body", "body") or None,
            label=str(entry.get("label", "label")),
            label_kind=label_kind,
            positive=positive,
            negative=negative,
        ),
        fmt=fmt,
        delimiter=entry.get("delimiter"),
        encoding=str(entry.get("encoding", "utf-8")),
    )


def apply_overrides(config: TrainConfig, overrides: list[str]) -> TrainConfig:
    """Apply ``key=value`` overrides (dotted keys, TOML values): ``params.headline.C=4``."""
    raw = config.as_dict()
    raw["data"] = [_source_raw(s) for s in config.data]
    raw.pop("source", None)
    if raw.get("output") is None:
        raw.pop("output", None)
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected key=value")
        try:
            value = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            value = text  # a bare word is a string
        parts = key.strip().split(".")
        node = raw
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"--set {item!r}: {part!r} is not a table")
        node[parts[-1]] = value
    out = config_from_dict(raw, config.source)
    return out


def _source_raw(source: DataSource) -> dict[str, Any]:
    raw: dict[str, Any] = {"name": source.name, "fraction": source.fraction, "role": source.role}
    if source.corpus:
        raw["corpus"] = source.corpus
        return raw
    if source.sample:
        raw["sample"] = source.sample
        return raw
    if source.feedback:
        raw["feedback"] = str(source.feedback)
        return raw
    cols = source.columns
    raw.update(
        path=str(source.path),
        headline=cols.headline or "",
        body=cols.body or "",
        label=cols.label,
        label_kind=cols.label_kind,
        positive=list(cols.positive),
        negative=list(cols.negative),
        encoding=source.encoding,
    )
    if source.fmt:
        raw["format"] = source.fmt
    if source.delimiter:
        raw["delimiter"] = source.delimiter
    return raw


def merge_params(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Nested merge: the config's ``[params]`` tables override the model's defaults key by key."""
    out = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_params(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _no_unknown_keys(raw: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{where}: {_unknown(unknown, known, 'key')}")


def _unknown(unknown: list[str], known: set[str] | list[str], what: str) -> str:
    """ "unknown key 'seeds' (did you mean 'seed'?); known keys: ..." for an error message."""
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(key, list(known), n=1)
        hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"unknown {what}(s) {', '.join(hints)}; known: {', '.join(sorted(known))}"


def check_params(params: dict[str, Any], defaults: dict[str, Any], where: str = "params") -> None:
    """Refuse a ``[params]`` key the model does not have, naming it and the known ones.

    ``defaults`` is :func:`training.bundle.default_params`; a typo such as ``[params.headlin]``
    or ``Cc = 0.5`` would otherwise be ignored while the card listed it as used.
    """
    for key, value in params.items():
        if key not in defaults:
            raise ConfigError(f"{where}: {_unknown([key], list(defaults), 'parameter')}")
        if isinstance(defaults[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}.{key}: must be a table of parameters, not {value!r}")
            check_params(value, defaults[key], f"{where}.{key}")
