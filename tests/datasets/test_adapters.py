"""Adapters of the public corpora, on tiny corpora the tests write, and the registry."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from datasets.adapters.babe import read_babe
from datasets.adapters.chakraborty import read_chakraborty
from datasets.adapters.hyperpartisan import read_hyperpartisan
from datasets.adapters.ptc import read_ptc
from datasets.corpora import corpora_root, holdout_bucket
from datasets.readers import ReadReport
from datasets.registry import ADAPTERS, get_adapter


@pytest.fixture
def tiny_root(tmp_path: Path) -> Path:
    """A corpora root with a few rows of each corpus, in each corpus's own format."""
    chak = tmp_path / "chakraborty-clickbait"
    chak.mkdir()
    with gzip.open(chak / "clickbait_data.gz", "wt", encoding="utf-8") as fh:
        fh.write("You won't believe this one trick\n\n17 cats that look like lamps \n")
    with gzip.open(chak / "non_clickbait_data.gz", "wt", encoding="utf-8") as fh:
        fh.write("Parliament passes budget bill\n")

    hyper = tmp_path / "hyperpartisan-semeval2019"
    hyper.mkdir()
    (hyper / "articles-training-byarticle-20181122.xml").write_text(
        '<articles><article id="0000001" title="A &amp; B"><p>First {MID-1} para.</p>'
        '<p>Second <a href="x">link</a>.</p></article>'
        '<article id="0000002" title="Calm"><p>Body.</p></article></articles>',
        encoding="utf-8",
    )
    (hyper / "ground-truth-training-byarticle-20181122.xml").write_text(
        '<articles><article id="0000001" hyperpartisan="true"/>'
        '<article id="0000002" hyperpartisan="false"/></articles>',
        encoding="utf-8",
    )

    for name, articles, labels in (
        ("semeval2020-ptc", "articles", "task2-TC.labels"),
        ("semeval2020-ptc-dev", "dev-articles", "dev-task-TC.labels"),
    ):
        folder = tmp_path / name / articles
        folder.mkdir(parents=True)
        (folder / "article42.txt").write_text("Title\n\nA truly evil plan.\n", encoding="utf-8")
        (tmp_path / name / labels).write_text("42\tLoaded_Language\t9\t19\n", encoding="utf-8")

    babe = tmp_path / "babe-mbic"
    babe.mkdir()
    (babe / "final_labels_SG2.csv").write_text(
        "\ufefftext;news_link;outlet;topic;type;label_bias;label_opinion;biased_words\n"
        "A bizarre rant.;l;o;t;left;Biased;x;['bizarre']\n"
        "The bill passed.;l;o;t;right;Non-biased;x;[]\n"
        "Unclear one.;l;o;t;;No agreement;x;[]\n",
        encoding="utf-8",
    )
    return tmp_path


def test_chakraborty_rows_labels_and_origins(tiny_root: Path) -> None:
    rows = list(read_chakraborty(tiny_root))
    assert [(r.headline, r.label) for r in rows] == [
        ("You won't believe this one trick", 1.0),
        ("17 cats that look like lamps", 1.0),
        ("Parliament passes budget bill", 0.0),
    ]
    assert rows[1].origin.endswith("clickbait_data.gz:3")


def test_chakraborty_split_is_the_documented_holdout_bucket(tiny_root: Path) -> None:
    adapter = get_adapter("chakraborty")
    for row in read_chakraborty(tiny_root):
        assert adapter.bucket(row) == holdout_bucket(row.headline.strip())


def test_hyperpartisan_articles(tiny_root: Path) -> None:
    rows = list(read_hyperpartisan(tiny_root))
    assert rows[0].headline == "A & B"
    assert rows[0].body == "First para.\nSecond link."
    assert [r.label for r in rows] == [1.0, 0.0]


def test_ptc_train_and_dev(tiny_root: Path) -> None:
    for dev in (False, True):
        (doc,) = read_ptc(tiny_root, dev=dev)
        assert doc.doc_id == "42"
        assert doc.text[9:19] == "truly evil"
        assert doc.spans == ((9, 19, "Loaded_Language"),)


def test_babe_counts_the_left_out_sentences(tiny_root: Path) -> None:
    report = ReadReport()
    rows = list(read_babe(tiny_root, report))
    assert [(r.headline, r.body, r.label) for r in rows] == [
        ("", "A bizarre rant.", 1.0),
        ("", "The bill passed.", 0.0),
    ]
    assert report.problems == []
    assert report.excluded == {"babe-mbic: label 'No agreement'": 1}


def test_registry_reads_every_corpus_adapter(tiny_root: Path) -> None:
    for adapter in ADAPTERS.values():
        if adapter.project_file is not None:
            continue  # the project's own sets: below, with the real corpora
        rows = list(adapter.read(tiny_root, ReadReport()))
        assert rows, adapter.name
        assert all(adapter.bucket(r) in range(5) for r in rows)


@pytest.mark.corpora
def test_the_projects_own_sets_read_through_the_registry() -> None:
    root = corpora_root()
    if root is None:
        pytest.skip("no corpora root")
    graded = list(get_adapter("reference").read(root, ReadReport()))
    pairs = list(get_adapter("pairs").read(root, ReadReport()))
    assert len(graded) == 560 and len(pairs) == 200
    assert {get_adapter("reference").bucket(g) == 0 for g in graded} == {True, False}
    assert sum(g.split == "test" for g in graded) == 102


def test_only_babe_is_copyleft() -> None:
    assert [a.name for a in ADAPTERS.values() if a.copyleft] == ["babe-mbic"]


def test_unknown_corpus_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="chakraborty-clickbait"):
        get_adapter("nope")


@pytest.mark.corpora
def test_real_corpora_counts() -> None:
    root = corpora_root()
    if root is None or not (root / "chakraborty-clickbait").is_dir():
        pytest.skip("no corpora root")
    assert len(list(read_chakraborty(root))) == 32_000
    assert len(list(read_hyperpartisan(root))) == 645
    assert len(list(read_ptc(root, dev=True))) == 75
    report = ReadReport()
    babe = list(read_babe(root, report))
    assert len(babe) == 3673
    assert report.problems == []
