"""Evaluation: metrics, gates and their exit codes, champion against challenger."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from datasets.corpora import SAMPLES
from datasets.readers import DataError
from training.config import config_from_dict
from training.evaluate import compute_metrics, expected_calibration_error, main
from training.gates import Gate, check_gates, compare_models, load_thresholds
from training.train import train

EVAL_CSV = SAMPLES / "own_data_example.csv"
DATA_ARGS = [
    "--data", str(EVAL_CSV), "--headline-col", "title", "--body-col", "text",
    "--label-col", "verdict", "--label-kind", "classes",
    "--positive", "sensational", "--negative", "sober",
]  # fmt: skip


def thresholds(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "thresholds.toml"
    path.write_text(body, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    import typer

    app = typer.Typer()
    app.command()(main)
    result = CliRunner().invoke(app, [*args, "--quiet"])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def inverted_model(tmp_path_factory: pytest.TempPathFactory, demo_model_dir: Path) -> Path:
    """A challenger that learned the labels backwards: clearly worse than the demo model."""
    from datasets.corpora import read_twins

    data = tmp_path_factory.mktemp("inv")
    rows = [{"headline": a, "label": 0} for a, _ in read_twins()]
    rows += [{"headline": b, "label": 1} for _, b in read_twins()]
    (data / "inv.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    cfg = config_from_dict({"n_jobs": 1, "data": [{"path": str(data / "inv.jsonl"), "body": ""}]})
    out = data / "model"
    train(output=out, corpora=None, config=cfg)
    return out


def test_metrics_of_perfect_scores() -> None:
    m = compute_metrics(np.array([0, 0, 1, 1]), np.array([0.0, 0.0, 1.0, 1.0]))
    assert (m["roc_auc"], m["pr_auc"], m["accuracy"], m["f1"], m["brier"], m["ece"]) == (
        1.0, 1.0, 1.0, 1.0, 0.0, 0.0,
    )  # fmt: skip
    assert "mse" not in m


def test_expected_calibration_error_by_hand() -> None:
    y = np.array([1, 0, 1, 0])
    assert expected_calibration_error(y, np.full(4, 0.8)) == pytest.approx(0.3)
    # two bins: 0.1 (all 0, |0 - 0.1|) and 0.9 (all 1, |1 - 0.9|)
    assert expected_calibration_error(np.array([0, 0, 1, 1]), np.array([0.1, 0.1, 0.9, 0.9])) == (
        pytest.approx(0.1)
    )


def test_graded_labels_add_mse() -> None:
    m = compute_metrics(np.array([0.2, 0.8, 0.6]), np.array([0.3, 0.7, 0.6]))
    assert m["mse"] == pytest.approx(((0.1**2) * 2) / 3, abs=1e-4)
    assert m["positives"] == 2


def test_one_class_leaves_auc_unmeasured() -> None:
    m = compute_metrics(np.array([1, 1]), np.array([0.2, 0.9]))
    assert np.isnan(m["roc_auc"])


def test_gates_report_margin() -> None:
    sets = {"overall": {"roc_auc": 0.9, "brier": 0.2}}
    results = check_gates(sets, [Gate("roc_auc", min=0.95), Gate("brier", max=0.25)])
    assert [(r.gate, r.passed) for r in results] == [
        ("overall.roc_auc", False),
        ("overall.brier", True),
    ]
    assert results[0].margin == pytest.approx(-0.05)
    assert results[1].margin == pytest.approx(0.05)


def test_unmeasurable_gate_is_bad_input() -> None:
    with pytest.raises(DataError, match="could not be measured"):
        check_gates({"overall": {"roc_auc": float("nan")}}, [Gate("roc_auc", min=0.5)])
    with pytest.raises(DataError, match="no evaluation set 'other'"):
        check_gates({"overall": {}}, [Gate("roc_auc", set="other", min=0.5)])


def test_compare_respects_direction_and_tolerance() -> None:
    gates = [Gate("roc_auc", min=0.0, tolerance=0.01), Gate("brier", max=1.0, tolerance=0.01)]
    champion = {"overall": {"roc_auc": 0.95, "brier": 0.10}}
    slightly_worse = {"overall": {"roc_auc": 0.945, "brier": 0.105}}
    much_worse = {"overall": {"roc_auc": 0.90, "brier": 0.15}}
    assert all(r.passed for r in compare_models(champion, slightly_worse, gates))
    failed = compare_models(champion, much_worse, gates)
    assert [r.passed for r in failed] == [False, False]
    assert failed[0].change == pytest.approx(-0.05)
    assert failed[1].change == pytest.approx(-0.05)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", r"no \[\[gate\]\] tables"),
        ('[[gate]]\nmetric = "speed"\nmin = 1\n', "metric must be one of"),
        ('[[gate]]\nmetric = "f1"\n', "give 'min' or 'max'"),
        ('[[gate]]\nmetric = "f1"\nmin = 0.5\nsets = "x"\n', "unknown key"),
    ],
)
def test_bad_thresholds_files(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_thresholds(thresholds(tmp_path, body))


def test_shipped_thresholds_load() -> None:
    from datasets.corpora import REPO_ROOT

    gates = load_thresholds(REPO_ROOT / "training" / "thresholds.toml")
    assert {g.metric for g in gates} >= {"roc_auc", "brier", "ece"}


def test_exit_0_when_every_gate_holds(demo_model_dir: Path, tmp_path: Path) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.5\n')
    code, output = run("--model", str(demo_model_dir), "--thresholds", str(gates),
                       "--report-dir", str(tmp_path / "r"), *DATA_ARGS)  # fmt: skip
    assert code == 0, output
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["passed"] is True
    assert report["metrics"]["overall"]["n"] == 16
    assert set(report["metrics"]["overall"]) >= {
        "roc_auc",
        "pr_auc",
        "accuracy",
        "f1",
        "brier",
        "ece",
    }
    for png in ("roc.png", "calibration.png"):
        assert (tmp_path / "r" / png).read_bytes()[:4] == b"\x89PNG"
    assert "PASSED" in (tmp_path / "r" / "report.md").read_text()


def test_exit_1_names_the_failed_gate_and_by_how_much(demo_model_dir: Path, tmp_path: Path) -> None:
    gates = thresholds(
        tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.5\n[[gate]]\nmetric = "brier"\nmax = 0.0\n'
    )
    code, output = run("--model", str(demo_model_dir), "--thresholds", str(gates),
                       "--report-dir", str(tmp_path / "r"), *DATA_ARGS)  # fmt: skip
    assert code == 1
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    (failed,) = [g for g in report["gates"] if not g["passed"]]
    assert failed["gate"] == "overall.brier"
    assert failed["margin"] == pytest.approx(-report["metrics"]["overall"]["brier"])
    assert "gate overall.brier" in output and "misses <= 0 by" in output
    assert "**FAIL**" in (tmp_path / "r" / "report.md").read_text()


def test_exit_2_on_unusable_input(demo_model_dir: Path, tmp_path: Path) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.5\n')
    code, output = run("--model", str(tmp_path / "nothing"), "--thresholds", str(gates), *DATA_ARGS)
    assert code == 2 and "does not exist" in output and "Traceback" not in output

    bad = tmp_path / "bad.csv"
    bad.write_text("title,text,verdict\nA,,sensational\nB,,unsure\n", encoding="utf-8")
    args = [a if a != str(EVAL_CSV) else str(bad) for a in DATA_ARGS]
    code, output = run("--model", str(demo_model_dir), "--thresholds", str(gates), *args)
    assert code == 2 and f"{bad}:3: unknown label 'unsure'" in output

    one_class = tmp_path / "one.csv"
    one_class.write_text("title,text,verdict\nA,,sensational\nB,,sensational\n", encoding="utf-8")
    args = [a if a != str(EVAL_CSV) else str(one_class) for a in DATA_ARGS]
    code, output = run("--model", str(demo_model_dir), "--thresholds", str(gates),
                       "--report-dir", str(tmp_path / "r"), *args)  # fmt: skip
    assert code == 2 and "could not be measured" in output

    code, output = run("--model", str(demo_model_dir), "--thresholds", str(tmp_path / "no.toml"),
                       *DATA_ARGS)  # fmt: skip
    assert code == 2 and "no such thresholds file" in output


def test_champion_against_itself_passes(demo_model_dir: Path, tmp_path: Path) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.0\ntolerance = 0.0\n')
    code, output = run("--model", str(demo_model_dir), "--champion", str(demo_model_dir),
                       "--thresholds", str(gates), "--report-dir", str(tmp_path / "r"),
                       *DATA_ARGS)  # fmt: skip
    assert code == 0, output
    (result,) = json.loads((tmp_path / "r" / "report.json").read_text())["comparison"]["results"]
    assert result["change"] == 0.0 and result["passed"]


def test_worse_challenger_fails_against_the_champion(
    demo_model_dir: Path, inverted_model: Path, tmp_path: Path
) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.0\ntolerance = 0.02\n')
    code, output = run("--model", str(inverted_model), "--champion", str(demo_model_dir),
                       "--thresholds", str(gates), "--report-dir", str(tmp_path / "r"),
                       *DATA_ARGS)  # fmt: skip
    assert code == 1, output
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    (result,) = report["comparison"]["results"]
    assert not result["passed"]
    assert result["challenger"] < result["champion"] - 0.02
    assert "challenger is worse on overall.roc_auc" in output
    # The reverse (the better model as challenger) passes.
    code, _ = run("--model", str(demo_model_dir), "--champion", str(inverted_model),
                  "--thresholds", str(gates), "--report-dir", str(tmp_path / "r2"),
                  *DATA_ARGS)  # fmt: skip
    assert code == 0


def test_champion_report_from_an_earlier_run(
    demo_model_dir: Path, inverted_model: Path, tmp_path: Path
) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.0\ntolerance = 0.02\n')
    common = ["--thresholds", str(gates), *DATA_ARGS]
    code, _ = run("--model", str(demo_model_dir), "--report-dir", str(tmp_path / "champ"), *common)
    assert code == 0
    earlier = str(tmp_path / "champ" / "report.json")
    code, output = run("--model", str(inverted_model), "--champion-report", earlier,
                       "--report-dir", str(tmp_path / "cand"), *common)  # fmt: skip
    assert code == 1 and "challenger is worse on overall.roc_auc" in output

    other = tmp_path / "other.csv"
    other.write_text(EVAL_CSV.read_text("utf-8") + "Extra row,,sober\n", encoding="utf-8")
    args = [a if a != str(EVAL_CSV) else str(other) for a in common]
    code, output = run("--model", str(demo_model_dir), "--champion-report", earlier,
                       "--report-dir", str(tmp_path / "x"), *args)  # fmt: skip
    assert code == 2 and "evaluated on other data" in output


def test_default_held_out_split_without_corpora(demo_model_dir: Path, tmp_path: Path) -> None:
    from datasets.readers import Columns
    from training.evaluate import evaluate, evaluation_sets

    sets, union, what = evaluation_sets(
        data=None, columns=Columns(), config=None, corpora=None, skip_invalid=False
    )
    assert union == ["demo-headline-twins"]
    assert "demonstration samples" in what
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "accuracy"\nmin = 0.0\n')
    report = evaluate(model=demo_model_dir, sets=sets, union=union, data_description=what,
                      thresholds=gates, report_dir=tmp_path / "r")  # fmt: skip
    assert report["passed"]
    assert report["metrics"]["overall"]["n"] == len(sets["demo-headline-twins"])
