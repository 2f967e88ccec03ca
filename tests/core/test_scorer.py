"""The scorer: parts of the answer, boilerplate left out, the right direction on samples."""

import numpy as np
import pytest

from datasets.corpora import read_story_pairs
from sensational.errors import InputError

PAIRS = read_story_pairs()
SENSATIONAL = PAIRS[0]["sensational"]
SOBER = PAIRS[0]["sober"]


def test_headline_and_body_are_both_scored(demo_scorer):
    r = demo_scorer.score(SENSATIONAL["headline"], SENSATIONAL["body"])
    assert r.headline is not None and r.body is not None
    assert 0.0 <= r.score <= 1.0 and 0.0 <= r.framing.score <= 1.0
    assert r.headline.clickbait is not None and r.body.framing is not None
    assert {s.field for s in r.framing.spans} == {"headline", "body"}


def test_headline_only_and_body_only(demo_scorer):
    head = demo_scorer.score(SENSATIONAL["headline"])
    body = demo_scorer.score(None, SENSATIONAL["body"])
    assert head.body is None and head.headline is not None
    assert body.headline is None and body.body is not None
    assert head.score == head.headline.score


@pytest.mark.parametrize("i", range(len(PAIRS)))
def test_sensational_telling_has_more_framing_than_the_sober_one(demo_scorer, i):
    hot = demo_scorer.score(PAIRS[i]["sensational"]["headline"], PAIRS[i]["sensational"]["body"])
    cold = demo_scorer.score(PAIRS[i]["sober"]["headline"], PAIRS[i]["sober"]["body"])
    assert hot.framing.score > cold.framing.score
    assert hot.score > cold.score


def test_spans_index_the_fields_as_sent(demo_scorer):
    headline = "\U0001f631 \u201cKiller\u201d floods: families trapped"
    body = "First line.\r\nA devastating\r\nbloodbath \U0001f525 followed."
    r = demo_scorer.score(headline, body)
    for s in r.framing.spans:
        assert s.text == {"headline": headline, "body": body}[s.field][s.start : s.end]
    assert {"Killer", "bloodbath"} <= {s.text for s in r.framing.spans}


def test_boilerplate_does_not_move_the_score(demo_scorer):
    clean = demo_scorer.score(SOBER["headline"], SOBER["body"])
    noisy = demo_scorer.score(
        "[NEWS] " + SOBER["headline"],
        "We use cookies. Accept all cookies\n"
        + SOBER["body"]
        + "\nDON'T MISS\nShocking video of terrifying killer shark\nYou won't believe this\n"
        "Read Full Article\nFollow us on Facebook\nShare this article\n",
    )
    assert noisy.score == pytest.approx(clean.score, abs=1e-6)
    assert noisy.framing.score == pytest.approx(clean.framing.score, abs=1e-6)
    assert [s.text for s in noisy.framing.spans] == [s.text for s in clean.framing.spans]


LINK_LIST_BODY = (
    "The council met on Monday and approved the budget.\n"
    "DON'T MISS\n"
    "[REVEAL] Families trapped as terrifying floods hit town\n"
    "Shocking video of killer shark\n"
    "\n"
    "We use cookies to give you a terrifying experience. Accept all cookies\n"
    "Share this article\n"
)


def test_boilerplate_spans_are_dropped_and_link_lists_come_apart(demo_scorer):
    r = demo_scorer.score("Council approves budget", LINK_LIST_BODY)
    list_start = LINK_LIST_BODY.index("DON'T MISS")
    cookies = LINK_LIST_BODY.index("We use cookies")
    # Nothing of the page furniture is highlighted as the article.
    assert all(s.start < list_start for s in r.framing.spans if s.field == "body")
    # The teaser headlines' loaded words are returned apart, with offsets into the body.
    links = r.framing.link_spans
    assert links and all(list_start < s.start < cookies for s in links)
    assert all(s.text == LINK_LIST_BODY[s.start : s.end] for s in links)
    marked = " ".join(s.text.lower() for s in links)
    assert "trapped" in marked and "terrifying" in marked
    # A bracketed section tag is furniture even there; consent lines give nothing at all.
    assert "reveal" not in marked
    assert not any(s.start >= cookies for s in links)


def test_link_list_spans_never_count_in_the_score(demo_scorer):
    plain = "The council met on Monday and approved the budget.\n"
    with_links = demo_scorer.score("Council approves budget", LINK_LIST_BODY)
    without = demo_scorer.score("Council approves budget", plain)
    assert with_links.framing.link_spans and not without.framing.link_spans
    assert with_links.score == pytest.approx(without.score, abs=1e-6)
    assert with_links.framing.score == pytest.approx(without.framing.score, abs=1e-6)
    assert with_links.framing.categories == without.framing.categories


def test_fast_headline_path_equals_the_pipeline(demo_scorer):
    headlines = [
        "Generals in revolt as panic grips the capital",
        "21 cats \U0001f431 you must see",
        "",
    ]
    fast = [demo_scorer.style(h) for h in headlines]
    slow = demo_scorer.headline_model.predict_proba(headlines)[:, 1]
    assert np.allclose(fast, slow, atol=1e-5)


@pytest.mark.parametrize(
    ("headline", "body", "message"),
    [("", "  ", "both empty"), (3, "", "headline must be a string"), ("x", b"y", "body must")],
)
def test_bad_input_is_refused(demo_scorer, headline, body, message):
    with pytest.raises(InputError, match=message):
        demo_scorer.score(headline, body)


def test_label_thresholds(demo_scorer):
    low, high = demo_scorer.thresholds
    assert low <= high
    assert demo_scorer.label(low - 1e-9) == "low"
    assert demo_scorer.label(high) == "high"
    if low < high:
        assert demo_scorer.label(low) == "medium"


def test_reasons_name_what_raised_the_score(default_scorer):
    r = default_scorer.score("You won't believe what this dog did next")
    assert r.label == "high"
    assert "curiosity_gap" in r.criteria
    assert any(x.startswith("Direct address and curiosity gaps") for x in r.reasons)


def test_reasons_of_a_sober_article_say_nothing_pushed_it_up(default_scorer):
    r = default_scorer.score(
        "Council publishes its budget for 2027",
        "The council approved the budget on Tuesday, officials said.",
    )
    assert r.label == "low"
    assert r.criteria == []
    assert len(r.reasons) == 1 and r.reasons[0].startswith("Nothing in the wording")


def test_a_body_only_reason_never_speaks_of_the_headline(default_scorer):
    body = (
        "Furious critics slammed the shameful, disgraceful plan as an utter catastrophe that"
        " will devastate families, insiders claim. The savage onslaught of lies must stop."
    )
    r = default_scorer.score(None, body)
    assert r.reasons and all("headline" not in x for x in r.reasons)
    assert "loaded" in r.criteria
    assert "overstated_headline" not in r.criteria and "curiosity_gap" not in r.criteria
