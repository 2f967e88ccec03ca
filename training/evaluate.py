"""Evaluate a model folder on held-out data, check the gates, compare with the current model.

Scores every row with ``scorer.score(headline, body).score`` (the overall score the service
returns), writes report.json, report.md, roc.png and calibration.png to the report folder,
and checks the gates of a thresholds file. With --champion, the current model is scored on
the same rows and the candidate fails when it is worse by more than a gate's tolerance.

Data: a file (--data, with column flags), else the held-out fifth (bucket 0) of a training
config's sources (--config, default training/configs/default.toml) plus its evaluation-only
sets.

Exit codes: 0 every gate holds, 1 a gate or the comparison failed, 2 unusable input.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from tqdm import tqdm

from datasets.corpora import Example, corpora_root
from datasets.readers import (
    Columns,
    DataError,
    ReadReport,
    example_key,
    format_problems,
    read_table,
)
from sensational.artifact import load_bundle
from sensational.errors import ModelLoadError
from sensational.scorer import Scorer
from training.cli import run_command
from training.config import DEFAULT_CONFIG, ConfigError, load_config
from training.gates import (
    ComparisonResult,
    GateResult,
    check_gates,
    compare_models,
    load_thresholds,
)

log = logging.getLogger("training.evaluate")

ECE_BINS = 10
OVERALL = "overall"


def expected_calibration_error(y: np.ndarray, proba: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE over equal-width probability bins: the count-weighted mean of |accuracy - confidence|
    of the positive class. ``y`` may be graded (then it is the mean label per bin)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(proba, edges[1:-1], right=False), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.sum() * abs(float(y[mask].mean()) - float(proba[mask].mean()))
    return total / len(y)


def compute_metrics(labels: np.ndarray, proba: np.ndarray) -> dict[str, Any]:
    """Every reported metric of one set of scores against labels in [0, 1].

    Binary metrics use ``label >= 0.5`` as the class and 0.5 as the decision threshold; MSE
    is reported when any label is graded (neither 0 nor 1).
    """
    from sklearn.metrics import (
        accuracy_score,
        average_precision_score,
        brier_score_loss,
        f1_score,
        roc_auc_score,
    )

    labels = np.asarray(labels, dtype=float)
    proba = np.asarray(proba, dtype=float)
    y = (labels >= 0.5).astype(int)
    both = len(np.unique(y)) == 2
    graded = bool(np.any((labels > 0.0) & (labels < 1.0)))
    out: dict[str, Any] = {
        "n": int(len(y)),
        "positives": int(y.sum()),
        "roc_auc": float(roc_auc_score(y, proba)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, proba)) if both else float("nan"),
        "accuracy": float(accuracy_score(y, proba >= 0.5)),
        "f1": float(f1_score(y, proba >= 0.5, zero_division=0)),
        "brier": float(brier_score_loss(y, proba)),
        "ece": float(expected_calibration_error(labels if graded else y, proba)),
    }
    if graded:
        out["mse"] = float(np.mean((labels - proba) ** 2))
    return {
        k: round(v, 4) if isinstance(v, float) and not math.isnan(v) else v for k, v in out.items()
    }


def score_examples(scorer: Scorer, rows: list[Example], *, progress: bool = False) -> np.ndarray:
    """The overall score of each row, as the service would return it."""
    scores = np.empty(len(rows))
    bar = tqdm(
        rows, desc="scoring", unit="row", disable=not progress, file=sys.stderr, mininterval=1.0
    )
    for i, row in enumerate(bar):
        try:
            scores[i] = scorer.score(row.headline or None, row.body or None).score
        except Exception as exc:  # a model that cannot score is unusable input, not a crash
            raise ModelLoadError(
                f"{row.origin}: the model failed to score this row: {exc!r}"
                " (was it built by an older version of the code? retrain it)"
            ) from exc
    return scores


def evaluate_examples(
    scorer: Scorer, rows: list[Example], *, progress: bool = False
) -> dict[str, Any]:
    """Metrics of the overall score on ``rows``."""
    labels = np.array([r.label for r in rows])
    return compute_metrics(labels, score_examples(scorer, rows, progress=progress))


@dataclass
class Scored:
    """One model's scores on every evaluation set."""

    name: str
    labels: dict[str, np.ndarray]
    scores: dict[str, np.ndarray]

    def metrics(self) -> dict[str, dict[str, Any]]:
        return {s: compute_metrics(self.labels[s], self.scores[s]) for s in self.scores}


def score_sets(
    scorer: Scorer, name: str, sets: dict[str, list[Example]], *, progress: bool = False
) -> Scored:
    """Score each set once (``with_overall`` then joins them, so no row is scored twice)."""
    labels = {s: np.array([r.label for r in rows]) for s, rows in sets.items()}
    scores = {s: score_examples(scorer, rows, progress=progress) for s, rows in sets.items()}
    return Scored(name, labels, scores)


def with_overall(scored: Scored, union: list[str]) -> Scored:
    """Add the ``overall`` set as the concatenation of ``union`` (when it is not there yet)."""
    if OVERALL in scored.scores or not union:
        return scored
    scored.labels = {OVERALL: np.concatenate([scored.labels[s] for s in union]), **scored.labels}
    scored.scores = {OVERALL: np.concatenate([scored.scores[s] for s in union]), **scored.scores}
    return scored


def evaluation_sets(
    *,
    data: Path | None,
    columns: Columns,
    config: Path | None,
    corpora: Path | None,
    skip_invalid: bool,
    fmt: str | None = None,
    delimiter: str | None = None,
) -> tuple[dict[str, list[Example]], list[str], str]:
    """The labelled evaluation rows by set name, the sets that make up ``overall`` (empty when
    ``overall`` is a set of its own), and a sentence saying what they are."""
    if data is not None:
        report = ReadReport()
        rows = list(read_table(data, columns, report, fmt=fmt, delimiter=delimiter))
        if report.problems and not skip_invalid:
            raise DataError(
                f"{len(report.problems)} invalid row(s); fix them or pass --skip-invalid:\n"
                + format_problems(report.problems)
            )
        if not rows:
            raise DataError(f"{data}: no valid rows to evaluate")
        skipped = f" ({len(report.problems)} invalid rows skipped)" if report.problems else ""
        return {OVERALL: rows}, [], f"every row of {data}{skipped}"
    from dataclasses import replace

    from training.train import load_dataset

    cfg = load_config(config or DEFAULT_CONFIG)
    if skip_invalid:
        cfg = replace(cfg, skip_invalid=True)
    dataset = load_dataset(cfg, corpora)
    by_source = dataset.held_out_sets()
    extra = {ls.source.name for ls in dataset.sources if ls.source.role == "evaluate"}
    union = [s for s in by_source if s not in extra]
    if not union:
        raise DataError(f"{cfg.source}: its sources have no labelled held-out rows")
    demo = " (demonstration samples: no corpora root)" if dataset.demo else ""
    what = (
        f"held-out split (bucket 0 of 5) of {cfg.source}{demo};"
        f" evaluation-only sets: {', '.join(sorted(extra)) or 'none'}"
    )
    return by_source, union, what


def data_fingerprint(rows: list[Example]) -> str:
    """SHA-256 of the rows' normalised text and labels: equal only for the same data, on any
    machine (file paths are left out)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{example_key(row)}\t{row.label:g}\n".encode())
    return digest.hexdigest()


def read_champion_report(path: Path, fingerprints: dict[str, str]) -> dict[str, Any]:
    """A champion's report.json, refused unless it was measured on exactly the same rows."""
    try:
        report = json.loads(Path(path).read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read the champion report: {exc}") from exc
    theirs = report.get("data_sha256", {}) if isinstance(report, dict) else {}
    differ = [s for s, digest in fingerprints.items() if theirs.get(s) != digest]
    if differ:
        raise DataError(
            f"{path}: the champion was evaluated on other data (sets {', '.join(differ)} differ);"
            " evaluate both models on the same config and corpora"
        )
    return report


def plot_curves(report_dir: Path, runs: list[Scored], set_name: str = OVERALL) -> dict[str, str]:
    """ROC curve and reliability diagram of each model on one set, as PNG files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    files = {}
    fig, ax = plt.subplots(figsize=(5, 5))
    for run in runs:
        y = (run.labels[set_name] >= 0.5).astype(int)
        if len(np.unique(y)) == 2:
            fpr, tpr, _ = roc_curve(y, run.scores[set_name])
            ax.plot(fpr, tpr, label=run.name)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title=f"ROC ({set_name})")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(report_dir / "roc.png", dpi=100)
    plt.close(fig)
    files["roc"] = "roc.png"

    fig, ax = plt.subplots(figsize=(5, 5))
    edges = np.linspace(0, 1, ECE_BINS + 1)
    for run in runs:
        p, y = run.scores[set_name], run.labels[set_name]
        index = np.clip(np.digitize(p, edges[1:-1]), 0, ECE_BINS - 1)
        xs, ys = [], []
        for b in range(ECE_BINS):
            mask = index == b
            if mask.any():
                xs.append(float(p[mask].mean()))
                ys.append(float(y[mask].mean()))
        ax.plot(xs, ys, marker="o", label=run.name)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.set(
        xlabel="mean predicted score",
        ylabel="fraction positive",
        title=f"Reliability ({set_name}, {ECE_BINS} bins)",
    )
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(report_dir / "calibration.png", dpi=100)
    plt.close(fig)
    files["calibration"] = "calibration.png"
    return files


def render_markdown(report: dict[str, Any]) -> str:
    """The report for people; report.json holds the same figures."""
    verdict = "PASSED" if report["passed"] else "FAILED"
    lines = [
        f"# Evaluation: {report['model']['name']} {report['model']['version']} — {verdict}",
        "",
        f"- Model folder: `{report['model']['path']}` (SHA-256 `{report['model']['sha256']}`)",
        f"- Data: {report['data']}",
        f"- Score: {report['score']}",
        "",
        "## Metrics",
        "",
        "| set | n | positives | ROC-AUC | PR-AUC | accuracy | F1 | Brier | ECE | MSE |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m in report["metrics"].items():
        cells = [m.get(k, "") for k in ("roc_auc", "pr_auc", "accuracy", "f1", "brier", "ece")]
        lines.append(
            f"| {name} | {m['n']} | {m['positives']} | "
            + " | ".join(str(c) for c in cells)
            + f" | {m.get('mse', '—')} |"
        )
    lines += [
        "",
        "## Gates",
        "",
        "| gate | value | bound | margin | result |",
        "|---|---|---|---|---|",
    ]
    for g in report["gates"]:
        lines.append(
            f"| {g['gate']} | {g['value']:.4f} | {g['bound']} | {g['margin']:+.4f} |"
            f" {'pass' if g['passed'] else '**FAIL**'} |"
        )
    if report.get("comparison") is not None:
        c = report["comparison"]
        lines += [
            "",
            f"## Champion vs challenger (champion: `{c['champion']['path']}`,"
            f" {c['champion']['name']} {c['champion']['version']})",
            "",
            "| gate | champion | challenger | change (+ is better) | tolerance | result |",
            "|---|---|---|---|---|---|",
        ]
        for r in c["results"]:
            lines.append(
                f"| {r['gate']} | {r['champion']:.4f} | {r['challenger']:.4f} |"
                f" {r['change']:+.4f} | {r['tolerance']:g} |"
                f" {'pass' if r['passed'] else '**FAIL**'} |"
            )
    if report.get("parts"):
        lines += [
            "",
            "## Per-part metrics (held-out split)",
            "",
            "```json",
            json.dumps(report["parts"], indent=2),
            "```",
        ]
    if report["failures"]:
        lines += ["", "## Failures", ""] + [f"- {f}" for f in report["failures"]]
    lines += ["", "![ROC curve](roc.png) ![Reliability diagram](calibration.png)", ""]
    return "\n".join(lines)


def evaluate(
    *,
    model: Path,
    sets: dict[str, list[Example]],
    union: list[str] | None = None,
    data_description: str,
    thresholds: Path | None,
    report_dir: Path,
    champion: Path | None = None,
    champion_report: Path | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Score ``model`` (and ``champion``) on ``sets``, check gates, write the reports.

    ``champion_report`` compares against a champion's earlier report.json instead (for CI,
    where the champion is evaluated by the code it was built with); it must carry the same
    data fingerprints.

    Returns the report; ``report["passed"]`` is false when a gate or the comparison failed.
    Raises :class:`ModelLoadError` or :class:`DataError` on unusable input.
    """
    scorer, card = load_bundle(model)
    gates = load_thresholds(thresholds) if thresholds else []
    union = union or []
    run = with_overall(score_sets(scorer, "candidate", sets, progress=progress), union)
    metrics = run.metrics()
    gate_results: list[GateResult] = check_gates(metrics, gates)
    failures = [
        f"gate {g.gate} = {g.value:.4f} misses {g.bound} by {-g.margin:.4f}"
        for g in gate_results
        if not g.passed
    ]
    fingerprints = {s: data_fingerprint(rows) for s, rows in sets.items()}
    if OVERALL not in fingerprints:
        fingerprints[OVERALL] = data_fingerprint([r for s in union for r in sets[s]])
    runs = [run]
    comparison = None
    if champion is not None or champion_report is not None:
        if champion is not None:
            champ_scorer, champ_card = load_bundle(champion)
            champ_run = with_overall(
                score_sets(champ_scorer, "champion", sets, progress=progress), union
            )
            champ_metrics = champ_run.metrics()
            runs.insert(0, champ_run)
            where = str(champion)
        else:
            assert champion_report is not None
            earlier = read_champion_report(champion_report, fingerprints)
            champ_metrics, champ_card = earlier["metrics"], earlier["model"]
            champ_card = {**champ_card, "artifact": {"sha256": champ_card.get("sha256")}}
            where = str(champion_report)
        results: list[ComparisonResult] = compare_models(champ_metrics, metrics, gates)
        failures += [
            f"challenger is worse on {r.gate}: {r.challenger:.4f} vs champion {r.champion:.4f}"
            f" ({r.change:+.4f}, tolerance {r.tolerance:g})"
            for r in results
            if not r.passed
        ]
        comparison = {
            "champion": {
                "path": where,
                "name": champ_card.get("name"),
                "version": champ_card.get("version"),
                "sha256": champ_card["artifact"]["sha256"],
            },
            "champion_metrics": champ_metrics,
            "results": [r.as_dict() for r in results],
        }

    from training.bundle import evaluate_bundle
    from training.train import to_training_data

    overall_rows = sets.get(OVERALL) or [r for s in union for r in sets[s]]
    parts = evaluate_bundle(scorer, to_training_data(overall_rows)) if overall_rows else {}
    report_dir.mkdir(parents=True, exist_ok=True)
    report = {
        "passed": not failures,
        "failures": failures,
        "model": {
            "path": str(model),
            "name": card.get("name"),
            "version": card.get("version"),
            "sha256": card["artifact"]["sha256"],
            "demo": card.get("demo", False),
        },
        "data": data_description,
        "data_sha256": fingerprints,
        "score": "scorer.score(headline, body).score; class = label >= 0.5; threshold 0.5",
        "metrics": metrics,
        "parts": parts,
        "gates": [g.as_dict() for g in gate_results],
        "thresholds": str(thresholds) if thresholds else None,
        "comparison": comparison,
    }
    shown = OVERALL if OVERALL in run.scores else next(iter(run.scores))
    report["plots"] = plot_curves(report_dir, runs, shown)
    (report_dir / "report.json").write_text(
        json.dumps(report, indent=2, default=_json_default) + "\n", "utf-8"
    )
    (report_dir / "report.md").write_text(render_markdown(report), "utf-8")
    return report


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def main(
    model: Annotated[Path, typer.Option("--model", "-m", help="Model folder to evaluate.")] = Path(
        "models/default"
    ),
    champion: Annotated[
        Path | None,
        typer.Option(help="Current model folder: fail if the candidate is worse beyond tolerance."),
    ] = None,
    champion_report: Annotated[
        Path | None,
        typer.Option(help="A champion's report.json (same data) instead of its model folder."),
    ] = None,
    thresholds: Annotated[
        Path | None, typer.Option("--thresholds", "-t", help="Gates (TOML).")
    ] = Path("training/thresholds.toml"),
    report_dir: Annotated[
        Path, typer.Option("--report-dir", "-r", help="Folder for report.json/.md and plots.")
    ] = Path("reports/eval"),
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Training config whose held-out split is scored."),
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="CSV/TSV/JSONL file to score instead of a held-out split.")
    ] = None,
    headline_col: Annotated[str, typer.Option(help="Headline column of --data.")] = "headline",
    body_col: Annotated[str, typer.Option(help="Body column of --data ('' for none).")] = "body",
    label_col: Annotated[str, typer.Option(help="Label column of --data.")] = "label",
    label_kind: Annotated[
        str, typer.Option(help="Label of --data: auto, binary, classes or score.")
    ] = "auto",
    positive: Annotated[list[str] | None, typer.Option(help="Class name meaning 1.")] = None,
    negative: Annotated[list[str] | None, typer.Option(help="Class name meaning 0.")] = None,
    corpora: Annotated[
        Path | None, typer.Option(help="Corpora root (default: $SENSATION_CORPORA or ../shared).")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Skip and count invalid rows.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Score a model on held-out data, write the reports and check the gates.

    The data is --data (a CSV/TSV/JSONL file, all of it), else the held-out fifth of the
    --config sources. With --champion (a model folder) or --champion-report (its report.json
    on the same data), the candidate also fails when it is worse than the current model by
    more than a gate's tolerance. Reports: report.json, report.md, roc.png, calibration.png.

    Example: `python -m training.evaluate -m models/new --champion models/default`

    Exit codes: 0 every gate holds, 1 a gate or the champion comparison failed, 2 unusable
    input (missing or corrupt model, bad data or thresholds file).
    """
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        columns = Columns.from_flags(
            headline=headline_col,
            body=body_col,
            label=label_col,
            label_kind=label_kind,
            positive=positive,
            negative=negative,
        )
        sets, union, what = evaluation_sets(
            data=data,
            columns=columns,
            config=config,
            corpora=corpora_root(corpora),
            skip_invalid=skip_invalid,
        )
        report = evaluate(
            model=model,
            sets=sets,
            union=union,
            data_description=what,
            thresholds=thresholds,
            report_dir=report_dir,
            champion=champion,
            champion_report=champion_report,
            progress=not quiet,
        )
    except (ModelLoadError, DataError, ConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    overall = report["metrics"].get(OVERALL) or next(iter(report["metrics"].values()))
    typer.echo(f"{'PASSED' if report['passed'] else 'FAILED'}: {json.dumps(overall)}")
    for failure in report["failures"]:
        typer.echo(f"  {failure}")
    typer.echo(f"reports in {report_dir}/report.md and report.json")
    raise typer.Exit(0 if report["passed"] else 1)


def cli() -> None:
    run_command(main)


if __name__ == "__main__":
    cli()
