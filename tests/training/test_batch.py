"""Batch scoring on Dask: formats, equality with the API, bad rows, restarts, the command."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from datasets.corpora import REPO_ROOT, read_story_pairs
from sensational.artifact import CARD_FILE, MODEL_FILE
from service.app import create_app
from service.settings import Settings
from training import batch
from training.batch import BatchError, score_files
from training.tables import file_format, read_chunks, resolve_inputs

SCORE_COLUMNS = [
    "score",
    "label",
    "headline_score",
    "body_score",
    "framing_score",
    "sourcing_score",
    "model_version",
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two worker processes, shared by the tests of this module (start-up takes seconds)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def articles() -> list[dict[str, str]]:
    """Real-looking articles: the project's story pairs, each side, plus headline-only rows."""
    rows = []
    for pair in read_story_pairs():
        for side in ("sensational", "sober"):
            rows.append(
                {
                    "id": f"{pair['id']}-{side}",
                    "headline": pair[side]["headline"],
                    "body": pair[side]["body"],
                }
            )
    rows += [{"id": f"h{i}", "headline": r["headline"], "body": ""} for i, r in enumerate(rows[:4])]
    return rows


def write_jsonl(path: Path, rows: list[dict[str, object]], *, gz: bool = False) -> Path:
    opener = gzip.open if gz else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    return path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=["id", "headline", "body"])
        out.writeheader()
        out.writerows(rows)
    return path


def write_parquet(path: Path, rows: list[dict[str, str]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=5)
    return path


def read_output(folder: Path) -> list[dict[str, object]]:
    return pq.read_table(folder).to_pylist()


def by_id(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r["id"]): r for r in rows}


def test_jsonl_csv_and_parquet_give_the_scorers_scores(
    cluster, articles, demo_model_dir, demo_scorer, tmp_path
):
    inputs = {
        "jsonl.gz": write_jsonl(tmp_path / "in.jsonl.gz", articles, gz=True),
        "csv": write_csv(tmp_path / "in.csv", articles),
        "parquet": write_parquet(tmp_path / "in.parquet", articles),
    }
    outputs = {}
    for name, path in inputs.items():
        out = tmp_path / f"out-{name}.parquet"
        report = score_files(
            path, out, model=demo_model_dir, scheduler=cluster, partition_rows=7, progress=False
        )
        assert report.rows == len(articles)
        assert report.bad_rows == 0
        assert report.partitions == -(-len(articles) // 7)
        outputs[name] = by_id(read_output(out))
    for article in articles:
        expected = demo_scorer.score(article["headline"], article["body"])
        for name, rows in outputs.items():
            row = rows[article["id"]]
            assert row["score"] == expected.score, name
            assert row["label"] == expected.label
            assert row["framing_score"] == expected.framing.score
            assert row["sourcing_score"] == expected.sourcing.score
            assert row["error"] is None
            assert len(row["spans"]) == len(expected.framing.spans)
    headline_only = outputs["csv"]["h0"]
    assert headline_only["body_score"] is None and headline_only["sourcing_score"] is None


def test_rows_equal_the_apis_answers_for_the_same_text(cluster, articles, demo_model_dir, tmp_path):
    out = tmp_path / "out.parquet"
    score_files(
        write_jsonl(tmp_path / "in.jsonl", articles),
        out,
        model=demo_model_dir,
        scheduler=cluster,
        answers=True,
        progress=False,
    )
    rows = by_id(read_output(out))
    with TestClient(create_app(Settings(model_path=demo_model_dir, answer_cache_mb=0))) as api:
        for article in articles:
            payload = {k: v for k, v in article.items() if k != "id" and v}
            answer = api.post("/v1/score", json=payload)
            assert answer.status_code == 200
            row = rows[article["id"]]
            assert row["answer"] == answer.text  # byte for byte
            body = answer.json()
            assert row["score"] == body["score"]
            assert row["label"] == body["label"]
            assert row["headline_score"] == (body["headline"] or {}).get("score")
            assert row["body_score"] == (body["body"] or {}).get("score")
            assert row["framing_score"] == body["framing"]["score"]
            assert row["sourcing_score"] == body["sourcing"]["score"]
            assert row["model_version"] == body["model"]["version"]
            assert row["criteria"] == body["criteria"]
            assert row["spans"] == body["framing"]["spans"]


def test_bad_rows_are_written_with_their_error_and_counted(cluster, demo_model_dir, tmp_path):
    good = {"id": "ok", "headline": "Council approves flood plan", "body": "It met on Monday."}
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(good).encode(),
        b"{not json",
        b"[1, 2, 3]",
        b'{"headline": "caf\xe9 closes"}',  # Latin-1 bytes, not UTF-8
        b"",  # a blank line is no record
        json.dumps({"id": "empty", "headline": " ", "body": ""}).encode(),
        json.dumps({"id": "symbols", "headline": "!!! ???"}).encode(),
        json.dumps({"id": "number", "headline": 42}).encode(),
        json.dumps({"id": "untitled", "title": "A headline under another name"}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.parquet"
    report = score_files(path, out, model=demo_model_dir, scheduler=cluster, progress=False)
    rows = read_output(out)
    assert report.rows == len(rows) == 8  # every record but the blank line
    assert report.bad_rows == 7
    assert report.bad_by_code == {"invalid_input": 2, "nothing_to_score": 1, "unreadable": 4}
    codes = {str(r["id"]): r["error_code"] for r in rows}
    assert codes["ok"] is None
    assert codes["mixed.jsonl:2"] == codes["mixed.jsonl:3"] == codes["mixed.jsonl:4"]
    assert codes["empty"] == "invalid_input" and codes["number"] == "invalid_input"
    assert codes["symbols"] == "nothing_to_score"
    errors = {str(r["id"]): r["error"] for r in rows}
    assert "not JSON" in errors["mixed.jsonl:2"]
    assert "not an object" in errors["mixed.jsonl:3"]
    assert "not valid UTF-8" in errors["mixed.jsonl:4"]
    assert "must be a string" in errors["number"]
    assert "neither a 'headline' nor a 'body'" in errors["untitled"]
    for row in rows:
        if row["error"] is not None:
            assert row["score"] is None and row["label"] is None
    summary = json.loads((out / batch.SUMMARY).read_text())
    assert summary["bad_rows"] == 7


def test_csv_rows_with_the_wrong_shape_are_bad_rows(cluster, demo_model_dir, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        'id,headline,body\n1,"Storm hits coast","Winds\nreached 100 km/h."\n2,too,many,fields\n'
        "3,Quiet day,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.parquet"
    report = score_files(path, out, model=demo_model_dir, scheduler=cluster, progress=False)
    rows = by_id(read_output(out))
    assert report.rows == 3 and report.bad_rows == 1
    assert rows["1"]["error"] is None  # a quoted newline stays inside its field
    assert "has 4 fields, the header has 3" in rows["in.csv:2"]["error"]
    assert rows["3"]["body_score"] is None


def test_a_crashed_run_resumes_without_rescoring_what_was_written(
    cluster, articles, demo_model_dir, tmp_path, monkeypatch
):
    path = write_jsonl(tmp_path / "in.jsonl", articles)
    out = tmp_path / "out.parquet"
    reference = tmp_path / "reference.parquet"
    whole = score_files(
        path, reference, model=demo_model_dir, scheduler=cluster, partition_rows=4, progress=False
    )
    assert whole.partitions >= 5

    real_write = batch._write_part
    written: list[str] = []

    def crash_after_two(output, name, table):
        if len(written) == 2:
            (output / f"{name}.parquet.tmp").write_bytes(b"half a file")
            raise KeyboardInterrupt  # the process dies while writing the third part
        real_write(output, name, table)
        written.append(name)

    monkeypatch.setattr(batch, "_write_part", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        score_files(
            path, out, model=demo_model_dir, scheduler=cluster, partition_rows=4, progress=False
        )
    assert sorted(p.stem for p in out.glob("part-*.parquet")) == sorted(written)
    monkeypatch.setattr(batch, "_write_part", real_write)

    resumed = score_files(
        path, out, model=demo_model_dir, scheduler=cluster, partition_rows=4, progress=False
    )
    assert resumed.partitions_skipped == 2
    assert resumed.partitions_scored == whole.partitions - 2
    assert resumed.rows == len(articles) and resumed.bad_rows == 0
    assert not list(out.glob("*.tmp"))
    done = sorted(read_output(out), key=lambda r: str(r["id"]))
    assert done == sorted(read_output(reference), key=lambda r: str(r["id"]))

    again = score_files(
        path, out, model=demo_model_dir, scheduler=cluster, partition_rows=4, progress=False
    )
    assert again.partitions_scored == 0 and again.partitions_skipped == whole.partitions


def test_a_resume_with_other_options_or_another_output_is_refused(
    cluster, articles, demo_model_dir, tmp_path
):
    path = write_jsonl(tmp_path / "in.jsonl", articles[:3])
    out = tmp_path / "out.parquet"
    score_files(path, out, model=demo_model_dir, scheduler=cluster, progress=False)
    with pytest.raises(BatchError, match="partition_rows"):
        score_files(
            path, out, model=demo_model_dir, scheduler=cluster, partition_rows=2, progress=False
        )
    report = score_files(
        path,
        out,
        model=demo_model_dir,
        scheduler=cluster,
        partition_rows=2,
        overwrite=True,
        progress=False,
    )
    assert report.partitions == 2 and report.rows == 3
    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "notes.txt").write_text("mine")
    with pytest.raises(BatchError, match="not empty"):
        score_files(path, stray, model=demo_model_dir, scheduler=cluster, progress=False)


def test_the_model_is_loaded_once_per_worker(cluster, articles, demo_model_dir, tmp_path):
    from distributed import Client

    path = write_jsonl(tmp_path / "in.jsonl", articles)
    score_files(
        path,
        tmp_path / "out.parquet",
        model=demo_model_dir,
        scheduler=cluster,
        partition_rows=2,
        progress=False,
    )
    key = batch.ModelPayload.from_folder(demo_model_dir).key
    with Client(cluster) as client:
        loaded = client.run(lambda: list(batch._SCORERS))
    assert len(loaded) == 2
    for models in loaded.values():
        assert models.count(key) == 1  # one scorer per worker, kept across partitions


def test_inputs_by_folder_and_glob_and_generated_ids(cluster, articles, demo_model_dir, tmp_path):
    folder = tmp_path / "archive"
    (folder / "2024").mkdir(parents=True)
    write_jsonl(folder / "2024" / "a.jsonl", [{k: v for k, v in articles[0].items() if k != "id"}])
    write_csv(folder / "b.csv", articles[1:3])
    (folder / "README.txt").write_text("not an input")
    assert [p.name for p in resolve_inputs(folder)] == ["a.jsonl", "b.csv"]
    assert [p.name for p in resolve_inputs(f"{folder}/**/*.jsonl")] == ["a.jsonl"]
    out = tmp_path / "out.parquet"
    report = score_files(folder, out, model=demo_model_dir, scheduler=cluster, progress=False)
    assert report.rows == 3
    ids = sorted(str(r["id"]) for r in read_output(out))
    assert ids == sorted(["2024/a.jsonl:1", articles[1]["id"], articles[2]["id"]])


def test_unusable_inputs_stop_before_any_work(demo_model_dir, tmp_path):
    with pytest.raises(BatchError, match="no such file"):
        score_files(tmp_path / "missing.jsonl", tmp_path / "o", model=demo_model_dir)
    (tmp_path / "cols.csv").write_text("title,text\nA,B\n")
    with pytest.raises(BatchError, match="--headline-column"):
        score_files(tmp_path / "cols.csv", tmp_path / "o", model=demo_model_dir)
    (tmp_path / "x.csv").write_text("headline\nA\n")
    with pytest.raises(BatchError, match="model"):
        score_files(tmp_path / "x.csv", tmp_path / "o", model=tmp_path / "no-model")
    with pytest.raises(ValueError, match="unknown format"):
        file_format(Path("notes.txt"))


def test_a_model_built_with_other_libraries_is_refused_by_the_workers(
    cluster, demo_model_dir, tmp_path
):
    model = tmp_path / "model"
    shutil.copytree(demo_model_dir, model)
    card = json.loads((model / CARD_FILE).read_text())
    card["libraries"]["scikit-learn"] = "0.24.2"
    (model / CARD_FILE).write_text(json.dumps(card))
    path = write_jsonl(tmp_path / "in.jsonl", [{"headline": "Storm hits coast"}])
    with pytest.raises(BatchError, match="refused by a worker: .*other library versions"):
        score_files(path, tmp_path / "out", model=model, scheduler=cluster, progress=False)
    (model / MODEL_FILE).write_bytes(b"tampered")
    with pytest.raises(BatchError, match="checksum mismatch"):
        score_files(path, tmp_path / "out2", model=model, scheduler=cluster, progress=False)


def test_chunks_are_bounded_and_cover_every_record(tmp_path):
    rows = [{"headline": f"Headline {i}"} for i in range(23)]
    path = write_jsonl(tmp_path / "in.jsonl.gz", rows, gz=True)
    chunks = list(read_chunks(path, 10))
    assert [len(c.records) for c in chunks] == [10, 10, 3]
    assert [r.row for c in chunks for r in c.records] == list(range(1, 24))
    assert sum(c.nbytes for c in chunks) == path.stat().st_size


def test_the_command_runs_on_a_local_cluster_and_says_what_it_did(
    articles, demo_model_dir, tmp_path
):
    path = write_jsonl(tmp_path / "in.jsonl", [*articles[:3], {"id": "bad", "headline": ""}])
    out = tmp_path / "out.parquet"
    cmd = [sys.executable, "-m", "training", "score", "-i", str(path), "-o", str(out)]
    cmd += ["--model", str(demo_model_dir), "--workers", "1", "--quiet"]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "4 rows, 1 bad (1 invalid_input)" in done.stdout
    assert len(read_output(out)) == 4
    missing = subprocess.run(
        [*cmd[:5], str(tmp_path / "nope.jsonl"), *cmd[6:]],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2
    assert "no such file or folder" in missing.stderr
