"""Register rules: hedges and hype labels shown only where their context makes them hype
(docs/criteria.md: "speculation", "label_prefix", legal wording used precisely)."""

from __future__ import annotations

import pytest

from sensational.framing import FramingDetector
from tests.core.tagger_fixture import fit_tiny_tagger


@pytest.fixture(scope="module", params=["lexicon", "tagger"])
def detector(request) -> FramingDetector:
    if request.param == "lexicon":
        return FramingDetector()
    return FramingDetector(tagger=fit_tiny_tagger())


def marked(detector: FramingDetector, text: str, field: str = "body") -> dict[str, str]:
    spans, _ = detector.analyze(text, field)
    return {s.text.lower(): s.category for s in spans}


# Each pair: the marker used as hype (shown) and in its plain register (not shown).
@pytest.mark.parametrize(
    ("hype", "plain", "word"),
    [
        # "may" as speculation vs permission or plain possibility.
        ("The storm may spark chaos across the region.", "Visitors may park on the verge.", "may"),
        (
            "The strike may be the start of total chaos.",
            "The package may include adverts.",
            "may",
        ),
        # "could" and "might": speculative hype needs something to hype.
        (
            "Hospitals could face a terrifying meltdown within days.",
            "The vote could take place on Tuesday.",
            "could",
        ),
        # "alleged": speculation outside court reporting, the precise legal word inside it.
        (
            "The general allegedly fled in panic as the mutiny spread.",
            "The man allegedly stabbed his neighbour, police said.",
            "allegedly",
        ),
        (
            "The alleged mutiny sparked panic in the capital.",
            "He denies the alleged assault and will stand trial in June.",
            "alleged",
        ),
    ],
)
def test_marker_shown_as_hype_and_kept_plain_in_its_register(detector, hype, plain, word):
    shown = marked(detector, hype)
    assert any(word.split()[0] in k.split() or k.startswith(word) for k in shown), shown
    assert not any(k == word or k.startswith(word + " ") for k in marked(detector, plain))


@pytest.mark.parametrize(
    "text",
    [
        "The former minister faces charges of fraud.",
        "He faces up to 10 years in prison if convicted.",
        "She is facing trial in the autumn.",
        "Putin faces pressure at home.",
        "Mr Putin faced questions about the budget.",
    ],
)
def test_faces_as_is_charged_with_or_plain_is_not_speculation(detector, text):
    assert not any(c == "speculation" for c in marked(detector, text).values())


@pytest.mark.parametrize(
    "text",
    [
        "Theresa May said the plan would cut waiting lists.",
        "The talks resume in May, the ministry said.",
    ],
)
def test_may_with_a_capital_inside_a_sentence_is_a_name_or_a_month(detector, text):
    assert "may" not in marked(detector, text)


def test_attributed_warning_is_not_speculation(detector):
    got = marked(detector, "The Bank of England warned that inflation would rise to 3%.")
    assert not any(c == "speculation" for c in got.values())


@pytest.mark.parametrize(
    ("headline", "shown"),
    [
        ("BREAKING: Council approves new budget", True),
        ("Exclusive | Minister to quit", True),
        ("[NEWS] BREAKING - Storm hits coast", True),
        ("Breaking Bad star opens cafe", False),
        ("Record breaking heat hits the south", False),
    ],
)
def test_breaking_and_exclusive_are_hype_labels_only_as_a_prefix(detector, headline, shown):
    got = marked(detector, headline, "headline")
    assert any(c == "clickbait" for c in got.values()) is shown, got


@pytest.mark.parametrize(
    "body",
    [
        "He was caught breaking the law twice.",
        "The exclusive club opened in 1920.",
        "Members voted in a secret ballot.",
        "The study revealed a small rise in prices.",
    ],
)
def test_one_word_hype_labels_do_not_count_in_body_text(detector, body):
    assert not any(c == "clickbait" for c in marked(detector, body).values())


def test_clickbait_phrases_count_anywhere(detector):
    got = marked(detector, "You won't believe what happened next at the council.")
    assert any(c == "clickbait" for c in got.values())


def test_strong_speculation_markers_stand_on_their_own(detector):
    got = marked(detector, "Fears grow over the new rail timetable.")
    assert any(c == "speculation" for c in got.values())
