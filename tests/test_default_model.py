"""Quality of the default model on data it never saw in training."""

import json

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, roc_auc_score

from datasets.adapters.chakraborty import read_chakraborty
from datasets.adapters.ptc import read_ptc
from datasets.corpora import corpora_root, holdout_bucket, read_story_pairs, read_twins
from datasets.registry import get_adapter
from training.bundle import sample_metrics, span_metrics
from training.highlights import ptc_char_f1, scorer_predict, sober_highlight_rate

pytestmark = pytest.mark.corpora


def test_headline_model_on_the_held_out_fifth(default_scorer):
    rows = [r for r in read_chakraborty(corpora_root()) if holdout_bucket(r.headline) == 0]
    y = np.array([r.label for r in rows])
    proba = default_scorer.headline_model.predict_proba([r.headline for r in rows])[:, 1]
    # Case-folded (typography is not style): 0.981 / 0.9976, against 0.994 / 0.9998 when the
    # model read letter case, which the two classes' outlets write differently.
    assert accuracy_score(y, proba >= 0.5) >= 0.975
    assert roc_auc_score(y, proba) >= 0.995


def test_card_reports_the_held_out_figures(default_model_dir):
    card = json.loads((default_model_dir / "model-card.json").read_text())
    assert card["metrics"]["headline"]["accuracy"] >= 0.98
    assert card["demo"] is False


def test_loaded_headline_outranks_its_sober_twin(default_scorer):
    twins = read_twins()
    wins = sum(default_scorer.score(a).score > default_scorer.score(b).score for a, b in twins)
    assert wins / len(twins) >= 0.9


def test_loaded_news_headline_is_not_scored_low(default_scorer):
    r = default_scorer.score("Generals in revolt as panic grips the capital")
    assert r.label != "low"
    assert r.headline.clickbait < 0.5  # the clickbait model alone misses it


def test_story_pairs_rank_and_sober_reports_are_not_high(default_scorer):
    got = sample_metrics(default_scorer)["story_pairs"]
    assert got["overall_ranking"] >= 0.9 and got["body_ranking"] >= 0.9
    assert got["sober_labelled_high"] == 0.0


@pytest.mark.parametrize(
    "headline",
    [
        "Earthquake kills 40 in mountain region",
        "Ceasefire talks resume as fighting continues in north",
        "Transport union announces strike ballot",
    ],
)
def test_sober_report_of_a_dramatic_event_is_low(default_scorer, headline):
    assert default_scorer.score(headline).label == "low"


def test_spans_on_the_official_dev_split(default_scorer):
    docs = list(read_ptc(corpora_root(), dev=True))
    got = span_metrics(default_scorer, docs)
    assert got["partial_precision"] >= 0.2 and got["partial_recall"] >= 0.3
    # The lexicon highlighter this tagger replaced reached char-level F1 0.248 here.
    assert got["all_categories"]["char_f1"] >= 0.245


def test_highlights_on_the_held_out_ptc_fifth(default_scorer):
    adapter = get_adapter("semeval2020-ptc")
    held = [d for d in read_ptc(corpora_root()) if adapter.bucket(d) == 0]
    assert len(held) >= 50
    got = ptc_char_f1(scorer_predict(default_scorer), held)
    # The lexicon path measured 0.254 (precision 0.428); the tagger option 0.283.
    assert got["f1"] >= 0.24 and got["precision"] >= 0.38


def test_sober_wire_articles_get_far_fewer_highlights_than_sensational_text(default_scorer):
    got = sober_highlight_rate(scorer_predict(default_scorer), corpora_root())
    sober, hot = got["sober"]["all"], got["sensational"]["all"]
    # On the reference set the highlighter before the register rules showed 11.8 per 1,000
    # words of grade-0 articles and 22.5 of sensational ones; now 10.6 and 20.2.
    assert sober["per_1000_words"] <= 11.5
    assert hot["per_1000_words"] >= 1.8 * sober["per_1000_words"]


def test_a_shouted_word_in_a_tabloid_headline_is_marked(default_scorer):
    spans = default_scorer.score("Elephant GORES buffalo in deadly body crush").framing.spans
    assert any("GORES" in s.text for s in spans)
    spans = default_scorer.score("NATO leaders meet in Madrid").framing.spans
    assert not any(s.category == "shouting" for s in spans)


@pytest.mark.parametrize(
    "body",
    [
        "The man allegedly stabbed his neighbour, police said. He faces charges of assault.",
        "Visitors may park on the verge. The package may include adverts.",
        "Theresa May said the talks would resume in May.",
        "He was caught breaking the law, the court heard.",
    ],
)
def test_register_words_stay_plain_in_sober_reports(default_scorer, body):
    spans = default_scorer.score(None, body).framing.spans
    assert not any(s.category in ("speculation", "clickbait") for s in spans), spans


def test_story_pairs_file_is_well_formed():
    pairs = read_story_pairs()
    assert len(pairs) >= 15
    assert len({p["id"] for p in pairs}) == len(pairs)
