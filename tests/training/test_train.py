"""Training: the artifact folder, validation, clear failures, the split, reproducible bytes."""

from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datasets.corpora import REPO_ROOT, holdout_bucket, read_twins
from datasets.readers import DataError
from sensational.artifact import load_bundle, sha256_file
from training.cli import app
from training.config import config_from_dict
from training.data import TRAINING_KEYS, load_dataset, read_training_keys, row_key
from training.trainer import train


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


def own_config(path: Path, *, stories: bool = True, **top: object) -> dict:
    """Headline rows from ``path``; the story pairs (articles) only when asked for."""
    data: list[dict] = [
        {
            "path": str(path),
            "headline": "title",
            "body": "",
            "label": "verdict",
            "label_kind": "classes",
            "positive": ["loaded"],
            "negative": ["sober"],
        }
    ]
    if stories:
        data.append({"sample": "story-pairs"})
    return {"name": "ours", "n_jobs": 1, **top, "data": data}


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


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
    assert {"config.json", TRAINING_KEYS} <= names
    assert (out / "model.joblib.sha256").read_text().split()[0] == sha256_file(out / "model.joblib")
    scorer, on_disk = load_bundle(out)
    assert on_disk["name"] == "ours" and on_disk["demo"] is False
    assert on_disk["data"][0]["files"] == [
        {"path": str(twins_csv), "sha256": sha256_file(twins_csv)}
    ]
    rows = on_disk["rows"]
    assert (
        rows["train"]["headlines"] + rows["held_out"]["headlines"]
        == n_twin_rows() - on_disk["validation"]["duplicates_merged"]
    )
    assert set(on_disk["metrics"]["overall"]) >= {"roc_auc", "pr_auc", "accuracy", "brier", "ece"}
    assert on_disk["libraries"]["scikit-learn"]
    assert on_disk["training_seconds"] > 0
    assert json.loads((out / "config.json").read_text())["name"] == "ours"
    assert "## Metrics" in (out / "model-card.md").read_text()
    assert 0.0 <= scorer.score("Shock horror in furious row", "").score <= 1.0


def test_card_records_commit_version_and_peak_memory(trained: tuple[Path, dict]) -> None:
    out, card = trained
    build = card["build"]
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert build["git"]["commit"] == head
    assert isinstance(build["git"]["dirty"], bool)
    assert build["peak_memory_mb"] > 10
    # The version is the code's version plus a hash of the fitted model, in the card, in
    # every answer, and checked against the model.
    code, digest = card["version"].split("+")
    assert code == build["code_version"] and len(digest) == 12
    scorer, _ = load_bundle(out)
    assert scorer.version == card["version"]


def test_training_keys_list_every_training_row_and_no_held_out_one(
    trained: tuple[Path, dict], twins_csv: Path
) -> None:
    out, card = trained
    keys = read_training_keys(out)
    assert keys is not None and len(keys) == card["training_keys"]["rows"]
    dataset = load_dataset(config_from_dict(own_config(twins_csv)), None)
    train_data, held_out, _ = dataset.split()
    assert {row_key(r) for r in train_data.headlines + train_data.articles} == keys
    assert not keys & {row_key(r) for r in held_out.headlines + held_out.articles}


def test_samples_are_used_only_when_the_config_names_them(
    trained: tuple[Path, dict], twins_csv: Path, tmp_path: Path
) -> None:
    _, card = trained
    assert card["samples_used"] == {"story-pairs": card["samples_used"]["story-pairs"]}
    assert "not a held-out figure" in card["samples_used"]["story-pairs"]
    assert card["metrics"]["samples"]["story_pairs"]["trained_on"]
    assert any(d["sample"] == "story-pairs" for d in card["data"])
    # Headline rows only, and no story pairs named: no silent stand-in, a clear error.
    code, output = cli(
        "train", "--data", str(twins_csv), "--headline-col", "title", "--body-col", "",
        "--label-col", "verdict", "--positive", "loaded", "--negative", "sober",
        "-o", str(tmp_path / "m"), "-q",
    )  # fmt: skip
    assert code == 2, output
    assert "no rows with a body (articles)" in output and 'sample = "story-pairs"' in output
    assert "Traceback" not in output and not (tmp_path / "m" / "model.joblib").exists()


def test_same_config_and_data_give_the_same_metrics(
    trained: tuple[Path, dict], twins_csv: Path, tmp_path: Path
) -> None:
    _, first = trained
    again = train(output=tmp_path, corpora=None, config=config_from_dict(own_config(twins_csv)))
    assert again["metrics"] == first["metrics"]
    assert again["rows"] == first["rows"]
    assert again["artifact"]["sha256"] == first["artifact"]["sha256"]
    assert again["version"] == first["version"]
    # Another hyperparameter, another model: another version.
    other = own_config(twins_csv, params={"headline": {"C": 0.5}})
    changed = train(output=tmp_path / "c", corpora=None, config=config_from_dict(other))
    assert changed["version"] != first["version"]


def test_two_training_processes_write_the_same_bytes(tmp_path: Path) -> None:
    """Two separate runs of the CLI (fresh interpreters, so fresh hash seeds and memory
    addresses) on the same small config write the same model.joblib."""
    csv_path = write_twins_csv(tmp_path / "twins.csv")
    config = tmp_path / "small.toml"
    config.write_text(
        "name = 'repro'\nn_jobs = 2\n[[data]]\n"
        f"path = '{csv_path}'\nheadline = 'title'\nbody = ''\nlabel = 'verdict'\n"
        "label_kind = 'classes'\npositive = ['loaded']\nnegative = ['sober']\n"
        "[[data]]\nsample = 'story-pairs'\n",
        encoding="utf-8",
    )
    digests = []
    for run in ("a", "b"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "training",
                "train",
                "-c",
                str(config),
                "-o",
                str(tmp_path / run),
                "-q",
            ],  # fmt: skip
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        digests.append(sha256_file(tmp_path / run / "model.joblib"))
        card = json.loads((tmp_path / run / "model-card.json").read_text())
        digests.append(card["version"])
        assert (tmp_path / run / TRAINING_KEYS).read_bytes() == (
            tmp_path / "a" / TRAINING_KEYS
        ).read_bytes()
    assert digests[0] == digests[2] and digests[1] == digests[3]


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


def test_skip_invalid_goes_on_counts_and_lists_the_rows_beside_the_model(tmp_path: Path) -> None:
    path = write_twins_csv(tmp_path / "bad.csv", [["Fine headline", "maybe"]])
    config = config_from_dict(own_config(path, skip_invalid=True))
    card = train(output=tmp_path / "m", corpora=None, config=config)
    assert card["validation"]["skipped_invalid"] == 1
    assert card["validation"]["skipped_file"] == "skipped-rows.tsv"
    lines = (tmp_path / "m" / "skipped-rows.tsv").read_text().splitlines()
    assert lines[0] == "origin\treason" and len(lines) == 2
    assert lines[1].startswith(f"{path}:{n_twin_rows() + 2}\tunknown label 'maybe'")


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = write_twins_csv(tmp_path / "bad.csv", [["Fine headline", "maybe"]])
    config = tmp_path / "c.toml"
    config.write_text(
        f"[[data]]\npath = '{path}'\nheadline = 'title'\nbody = ''\nlabel = 'verdict'\n"
        "label_kind = 'classes'\npositive = ['loaded']\nnegative = ['sober']\n"
        "[[data]]\nsample = 'story-pairs'\n",
        encoding="utf-8",
    )
    args = ["train", "-c", str(config), "-o", str(tmp_path / "m"), "--n-jobs", "1", "-q"]
    code, output = cli(*args)
    assert code == 2
    assert f"{path}:{n_twin_rows() + 2}: unknown label 'maybe'" in output
    assert "Traceback" not in output
    code, output = cli(*args, "--skip-invalid")
    assert code == 0, output
    assert (tmp_path / "m" / "model.joblib").is_file()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # One class: every headline loaded.
        ([["Shock horror", "loaded"], ["You won't believe it", "loaded"]] * 10,
         "is labelled 1 (positive)"),
        # No valid row at all, even with --skip-invalid.
        ([["Shock horror", "perhaps"], ["Calm news", "unsure"]], "no valid rows in rows"),
    ],
)  # fmt: skip
def test_unusable_data_exits_2_without_a_traceback(
    tmp_path: Path, rows: list[list[str]], message: str
) -> None:
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["title", "verdict"], *[[f"{h} {i}", v] for i, (h, v) in
                                                          enumerate(rows)]])  # fmt: skip
    code, output = cli(
        "train", "--data", str(path), "--headline-col", "title", "--body-col", "",
        "--label-col", "verdict", "--positive", "loaded", "--negative", "sober",
        "--skip-invalid", "-o", str(tmp_path / "m"), "-q",
    )  # fmt: skip
    assert code == 2, output
    assert message in output
    assert "Traceback" not in output and "ValueError" not in output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[params.headlin]\nC = 3.0\n", "'headlin' (did you mean 'headline'?)"),
        ("[params.headline]\nCc = 0.5\n", "params.headline: unknown parameter(s) 'Cc'"),
        ("seeds = 3\n", "unknown key(s) 'seeds' (did you mean 'seed'?)"),
    ],
)
def test_unknown_parameter_and_config_keys_exit_2(
    twins_csv: Path, tmp_path: Path, extra: str, message: str
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f"{extra}\n[[data]]\npath = '{twins_csv}'\nheadline = 'title'\nbody = ''\n"
        "label = 'verdict'\nlabel_kind = 'classes'\npositive = ['loaded']\nnegative = ['sober']\n",
        encoding="utf-8",
    )
    code, output = cli("train", "-c", str(config), "-o", str(tmp_path / "m"), "-q")
    assert code == 2
    assert message in output and "known:" in output
    assert not (tmp_path / "m").exists()


def test_cli_missing_config_exit_2(tmp_path: Path) -> None:
    code, output = cli("train", "--config", str(tmp_path / "no.toml"), "-q")
    assert code == 2
    assert "no such config file" in output


def test_fraction_picks_a_stable_subset(twins_csv: Path) -> None:
    cfg = own_config(twins_csv, stories=False)
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


def test_demo_model_without_corpora_says_which_samples_it_read(demo_model_dir: Path) -> None:
    card = json.loads((demo_model_dir / "model-card.json").read_text())
    assert card["demo"] is True
    assert [d["name"] for d in card["data"]] == ["headline-twins", "story-pairs"]
    assert set(card["samples_used"]) == {"headline-twins", "story-pairs"}
    assert "DEMONSTRATION" in (demo_model_dir / "model-card.md").read_text()


def test_search_runs_a_cross_validated_grid(twins_csv: Path, tmp_path: Path) -> None:
    cfg = own_config(twins_csv, n_jobs=2, search={"cv": 2, "grid": {"C": [1.0, 10.0]}})
    card = train(output=tmp_path, corpora=None, config=config_from_dict(cfg), search=True)
    search = card["search"]
    assert search["cv"] == 2
    assert search["best_params"]["C"] in (1.0, 10.0)
    assert len(search["candidates"]) == 2
    assert card["parameters"]["headline"]["C"] == search["best_params"]["C"]


def test_corpus_checksums_are_checked_against_the_manifest(tmp_path: Path) -> None:
    from datasets.corpora import corpora_root
    from training.data import corpus_checksums

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


def test_cli_names_a_flag_only_model_after_its_folder_and_versions_it(tmp_path: Path) -> None:
    from training.bundle import read_story_pairs

    rows = [{"headline": a, "body": "", "label": 1} for a, _ in read_twins()]
    rows += [{"headline": b, "body": "", "label": 0} for _, b in read_twins()]
    for pair in read_story_pairs():
        rows.append({**pair["sensational"], "label": 1})
        rows.append({**pair["sober"], "label": 0})
    data = tmp_path / "mixed.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    base = ["train", "--data", str(data), "--n-jobs", "1", "-q"]
    code, output = cli(*base, "--output", str(tmp_path / "mine"))
    assert code == 0, output
    assert json.loads((tmp_path / "mine" / "model-card.json").read_text())["name"] == "mine"
    code, output = cli(*base, "--name", "team-model", "--output", str(tmp_path / "v"),
                       "--versioned")  # fmt: skip
    assert code == 0, output
    (folder,) = (tmp_path / "v").iterdir()
    assert folder.name.startswith("team-model-")
    assert json.loads((folder / "model-card.json").read_text())["name"] == "team-model"


def test_cli_unknown_label_kind_is_named_and_exit_2(tmp_path: Path) -> None:
    path = write_twins_csv(tmp_path / "t.csv", [["Fine headline", "loaded"]])
    code, output = cli(
        "train", "--data", str(path), "--label-col", "verdict", "--label-kind", "grades", "-q"
    )
    assert code == 2
    assert "--label-kind 'grades': use auto, binary, classes or score" in output
    assert "Traceback" not in output
