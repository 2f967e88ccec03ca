"""Train a scorer bundle from a config: read, validate, split, fit, measure, write.

The rows of the config's sources are validated and split by a hash of their text (bucket 0 of
5 is held out and never trained on); the bundle is fitted on the rest, measured on the
held-out rows and written with its model card, the config it was trained from, the keys of
its training rows and (with ``--skip-invalid``) the rows it skipped.

XX
version is a hash of the fitted model.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datasets.corpora import Example
from datasets.registry import get_adapter
from sensational import __version__
from sensational.artifact import save_bundle
from training.bundle import default_params, evaluate_bundle, fit_bundle, sample_metrics
from training.card import (
    CARD_MARKDOWN,
    CONFIG_COPY,
    git_commit,
    machine,
    model_version,
    peak_memory_mb,
    render_card,
)
from training.config import DEFAULT_CONFIG, TrainConfig, check_params, load_config, merge_params
from training.data import (
    TRAINING_KEYS,
    check_trainable,
    load_dataset,
    training_keys,
    write_skipped_rows,
    write_training_keys,
)
from training.evalsets import score_rows
from training.feedback_source import feedback_card
from training.highlights import all_highlight_metrics, scorer_predict
from training.metrics import binary_metrics
from training.search import run_search
from training.sensationalism import external_metrics
from training.sourcing_eval import evaluate_sourcing

log = logging.getLogger("training")

SPLIT_RULE = (
    "hash of the text (Chakraborty: sha256(headline.strip()); other rows: their normalised"
    " headline and body; span docs: the doc id) mod 5; bucket 0 is held out"
)


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
        The corpora root; ``None`` turns public-corpus sources into the project's samples
        (a demonstration model, said so in the card).
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

    Raises
    ------
    ConfigError, DataError
        Unusable input: the message names the file, row or key and how to fix it.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    config = config or load_config(DEFAULT_CONFIG)
    if seed is not None:
        config = replace(config, seed=seed)
    params = merge_params(default_params(), config.params)
    check_params(config.params, default_params())
    stage = _Stages(_previous_timings(output))

    stage.start("read and validate data")
    dataset = load_dataset(config, corpora, progress=progress)
    if dataset.demo:
        log.warning(
            "NO CORPORA FOUND: training a DEMONSTRATION model on the project's own tiny samples;"
            " its scores mean little. Set SENSATION_CORPORA or pass --corpora."
        )
    train_data, held_out, extra = dataset.split()
    check_trainable(train_data)
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
    fit_report: dict[str, Any] = {}
    scorer = fit_bundle(
        train_data,
        params=params,
        seed=config.seed,
        name=f"{config.name}-demo" if dataset.demo else config.name,
        version=__version__,
        n_jobs=config.n_jobs,
        report=fit_report,
    )
    scorer.version = model_version(scorer)
    timings["fit"] = stage.stop()

    stage.start("measure on the held-out split")
    metrics: dict[str, Any] = dict(evaluate_bundle(scorer, held_out))
    # Cross-fitted on the graded training rows: where the label thresholds were chosen.
    metrics["graded_training_rows_cross_fitted"] = fit_report
    sets = dataset.held_out_sets()
    # The overall score against every held-out labelled row, but for the headline-style
    # corpus's rows: their labels say clickbait, which the style model is measured against.
    style = {ls.source.name for ls in dataset.sources if ls.kind == "examples" and ls.source.corpus
             and get_adapter(ls.source.corpus).kind == "headlines"}  # fmt: skip
    labelled = [
        r for name, rows in sets.items() for r in rows if name not in extra and name not in style
    ]
    if labelled:
        metrics["overall"] = _overall(scorer, labelled, progress)
    for set_name, data in extra.items():
        metrics[set_name] = evaluate_bundle(scorer, data, describe=False)
    samples_used = _samples_used(dataset.samples)
    metrics["samples"] = sample_metrics(scorer)
    for name, note in samples_used.items():
        key = name.replace("-", "_")
        if isinstance(metrics["samples"].get(key), dict):
            metrics["samples"][key]["trained_on"] = note
    if corpora is not None and train_data.graded:
        trained = frozenset(g.ref_id for g in train_data.graded)
        metrics["sensationalism"] = external_metrics(scorer, corpora, trained)
    # The project's gold set always; PolNeAR too when the corpora root has it.
    metrics["sourcing"] = evaluate_sourcing(scorer.sourcing, corpora_root=corpora)
    # What a reader of the highlights sees: PTC, BASIL, GoodNewsEveryone, sober articles.
    metrics["highlights"] = all_highlight_metrics(scorer_predict(scorer), corpora)
    timings["evaluate"] = stage.stop()

    output.mkdir(parents=True, exist_ok=True)
    keys = training_keys(train_data)
    write_training_keys(output, keys)
    skipped = write_skipped_rows(output, dataset.report)
    timings["total"] = round(time.perf_counter() - started, 2)
    card = {
        "demo": dataset.demo,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": [
            {
                "name": ls.source.name,
                "corpus": ls.source.corpus,
                "sample": ls.source.sample,
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
        "samples_used": samples_used,
        # Readers' accepted reports this model learned from (None: no feedback export).
        "feedback": feedback_card(
            [
                (ls.source.name, ls.rows, ls.report)
                for ls in dataset.sources
                if ls.kind == "feedback"
            ]
        ),
        "validation": {
            "skipped_invalid": len(dataset.report.problems),
            "skipped_file": skipped.name if skipped else None,
            "excluded": dataset.report.excluded,
            "duplicates_merged": dataset.report.duplicates_merged,
        },
        "split": SPLIT_RULE,
        "rows": {
            "train": {
                "headlines": len(train_data.headlines),
                "articles": len(train_data.articles),
                "span_docs": len(train_data.span_docs),
                "feedback_spans": len(train_data.feedback_spans),
            },
            "held_out": {
                "headlines": len(held_out.headlines),
                "articles": len(held_out.articles),
                "span_docs": len(held_out.span_docs),
            },
        },
        "training_keys": {"file": TRAINING_KEYS, "rows": len(keys)},
        "parameters": {**params, "seed": config.seed},
        "search": search_card,
        "metrics": metrics,
        "config": config.as_dict(),
        "training_seconds": timings["total"],
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "build": {
            "code_version": __version__,
            "git": git_commit(),
            "peak_memory_mb": peak_memory_mb(),
            "n_jobs": config.n_jobs,
            **machine(),
        },
    }
    written = save_bundle(scorer, output, card)
    (output / CONFIG_COPY).write_text(json.dumps(config.as_dict(), indent=2) + "\n", "utf-8")
    if config.source is not None and config.source.is_file():
        shutil.copyfile(config.source, output / f"config{config.source.suffix}")
    (output / CARD_MARKDOWN).write_text(render_card(written), "utf-8")
    return written


def _overall(scorer: Any, rows: list[Example], progress: bool) -> dict[str, Any]:
    labels = [r.label for r in rows]
    return binary_metrics(labels, score_rows(scorer, rows, progress=progress))


def _samples_used(samples: list[str]) -> dict[str, str]:
    """What each project sample the run read was used for, for the card."""
    notes = {
        "headline-twins": "headline rows of the training split (their ranking below is not"
        " a held-out figure)",
        "story-pairs": "article rows: fit the body model and the stacker (their ranking below"
        " is not a held-out figure)",
    }
    return {name: notes[name] for name in samples}


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
