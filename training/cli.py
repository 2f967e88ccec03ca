"""``python -m training <command>``: the data team's command line.

Each command is a thin wrapper: it turns options into arguments of a plain function
(:func:`training.trainer.train`, :func:`training.evaluation.evaluate`,
:func:`datasets.fetch.fetch_corpora`, ...), prints a summary and sets the exit code. The
options several commands share are defined once below. A new command (batch scoring, the
feedback export) is one more ``@app.command()`` or ``app.add_typer(...)`` here.

Exit codes of every command: 0 done (evaluate: every gate holds), 1 a gate, the comparison or
a download failed, 2 unusable input, with a one-line message naming the problem and the fix.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datasets.corpora import corpora_root
from datasets.readers import Columns, DataError
from sensational.errors import ModelLoadError
from training.batch import score_cli

if TYPE_CHECKING:
    from feedback.store import FeedbackStore

app = typer.Typer(
    name="python -m training",
    help="Train, evaluate and gate scorer models; fetch the public corpora.",
    rich_markup_mode="markdown",
    add_completion=False,
    no_args_is_help=True,
)

# ---------------------------------------------------------------------------------------------
# Options shared by several commands

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Training config (.toml/.yaml). Default: default.toml."),
]
CorporaOption = Annotated[
    Path | None,
    typer.Option(help="Corpora root (default: $SENSATION_CORPORA, else ../shared/corpora)."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
SkipInvalidOption = Annotated[
    bool, typer.Option("--skip-invalid", help="Skip and count invalid rows instead of stopping.")
]
HeadlineCol = Annotated[str, typer.Option(help="Headline column of --data ('' for none).")]
BodyCol = Annotated[str, typer.Option(help="Body column of --data ('' for none).")]
LabelCol = Annotated[str, typer.Option(help="Label column of --data.")]
LabelKind = Annotated[str, typer.Option(help="Label of --data: auto, binary, classes or score.")]
Positive = Annotated[list[str] | None, typer.Option(help="Class name meaning 1 (repeatable).")]
Negative = Annotated[list[str] | None, typer.Option(help="Class name meaning 0 (repeatable).")]


def columns_from_flags(
    headline: str,
    body: str,
    label: str,
    label_kind: str,
    positive: list[str] | None,
    negative: list[str] | None,
) -> Columns:
    """The column mapping of ``--data`` files from the shared column options."""
    return Columns.from_flags(
        headline=headline,
        body=body,
        label=label,
        label_kind=label_kind,
        positive=positive,
        negative=negative,
    )


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (a test runner swaps it)."""

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def setup_logging(quiet: bool) -> None:
    handler = _Stderr()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO, handlers=[handler], force=True
    )


@contextmanager
def usable_input() -> Iterator[None]:
    """Unusable input becomes ``error: <message>`` on stderr and exit code 2, no traceback."""
    from datasets.fetch import FetchError
    from training.config import ConfigError

    try:
        yield
    except (ConfigError, DataError, ModelLoadError, FetchError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


# ---------------------------------------------------------------------------------------------
# train


@app.command("train")
def train_command(
    config: ConfigOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Model folder (default: the config's, else models/default)."
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="Model name (default: the config's; with --data/--corpus, the"
            " output folder's name)."
        ),  # fmt: skip
    ] = None,
    versioned: Annotated[
        bool,
        typer.Option("--versioned", help="Write into OUTPUT/<name>-<UTC time> instead."),
    ] = False,
    corpora: CorporaOption = None,
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
    feedback: Annotated[
        list[Path] | None,
        typer.Option(
            help="An export of readers' reports (feedback export); its accepted reports train"
            " (repeatable; added to the data)."
        ),
    ] = None,
    headline_col: HeadlineCol = "headline",
    body_col: BodyCol = "body",
    label_col: LabelCol = "label",
    label_kind: LabelKind = "auto",
    positive: Positive = None,
    negative: Negative = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (overrides the config).")] = None,
    n_jobs: Annotated[
        int | None, typer.Option(help="Parallel jobs (overrides the config).")
    ] = None,
    skip_invalid: SkipInvalidOption = False,
    search: Annotated[
        bool, typer.Option("--search", help="Cross-validated grid search before the final fit.")
    ] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a config key: params.headline.C=4 (repeatable)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Train the scorer bundle and write it with its model card.

    Reads the config's corpora and files, validates every row (a bad row stops the run and is
    listed with its file and line, unless --skip-invalid: then the skipped rows are listed in
    skipped-rows.tsv beside the model), holds out bucket 0 of a hash split, fits, measures on
    the held-out rows and writes the model folder.

    Config format: training/configs/example-own-data.toml. Flags override it; --corpus and
    --data replace its data list.

    Example: `python -m training train -c training/configs/default.toml -o models/default`

    Exit codes: 0 trained, 2 bad input.
    """
    from training.config import DEFAULT_CONFIG, apply_overrides, load_config
    from training.data import flag_sources
    from training.trainer import train

    setup_logging(quiet)
    with usable_input():
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
        folder = output or cfg.output or Path("models/default")
        if corpus or data:
            columns = columns_from_flags(
                headline_col, body_col, label_col, label_kind, positive, negative
            )
            cfg = replace(cfg, data=flag_sources(corpus or [], data or [], columns))
            if name is None and config is None:
                name = folder.name
        if feedback:
            from training.config import config_from_dict

            extra = config_from_dict({"data": [{"feedback": str(f)} for f in feedback]}).data
            cfg = replace(cfg, data=[*cfg.data, *extra])
        if name is not None:
            cfg = replace(cfg, name=name)
        if versioned:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            folder = folder / f"{cfg.name}-{stamp}"
        card = train(
            output=folder,
            corpora=corpora_root(corpora),
            config=cfg,
            search=search,
            progress=not quiet,
        )
    metrics = card["metrics"]
    # The reference set's held-out articles when the config has them, else every held-out row.
    summary = (metrics.get("reference") or {}).get("article") or metrics.get("overall") or {}
    typer.echo(
        f"wrote {folder} ({card['name']} {card['version']}, {card['training_seconds']} s):"
        f" {json.dumps(summary)}"
    )


# ---------------------------------------------------------------------------------------------
# evaluate


@app.command("evaluate")
def evaluate_command(
    model: Annotated[Path, typer.Option("--model", "-m", help="Model folder to evaluate.")] = Path(
        "models/default"
    ),
    champion: Annotated[
        Path | None,
        typer.Option(help="Current model folder: fail if the candidate is worse beyond noise."),
    ] = None,
    champion_report: Annotated[
        Path | None,
        typer.Option(help="A champion's report.json (with its frozen set) instead of its folder."),
    ] = None,
    thresholds: Annotated[
        Path | None, typer.Option("--thresholds", "-t", help="Gates (TOML).")
    ] = Path("training/thresholds.toml"),
    report_dir: Annotated[
        Path,
        typer.Option("--report-dir", "-r", help="Folder for report.json/.md, plots, frozen set."),
    ] = Path("reports/eval"),
    config: ConfigOption = None,
    data: Annotated[
        Path | None, typer.Option(help="CSV/TSV/JSONL file to score instead of a held-out split.")
    ] = None,
    headline_col: HeadlineCol = "headline",
    body_col: BodyCol = "body",
    label_col: LabelCol = "label",
    label_kind: LabelKind = "auto",
    positive: Positive = None,
    negative: Negative = None,
    corpora: CorporaOption = None,
    standard_sets: Annotated[
        bool,
        typer.Option(
            "--standard-sets/--no-standard-sets",
            help="Also the standard sets (PolNeAR dev, the reference set) when present.",
        ),
    ] = True,
    skip_invalid: SkipInvalidOption = False,
    quiet: QuietOption = False,
) -> None:
    """Score a model on held-out data, write the reports and check the gates.

    The data is --data (a CSV/TSV/JSONL file, all of it), else the held-out fifth and the
    evaluation-only sources of the --config, plus the standard sets (PolNeAR dev for sourcing,
    the sensationalism reference set) when the corpora have them. Gates of sets that were not
    evaluated are skipped with a note. Rows the model was trained on are refused (exit 2).

    With --champion (a model folder) or --champion-report (its report.json and frozen set),
    the candidate also fails a gated metric when it is worse than the current model beyond
    the noise of the set: the whole 95% paired-bootstrap interval of the difference is below
    zero. Reports: report.json, report.md, roc.png, calibration.png, frozen.jsonl.gz.

    Example: `python -m training evaluate -m models/new --champion models/default`

    Exit codes: 0 every gate holds, 1 a gate or the champion comparison failed, 2 unusable
    input (missing or corrupt model, bad data or thresholds file, rows the model was
    trained on).
    """
    from training.evaluation import evaluate, evaluation_sets

    setup_logging(quiet)
    with usable_input():
        columns = columns_from_flags(
            headline_col, body_col, label_col, label_kind, positive, negative
        )
        sets, notes, what = evaluation_sets(
            data=data,
            columns=columns,
            config=config,
            corpora=corpora_root(corpora),
            skip_invalid=skip_invalid,
            standard=standard_sets,
        )
        report = evaluate(
            model=model,
            sets=sets,
            notes=notes,
            data_description=what,
            thresholds=thresholds,
            report_dir=report_dir,
            champion=champion,
            champion_report=champion_report,
            progress=not quiet,
        )
    typer.echo(f"{'PASSED' if report['passed'] else 'FAILED'}: {report['model']['name']}"
               f" {report['model']['version']}")  # fmt: skip
    for g in report["gates"]:
        if g["status"] == "skipped":
            typer.echo(f"  skipped {g['gate']}: {g['note']}")
    for failure in report["failures"]:
        typer.echo(f"  {failure}")
    comparison = report.get("comparison") or {}
    if comparison.get("note"):
        typer.echo(f"  note: {comparison['note']}")
    typer.echo(f"reports in {report_dir}/report.md and report.json")
    raise typer.Exit(0 if report["passed"] else 1)


# ---------------------------------------------------------------------------------------------
# fetch


@app.command("fetch")
def fetch_command(
    names: Annotated[list[str] | None, typer.Argument(help="Corpus names (see --list).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every corpus of the manifest.")] = False,
    dest: Annotated[
        Path | None,
        typer.Option(help="Corpora root to fill (default: $SENSATION_CORPORA or data/corpora)."),
    ] = None,
    mirror: Annotated[
        Path | None,
        typer.Option(
            help="Copy from this folder (laid out like the corpora root) instead of downloading"
            " (default: $SENSATION_CORPORA_MIRROR)."
        ),
    ] = None,
    jobs: Annotated[int, typer.Option(help="Parallel downloads.")] = 8,
    list_: Annotated[bool, typer.Option("--list", help="List the corpora and exit.")] = False,
    write_manifest: Annotated[
        Path | None,
        typer.Option(help="Maintainers: recompute the manifest checksums from this root."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Fetch public corpora from their pinned commits (or a mirror) and verify every file.

    Each file of datasets/manifest.toml is downloaded from its repository at a pinned commit,
    or derived by code from upstream files, and kept only when its SHA-256 matches; each
    corpus's SOURCE.md is written from the manifest.

    Exit codes: 0 all verified, 1 a file failed, 2 bad input.
    """
    from datasets import fetch

    setup_logging(quiet)
    with usable_input():
        if write_manifest is not None:
            n = fetch.write_manifest_checksums(write_manifest)
            typer.echo(f"wrote the checksums of {n} files to {fetch.MANIFEST}")
            return
        corpora = fetch.load_manifest()
        if list_:
            for c in corpora.values():
                typer.echo(f"{c.name}: {len(c.files)} files, {c.licence}; {c.source}")
            return
        target = dest or fetch.default_dest()
        results = fetch.fetch_corpora(
            list(corpora) if all_ else list(names or []),
            target,
            mirror=mirror or fetch.default_mirror(),
            jobs=jobs,
            log=None if quiet else lambda line: logging.getLogger("fetch").info(line),
        )
    failed = False
    for name, outcome in results.items():
        if isinstance(outcome, str):
            typer.echo(f"FAILED {outcome}", err=True)
            failed = True
            continue
        done = ", ".join(f"{n} {how}" for how, n in outcome.items() if n)
        typer.echo(f"ok {name} in {target / name}: {done}; SHA-256 verified")
    raise typer.Exit(1 if failed else 0)


# ---------------------------------------------------------------------------------------------
# sourcing


@app.command("sourcing")
def sourcing_command(
    model: Annotated[
        Path | None,
        typer.Option("--model", "-m", help="Measure this model's analyser (default: a fresh one)."),
    ] = None,
    corpora: CorporaOption = None,
    tune: Annotated[
        bool, typer.Option("--tune", help="Also measure the tuning part of PolNeAR train.")
    ] = False,
) -> None:
    """Print attribution-extraction figures as JSON: the project's gold set and PolNeAR.

    Exit codes: 0 printed, 2 an unusable model folder.
    """
    from training.sourcing_eval import evaluate_sourcing

    with usable_input():
        analyzer = None
        if model is not None:
            from sensational.artifact import load_bundle

            analyzer = load_bundle(model)[0].sourcing
        figures = evaluate_sourcing(analyzer, corpora_root=corpora_root(corpora), tune=tune)
    typer.echo(json.dumps(figures, indent=2))


# ---------------------------------------------------------------------------------------------
# feedback

feedback_app = typer.Typer(
    help="Readers' reports: export them for training, review them (only accepted ones train).",
    no_args_is_help=True,
)
app.add_typer(feedback_app, name="feedback")

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Report store address (default: $SENSATION_FEEDBACK_URL, else"
        " sqlite:///data/feedback.sqlite3).",
    ),
]
VerdictOption = Annotated[
    list[str] | None, typer.Option("--verdict", help="Only this verdict (repeatable).")
]


@contextmanager
def feedback_store(url: str | None) -> Iterator[FeedbackStore]:
    """The report store; an unknown verdict or status exits 2, a store that is down 1."""
    from feedback.store import DEFAULT_URL, URL_ENV, FeedbackStore, StoreUnavailable

    store = FeedbackStore(url or os.environ.get(URL_ENV) or DEFAULT_URL)
    try:
        yield store
    except StoreUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        store.dispose()


def _check_choices(values: list[str] | None, known: tuple[str, ...], what: str) -> list[str]:
    for v in values or []:
        if v not in known:
            raise ValueError(f"unknown {what} {v!r}; one of {', '.join(known)}")
    return list(values or [])


@feedback_app.command("export")
def feedback_export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON-lines file to write.")],
    since: Annotated[
        datetime | None,
        typer.Option(help="Only reports from this date or time on (UTC), e.g. 2026-01-31."),
    ] = None,
    verdict: VerdictOption = None,
    status: Annotated[
        list[str] | None,
        typer.Option(help="Only this review status: pending, accepted, rejected (repeatable)."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write reports as JSON lines: id, time, verdict, status, span with its text and
    sentence, article hash, model version, comment (the README has the format).

    Every status is written unless --status narrows it; training uses accepted reports only.

    Example: `python -m training feedback export -o feedback.jsonl --since 2026-01-01`

    Exit codes: 0 written, 1 the store cannot be reached, 2 bad input.
    """
    from feedback.export import export_reports
    from feedback.records import STATUSES, VERDICTS

    with feedback_store(store) as opened:
        n = export_reports(
            opened,
            output,
            since=since.replace(tzinfo=UTC) if since and since.tzinfo is None else since,
            verdicts=_check_choices(verdict, VERDICTS, "verdict"),
            statuses=_check_choices(status, STATUSES, "status"),
        )
    typer.echo(f"wrote {n} report(s) to {output}")


@feedback_app.command("review")
def feedback_review_command(
    accept: Annotated[
        list[int] | None, typer.Option("--accept", "-a", help="Accept this report (repeatable).")
    ] = None,
    reject: Annotated[
        list[int] | None, typer.Option("--reject", "-r", help="Reject this report (repeatable).")
    ] = None,
    status: Annotated[str, typer.Option(help="List reports with this status.")] = "pending",
    verdict: VerdictOption = None,
    limit: Annotated[int, typer.Option(help="List at most this many.")] = 50,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Ask about each listed report: accept, reject, skip, quit."
        ),
    ] = False,
    store: StoreOption = None,
) -> None:
    """List reports for review (pending ones by default), and accept or reject them.

    Only accepted reports go into training. With --accept/--reject the listed ids are
    marked and nothing is listed; with --interactive each listed report is asked about.

    Example: `python -m training feedback review` then
    `python -m training feedback review --accept 12 --reject 13`

    Exit codes: 0 done, 1 the store cannot be reached, 2 bad input (an unknown id).
    """
    from feedback.export import describe, review
    from feedback.records import STATUSES, VERDICTS

    with feedback_store(store) as opened:
        if accept or reject:
            done = review(opened, accept=accept or [], reject=reject or [])
            typer.echo(f"accepted {len(done['accepted'])}, rejected {len(done['rejected'])}")
            if done["unknown"]:
                raise ValueError(f"no report with id {', '.join(map(str, done['unknown']))}")
            return
        _check_choices([status], STATUSES, "status")
        records = list(
            opened.reports(
                statuses=[status],
                verdicts=_check_choices(verdict, VERDICTS, "verdict"),
                limit=limit,
            )  # fmt: skip
        )
        if not records:
            typer.echo(f"no {status} reports")
            return
        decided: dict[str, list[int]] = {"accepted": [], "rejected": []}
        for rec in records:
            typer.echo(describe(rec))
            if not interactive:
                continue
            answer = typer.prompt("[a]ccept, [r]eject, [s]kip, [q]uit", default="s").lower()
            if answer.startswith("q"):
                break
            if answer.startswith("a"):
                decided["accepted"].append(rec["id"])
            elif answer.startswith("r"):
                decided["rejected"].append(rec["id"])
        if interactive:
            review(opened, accept=decided["accepted"], reject=decided["rejected"])
            typer.echo(f"accepted {len(decided['accepted'])}, rejected {len(decided['rejected'])}")


# ---------------------------------------------------------------------------------------------
# score: batch scoring on Dask (training.batch)

app.command("score")(score_cli)


HASH_SEED = "0"


def fix_hash_seed() -> None:
    """Run this process again under ``PYTHONHASHSEED=0`` when it was started without it.

    Some feature code sums floats in the iteration order of sets of strings, and that order
    follows the per-process string hash seed: two trainings on the same config and data would
    differ in the last bits of a few coefficients, and never write the same bytes. Called by
    the entry points only (``python -m training``, the aliases), never on import.
    """
    if os.environ.get("PYTHONHASHSEED") == HASH_SEED:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**os.environ, "PYTHONHASHSEED": HASH_SEED}
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)


def main(argv: list[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    app(args=argv, prog_name="python -m training")


def alias(command: str) -> Callable[[], None]:
    """The old one-command entry points (``python -m training.train``) run ``command``."""

    def run() -> None:
        fix_hash_seed()
        main([command, *sys.argv[1:]])

    return run
