"""The attribution evaluation and its regression thresholds.

Thresholds sit just under the figures measured when they were set (gold set: P 0.96, R 0.96,
source names 0.96, source count 0.78, kind 0.88, hedges 1.0, headline support 0.97; PolNeAR
dev: P 0.885, R 0.567, source names 0.867; train holdout: P 0.896, R 0.564, source names
0.891), so a real regression fails while a one-article change does not.
"""

import json
from pathlib import Path

import pytest

from datasets.adapters.polnear import read_ann, read_polnear
from datasets.corpora import corpora_root
from sensational.sourcing import SourcingAnalyzer
from training.sourcing_eval import (
    GOLD_FILE,
    evaluate_gold,
    evaluate_polnear,
    evaluate_sourcing,
    match_attributions,
    polnear_part,
    read_gold,
)


def polnear_root() -> Path:
    root = corpora_root()
    if root is None or not (root / "polnear").is_dir():
        pytest.skip("PolNeAR is not under the corpora root")
    return root


def test_gold_set_is_large_varied_and_consistent():
    rows = read_gold()  # also checks every offset against its text
    assert len(rows) >= 60
    assert len({r["topic"] for r in rows}) >= 10
    assert sum(1 for r in rows if not r["attributions"] and not r["hedges"]) >= 3
    for r in rows:
        names = {a["source"] for a in r["attributions"]}
        assert names == {s["name"] for s in r["sources"]}, r["id"]
        assert {s["kind"] for s in r["sources"]} <= {
            "person",
            "organisation",
            "document",
            "anonymous",
        }


def test_gold_set_with_a_wrong_offset_is_refused(tmp_path):
    row = json.loads(GOLD_FILE.read_text(encoding="utf-8").splitlines()[0])
    row["attributions"][0]["cue"][0] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cue offsets"):
        read_gold(bad)


def test_matching_is_one_to_one_by_cue_then_source():
    gold = [(((0, 4),), ((10, 13),)), (((20, 24),), ((30, 33),))]
    # Two predictions on the first cue match once; a source overlap matches the second.
    predicted = [((0, 4), None), ((1, 3), None), ((50, 54), (31, 32))]
    assert match_attributions(predicted, gold) == (2, 3, 2)
    assert match_attributions([], gold) == (0, 0, 2)


def test_gold_set_figures_hold():
    figures = evaluate_gold(SourcingAnalyzer(), read_gold())
    assert figures["precision"] >= 0.94
    assert figures["recall"] >= 0.94
    assert figures["source_name_precision"] >= 0.94
    assert figures["source_count_accuracy"] >= 0.75
    assert figures["source_kind_accuracy"] >= 0.86
    assert figures["hedge_recall"] >= 0.95
    assert figures["headline_single_source_accuracy"] >= 0.95
    assert figures["no_attribution_articles_ok"] == "4/4"


def test_brat_reader_keeps_discontinuous_and_multiline_spans(tmp_path):
    ann = tmp_path / "doc_ab12.ann"
    ann.write_text(
        "T1\tSource 0 3\tLee\n"
        "T2\tCue 4 8\tsaid\n"
        "T3\tContent 9 14;16 20\tit is\nover\n"
        "T4\tAttribution 4 8\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tCue 30 40\treportedly\n"
        "E2\tAttribution:T5 Cue:T5\n",
        encoding="utf-8",
    )
    first, second = read_ann(ann)
    assert first.source == ((0, 3),)
    assert first.cue == ((4, 8),)
    assert first.content == ((9, 14), (16, 20))
    assert second.source == ()


def test_brat_reader_names_an_undefined_span(tmp_path):
    ann = tmp_path / "doc_ab12.ann"
    ann.write_text("E1\tAttribution:T9 Cue:T9\n", encoding="utf-8")
    with pytest.raises(ValueError, match="undefined span 'T9'"):
        read_ann(ann)


def test_unknown_polnear_split_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown PolNeAR split"):
        next(read_polnear(tmp_path, split="test"))


@pytest.mark.corpora
def test_polnear_dev_recall_and_precision_hold():
    docs = list(read_polnear(polnear_root(), split="dev"))
    assert len(docs) == 84
    figures = evaluate_polnear(SourcingAnalyzer(), docs)
    assert figures["recall"] >= 0.555
    assert figures["precision"] >= 0.87
    assert figures["source_name_precision"] >= 0.85


@pytest.mark.corpora
def test_evaluate_sourcing_reports_every_split():
    figures = evaluate_sourcing(corpora_root=polnear_root())
    assert {"gold", "polnear_dev", "polnear_train_holdout"} <= set(figures)
    assert figures["polnear_train_holdout"]["recall"] >= 0.55
    assert figures["polnear_train_holdout"]["precision"] >= 0.88
    assert figures["polnear_train_holdout"]["source_name_precision"] >= 0.875


def test_unknown_polnear_part_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown PolNeAR part"):
        next(polnear_part(tmp_path, "test"))
