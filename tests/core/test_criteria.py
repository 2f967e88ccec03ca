"""The score against the written criteria (docs/criteria.md): its examples and counter-examples,
typography that must not matter, text with nothing to score, and headlines that overstate."""

from __future__ import annotations

import pytest

from datasets.corpora import corpora_root
from sensational.criteria import CRITERIA
from sensational.emphasis import learn_capitals
from sensational.errors import InputError, NothingToScore
from training.sensationalism import (
    case_invariance,
    invariance_headlines,
    sentence_case,
    swap_quotes,
    title_case,
    toggle_full_stop,
)

# The examples of docs/criteria.md: (sensational, sober telling of the same kind of news).
CRITERIA_EXAMPLES = [
    (
        "Generals in revolt as panic grips the capital",
        "Senior officers raise concerns over defence plans",
    ),
    (
        "Minister slammed in furious backlash over bombshell leak",
        "Minister criticised after internal memo is published",
    ),
    (
        "Elephant GORES buffalo in deadly body crush",
        "Elephant kills buffalo at watering hole, rangers say",
    ),
    ("You won't believe what this dog did next", "Council raises parking fees by 10%"),
    (
        "TERRIFYING killer bug sparks PANIC as hospitals could be overwhelmed within days",
        "Health board reports rise in stomach bug cases",
    ),
    (
        "WATCH: gang uses DRONE BOMBS on tanks",
        "Video shows drones dropping explosives on armoured vehicles",
    ),
    (
        "Lads land the BIGGEST catfish you've EVER seen",
        "Anglers catch 2.6-metre catfish in river Po",
    ),
]
# Counter-examples the criteria protect: sober reports of grave events, legal wording, plain
# numbers, Title Case as a house style.
SOBER = [
    "Earthquake kills 40 in mountain region",
    "Man charged over alleged assault appears in court",
    "Storm cuts power to 40,000 homes, utility says",
]
# Title Case as a house style: the same headline scores the same in either case.
HOUSE_STYLE = (
    "Most Voters Don't Change Their Minds In The Final Week Of A Campaign",
    "Most voters don't change their minds in the final week of a campaign",
)

SOBER_BODY = (
    "The council approved its budget for next year on Tuesday, officials said.\n"
    "Spending on roads rises by 2%, according to the published accounts. The finance"
    " committee chair, Ann Rowe, said the plan had been discussed at three public meetings."
)


# --- typography helpers ------------------------------------------------------------------


def test_case_variants() -> None:
    assert title_case("most voters don't change") == "Most Voters Don't Change"
    assert sentence_case("Most Voters Don't Change") == "Most voters don't change"
    assert toggle_full_stop("A headline.") == "A headline"
    assert toggle_full_stop("A headline") == "A headline."
    assert swap_quotes("Putin's 'trapped' troops") == "Putin\u2019s \u2018trapped\u2019 troops"
    assert swap_quotes("Putin\u2019s \u201ctrapped\u201d troops") == 'Putin\'s "trapped" troops'


def test_shouted_words_are_capitals_for_effect_not_acronyms_or_title_case() -> None:
    capitals = learn_capitals(
        ["NATO said the NATO summit would watch the gored crops", "the big ones ever"] * 2
    )
    assert "nato" in capitals.acronyms
    text = "Elephant GORES buffalo as NATO and the FBI WATCH the BIGGEST ever"
    assert [text[a:b] for a, b in capitals.spans(text)] == ["GORES", "WATCH", "BIGGEST"]
    assert capitals.spans("Most Voters Don't Change Their Minds") == []
    # Unseen short words in capitals are acronyms; unseen long words are shouted.
    assert capitals.spans("UCLA and NCAA") == []
    assert capitals.spans("ANNIHILATING") == [(0, 12)]


# --- nothing to score -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["...", "---", "\u200b", "!!! ???", "\u2014 \u2014", "\U0001f525\U0001f525"]
)
def test_text_with_no_words_is_refused(demo_scorer, text: str) -> None:
    with pytest.raises(NothingToScore) as err:
        demo_scorer.score(text)
    assert err.value.code == "nothing_to_score"
    with pytest.raises(NothingToScore):
        demo_scorer.score(text, text)


def test_a_word_anywhere_is_something_to_score(demo_scorer) -> None:
    assert demo_scorer.score("...", "Rain fell.").body is not None
    assert 0.0 <= demo_scorer.score("5G").score <= 1.0
    with pytest.raises(InputError):
        demo_scorer.score("  ", "\n")


# --- answers speak in the criteria's terms ------------------------------------------------


def test_reasons_and_criteria_use_the_written_criteria(demo_scorer) -> None:
    r = demo_scorer.score(*CRITERIA_EXAMPLES[4][:1], SOBER_BODY)
    assert r.criteria and set(r.criteria) <= set(CRITERIA)
    assert len(r.reasons) == len(r.criteria)
    for code, reason in zip(r.criteria, r.reasons, strict=True):
        assert reason.startswith(CRITERIA[code])


def test_a_headline_claim_on_one_hedged_source_is_named_thin_sourcing(default_scorer) -> None:
    headline = "Generals turn on the palace"
    thin = (
        "Senior generals have reportedly turned on the palace, according to a Veldonian"
        " blogger. The blogger said on his channel that two commanders had refused orders."
    )
    r = default_scorer.score(headline, thin)
    assert r.sourcing.headline_support.label in ("single", "anonymous_hedged")
    assert "thin_sourcing" in r.criteria
    reason = r.reasons[r.criteria.index("thin_sourcing")]
    assert "a Veldonian blogger" in reason
    several = (
        "Senior generals turned on the palace on Monday, Defence Minister Ana Kell told"
        " parliament. Army chief Tomas Rind said the generals had turned on the palace."
        " Opposition leader Mira Soll said the generals turned on the palace last week."
    )
    named = default_scorer.score(headline, several)
    assert named.sourcing.headline_support.label == "several_named"
    assert "thin_sourcing" not in named.criteria


def test_headline_gap_is_only_given_for_headline_and_body(demo_scorer) -> None:
    assert demo_scorer.score("Panic grips the capital").headline_gap is None
    assert demo_scorer.score(None, SOBER_BODY).headline_gap is None
    r = demo_scorer.score("Panic grips the capital", SOBER_BODY)
    assert r.headline_gap == pytest.approx(r.headline.score - r.body.score, abs=1e-5)


# --- the default model -------------------------------------------------------------------


@pytest.mark.corpora
@pytest.mark.parametrize(("loud", "sober"), CRITERIA_EXAMPLES)
def test_criteria_examples_outrank_their_sober_tellings(
    default_scorer, loud: str, sober: str
) -> None:
    hot, cold = default_scorer.score(loud), default_scorer.score(sober)
    assert hot.score > cold.score
    assert hot.label != "low"
    assert hot.criteria


@pytest.mark.corpora
@pytest.mark.parametrize("headline", SOBER)
def test_counter_examples_are_low(default_scorer, headline: str) -> None:
    r = default_scorer.score(headline)
    assert r.label == "low", (headline, r.score, r.reasons)


@pytest.mark.corpora
def test_title_case_is_a_house_style_not_shouting(default_scorer) -> None:
    title, sentence = (default_scorer.score(h) for h in HOUSE_STYLE)
    assert title.score == sentence.score and title.label == sentence.label
    assert "shouting" not in title.criteria
    assert not [s for s in title.framing.spans if s.category == "shouting"]


@pytest.mark.corpora
def test_a_sober_body_keeps_a_sensational_headline_at_least_medium(default_scorer) -> None:
    for loud, _ in CRITERIA_EXAMPLES:
        alone = default_scorer.score(loud)
        both = default_scorer.score(loud, SOBER_BODY)
        assert both.label != "low", loud
        assert both.headline_gap is not None and both.headline_gap > 0
        if alone.label == "high":
            assert "overstated_headline" in both.criteria
    calm = default_scorer.score("Council approves budget for next year", SOBER_BODY)
    assert calm.label == "low" and "overstated_headline" not in calm.criteria


@pytest.mark.corpora
def test_typography_does_not_move_the_score(default_scorer) -> None:
    """Title Case, sentence case, a trailing full stop and the kind of quotes move the score
    by at most 0.02 on average and change at most 2% of labels, over real headlines."""
    got = case_invariance(default_scorer, invariance_headlines(corpora_root(), 400))
    for variant in ("title_case", "sentence_case", "full_stop", "quotes", "title_vs_sentence"):
        assert got[variant]["mean_delta"] <= 0.02, (variant, got[variant])
        assert got[variant]["label_flips"] <= 0.02, (variant, got[variant])
