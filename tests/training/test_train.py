"""The training CLI on small data the tests write: artifact, determinism, validation, split."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datasets.corpora import holdout_bucket, read_twins
from datasets.readers import DataError
from sensational.artifact import load_bundle, sha256_file
from training.config import config_from_dict
from training.train import load_dataset, main, train


def n_twin_rows() -> int:
    return 2 * len(read_twins())


def write_twins_csv(path: Path, extra: list[list[str]] | None = None) -> Path:
    """The project's loaded/sober headline pairs as a data team's CSV with class names."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["title", "verdict"])
        for loaded, sober in read_twins():
            out.writerow([loaded, "loaded"])
            out.writerow([sober, "sober"])
        out.writerows(extra or [])
    return path


def own_config(path: Path, **top: object) -> dict:
    return {
        "name": "ours",
        "n_jobs": 1,
        **top,
        "data": [
            {
                "path": str(path),
                "headline": "title",
                "body": "",
                "label": "verdict",
                "label_kind": "classes",
                "positive": ["loaded"],
                "negative": ["sober"],
            }
        ],
    }


@pytest.fixture(scope="module")
def twins_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_twins_csv(tmp_path_factory.mktemp("data") / "twins.csv")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, twins_csv: Path) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("model")
    card = train(output=out, corpora=None, config=config_from_dict(own_config(twins_csv)))
    return out, card


def test_writes_the_artifact_folder(trained: tuple[Path, dict], twins_csv: Path) -> None:
    out, card = trained
    names = {p.name for p in out.iterdir()}
    assert {"model.joblib", "model.joblib.sha256", "model-card.json", "model-card.md"} <= names
    assert "config.json" in names
    assert (out / "model.joblib.sha256").read_text().split()[0] == sha256_file(out / "model.joblib")
    scorer, on_disk = load_bundle(out)
    assert on_disk["name"] == "ours" and on_disk["demo"] is False
    assert on_disk["data"][0]["files"] == [
        {"path": str(twins_csv), "sha256": sha256_file(twins_csv)}
    ]
    assert (
        on_disk["rows"]["train"]["headlines"] + on_disk["rows"]["held_out"]["headlines"]
        == n_twin_rows() - on_disk["validation"]["duplicates_merged"]
    )
    assert set(on_disk["metrics"]["overall"]) >= {
        "roc_auc",
        "pr_auc",
        "accuracy",
        "f1",
        "brier",
        "ece",
    }
    assert on_disk["libraries"]["scikit-learn"]
    assert on_disk["training_seconds"] > 0
    assert json.loads((out / "config.json").read_text())["name"] == "ours"
    assert "## Metrics" in (out / "model-card.md").read_text()
    assert 0.0 <= scorer.score("Shock horror in furious row", "").score <= 1.0


def test_same_config_and_data_give_the_same_metrics(
    trained: tuple[Path, dict], twins_csv: Path, tmp_path: Path
) -> None:
    _, first = trained
    again = train(output=tmp_path, corpora=None, config=config_from_dict(own_config(twins_csv)))
    assert again["metrics"] == first["metrics"]
    assert again["rows"] == first["rows"]


def test_bad_rows_stop_the_run_with_file_and_line(tmp_path: Path) -> None:
    path = write_twins_csv(
        tmp_path / "bad.csv",
        [
            ["", "loaded"],
            ["Fine headline", "maybe"],
            ["Twin row", "loaded"],
            ["twin ROW!", "sober"],
        ],
    )
    with pytest.raises(DataError) as info:
        train(output=tmp_path / "m", corpora=None, config=config_from_dict(own_config(path)))
    message = str(info.value)
    first = n_twin_rows() + 2  # after the header and the twins
    assert "4 invalid row(s)" in message
    for line, reason in (
        (first, "missing field"),
        (first + 1, "unknown label 'maybe'"),
        (first + 2, "duplicate with conflicting label 1"),
        (first + 3, "duplicate with conflicting label 0"),
    ):
        assert f"{path}:{line}: {reason}" in message
    assert not (tmp_path / "m" / "model.joblib").exists()


def test_skip_invalid_goes_on_and_counts(tmp_path: Path) -> None:
    path = write_twins_csv(tmp_path / "bad.csv", [["Fine headline", "maybe"]])
    config = config_from_dict(own_config(path, skip_invalid=True))
    card = train(output=tmp_path / "m", corpora=None, config=config)
    assert card["validation"]["skipped_invalid"] == 1
    assert (
        card["rows"]["train"]["headlines"] + card["rows"]["held_out"]["headlines"]
        == n_twin_rows() - card["validation"]["duplicates_merged"]
    )


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = write_twins_csv(tmp_path / "bad.csv", [["Fine headline", "maybe"]])
    args = [
        "--data",
        str(path),
        "--headline-col",
        "title",
        "--body-col",
        "",
        "--label-col",
        "verdict",
        "--label-kind",
        "classes",
        "--positive",
        "loaded",
        "--negative",
        "sober",
        "--output",
        str(tmp_path / "m"),
        "--quiet",
    ]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 2
    assert f"{path}:{n_twin_rows() + 2}: unknown label 'maybe'" in result.output
    assert "Traceback" not in result.output
    ok = CliRunner().invoke(_app(), [*args, "--skip-invalid"])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "m" / "model.joblib").is_file()


def test_cli_missing_config_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["--config", str(tmp_path / "no.toml"), "-q"])
    assert result.exit_code == 2
    assert "no such config file" in result.output


def test_fraction_picks_a_stable_subset(twins_csv: Path) -> None:
    cfg = own_config(twins_csv)
    cfg["data"][0]["fraction"] = 0.5
    first = load_dataset(config_from_dict(cfg), None)
    second = load_dataset(config_from_dict(cfg), None)
    rows = [r.headline for r in first.sources[0].rows]
    assert 0.25 * n_twin_rows() < len(rows) < 0.75 * n_twin_rows()
    assert rows == [r.headline for r in second.sources[0].rows]
    assert first.report.excluded == {"twins: outside fraction 0.5": n_twin_rows() - len(rows)}


def test_chakraborty_held_out_fifth_is_never_trained_on(tmp_path: Path) -> None:
    folder = tmp_path / "chakraborty-clickbait"
    folder.mkdir()
    heads = [f"Headline number {i} about things" for i in range(60)]
    for name, part in (("clickbait_data.gz", heads[:30]), ("non_clickbait_data.gz", heads[30:])):
        with gzip.open(folder / name, "wt", encoding="utf-8") as fh:
            fh.write("\n".join(f"  {h} " for h in part) + "\n")
    cfg = config_from_dict({"data": [{"corpus": "chakraborty-clickbait"}]})
    train_data, held_out, _ = load_dataset(cfg, tmp_path).split()
    assert held_out.headlines and train_data.headlines
    assert all(holdout_bucket(r.headline.strip()) == 0 for r in held_out.headlines)
    assert all(holdout_bucket(r.headline.strip()) != 0 for r in train_data.headlines)
    assert len(held_out.headlines) + len(train_data.headlines) == 60


def test_rows_with_a_body_go_to_articles(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"headline": "H1", "body": "Some body", "label": 1}\n'
        '{"headline": "H2", "body": "", "label": 0}\n',
        encoding="utf-8",
    )
    cfg = config_from_dict({"data": [{"path": str(path)}]})
    train_data, held_out, _ = load_dataset(cfg, None).split()
    articles = train_data.articles + held_out.articles
    headlines = train_data.headlines + held_out.headlines
    assert [r.headline for r in articles] == ["H1"]
    assert [r.headline for r in headlines] == ["H2"]


def test_demo_model_without_corpora(demo_model_dir: Path) -> None:
    card = json.loads((demo_model_dir / "model-card.json").read_text())
    assert card["demo"] is True
    assert card["data"][0]["name"] == "demo-headline-twins"
    assert "DEMONSTRATION" in (demo_model_dir / "model-card.md").read_text()


def test_search_runs_a_cross_validated_grid(twins_csv: Path, tmp_path: Path) -> None:
    cfg = own_config(twins_csv, n_jobs=2, search={"cv": 2, "grid": {"C": [1.0, 10.0]}})
    card = train(output=tmp_path, corpora=None, config=config_from_dict(cfg), search=True)
    search = card["search"]
    assert search["cv"] == 2
    assert search["best_params"]["C"] in (1.0, 10.0)
    assert len(search["candidates"]) == 2
    assert card["parameters"]["headline"]["C"] == search["best_params"]["C"]


def _app():  # type: ignore[no-untyped-def]
    import typer

    app = typer.Typer()
    app.command()(main)
    return app


def test_corpus_checksums_are_checked_against_the_manifest(tmp_path: Path) -> None:
    from datasets.corpora import corpora_root
    from training.train import corpus_checksums

    fake = tmp_path / "chakraborty-clickbait"
    fake.mkdir()
    (fake / "clickbait_data.gz").write_bytes(b"not the corpus")
    files, verified = corpus_checksums(fake)
    assert verified is False
    assert files == [
        {
            "path": "chakraborty-clickbait/clickbait_data.gz",
            "sha256": sha256_file(fake / "clickbait_data.gz"),
        }
    ]
    root = corpora_root()
    if root is not None and (root / "chakraborty-clickbait").is_dir():
        assert corpus_checksums(root / "chakraborty-clickbait")[1] is True


def test_cli_versioned_output_folder(twins_csv: Path, tmp_path: Path) -> None:
    args = ["--data", str(twins_csv), "--headline-col", "title", "--body-col", "",
            "--label-col", "verdict", "--positive", "loaded", "--negative", "sober",
            "--n-jobs", "1", "--output", str(tmp_path), "--versioned", "--quiet"]  # fmt: skip
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    (folder,) = tmp_path.iterdir()
    assert folder.name.startswith("sensational-")
    assert (folder / "model.joblib").is_file()


def test_cli_unknown_label_kind_is_named_and_exit_2(tmp_path: Path) -> None:
    path = write_twins_csv(tmp_path / "t.csv", [["Fine headline", "loaded"]])
    result = CliRunner().invoke(
        _app(),
        ["--data", str(path), "--label-col", "verdict", "--label-kind", "grades", "--quiet"],
    )
    assert result.exit_code == 2
    assert "--label-kind 'grades': use auto, binary, classes or score" in result.output
    assert "Traceback" not in result.output
