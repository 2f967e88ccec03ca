"""Readers' reports in training: export and review commands, the export as a data source, the
term rates and tagger rows they change, and the model card's count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from datasets.corpora import SpanDoc
from datasets.readers import ReadReport
from feedback.store import FeedbackStore
from sensational.artifact import load_bundle
from sensational.framing import FramingDetector
from sensational.lexicon import LexiconEntry, term_key
from service.app import create_app
from service.settings import Settings
from training.cli import app
from training.config import ConfigError, config_from_dict
from training.feedback_source import read_export
from training.tagger import feedback_rows, valence_tables
from training.terms import SpanJudgement, blend_with_lexicon, learn_terms
from training.trainer import train

runner = CliRunner()


def judge(sentence: str, word: str, loaded: bool) -> SpanJudgement:
    start = sentence.index(word)
    return SpanJudgement(sentence, start, start + len(word), loaded)


# ---------------------------------------------------------------------------------------------
# Term rates and tagger rows


def _weights(lexicon, docs, feedback=()):
    raw, stats = learn_terms(docs, [term_key(e.term) for e in lexicon], feedback=feedback)
    return blend_with_lexicon(raw, stats, lexicon, prior_strength=2.0), stats


def test_not_loaded_reports_lower_a_words_weight_and_missed_ones_raise_it():
    lexicon = [LexiconEntry("slammed", "outrage", 0.6)]
    docs = [
        SpanDoc(str(i), "Critics slammed the plan today.", ((8, 15, "Loaded_Language"),), "x")
        if i % 2
        else SpanDoc(str(i), "Critics slammed the plan today.", (), "x")
        for i in range(10)
    ]
    corpus, _ = _weights(lexicon, docs)
    sentence = "The minister slammed the door on his way out."
    lower, stats = _weights(lexicon, docs, [judge(sentence, "slammed", False)])
    higher, _ = _weights(lexicon, docs, [judge(sentence, "slammed", True)])
    key = term_key("slammed")
    assert lower[key].weight < corpus[key].weight < higher[key].weight
    # Only the span's words count: the rest of the reported sentence is not "not loaded".
    assert term_key("minister") not in stats["feedback_counts"]
    assert stats["feedback_counts"][key] == (3.0, 0)


def test_reports_reweight_categories_the_span_corpus_cannot():
    lexicon = [LexiconEntry("shocking", "clickbait", 0.85)]
    docs = [SpanDoc("1", "A shocking result for the shocking team.", (), "x")]
    without, _ = _weights(lexicon, docs)
    assert term_key("shocking") not in without  # the corpus says nothing of clickbait
    with_reports, _ = _weights(
        lexicon, docs, [judge("Shocking figures from the census office.", "Shocking", False)]
    )
    assert with_reports[term_key("shocking")].weight < 0.85


def test_one_missed_report_adds_no_new_term_but_two_articles_do():
    one = [judge("The plan is a boondoggle for the rich.", "boondoggle", True)]
    learned, _ = learn_terms([], [], feedback=one)
    assert term_key("boondoggle") not in learned
    two = one + [judge("Another boondoggle was approved.", "boondoggle", True)]
    learned, _ = learn_terms([], [], feedback=two)
    assert learned[term_key("boondoggle")].category == "loaded"


def test_tagger_rows_are_the_span_tokens_labelled_by_the_verdict():
    detector, tables = FramingDetector(), valence_tables()
    X, y = feedback_rows(
        [
            judge("Critics slammed the plan.", "slammed the", False),
            judge("It was a boondoggle.", "boondoggle", True),
        ],
        detector,
        tables,
    )
    assert y == [0, 0, 1]
    assert len(X) == 3 and all(isinstance(row, dict) and row for row in X)


# ---------------------------------------------------------------------------------------------
# The export as a data source


def _line(**over):
    rec = {
        "id": 1,
        "verdict": "not_loaded",
        "status": "accepted",
        "span": {
            "field": "body",
            "start": 10,
            "end": 17,
            "text": "slammed",
            "sentence": "Critics slammed it.",
            "sentence_start": 2,
        },
        "headline": None,
        "body": None,
    }
    rec.update(over)
    return json.dumps(rec)


def test_only_accepted_reports_are_read_and_the_rest_counted(tmp_path):
    path = tmp_path / "f.jsonl"
    lines = [
        _line(),
        _line(id=2, verdict="missed"),
        _line(id=3, status="pending"),
        _line(id=4, status="rejected"),
        _line(id=5, verdict="source_wrong"),
        _line(id=6, verdict="score_too_low", span=None, headline="Shock as town panics"),
        _line(id=7, verdict="score_too_high", span=None, headline="A", body="Calm body."),
        _line(id=8, verdict="score_too_high", span=None),
        _line(id=9, verdict="maybe"),
        _line(id=10, span={"field": "body", "start": 10, "end": 17, "text": "praised",
                           "sentence": "Critics slammed it.", "sentence_start": 2}),
        "not json",
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    report = ReadReport()
    rows = read_export(path, report)
    assert [r.report_id for r in rows] == [1, 2, 6, 7]
    assert rows[0].judgement == SpanJudgement("Critics slammed it.", 8, 15, False)
    assert rows[1].judgement.loaded is True
    assert (rows[2].example.headline, rows[2].example.body, rows[2].example.label) == (
        "Shock as town panics",
        "",
        1.0,
    )
    assert rows[3].example.label == 0.0 and rows[3].example.body == "Calm body."
    assert sorted(p.origin.rsplit(":", 1)[1] for p in report.problems) == ["10", "11", "9"]
    assert sum(report.excluded.values()) == 4


def test_a_config_names_an_export_with_the_feedback_key(tmp_path):
    cfg = config_from_dict({"data": [{"feedback": str(tmp_path / "f.jsonl")}]})
    (source,) = cfg.data
    assert source.feedback == tmp_path / "f.jsonl" and source.name == "feedback-f"
    with pytest.raises(ConfigError, match="exactly one"):
        config_from_dict({"data": [{"feedback": "f.jsonl", "sample": "story-pairs"}]})
    with pytest.raises(ConfigError, match="trains"):
        config_from_dict({"data": [{"feedback": "f.jsonl", "role": "evaluate"}]})


# ---------------------------------------------------------------------------------------------
# The data team's loop: reports -> review -> export -> retrain


def _post_reports(demo_model_dir: Path, url: str) -> dict[str, int]:
    body = "Officials said the storm caused panic in the harbour. Boats were moved inland."
    headline = "Storm nears the coast"
    ids = {}
    settings = Settings(model_path=demo_model_dir, feedback_url=url)
    with TestClient(create_app(settings)) as client:
        for verdict, word in (("not_loaded", "panic"), ("missed", "harbour"), ("missed", "Boats")):
            start = body.index(word)
            span = {"field": "body", "start": start, "end": start + len(word), "text": word}
            payload = {"headline": headline, "body": body, "verdict": verdict, "span": span}
            r = client.post("/v1/feedback", json=payload)
            assert r.status_code == 201, r.text
            ids[f"{verdict}:{word}"] = r.json()["id"]
        r = client.post(
            "/v1/feedback", json={"headline": headline, "body": body, "verdict": "score_too_high"}
        )
        ids["score_too_high"] = r.json()["id"]
    return ids


def test_review_and_export_commands(demo_model_dir, feedback_url, tmp_path):
    ids = _post_reports(demo_model_dir, feedback_url)
    listed = runner.invoke(app, ["feedback", "review", "--store", feedback_url])
    assert listed.exit_code == 0, listed.output
    assert "[[panic]]" in listed.output and "caused" in listed.output
    assert listed.output.count("(pending,") == 4
    done = runner.invoke(
        app,
        ["feedback", "review", "--store", feedback_url, "--accept", str(ids["not_loaded:panic"]),
         "--reject", str(ids["missed:Boats"])],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "accepted 1, rejected 1" in done.output
    # Interactive: accept the next pending one, quit at the one after.
    asked = runner.invoke(
        app, ["feedback", "review", "--store", feedback_url, "-i"], input="a\nq\n"
    )
    assert asked.exit_code == 0, asked.output
    assert "accepted 1, rejected 0" in asked.output
    unknown = runner.invoke(app, ["feedback", "review", "--store", feedback_url, "--accept", "99"])
    assert unknown.exit_code == 2 and "no report with id 99" in unknown.output

    out = tmp_path / "export.jsonl"
    r = runner.invoke(app, ["feedback", "export", "--store", feedback_url, "-o", str(out)])
    assert r.exit_code == 0, r.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [rec["id"] for rec in records] == sorted(ids.values())
    first = records[0]
    assert set(first) >= {"id", "created_at", "verdict", "span", "article_sha256", "model_version",
                          "comment", "status"}  # fmt: skip
    assert first["span"]["sentence"] == "Officials said the storm caused panic in the harbour."
    assert {rec["status"] for rec in records} == {"accepted", "rejected", "pending"}
    narrowed = tmp_path / "missed.jsonl"
    r = runner.invoke(
        app,
        ["feedback", "export", "--store", feedback_url, "-o", str(narrowed), "--verdict", "missed",
         "--since", "2000-01-01"],
    )  # fmt: skip
    assert r.exit_code == 0 and "wrote 2 report(s)" in r.output
    r = runner.invoke(
        app,
        [
            "feedback",
            "export",
            "--store",
            feedback_url,
            "-o",
            str(narrowed),
            "--since",
            "2999-01-01",
        ],
    )
    assert "wrote 0 report(s)" in r.output
    bad = runner.invoke(
        app, ["feedback", "export", "--store", feedback_url, "-o", str(out), "--verdict", "meh"]
    )
    assert bad.exit_code == 2 and "unknown verdict" in bad.output


def test_export_of_a_store_that_is_down_exits_1(tmp_path):
    (tmp_path / "file").write_text("")
    r = runner.invoke(
        app,
        ["feedback", "export", "--store", f"sqlite:///{tmp_path}/file/x.sqlite3", "-o",
         str(tmp_path / "out.jsonl")],
    )  # fmt: skip
    assert r.exit_code == 1
    assert r.output.startswith("error: cannot") and "feedback.jsonl" not in r.output


def test_a_not_loaded_report_lowers_the_words_weight_after_retraining(
    demo_model_dir, feedback_url, tmp_path
):
    ids = _post_reports(demo_model_dir, feedback_url)
    store = FeedbackStore(feedback_url)
    store.set_status(
        [ids["not_loaded:panic"], ids["missed:harbour"], ids["score_too_high"]], "accepted"
    )
    store.dispose()
    export = tmp_path / "feedback.jsonl"
    r = runner.invoke(app, ["feedback", "export", "--store", feedback_url, "-o", str(export)])
    assert r.exit_code == 0, r.output

    base = [{"sample": "headline-twins"}, {"sample": "story-pairs"}]
    trained = {}
    for name, data in (("before", base), ("after", [*base, {"feedback": str(export)}])):
        card = train(output=tmp_path / name, corpora=None, config=config_from_dict({"data": data}))
        trained[name] = (load_bundle(tmp_path / name)[0], card)
    before, after = trained["before"][0], trained["after"][0]
    key = term_key("panic")
    assert after.framing.table_[key].weight < before.framing.table_[key].weight - 0.1
    sentence = "Officials said the storm caused panic in the harbour."
    shown = {s.text: s.weight for s in after.score(None, sentence).framing.spans}
    was = {s.text: s.weight for s in before.score(None, sentence).framing.spans}
    assert sum(w for t, w in shown.items() if "panic" in t) < sum(
        w for t, w in was.items() if "panic" in t
    )

    card = trained["after"][1]
    (counted,) = card["feedback"]["exports"]
    assert counted["accepted_used"] == 3
    assert counted["by_verdict"] == {"missed": 1, "not_loaded": 1, "score_too_high": 1}
    assert counted["span_judgements"] == 2 and counted["headline_rows"] == 1
    assert counted["left_out"] == {"feedback: pending reports (only accepted ones train)": 1}
    assert card["rows"]["train"]["feedback_spans"] == 2
    assert trained["before"][1]["feedback"] is None
    markdown = (tmp_path / "after" / "model-card.md").read_text()
    assert "Readers' reports" in markdown and "3 accepted reports trained" in markdown
