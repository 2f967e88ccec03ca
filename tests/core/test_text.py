"""Boilerplate detection: page furniture is found, article text is kept."""

import pytest

from sensational.text import find_boilerplate, normalize, strip_ranges

ARTICLE = "The council approved the budget on Tuesday.\nCouncillors voted 31 to 19 in favour."


def removed(text: str) -> list[str]:
    return [text[s:e] for s, e in find_boilerplate(text)]


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies to give you the best experience. Accept all cookies",
        "By continuing to use this site you agree to our cookie policy",
        "Sign up to our free daily newsletter",
        "Get the latest headlines delivered to your inbox",
        "Read Full Article",
        "Continue reading",
        "Follow us on Twitter and Facebook",
        "Share this article",
        "Share on WhatsApp",
        "[NEWS]",
        "Advertisement",
    ],
)
def test_furniture_lines_are_found(line):
    text = f"{ARTICLE}\n{line}\nThe finance committee said savings were needed."
    assert removed(text) == [line]


def test_dont_miss_heading_takes_the_link_list_under_it():
    text = (
        f"{ARTICLE}\nDON'T MISS:\nWoman finds snake in toilet\nTen best beaches in Spain\n"
        "The finance committee said the savings were needed."
    )
    assert removed(text) == [
        "DON'T MISS:",
        "Woman finds snake in toilet",
        "Ten best beaches in Spain",
    ]


def test_link_list_ends_at_a_blank_line():
    text = "DON'T MISS\nWoman finds snake in toilet\n\nCouncil approves budget plan"
    assert removed(text) == ["DON'T MISS", "Woman finds snake in toilet"]


def test_leading_section_tag_is_cut_from_the_headline_only():
    headline = "[NEWS] Generals in revolt as panic grips the capital"
    ranges = find_boilerplate(headline)
    assert [headline[s:e] for s, e in ranges] == ["[NEWS] "]
    assert strip_ranges(headline, ranges).strip() == "Generals in revolt as panic grips the capital"


@pytest.mark.parametrize(
    "line",
    [
        "The minister said she would follow the advice of the panel.",
        "Readers were asked to share their views with the council.",
        "Most read books of the year were novels, the survey found.",
    ],
)
def test_article_sentences_are_kept(line):
    assert find_boilerplate(f"{ARTICLE}\n{line}") == []


def test_ranges_index_the_text_as_sent_with_crlf():
    text = "Héllo wörld 😀\r\nRead Full Article\r\nMore text here."
    ((start, end),) = find_boilerplate(text)
    assert text[start:end] == "Read Full Article"


def test_normalize_folds_quotes_and_space():
    assert normalize("\u201cWon\u2019t\u201d\u00a0 stop\n") == '"Won\'t" stop'
