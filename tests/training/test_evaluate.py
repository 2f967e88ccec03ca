"""Evaluation: gates and their exit codes, the champion comparison on a frozen set, overlap."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datasets.corpora import REPO_ROOT, SAMPLES, corpora_root, read_twins
from datasets.readers import Columns, DataError
from training.cli import app
from training.config import config_from_dict
from training.evalsets import REFERENCE
from training.evaluation import FROZEN_FILE, evaluate, evaluation_sets
from training.gates import load_thresholds
from training.trainer import train

EVAL_CSV = SAMPLES / "own_data_example.csv"
DATA_ARGS = [
    "--data", str(EVAL_CSV), "--headline-col", "title", "--body-col", "text",
    "--label-col", "verdict", "--label-kind", "classes",
    "--positive", "sensational", "--negative", "sober",
]  # fmt: skip


def thresholds(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "thresholds.toml"
    path.write_text("[bootstrap]\nresamples = 200\n" + body, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["evaluate", *args, "--quiet"])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def inverted_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A challenger that learned the headline labels backwards: clearly worse."""
    data = tmp_path_factory.mktemp("inv")
    rows = [{"headline": a, "label": 0} for a, _ in read_twins()]
    rows += [{"headline": b, "label": 1} for _, b in read_twins()]
    (data / "inv.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    cfg = config_from_dict(
        {
            "n_jobs": 1,
            "data": [{"path": str(data / "inv.jsonl"), "body": ""}, {"sample": "story-pairs"}],
        }
    )
    out = data / "model"
    train(output=out, corpora=None, config=cfg)
    return out


def test_exit_0_when_every_gate_holds(demo_model_dir: Path, tmp_path: Path) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.5\n')
    code, output = run("--model", str(demo_model_dir), "--thresholds", str(gates),
                       "--report-dir", str(tmp_path / "r"), *DATA_ARGS)  # fmt: skip
    assert code == 0, output
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["passed"] is True
    assert report["metrics"]["overall"]["n"] == 16
    assert set(report["metrics"]["overall"]) >= {"roc_auc", "pr_auc", "accuracy", "brier", "ece"}
    (gate,) = report["gates"]
    low, high = gate["ci"]
    assert low <= gate["value"] <= high
    for png in ("roc.png", "calibration.png"):
        assert (tmp_path / "r" / png).read_bytes()[:4] == b"\x89PNG"
    assert "PASSED" in (tmp_path / "r" / "report.md").read_text()
    assert (tmp_path / "r" / FROZEN_FILE).is_file()


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
    assert failed["margin"] == pytest.approx(-report["metrics"]["overall"]["brier"], abs=1e-4)
    assert "gate overall.brier" in output and "misses <= 0 by" in output
    assert "**FAIL**" in (tmp_path / "r" / "report.md").read_text()


def test_gates_of_sets_not_evaluated_are_skipped_with_a_note(
    demo_model_dir: Path, tmp_path: Path
) -> None:
    gates = thresholds(
        tmp_path,
        '[[gate]]\nmetric = "roc_auc"\nmin = 0.5\n'
        '[[gate]]\nset = "hyperpartisan-semeval2019"\nmetric = "roc_auc"\nmin = 0.9\n'
        '[[gate]]\nset = "polnear-dev"\nmetric = "attribution_f1"\nmin = 0.9\n',
    )
    code, output = run("--model", str(demo_model_dir), "--thresholds", str(gates),
                       "--report-dir", str(tmp_path / "r"), *DATA_ARGS)  # fmt: skip
    assert code == 0, output
    assert "skipped hyperpartisan-semeval2019.roc_auc: not evaluated" in output
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [g["status"] for g in report["gates"]] == ["pass", "skipped", "skipped"]


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


def test_rows_the_model_was_trained_on_are_refused(tmp_path: Path) -> None:
    """`evaluate --data` on the model's own training file: a warning and exit code 2."""
    data = tmp_path / "train.jsonl"
    rows = [{"headline": a, "body": "", "label": 1} for a, _ in read_twins()]
    rows += [{"headline": b, "body": "", "label": 0} for _, b in read_twins()]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cfg = config_from_dict({"n_jobs": 1, "data": [{"path": str(data)}, {"sample": "story-pairs"}]})
    train(output=tmp_path / "m", corpora=None, config=cfg)
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "accuracy"\nmin = 0.0\n')
    code, output = run("--model", str(tmp_path / "m"), "--thresholds", str(gates),
                       "--data", str(data), "--report-dir", str(tmp_path / "r"))  # fmt: skip
    assert code == 2
    assert "overlap the training data of the model" in output
    assert "rows of overall" in output and "never saw" in output


def test_champion_against_itself_passes(demo_model_dir: Path, tmp_path: Path) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.0\n')
    code, output = run("--model", str(demo_model_dir), "--champion", str(demo_model_dir),
                       "--thresholds", str(gates), "--report-dir", str(tmp_path / "r"),
                       *DATA_ARGS)  # fmt: skip
    assert code == 0, output
    (result,) = json.loads((tmp_path / "r" / "report.json").read_text())["comparison"]["results"]
    assert result["change"] == 0.0 and result["ci"] == [0.0, 0.0] and result["passed"]


def test_worse_challenger_fails_against_the_champion(
    demo_model_dir: Path, inverted_model: Path, tmp_path: Path
) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.0\n')
    code, output = run("--model", str(inverted_model), "--champion", str(demo_model_dir),
                       "--thresholds", str(gates), "--report-dir", str(tmp_path / "r"),
                       *DATA_ARGS)  # fmt: skip
    assert code == 1, output
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    (result,) = report["comparison"]["results"]
    assert not result["passed"] and result["ci"][1] < 0
    assert "challenger is worse on overall.roc_auc" in output
    # The reverse (the better model as challenger) passes.
    code, _ = run("--model", str(demo_model_dir), "--champion", str(inverted_model),
                  "--thresholds", str(gates), "--report-dir", str(tmp_path / "r2"),
                  *DATA_ARGS)  # fmt: skip
    assert code == 0


def test_champion_report_compares_on_its_frozen_rows_even_when_the_data_changed(
    demo_model_dir: Path, inverted_model: Path, tmp_path: Path
) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.0\n')
    common = ["--thresholds", str(gates), *DATA_ARGS]
    code, _ = run("--model", str(demo_model_dir), "--report-dir", str(tmp_path / "champ"), *common)
    assert code == 0
    earlier = str(tmp_path / "champ" / "report.json")
    code, output = run("--model", str(inverted_model), "--champion-report", earlier,
                       "--report-dir", str(tmp_path / "cand"), *common)  # fmt: skip
    assert code == 1 and "challenger is worse on overall.roc_auc" in output

    # The candidate's data has an extra row: it is still compared, on the champion's rows.
    other = tmp_path / "other.csv"
    other.write_text(EVAL_CSV.read_text("utf-8") + "Extra row,,sober\n", encoding="utf-8")
    args = [a if a != str(EVAL_CSV) else str(other) for a in common]
    code, output = run("--model", str(demo_model_dir), "--champion-report", earlier,
                       "--report-dir", str(tmp_path / "x"), *args)  # fmt: skip
    assert code == 0, output
    comparison = json.loads((tmp_path / "x" / "report.json").read_text())["comparison"]
    assert "the data of overall changed" in comparison["note"]
    (result,) = comparison["results"]
    assert result["units"] == 16 and result["change"] == 0.0


def test_a_tampered_frozen_set_or_an_old_report(demo_model_dir: Path, tmp_path: Path) -> None:
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "roc_auc"\nmin = 0.0\n')
    common = ["--thresholds", str(gates), *DATA_ARGS]
    run("--model", str(demo_model_dir), "--report-dir", str(tmp_path / "champ"), *common)
    frozen = tmp_path / "champ" / FROZEN_FILE
    lines = gzip.decompress(frozen.read_bytes()).decode().splitlines()
    lines[1] = lines[1].replace('"label": 1.0', '"label": 0.0', 1)
    frozen.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    earlier = str(tmp_path / "champ" / "report.json")
    code, output = run("--model", str(demo_model_dir), "--champion-report", earlier,
                       "--report-dir", str(tmp_path / "x"), *common)  # fmt: skip
    assert code == 2 and "differs from the champion report's" in output

    old = json.loads(Path(earlier).read_text())
    old.pop("frozen"), old.pop("schema")
    Path(earlier).write_text(json.dumps(old), encoding="utf-8")
    code, output = run("--model", str(demo_model_dir), "--champion-report", earlier,
                       "--report-dir", str(tmp_path / "y"), *common)  # fmt: skip
    assert code == 0 and "without a frozen evaluation set: no comparison" in output


def test_default_held_out_split_without_corpora(demo_model_dir: Path, tmp_path: Path) -> None:
    sets, notes, what = evaluation_sets(data=None, columns=Columns(), config=None, corpora=None)
    names = [s.name for s in sets]
    assert names[0] == "overall" and {"headline-twins", "story-pairs"} <= set(names)
    assert "demonstration samples" in what
    assert "polnear-dev" in notes and REFERENCE in notes
    gates = thresholds(tmp_path, '[[gate]]\nmetric = "accuracy"\nmin = 0.0\n')
    report = evaluate(model=demo_model_dir, sets=sets, notes=notes, data_description=what,
                      thresholds=gates, report_dir=tmp_path / "r")  # fmt: skip
    assert report["passed"]
    overall = next(s for s in sets if s.name == "overall")
    assert report["metrics"]["overall"]["n"] == len(overall.items)


def _graded(ref_id: str, corpus: str, headline: str, body: str, grade: int, split: str):  # type: ignore[no-untyped-def]
    from datasets.reference import Article, GradedArticle, Sourcing

    article = Article(ref_id, corpus, "", headline, body)
    return GradedArticle(article, grade, grade, (), Sourcing("single", 1), "", split)


def test_reference_set_gate_from_graded_articles(demo_model_dir: Path, tmp_path: Path) -> None:
    loaded, sober = zip(*read_twins(), strict=True)
    graded = [
        _graded(f"polnear:a{i}", "polnear", h, "Officials said the figures were final.", 3, "test")
        for i, h in enumerate(loaded[:6])
    ] + [
        _graded(f"newsagendas:b{i}", "newsagendas", h, "The council met on Tuesday.", 0, "test")
        for i, h in enumerate(sober[:6])
    ]
    graded.append(_graded("ptc-dev:c", "ptc-dev", loaded[7], "x y z", 3, "dev"))  # dev: left out
    graded.append(_graded("ptc:111111111", "ptc", loaded[8], "x y z", 3, "test"))
    sets, notes, _ = evaluation_sets(config=None, corpora=None, reference_loader=lambda: graded)
    (reference,) = [s for s in sets if s.name == REFERENCE]
    assert len(reference.items) == 13 and REFERENCE not in notes
    assert sum(r.label for r in reference.items) == 7
    assert "grade >= 2" in reference.split
    gates = thresholds(tmp_path, '[[gate]]\nset = "reference"\nmetric = "roc_auc"\nmin = 0.6\n')
    report = evaluate(model=demo_model_dir, sets=sets, notes=notes, data_description="test",
                      thresholds=gates, report_dir=tmp_path / "r")  # fmt: skip
    (gate,) = report["gates"]
    assert gate["gate"] == "reference.roc_auc" and gate["status"] in ("pass", "fail")
    assert report["metrics"][REFERENCE]["n"] == 13


def test_reference_set_is_skipped_with_a_note_while_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    from datasets import reference
    from training.evalsets import reference_set

    monkeypatch.setattr(reference, "ARTICLES_FILE", Path("/nonexistent/articles.jsonl"))
    built, note = reference_set(corpora_root())
    assert built is None and "articles.jsonl" in (note or "")


def test_shipped_thresholds_load_and_name_every_kind_of_set() -> None:
    gates = load_thresholds(REPO_ROOT / "training" / "thresholds.toml")
    sets = {g.set for g in gates.gates}
    assert sets >= {
        "chakraborty-clickbait",
        "hyperpartisan-semeval2019",
        "semeval2020-ptc-dev",
        "polnear-dev",
        "reference",
    }
    assert gates.resamples >= 1000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", r"no \[\[gate\]\] tables"),
        ('[[gate]]\nmetric = "speed"\nmin = 1\n', "metric must be one of"),
        ('[[gate]]\nmetric = "f1"\n', "give 'min' or 'max'"),
        ('[[gate]]\nmetric = "f1"\nmin = 0.5\ntolerance = 0.1\n', "unknown key"),
        ('default_tolerance = 0.1\n[[gate]]\nmetric = "f1"\nmin = 0.5\n', "unknown key"),
    ],
)
def test_bad_thresholds_files(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_thresholds(path)


@pytest.mark.corpora
def test_the_readme_own_data_commands_word_for_word(tmp_path: Path) -> None:
    """README, "Retraining and evaluation": the own-data example trains (exit 0) and is
    evaluated against the default model (exit 0 or 1, never 2)."""
    if corpora_root() is None or not (REPO_ROOT / "models/default/model.joblib").is_file():
        pytest.skip("needs the corpora and models/default (make model)")
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Retraining and evaluation", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]
    commands = [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands[0].startswith("cp training/configs/example-own-data.toml")
    for name in ("training", "datasets", "sensational"):
        (tmp_path / name).symlink_to(REPO_ROOT / name)
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "default").symlink_to(REPO_ROOT / "models" / "default")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    codes = []
    for command in commands:
        shell = command.replace("python ", f"{sys.executable} ", 1)
        done = subprocess.run(
            shell, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
        )
        codes.append(done.returncode)
        assert done.returncode in (0, 1), f"{command}: {done.stderr[-2000:]}"
    assert codes[:2] == [0, 0]  # cp and train
    assert (tmp_path / "models" / "mine" / "model.joblib").is_file()
    shutil.rmtree(tmp_path / "models" / "mine")
