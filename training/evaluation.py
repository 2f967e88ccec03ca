"""Evaluate a model folder: score it on the evaluation sets, check the gates, compare it with
the current model, and write the report and the frozen evaluation set.

Sets (:mod:`training.evalsets`): a data team's file (``--data``), else the held-out fifth and
the evaluation-only sources of a training config, plus the standard sets (PolNeAR dev, the
sensationalism reference set) when the corpora are there. Rows the model was trained on are
refused: a warning, and exit code 2.

Every evaluation writes ``frozen.jsonl.gz`` beside ``report.json``: each set's items and this
model's per-unit results, fingerprinted in the report. A later evaluation given that report
(``--champion-report``) scores the candidate on exactly those items, so a change to the data
or its split still compares the two models on the same rows.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from datasets.adapters.polnear import AttributionDoc, GoldAttribution
from datasets.corpora import Example, SpanDoc
from datasets.readers import Columns, DataError, ReadReport, format_problems, read_table
from sensational.artifact import load_bundle, sha256_file
from training.config import DEFAULT_CONFIG, load_config
from training.data import GRADED_KEY, load_dataset, read_training_keys, to_training_data
from training.evalsets import (
    OVERALL,
    POLNEAR_DEV,
    REFERENCE,
    EvalSet,
    ReferenceLoader,
    SetResult,
    config_sets,
    polnear_dev_set,
    reference_set,
    score_set,
)
from training.gates import (
    ComparisonResult,
    GateResult,
    Thresholds,
    check_gates,
    compare_models,
    load_thresholds,
)
from training.metrics import ECE_BINS, reliability

log = logging.getLogger("training.evaluate")

REPORT_SCHEMA = 2
FROZEN_FILE = "frozen.jsonl.gz"
SCORE_RULE = (
    "examples: scorer.score(headline, body).score, class = label >= 0.5, threshold 0.5;"
    " spans: highlighted spans vs gold loaded-wording spans (SemEval-2020 Task 11 partial"
    " overlap); sourcing: attributions matched by cue, else source, overlap"
)


class OverlapError(DataError):
    """Evaluation rows the model (or the champion) was trained on."""


# ---------------------------------------------------------------------------------------------
# The sets of one evaluation


def evaluation_sets(
    *,
    data: Path | None = None,
    columns: Columns | None = None,
    config: Path | None = None,
    corpora: Path | None = None,
    skip_invalid: bool = False,
    fmt: str | None = None,
    delimiter: str | None = None,
    standard: bool = True,
    reference_loader: ReferenceLoader | None = None,
) -> tuple[list[EvalSet], dict[str, str], str]:
    """The sets to score, notes on sets that could not be evaluated, and a sentence saying
    what the data is.

    ``data`` (a file) gives one set, ``overall``; otherwise the config's sets, plus the
    standard sets when ``standard`` is true.
    """
    notes: dict[str, str] = {}
    if data is not None:
        report = ReadReport()
        rows = list(read_table(data, columns or Columns(), report, fmt=fmt, delimiter=delimiter))
        if report.problems and not skip_invalid:
            raise DataError(
                f"{len(report.problems)} invalid row(s); fix them or pass --skip-invalid:\n"
                + format_problems(report.problems)
            )
        if not rows:
            raise DataError(f"{data}: no valid rows to evaluate")
        skipped = f" ({len(report.problems)} invalid rows skipped)" if report.problems else ""
        sets = [EvalSet(OVERALL, "examples", rows, f"every row of {data}{skipped}")]
        return sets, {"*": f"only the rows of {data} are evaluated"}, sets[0].split
    from dataclasses import replace

    cfg = load_config(config or DEFAULT_CONFIG)
    if skip_invalid:
        cfg = replace(cfg, skip_invalid=True)
    dataset = load_dataset(cfg, corpora)
    sets = config_sets(dataset, cfg.source)
    if not sets:
        raise DataError(f"{cfg.source}: its sources have no held-out rows to evaluate")
    if standard:
        for name, build in (
            (POLNEAR_DEV, lambda: polnear_dev_set(corpora)),
            (REFERENCE, lambda: reference_set(corpora, reference_loader)),
        ):
            extra, note = build()
            if extra is not None and all(s.name != extra.name for s in sets):
                sets.append(extra)
            elif note:
                notes[name] = note
    what = f"held-out split (bucket 0 of 5) and evaluation-only sources of {cfg.source}" + (
        " (demonstration samples: no corpora root)" if dataset.demo else ""
    )
    return sets, notes, what


# ---------------------------------------------------------------------------------------------
# The frozen evaluation set


def _item_json(kind: str, item: Any) -> dict[str, Any]:
    if kind == "examples":
        return {"headline": item.headline, "body": item.body, "label": item.label,
                "origin": item.origin}  # fmt: skip
    if kind == "spans":
        return {"doc_id": item.doc_id, "text": item.text, "spans": [list(s) for s in item.spans],
                "origin": item.origin}  # fmt: skip
    return {
        "doc_id": item.doc_id,
        "text": item.text,
        "attributions": [
            [list(map(list, getattr(a, r))) for r in ("source", "cue", "content")]
            for a in item.attributions
        ],  # fmt: skip
        "annotator": item.annotator,
        "origin": item.origin,
    }


def _item_from_json(kind: str, raw: dict[str, Any]) -> Any:
    if kind == "examples":
        return Example(raw["headline"], raw["body"], float(raw["label"]), raw["origin"])
    if kind == "spans":
        spans = tuple((int(s), int(e), str(t)) for s, e, t in raw["spans"])
        return SpanDoc(raw["doc_id"], raw["text"], spans, raw["origin"])
    attributions = tuple(
        GoldAttribution(*(tuple((int(s), int(e)) for s, e in frags) for frags in a))
        for a in raw["attributions"]
    )
    return AttributionDoc(raw["doc_id"], raw["text"], attributions, raw["annotator"], raw["origin"])


def set_fingerprint(eval_set: EvalSet) -> str:
    """SHA-256 of a set's items (texts, labels, gold spans) as canonical JSON: equal only for
    the same rows, on any machine (where a file was read from is left out)."""
    digest = hashlib.sha256(f"{eval_set.name}\t{eval_set.kind}\n".encode())
    for item in eval_set.items:
        content = {k: v for k, v in _item_json(eval_set.kind, item).items() if k != "origin"}
        digest.update(json.dumps(content, sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def write_frozen(path: Path, sets: list[EvalSet], results: dict[str, SetResult]) -> str:
    """Write the sets' items with this model's per-unit results; return the file's SHA-256.

    Gzipped without a timestamp, so the same evaluation writes the same bytes.
    """
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        header = {"frozen": 1, "sets": [{"name": s.name, "kind": s.kind, "split": s.split,
                                         "n": len(s.items)} for s in sets]}  # fmt: skip
        out.write((json.dumps(header) + "\n").encode())
        for s in sets:
            values = results[s.name].values
            for item, row in zip(s.items, values, strict=True):
                line = {"set": s.name, "item": _item_json(s.kind, item), "values": row.tolist()}
                out.write((json.dumps(line) + "\n").encode())
    path.write_bytes(buffer.getvalue())
    return sha256_file(path)


def read_frozen(path: Path, expected_sha256: str) -> tuple[list[EvalSet], dict[str, SetResult]]:
    """The sets and the champion's results of a frozen file, refused if its checksum is not
    the one its report recorded."""
    if not path.is_file():
        raise DataError(f"{path}: the champion's frozen evaluation set is missing")
    actual = sha256_file(path)
    if actual != expected_sha256:
        raise DataError(
            f"{path}: SHA-256 {actual} differs from the champion report's {expected_sha256}:"
            " the frozen set is not the one the champion was measured on"
        )
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = json.loads(fh.readline())
        meta = {s["name"]: s for s in header["sets"]}
        items: dict[str, list[Any]] = {name: [] for name in meta}
        values: dict[str, list[list[float]]] = {name: [] for name in meta}
        for line in fh:
            row = json.loads(line)
            kind = meta[row["set"]]["kind"]
            items[row["set"]].append(_item_from_json(kind, row["item"]))
            values[row["set"]].append(row["values"])
    sets = [EvalSet(n, m["kind"], items[n], m["split"]) for n, m in meta.items()]
    results = {
        s.name: SetResult(s.name, s.kind, np.array(values[s.name], dtype=float)) for s in sets
    }
    return sets, results


# ---------------------------------------------------------------------------------------------
# Overlap with the training data


def check_overlap(sets: list[EvalSet], model: Path, who: str) -> list[str]:
    """Sets whose rows the model in ``model`` was trained on; raises :class:`OverlapError`
    naming them. Returns notes when the model lists no training keys (older models)."""
    keys = read_training_keys(model)
    if keys is None:
        return [f"{who} {model} lists no training rows (built by older code): overlap unchecked"]
    graded = {k.removeprefix(GRADED_KEY) for k in keys if k.startswith(GRADED_KEY)}
    found = []
    for s in sets:
        # An attribution set measures extraction rules that no graded row teaches.
        taught = keys if s.kind == "sourcing" else keys | graded
        n = sum(k in taught for k in s.keys())
        if n:
            found.append(f"{n} of {len(s.items)} rows of {s.name}")
    if found:
        message = (
            f"the evaluation rows overlap the training data of the {who} ({model}):"
            f" {'; '.join(found)}. Scores on rows a model was trained on say nothing about new"
            " data: evaluate on rows it never saw (the held-out split of its own config, or a"
            " file it was not trained on)"
        )
        log.warning(message)
        raise OverlapError(message)
    return []


# ---------------------------------------------------------------------------------------------
# Evaluate


def _score_all(scorer: Any, sets: list[EvalSet], progress: bool) -> dict[str, SetResult]:
    cache: dict[int, float] = {}
    return {s.name: score_set(scorer, s, progress=progress, cache=cache) for s in sets}


def evaluate(
    *,
    model: Path,
    sets: list[EvalSet],
    notes: dict[str, str] | None = None,
    data_description: str,
    thresholds: Path | None,
    report_dir: Path,
    champion: Path | None = None,
    champion_report: Path | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Score ``model`` (and the champion) on ``sets``, check the gates, write the reports.

    ``champion`` is the current model's folder (scored here on the same sets);
    ``champion_report`` an earlier report.json of it instead, with its frozen evaluation set
    (CI, where the champion is evaluated by the code it was built with).

    Returns the report; ``report["passed"]`` is false when a gate or the comparison failed.
    Raises :class:`ModelLoadError`, :class:`DataError` (unusable input) or
    :class:`OverlapError` (rows the model was trained on).
    """
    notes = dict(notes or {})
    scorer, card = load_bundle(model)
    gates = load_thresholds(thresholds) if thresholds else Thresholds(())
    warnings = check_overlap(sets, model, "model")
    results = _score_all(scorer, sets, progress)
    gate_results: list[GateResult] = check_gates(results, gates, notes)
    failures = [
        f"gate {g.gate} = {g.value:.4f} misses {g.bound} by {-(g.margin or 0):.4f}"
        for g in gate_results
        if g.status == "fail"
    ]
    report_dir.mkdir(parents=True, exist_ok=True)
    frozen_sha = write_frozen(report_dir / FROZEN_FILE, sets, results)
    fingerprints = {s.name: set_fingerprint(s) for s in sets}

    comparison = None
    runs = [("candidate", results, sets)]
    if champion is not None:
        champ_scorer, champ_card = load_bundle(champion)
        warnings += check_overlap(sets, champion, "champion")
        champ_results = _score_all(champ_scorer, sets, progress)
        runs.insert(0, ("champion", champ_results, sets))
        comparison = _comparison(
            compare_models(champ_results, results, gates),
            {
                "path": str(champion),
                "name": champ_card.get("name"),
                "version": champ_card.get("version"),
                "sha256": champ_card["artifact"]["sha256"],
            },  # fmt: skip
            "the same sets as the candidate",
        )
    elif champion_report is not None:
        comparison, champ_run = _against_report(
            champion_report, scorer, model, gates, fingerprints, progress
        )
        if champ_run is not None:
            runs.insert(0, champ_run)
    if comparison is not None:
        failures += [
            f"challenger is worse on {r['gate']}: {r['challenger']:.4f} vs champion"
            f" {r['champion']:.4f} ({r['change']:+.4f}, {_ci_words(r['ci'])})"
            for r in comparison["results"]
            if r["status"] == "fail"
        ]

    from training.bundle import evaluate_bundle

    overall = next((s for s in sets if s.name == OVERALL), None)
    parts = evaluate_bundle(scorer, to_training_data(overall.items)) if overall else {}
    report = {
        "schema": REPORT_SCHEMA,
        "passed": not failures,
        "failures": failures,
        "warnings": warnings,
        "model": {
            "path": str(model),
            "name": card.get("name"),
            "version": card.get("version"),
            "sha256": card["artifact"]["sha256"],
            "demo": card.get("demo", False),
        },
        "data": data_description,
        "sets": {s.name: {"kind": s.kind, "n": len(s.items), "split": s.split} for s in sets},
        "not_evaluated": notes,
        "data_sha256": fingerprints,
        "frozen": {"file": FROZEN_FILE, "sha256": frozen_sha},
        "score": SCORE_RULE,
        "metrics": {name: r.metrics() for name, r in results.items()},
        "parts": parts,
        "thresholds": str(thresholds) if thresholds else None,
        "bootstrap": {"resamples": gates.resamples, "level": gates.level, "seed": gates.seed},
        "gates": [g.as_dict() for g in gate_results],
        "comparison": comparison,
    }
    report["plots"] = plot_curves(report_dir, runs)
    (report_dir / "report.json").write_text(
        json.dumps(report, indent=2, default=_json_default) + "\n", "utf-8"
    )
    (report_dir / "report.md").write_text(render_markdown(report), "utf-8")
    return report


def _comparison(
    results: list[ComparisonResult], champion: dict[str, Any], on: str, note: str = ""
) -> dict[str, Any]:
    return {
        "champion": champion,
        "on": on,
        "note": note,
        "method": "paired bootstrap over the set's units: the challenger fails a metric when"
        " the whole percentile interval of (challenger - champion), positive = better, lies"
        " below -negligible",
        "results": [r.as_dict() for r in results],
    }


def _against_report(
    path: Path,
    scorer: Any,
    model: Path,
    gates: Thresholds,
    fingerprints: dict[str, str],
    progress: bool,
) -> tuple[dict[str, Any] | None, tuple[str, dict[str, SetResult], list[EvalSet]] | None]:
    try:
        earlier = json.loads(Path(path).read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read the champion report: {exc}") from exc
    if not isinstance(earlier, dict) or "model" not in earlier:
        raise DataError(f"{path}: not an evaluation report (no 'model')")
    champ = {**earlier["model"], "path": str(path)}
    if earlier.get("schema", 1) < REPORT_SCHEMA or not earlier.get("frozen"):
        note = (
            f"{path} was written by older code without a frozen evaluation set: no comparison"
            " (the next champion, built by this code, will have one)"
        )
        log.warning(note)
        return {"champion": champ, "on": None, "note": note, "results": []}, None
    frozen_sets, champ_results = read_frozen(
        Path(path).parent / earlier["frozen"]["file"], earlier["frozen"]["sha256"]
    )
    check_overlap(frozen_sets, model, "model")
    changed = sorted(
        s.name for s in frozen_sets if fingerprints.get(s.name) not in (None, set_fingerprint(s))
    )
    note = (
        f"the data of {', '.join(changed)} changed since the champion's evaluation: both are"
        " compared on the champion's frozen rows"
        if changed
        else ""
    )
    results = _score_all(scorer, frozen_sets, progress)
    comparison = _comparison(
        compare_models(champ_results, results, gates),
        champ,
        f"the champion's frozen evaluation set ({earlier['frozen']['sha256'][:12]})",
        note,
    )
    return comparison, ("champion", champ_results, frozen_sets)


def _ci_words(ci: Any) -> str:
    if not ci or any(v is None or np.isnan(v) for v in ci):
        return "no interval"
    return f"95% CI [{ci[0]:+.4f}, {ci[1]:+.4f}]"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# ---------------------------------------------------------------------------------------------
# Plots and Markdown


def plot_curves(
    report_dir: Path, runs: list[tuple[str, dict[str, SetResult], list[EvalSet]]]
) -> dict[str, str]:
    """ROC curve and reliability diagram of each model on the first example set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    shown = next((s.name for s in runs[-1][2] if s.kind == "examples"), None)
    if shown is None:
        return {}
    files = {}
    fig, ax = plt.subplots(figsize=(5, 5))
    for name, results, _ in runs:
        r = results.get(shown)
        if r is None:
            continue
        y = (r.values[:, 0] >= 0.5).astype(int)
        if len(np.unique(y)) == 2:
            fpr, tpr, _ = roc_curve(y, r.values[:, 1])
            ax.plot(fpr, tpr, label=name)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title=f"ROC ({shown})")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(report_dir / "roc.png", dpi=100)
    plt.close(fig)
    files["roc"] = "roc.png"

    fig, ax = plt.subplots(figsize=(5, 5))
    for name, results, _ in runs:
        r = results.get(shown)
        if r is None:
            continue
        mean_y, mean_p, _ = reliability(r.values[:, 0], r.values[:, 1], ECE_BINS)
        ax.plot(mean_p, mean_y, marker="o", label=name)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.set(
        xlabel="mean predicted score",
        ylabel="fraction positive (mean label)",
        title=f"Reliability ({shown}, {ECE_BINS} bins)",
    )
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(report_dir / "calibration.png", dpi=100)
    plt.close(fig)
    files["calibration"] = "calibration.png"
    return files


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return "—" if np.isnan(value) else f"{value:.4f}"
    return str(value)


def render_markdown(report: dict[str, Any]) -> str:
    """The report for people; report.json holds the same figures."""
    verdict = "PASSED" if report["passed"] else "FAILED"
    lines = [
        f"# Evaluation: {report['model']['name']} {report['model']['version']} — {verdict}",
        "",
        f"- Model folder: `{report['model']['path']}` (SHA-256 `{report['model']['sha256']}`)",
        f"- Data: {report['data']}",
        f"- Score: {report['score']}",
        f"- Frozen evaluation set: `{report['frozen']['file']}`"
        f" (SHA-256 `{report['frozen']['sha256']}`)",
        "",
        "## Sets",
        "",
        "| set | kind | units | what |",
        "|---|---|---|---|",
    ]
    for name, s in report["sets"].items():
        lines.append(f"| {name} | {s['kind']} | {s['n']} | {s['split']} |")
    for name, note in report.get("not_evaluated", {}).items():
        shown = "(any other)" if name == "*" else name
        lines.append(f"| {shown} | — | 0 | not evaluated: {note} |")
    example = {
        k: m for k, m in report["metrics"].items() if report["sets"][k]["kind"] == "examples"
    }
    if example:
        lines += [
            "",
            "## Scores against labels",
            "",
            "| set | n | positives | ROC-AUC | PR-AUC | accuracy | F1 | Brier | ECE | MSE |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, m in example.items():
            cells = [
                m.get(k) for k in ("roc_auc", "pr_auc", "accuracy", "f1", "brier", "ece", "mse")
            ]
            lines.append(
                f"| {name} | {m['n']} | {m['positives']} | " + " | ".join(map(_fmt, cells)) + " |"
            )
    others = {k: m for k, m in report["metrics"].items() if k not in example}
    if others:
        lines += ["", "## Spans and sourcing", "", "| set | figures |", "|---|---|"]
        for name, m in others.items():
            lines.append(f"| {name} | " + ", ".join(f"{k} {_fmt(v)}" for k, v in m.items()) + " |")
    boot = report["bootstrap"]
    lines += [
        "",
        f"## Gates (95% intervals: bootstrap, {boot['resamples']} resamples)",
        "",
        "| gate | value | interval | bound | margin | result |",
        "|---|---|---|---|---|---|",
    ]
    for g in report["gates"]:
        if g["status"] == "skipped":
            lines.append(f"| {g['gate']} | — | — | — | — | skipped: {g['note']} |")
            continue
        ci = g.get("ci") or (None, None)
        lines.append(
            f"| {g['gate']} | {_fmt(g['value'])} | [{_fmt(ci[0])}, {_fmt(ci[1])}] |"
            f" {g['bound']} | {g['margin']:+.4f} |"
            f" {'pass' if g['status'] == 'pass' else '**FAIL**'} |"
        )
    c = report.get("comparison")
    if c is not None:
        champ = c["champion"]
        lines += [
            "",
            f"## Champion vs challenger (champion: `{champ.get('path')}`, {champ.get('name')}"
            f" {champ.get('version')})",
            "",
        ]
        if c.get("on"):
            lines += [f"Compared on {c['on']}. {c.get('method', '')}.", ""]
        if c.get("note"):
            lines += [f"**Note:** {c['note']}", ""]
        if c["results"]:
            lines += [
                "| gate | champion | challenger | change (+ is better) | 95% CI of the change |"
                " negligible | result |",
                "|---|---|---|---|---|---|---|",
            ]
            for r in c["results"]:
                if r["status"] == "skipped":
                    lines.append(f"| {r['gate']} | — | — | — | — | — | skipped: {r['note']} |")
                    continue
                ci = r["ci"]
                lines.append(
                    f"| {r['gate']} | {_fmt(r['champion'])} | {_fmt(r['challenger'])} |"
                    f" {r['change']:+.4f} | [{_fmt(ci[0])}, {_fmt(ci[1])}] | {r['negligible']:g} |"
                    f" {'pass' if r['status'] == 'pass' else '**FAIL**'} |"
                )
    if report.get("warnings"):
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in report["warnings"]]
    if report["failures"]:
        lines += ["", "## Failures", ""] + [f"- {f}" for f in report["failures"]]
    if report.get("parts"):
        lines += [
            "",
            "## Per-part metrics (overall set)",
            "",
            "```json",
            json.dumps(report["parts"], indent=2, default=_json_default),
            "```",
        ]
    if report.get("plots"):
        lines += ["", "![ROC curve](roc.png) ![Reliability diagram](calibration.png)"]
    return "\n".join(lines) + "\n"
