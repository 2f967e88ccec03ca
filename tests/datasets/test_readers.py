"""The generic readers: formats, column mapping, label kinds, and every kind of bad row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datasets.readers import (
    Columns,
    DataError,
    ReadReport,
    check_duplicates,
    normalize_key,
    read_table,
    split_bucket,
)


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_mapped_columns_and_class_names(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ours.csv",
        'title,text,verdict\n"Shock, horror",,sensational\nCalm update,Body here,sober\n',
    )
    cols = Columns(
        headline="title",
        body="text",
        label="verdict",
        label_kind="classes",
        positive=("sensational",),
        negative=("sober",),
    )
    report = ReadReport()
    rows = list(read_table(path, cols, report))
    assert report.problems == []
    assert [(r.headline, r.body, r.label) for r in rows] == [
        ("Shock, horror", "", 1.0),
        ("Calm update", "Body here", 0.0),
    ]
    assert rows[0].origin == f"{path}:2"
    assert rows[1].origin == f"{path}:3"


def test_tsv_binary_labels(tmp_path: Path) -> None:
    path = write(tmp_path / "ours.tsv", "headline\tlabel\nA\t1\nB\t0\nC\ttrue\n")
    rows = list(read_table(path, Columns(body=None, label_kind="binary"), ReadReport()))
    assert [r.label for r in rows] == [1.0, 0.0, 1.0]


def test_jsonl_graded_scores(tmp_path: Path) -> None:
    lines = [{"h": "A", "b": "x", "s": 0.25}, {"h": "B", "b": "y", "s": "0.9"}]
    path = write(tmp_path / "g.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    rows = list(
        read_table(
            path, Columns(headline="h", body="b", label="s", label_kind="score"), ReadReport()
        )
    )
    assert [r.label for r in rows] == [0.25, 0.9]


def test_csv_quoted_newline_keeps_the_starting_line(tmp_path: Path) -> None:
    path = write(tmp_path / "q.csv", 'headline,body,label\nA,"two\nlines",1\nB,,x\n')
    report = ReadReport()
    rows = list(read_table(path, Columns(), report))
    assert rows[0].body == "two\nlines"
    assert [str(p) for p in report.problems] == [f"{path}:4: unknown label 'x'"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"headline": "A", "body": ""}\n', "missing field 'label'"),
        ('{"headline": "A", "label": 1}\n', "missing field 'body'"),
        ('{"headline": "", "body": "", "label": 1}\n', "missing field: both headline and body"),
        ('{"headline": "A", "body": "", "label": "maybe"}\n', "unknown label 'maybe'"),
        ('{"headline": "A", "body": "", "label": 1.5}\n', "outside 0..1"),
        ('{"headline": "A", "body": "", "label": ""}\n', "empty label"),
        ('{"headline": "A", "body": ""\n', "not valid JSON"),
        ("[1, 2]\n", "must be an object"),
    ],
)
def test_bad_jsonl_rows_are_reported_with_file_and_line(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = write(tmp_path / "bad.jsonl", '{"headline": "ok", "body": "", "label": 0}\n' + content)
    report = ReadReport()
    rows = list(read_table(path, Columns(), report))
    assert len(rows) == 1
    assert len(report.problems) == 1
    assert report.problems[0].origin == f"{path}:2"
    assert reason in report.problems[0].reason


def test_bad_encoding_is_one_row_not_the_whole_file(tmp_path: Path) -> None:
    path = write(tmp_path / "enc.csv", b"headline,label\ngood,1\nbad \xff\xfe byte,0\nfine,0\n")
    report = ReadReport()
    rows = list(read_table(path, Columns(body=None), report))
    assert [r.headline for r in rows] == ["good", "fine"]
    assert [str(p) for p in report.problems] == [f"{path}:3: bad encoding (not valid UTF-8)"]


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", "headline,label\nA,1,extra\n")
    report = ReadReport()
    assert list(read_table(path, Columns(body=None), report)) == []
    assert "expected 2 fields, got 3" in report.problems[0].reason


def test_header_without_mapped_column_stops_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv", "title,label\nA,1\n")
    with pytest.raises(DataError, match=r"h\.csv:1: column\(s\) 'headline'"):
        list(read_table(path, Columns(body=None), ReadReport()))


def test_byte_order_mark_and_semicolons(tmp_path: Path) -> None:
    path = write(tmp_path / "b.csv", "\ufeffheadline;label\nA;1\n".encode())
    rows = list(read_table(path, Columns(body=None), ReadReport(), delimiter=";"))
    assert rows[0].headline == "A"


def test_unknown_format_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "data.xlsx", "x")
    with pytest.raises(DataError, match="format"):
        list(read_table(path, Columns(), ReadReport()))


def test_conflicting_duplicates_are_all_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.csv",
        "headline,label\nShock news!,1\nshock   NEWS,0\nOther,1\nOther,1\n",
    )
    report = ReadReport()
    rows = check_duplicates(list(read_table(path, Columns(body=None), report)), report)
    assert [r.headline for r in rows] == ["Other"]
    assert report.duplicates_merged == 1
    assert sorted(p.origin for p in report.problems) == [f"{path}:2", f"{path}:3"]
    assert all("conflicting label" in p.reason for p in report.problems)


def test_near_identical_rows_share_a_split_bucket() -> None:
    from datasets.corpora import Example

    a = Example("Héllo, World!", "", 1.0, "a:1")
    b = Example("hello world", "", 1.0, "b:1")
    assert normalize_key(a.headline) == normalize_key(b.headline)
    assert split_bucket(a) == split_bucket(b)
