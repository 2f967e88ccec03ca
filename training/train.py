"""Train a scorer bundle from a config file and/or flags.

Reads the corpora and files named in the config, validates every row, splits them by a hash
of the text (bucket 0 of 5 is held out and never trained on), fits the bundle, measures it on
the held-out rows and writes a model folder: model.joblib, its SHA-256, model-card.json,
model-card.md and the config used.

Examples:

  python -m training.train --config training/configs/default.toml --output models/default

  python -m training.train --data ours.csv --headline-col title --label-col label -o models/ours

Exit codes: 0 trained, 2 bad input (the message names the file and line).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from sklearn.base import BaseEstimator, ClassifierMixin
from tqdm import tqdm

from datasets.corpora import Example, SpanDoc, corpora_root, holdout_bucket, read_demo
from datasets.readers import (
    Columns,
    DataError,
    ReadReport,
    check_duplicates,
    example_key,
    format_problems,
    read_table,
)
from datasets.registry import get_adapter
from sensational import __version__
from sensational.artifact import save_bundle, sha256_file
from training.bundle import (
    TrainingData,
    default_params,
    evaluate_bundle,
    fit_bundle,
    sample_metrics,
)
from training.cli import run_command
from training.config import (
    DEFAULT_CONFIG,
    ConfigError,
    DataSource,
    TrainConfig,
    apply_overrides,
    load_config,
    merge_params,
)
from training.evaluate import evaluate_examples
from training.highlights import all_highlight_metrics, scorer_predict
from training.sourcing_eval import evaluate_sourcing

log = logging.getLogger("training")

DEMO_SOURCE = "demo-headline-twins"
CONFIG_COPY = "config.json"
CARD_MARKDOWN = "model-card.md"


@dataclass
class LoadedSource:
    """The valid rows of one ``[[data]]`` entry, with what reading it found."""

    source: DataSource
    kind: str  # "examples" or "span_docs"
    rows: list[Example | SpanDoc]
    buckets: list[int]
    files: list[dict[str, Any]]
    licence: str = "own data"
    report: ReadReport = field(default_factory=ReadReport)
    manifest_verified: bool | None = None  # None: not a public corpus


@dataclass
class Dataset:
    """Everything read for one run: per source, then split into train and held-out parts."""

    sources: list[LoadedSource]
    report: ReadReport
    demo: bool = False

    def split(self) -> tuple[TrainingData, TrainingData, dict[str, TrainingData]]:
        """Training rows (buckets 1-4), held-out rows (bucket 0), extra evaluation sets."""
        train, held_out = TrainingData(), TrainingData()
        extra: dict[str, TrainingData] = {}
        for loaded in self.sources:
            if loaded.source.role == "evaluate":
                extra[loaded.source.name] = to_training_data(loaded.rows)
                continue
            for row, bucket in zip(loaded.rows, loaded.buckets, strict=True):
                add_row(held_out if bucket == 0 else train, row)
        return train, held_out, extra

    def held_out_sets(self) -> dict[str, list[Example]]:
        """Held-out rows with a label, by source name (span docs have no document label)."""
        sets: dict[str, list[Example]] = {}
        for loaded in self.sources:
            rows = [
                r
                for r, b in zip(loaded.rows, loaded.buckets, strict=True)
                if isinstance(r, Example) and (b == 0 or loaded.source.role == "evaluate")
            ]
            if rows:
                sets[loaded.source.name] = rows
        return sets


def add_row(data: TrainingData, row: Example | SpanDoc) -> None:
    """A span doc goes to ``span_docs``, a row with a body to ``articles``, else ``headlines``."""
    if isinstance(row, SpanDoc):
        data.span_docs.append(row)
    elif row.body.strip():
        data.articles.append(row)
    else:
        data.headlines.append(row)


def to_training_data(rows: Iterable[Example | SpanDoc]) -> TrainingData:
    data = TrainingData()
    for row in rows:
        add_row(data, row)
    return data


def _in_mix(key: str, fraction: float) -> bool:
    """Deterministic subsample, independent of the split hash (a salt keeps them apart)."""
    if fraction >= 1.0:
        return True
    digest = hashlib.sha256(("mix\0" + key.strip()).encode("utf-8")).hexdigest()
    return int(digest, 16) % 10_000 < fraction * 10_000


def _origin_file(origin: str) -> str:
    path = origin.split("#", 1)[0]
    head, sep, tail = path.rpartition(":")
    return head if sep and tail.isdigit() else path


def file_checksums(paths: Iterable[str], root: Path | None = None) -> list[dict[str, Any]]:
    """SHA-256 of each file; a folder of many files is summarised as one digest of the list."""
    unique = sorted(set(paths))

    def rel(p: str) -> str:
        if root is not None:
            try:
                return str(Path(p).resolve().relative_to(root.resolve()))
            except ValueError:
                pass
        return str(p)

    entries = [{"path": rel(p), "sha256": sha256_file(Path(p))} for p in unique]
    if len(entries) <= 5:
        return entries
    listing = "".join(f"{e['sha256']}  {e['path']}\n" for e in entries)
    folder = os.path.commonpath([e["path"] for e in entries])
    return [
        {
            "path": f"{folder}/ ({len(entries)} files)",
            "sha256_of_listing": hashlib.sha256(listing.encode("utf-8")).hexdigest(),
        }
    ]


def corpus_checksums(folder: Path) -> tuple[list[dict[str, Any]], bool]:
    """Checksums of every file of a public corpus, and whether they match the manifest."""
    from datasets.fetch import load_manifest

    paths = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    entries = {Path(p).relative_to(folder).as_posix(): sha256_file(Path(p)) for p in paths}
    corpus = load_manifest().get(folder.name)
    verified = corpus is not None and entries == {f.path: f.sha256 for f in corpus.files}
    if not verified:
        log.warning(
            "%s differs from datasets/manifest.toml: the model card records its own checksums",
            folder,
        )
    return file_checksums(paths, folder.parent), verified


def load_dataset(config: TrainConfig, corpora: Path | None, *, progress: bool = False) -> Dataset:
    """Read and validate every source of ``config``.

    Without a corpora root, sources that are public corpora are replaced by the project's
    demonstration samples (``demo`` is then true). Raises :class:`DataError` listing every
    bad row unless ``config.skip_invalid`` is set, in which case they are counted and skipped.
    """
    needs_corpora = any(s.corpus for s in config.data)
    demo = needs_corpora and corpora is None
    sources = [s for s in config.data if not (demo and s.corpus)]
    if demo:
        sources.insert(0, DataSource(name=DEMO_SOURCE, corpus=None, path=None))
    if not sources:
        raise ConfigError("the config names no data: add a [[data]] entry or pass --data")
    report = ReadReport()
    loaded: list[LoadedSource] = []
    bar = tqdm(sources, desc="reading", unit="source", disable=not progress, file=sys.stderr)
    for source in bar:
        bar.set_postfix_str(source.name)
        loaded.append(_load_source(source, corpora, report))
    bar.close()

    # Duplicates and conflicting labels are checked across every labelled training row.
    examples = [
        r for ls in loaded if ls.source.role == "train" for r in ls.rows if isinstance(r, Example)
    ]
    kept = {id(r) for r in check_duplicates(examples, report)}
    for ls in loaded:
        if ls.source.role != "train":
            continue
        pairs = [
            (r, b)
            for r, b in zip(ls.rows, ls.buckets, strict=True)
            if not isinstance(r, Example) or id(r) in kept
        ]
        ls.rows = [r for r, _ in pairs]
        ls.buckets = [b for _, b in pairs]

    if report.problems and not config.skip_invalid:
        raise DataError(
            f"{len(report.problems)} invalid row(s); fix them or pass --skip-invalid:\n"
            + format_problems(report.problems)
        )
    if report.problems:
        log.warning(
            "skipped %d invalid row(s) (--skip-invalid):\n%s",
            len(report.problems),
            format_problems(report.problems, limit=20),
        )
    for reason, n in sorted(report.excluded.items()):
        log.info("left out %d row(s): %s", n, reason)
    if report.duplicates_merged:
        log.info("merged %d duplicate row(s) with the same label", report.duplicates_merged)
    return Dataset(loaded, report, demo)


def _load_source(source: DataSource, corpora: Path | None, report: ReadReport) -> LoadedSource:
    local = ReadReport()
    rows: list[Example | SpanDoc]
    if source.name == DEMO_SOURCE and source.corpus is None and source.path is None:
        rows = list(read_demo())
        buckets = [holdout_bucket(r.headline) for r in rows if isinstance(r, Example)]
        files = file_checksums(_origin_file(r.origin) for r in rows)
        return LoadedSource(source, "examples", rows, buckets, files, "project samples")
    if source.corpus:
        assert corpora is not None
        adapter = get_adapter(source.corpus)
        folder = corpora / adapter.name
        if not folder.is_dir():
            raise DataError(
                f"{folder}: corpus {adapter.name!r} not found under the corpora root;"
                f" fetch it with `python -m datasets.fetch {adapter.name}`"
            )
        try:
            rows = list(adapter.read(corpora, local))
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{adapter.name}: {exc}") from exc
        keys = [adapter.split_key(r) for r in rows]
        kind = "span_docs" if adapter.kind == "span_docs" else "examples"
        licence = adapter.licence
        files, verified = corpus_checksums(folder)
    else:
        assert source.path is not None
        rows = list(
            read_table(
                source.path,
                source.columns,
                local,
                fmt=source.fmt,
                delimiter=source.delimiter,
                encoding=source.encoding,
            )
        )
        keys = [example_key(r) for r in rows if isinstance(r, Example)]
        kind, licence = "examples", "own data"
        files, verified = [], None
    picked = [(r, k) for r, k in zip(rows, keys, strict=True) if _in_mix(k, source.fraction)]
    if source.fraction < 1.0:
        local.exclude(
            f"{source.name}: outside fraction {source.fraction:g}", len(rows) - len(picked)
        )
    rows = [r for r, _ in picked]
    buckets = [holdout_bucket(k) for _, k in picked]
    if source.path is not None:
        files = file_checksums(_origin_file(r.origin) for r in rows)
    if not rows:
        local.add(str(source.path or source.corpus), "no valid rows")
    report.extend(local)
    return LoadedSource(source, kind, rows, buckets, files, licence, local, verified)


class HeadlineModelSearch(ClassifierMixin, BaseEstimator):
    """The headline model with its main hyperparameters exposed, for ``GridSearchCV``.

    Parameters
    ----------
    base
        The other headline parameters, passed through unchanged.
    seed
        Random state of the model.
    C, word_ngram_max, char_ngram_min, char_ngram_max, min_df
        Searchable; ``None`` keeps the value of ``base``.
    """

    SEARCHABLE = ("C", "word_ngram_max", "char_ngram_min", "char_ngram_max", "min_df")

    def __init__(
        self,
        *,
        base: dict[str, Any] | None = None,
        seed: int = 0,
        C: float | None = None,
        word_ngram_max: int | None = None,
        char_ngram_min: int | None = None,
        char_ngram_max: int | None = None,
        min_df: int | None = None,
    ) -> None:
        self.base = base
        self.seed = seed
        self.C = C
        self.word_ngram_max = word_ngram_max
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.min_df = min_df

    def fit(self, X: list[str], y: Any) -> HeadlineModelSearch:
        from sensational.models import build_headline_model

        params = dict(self.base or {})
        for name in self.SEARCHABLE:
            if getattr(self, name) is not None:
                params[name] = getattr(self, name)
        self.model_ = build_headline_model(params, random_state=self.seed)
        self.model_.fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: list[str]) -> Any:
        return self.model_.predict_proba(X)

    def predict(self, X: list[str]) -> Any:
        return self.model_.predict(X)

    def decision_function(self, X: list[str]) -> Any:
        return self.model_.predict_proba(X)[:, 1]


def run_search(
    headlines: list[Example],
    params: dict[str, Any],
    search: dict[str, Any],
    *,
    seed: int,
    n_jobs: int,
) -> dict[str, Any]:
    """Cross-validated grid search over the headline model, parallel through joblib."""
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    grid = search.get("grid") or {"C": [1.0, 3.0, 10.0]}
    unknown = set(grid) - set(HeadlineModelSearch.SEARCHABLE)
    if unknown:
        raise ConfigError(
            f"search.grid: cannot search {', '.join(sorted(unknown))};"
            f" searchable: {', '.join(HeadlineModelSearch.SEARCHABLE)}"
        )
    if len(headlines) < 20:
        raise DataError(f"--search needs at least 20 headline rows, got {len(headlines)}")
    cv = int(search.get("cv", 3))
    scoring = str(search.get("scoring", "roc_auc"))
    searcher = GridSearchCV(
        HeadlineModelSearch(base=params.get("headline", {}), seed=seed),
        param_grid={k: list(v) for k, v in grid.items()},
        scoring=scoring,
        cv=StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed),
        n_jobs=n_jobs,
        refit=False,
        verbose=1,
    )
    texts = [r.headline for r in headlines]
    labels = [int(r.label >= 0.5) for r in headlines]
    searcher.fit(texts, labels)
    results = searcher.cv_results_
    candidates = [
        {
            "params": {k: _plain(v) for k, v in p.items()},
            "mean": round(float(m), 4),
            "std": round(float(s), 4),
        }
        for p, m, s in zip(
            results["params"], results["mean_test_score"], results["std_test_score"], strict=True
        )
    ]
    return {
        "grid": {k: [_plain(x) for x in v] for k, v in grid.items()},
        "cv": cv,
        "scoring": scoring,
        "best_params": {k: _plain(v) for k, v in searcher.best_params_.items()},
        "best_score": round(float(searcher.best_score_), 4),
        "candidates": candidates,
    }


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def train(
    *,
    output: Path,
    corpora: Path | None,
    config: TrainConfig | None = None,
    seed: int | None = None,
    search: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """Train a bundle as ``config`` says (the default config if ``None``) and write it.

    Parameters
    ----------
    output
        The model folder to write.
    corpora
        The corpora root; ``None`` turns public-corpus sources into the demonstration samples.
    config
        The run's configuration; ``seed`` overrides its seed when given.
    search
        Run the cross-validated grid search of ``config.search`` before the final fit.
    progress
        Show progress bars on stderr.

    Returns
    -------
    dict
        The model card as written.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    config = config or load_config(DEFAULT_CONFIG)
    if seed is not None:
        config = replace(config, seed=seed)
    stage = _Stages(_previous_timings(output))

    stage.start("read and validate data")
    dataset = load_dataset(config, corpora, progress=progress)
    if dataset.demo:
        log.warning(
            "NO CORPORA FOUND: training a DEMONSTRATION model on the project's own tiny sample;"
            " its scores mean little. Set SENSATION_CORPORA or pass --corpora."
        )
    train_data, held_out, extra = dataset.split()
    timings["read"] = stage.stop()
    log.info(
        "split (bucket 0 of 5 held out): train %d headlines, %d articles, %d span docs;"
        " held out %d, %d, %d",
        len(train_data.headlines),
        len(train_data.articles),
        len(train_data.span_docs),
        len(held_out.headlines),
        len(held_out.articles),
        len(held_out.span_docs),
    )

    params = merge_params(default_params(), config.params)
    search_card = None
    if search:
        stage.start("grid search (cross-validation on the training split)")
        search_card = run_search(
            train_data.headlines, params, config.search, seed=config.seed, n_jobs=config.n_jobs
        )
        params = merge_params(params, {"headline": search_card["best_params"]})
        log.info("search: best %s (%s)", search_card["best_params"], search_card["best_score"])
        timings["search"] = stage.stop()

    stage.start("fit the bundle")
    name = f"{config.name}-demo" if dataset.demo else config.name
    scorer = fit_bundle(
        train_data,
        params=params,
        seed=config.seed,
        name=name,
        version=__version__,
        n_jobs=config.n_jobs,
    )
    timings["fit"] = stage.stop()

    stage.start("measure on the held-out split")
    metrics: dict[str, Any] = dict(evaluate_bundle(scorer, held_out))
    sets = dataset.held_out_sets()
    labelled = [r for name_, rows in sets.items() for r in rows if name_ not in extra]
    if labelled:
        metrics["overall"] = evaluate_examples(scorer, labelled, progress=progress)
    for set_name, data in extra.items():
        metrics[set_name] = evaluate_bundle(scorer, data, describe=False)
    metrics["samples"] = sample_metrics(scorer)
    # The project's gold set always; PolNeAR too when the corpora root has it.
    metrics["sourcing"] = evaluate_sourcing(scorer.sourcing, corpora_root=corpora)
    # What a reader of the highlights sees: PTC, BASIL, GoodNewsEveryone, sober articles.
    metrics["highlights"] = all_highlight_metrics(scorer_predict(scorer), corpora)
    timings["evaluate"] = stage.stop()

    timings["total"] = round(time.perf_counter() - started, 2)
    card = {
        "demo": dataset.demo,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": [
            {
                "name": ls.source.name,
                "corpus": ls.source.corpus,
                "role": ls.source.role,
                "fraction": ls.source.fraction,
                "licence": ls.licence,
                "rows": len(ls.rows),
                "held_out": sum(1 for b in ls.buckets if b == 0)
                if ls.source.role == "train"
                else len(ls.rows),
                "files": ls.files,
                "manifest_verified": ls.manifest_verified,
            }
            for ls in dataset.sources
        ],
        "validation": {
            "skipped_invalid": len(dataset.report.problems),
            "excluded": dataset.report.excluded,
            "duplicates_merged": dataset.report.duplicates_merged,
        },
        "split": "hash of the text (Chakraborty: sha256(headline.strip()); other rows: their"
        " normalised headline and body; span docs: the doc id) mod 5; bucket 0 is held out",
        "rows": {
            "train": {
                "headlines": len(train_data.headlines),
                "articles": len(train_data.articles),
                "span_docs": len(train_data.span_docs),
            },
            "held_out": {
                "headlines": len(held_out.headlines),
                "articles": len(held_out.articles),
                "span_docs": len(held_out.span_docs),
            },
        },
        "parameters": {**params, "seed": config.seed},
        "search": search_card,
        "metrics": metrics,
        "config": config.as_dict(),
        "training_seconds": timings["total"],
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "machine": {"python": platform.python_version(), "n_jobs": config.n_jobs},
    }
    written = save_bundle(scorer, output, card)
    (output / CONFIG_COPY).write_text(json.dumps(config.as_dict(), indent=2) + "\n", "utf-8")
    if config.source is not None and config.source.is_file():
        shutil.copyfile(config.source, output / f"config{config.source.suffix}")
    (output / CARD_MARKDOWN).write_text(render_card(written), "utf-8")
    return written


def _previous_timings(output: Path) -> dict[str, float]:
    """Stage times of the model already in ``output``, if any: the ETA of this run."""
    try:
        card = json.loads((output / "model-card.json").read_text("utf-8"))
        return {k: float(v) for k, v in card.get("timings", {}).items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


class _Stages:
    """Progress lines on stderr: each stage, its time, the time so far, and an ETA taken
    from the previous run into the same folder (when there was one)."""

    KEYS = {"read and validate data": "read", "fit the bundle": "fit"}

    def __init__(self, previous: dict[str, float]) -> None:
        self.previous = previous
        self.t0 = time.perf_counter()
        self.current = ""
        self.since = self.t0
        self.n = 0

    def start(self, name: str) -> None:
        self.n += 1
        self.current, self.since = name, time.perf_counter()
        last = self.previous.get(self.KEYS.get(name, "evaluate" if "measure" in name else ""))
        eta = f" (last run: {last:.0f}s)" if last else ""
        log.info("[%d] %s ...%s", self.n, name, eta)

    def stop(self) -> float:
        took = time.perf_counter() - self.since
        log.info(
            "[%d] %s done in %.1fs (%.1fs so far)",
            self.n,
            self.current,
            took,
            time.perf_counter() - self.t0,
        )
        return took


def render_card(card: dict[str, Any]) -> str:
    """The model card as Markdown, for people; the JSON card is the machine-readable one."""
    lines = [f"# Model card: {card['name']} {card['version']}", ""]
    if card.get("demo"):
        lines += [
            "**DEMONSTRATION MODEL**: trained on the project's own tiny samples because no"
            " corpora were found. Its scores mean little.",
            "",
        ]
    lines += [
        f"- Created: {card.get('created_at')}",
        f"- Artifact: `{card['artifact']['file']}`, SHA-256 `{card['artifact']['sha256']}`",
        f"- Training time: {card.get('training_seconds')} s",
        f"- Split: {card.get('split')}",
        "",
        "## Data",
        "",
        "| source | role | licence | rows | held out | files (SHA-256) |",
        "|---|---|---|---|---|---|",
    ]
    for d in card.get("data", []):
        files = "; ".join(
            f"{f['path']} `{(f.get('sha256') or f.get('sha256_of_listing', ''))[:12]}`"
            for f in d["files"]
        )
        verified = {True: " (matches the manifest)", False: " (differs from the manifest)"}
        files += verified.get(d.get("manifest_verified"), "")
        lines.append(
            f"| {d['name']} | {d['role']} | {d['licence']} | {d['rows']} | {d['held_out']} |"
            f" {files} |"
        )
    v = card.get("validation", {})
    lines += [
        "",
        f"Invalid rows skipped: {v.get('skipped_invalid', 0)}; duplicates merged:"
        f" {v.get('duplicates_merged', 0)}; left out by design: {v.get('excluded') or 'none'}.",
        "",
        "## Rows",
        "",
        "```json",
        json.dumps(card.get("rows"), indent=2),
        "```",
        "",
        "## Metrics (held-out split unless named)",
        "",
        "```json",
        json.dumps(card.get("metrics"), indent=2),
        "```",
        "",
        "## Parameters",
        "",
        "```json",
        json.dumps(card.get("parameters"), indent=2),
        "```",
        "",
    ]
    if card.get("search"):
        s = card["search"]
        lines += [
            "## Hyperparameter search",
            "",
            f"{s['cv']}-fold cross-validation on the training split, scoring {s['scoring']}:"
            f" best {s['best_params']} ({s['best_score']}).",
            "",
        ]
    lines += ["## Libraries", ""]
    lines += [f"- {k} {v}" for k, v in card.get("libraries", {}).items()]
    return "\n".join(lines) + "\n"


def main(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="Training config (.toml/.yaml). Default: default.toml."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Model folder (default: the config's, else models/default)."
        ),
    ] = None,
    versioned: Annotated[
        bool,
        typer.Option("--versioned", help="Write into OUTPUT/<name>-<version>-<UTC time> instead."),
    ] = False,
    corpora: Annotated[
        Path | None,
        typer.Option(help="Corpora root (default: $SENSATION_CORPORA, else ../shared/corpora)."),
    ] = None,
    corpus: Annotated[
        list[str] | None,
        typer.Option(
            help="Public corpus NAME[:FRACTION] to train on (repeatable; replaces"
            " the config's data)."
        ),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            help="Own CSV/TSV/JSONL file PATH[:FRACTION] (repeatable; replaces the config's data)."
        ),
    ] = None,
    headline_col: Annotated[
        str, typer.Option(help="Headline column of --data files.")
    ] = "headline",
    body_col: Annotated[str, typer.Option(help="Body column of --data ('' for none).")] = "body",
    label_col: Annotated[str, typer.Option(help="Label column of --data files.")] = "label",
    label_kind: Annotated[
        str, typer.Option(help="Label of --data: auto, binary, classes or score.")
    ] = "auto",
    positive: Annotated[
        list[str] | None, typer.Option(help="Class name meaning 1 (repeatable).")
    ] = None,
    negative: Annotated[
        list[str] | None, typer.Option(help="Class name meaning 0 (repeatable).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (overrides the config).")] = None,
    n_jobs: Annotated[
        int | None, typer.Option(help="Parallel jobs (overrides the config).")
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Skip and count invalid rows instead of stopping."),
    ] = False,
    search: Annotated[
        bool, typer.Option("--search", help="Cross-validated grid search before the final fit.")
    ] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a config key: params.headline.C=4 (repeatable)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Train the scorer bundle and write it with its model card.

    Reads the config's corpora and files, validates every row (a bad row stops the run and is
    listed with its file and line, unless --skip-invalid), holds out bucket 0 of a hash split,
    fits, measures on the held-out rows and writes the model folder.

    Config format: training/configs/example-own-data.toml. Flags override it; --corpus and
    --data replace its data list.

    Example: `python -m training.train -c training/configs/default.toml -o models/default`

    Exit codes: 0 trained, 2 bad input.
    """
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        cfg = load_config(config or DEFAULT_CONFIG)
        overrides = list(set_ or [])
        if seed is not None:
            overrides.append(f"seed={seed}")
        if n_jobs is not None:
            overrides.append(f"n_jobs={n_jobs}")
        if skip_invalid:
            overrides.append("skip_invalid=true")
        if overrides:
            cfg = apply_overrides(cfg, overrides)
        if corpus or data:
            columns = Columns.from_flags(
                headline=headline_col,
                body=body_col,
                label=label_col,
                label_kind=label_kind,
                positive=positive,
                negative=negative,
            )
            cfg = replace(cfg, data=_flag_sources(corpus or [], data or [], columns))
        folder = output or cfg.output or Path("models/default")
        if versioned:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            folder = folder / f"{cfg.name}-{__version__}-{stamp}"
        card = train(
            output=folder,
            corpora=corpora_root(corpora),
            config=cfg,
            search=search,
            progress=not quiet,
        )
    except (ConfigError, DataError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    summary = card["metrics"].get("overall") or card["metrics"]
    typer.echo(
        f"wrote {folder} ({card['name']} {card['version']}, {card['training_seconds']} s):"
        f" {json.dumps(summary)}"
    )


def _flag_sources(corpora: list[str], files: list[str], columns: Columns) -> list[DataSource]:
    from training.config import config_from_dict

    entries: list[dict[str, Any]] = []
    for item in corpora:
        name, _, frac = item.partition(":")
        entries.append({"corpus": name, **({"fraction": float(frac)} if frac else {})})
    for item in files:
        path, frac = item, ""
        head, sep, tail = item.rpartition(":")
        if sep and _is_number(tail):
            path, frac = head, tail
        entries.append(
            {
                "path": str(Path(path).resolve()),
                "headline": columns.headline or "",
                "body": columns.body or "",
                "label": columns.label,
                "label_kind": columns.label_kind,
                "positive": list(columns.positive),
                "negative": list(columns.negative),
                **({"fraction": float(frac)} if frac else {}),
            }
        )
    try:
        return config_from_dict({"data": entries}).data
    except ValueError as exc:
        raise ConfigError(f"flags: {exc}") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def cli() -> None:
    run_command(main)


if __name__ == "__main__":
    cli()
