import json

import pytest

from datasets.corpora import SAMPLES
from sensational.sentences import load_parameters, punkt_tokenizer, split_sentences


def texts(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Lee met Gen. Ortiz on Monday. They talked.",
            ["Mr. Lee met Gen. Ortiz on Monday.", "They talked."],
        ),
        (
            "The U.S. Army said so. The U.S. said no. The talks ended.",
            ["The U.S. Army said so.", "The U.S. said no.", "The talks ended."],
        ),
        ("Prof. J. R. Allen spoke first.", ["Prof. J. R. Allen spoke first."]),
        (
            "It was No. 3 on the list. Dr. Ng agreed.",
            ["It was No. 3 on the list.", "Dr. Ng agreed."],
        ),
        ("Then-Sen. Obama won. He smiled.", ["Then-Sen. Obama won.", "He smiled."]),
    ],
)
def test_titles_initials_and_abbreviations_do_not_split(text, expected):
    assert texts(text) == expected


def test_quote_spanning_sentences_splits_inside_and_keeps_closing_quote():
    text = '"We are ready. We will win," she said. "Nobody doubts it." Then she left.'
    assert texts(text) == [
        '"We are ready.',
        'We will win," she said.',
        '"Nobody doubts it."',
        "Then she left.",
    ]


def test_exclamation_inside_quote_before_lower_case_continues():
    text = '"Lock her up!" they chanted. The hall was full.'
    assert texts(text) == ['"Lock her up!" they chanted.', "The hall was full."]


def test_newlines_end_sentences_and_offsets_index_the_text_as_sent():
    text = "Headline without stop\r\n\r\nFirst line. Second\u00a0line, caf\u00e9 \U0001f600.\nLast"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Headline without stop",
        "First line.",
        "Second\u00a0line, caf\u00e9 \U0001f600.",
        "Last",
    ]
    assert all(a < b for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_has_no_sentences(text):
    assert split_sentences(text) == []


def test_parameters_ship_with_the_package():
    params = load_parameters()
    assert {"mr", "u.s", "gen", "jan"} <= params.abbreviations
    assert params.final_abbreviations <= params.abbreviations
    assert "the" in params.sentence_starters


def test_fast_splitter_agrees_with_nltk_punkt_on_the_gold_set():
    # Same parameters, two implementations: boundaries inside paragraphs should agree.
    tok = punkt_tokenizer()
    agree = total = 0
    with (SAMPLES / "attribution_gold.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            body = json.loads(line)["body"]
            ours = {b for _, b in split_sentences(body)}
            theirs = {b for _, b in tok.span_tokenize(body)}
            agree += len(ours & theirs)
            total += len(ours | theirs)
    assert agree / total >= 0.95
