"""The loaded-wording tagger: its fast path, offsets on tricky text, shouted capitals, and how
its spans reach the detector."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from sensational.framing import FramingDetector
from sensational.lexicon import tokenize
from sensational.tagger import context, shape
from tests.core.tagger_fixture import fit_tiny_tagger
from tests.core.test_fast_paths import EDGE_TEXTS, PIECES, random_texts

TRICKY = [
    "\U0001f631\U0001f525 Vile corrupt thugs\r\nslammed the \u201ccorrupt\u201d mayor!",
    "\u201cThey are vile traitors,\u201d she said.\r\n\r\n"
    "Terrifying storm \U0001f30a\U0001f30a hits",
    "Caf\u00e9 owner\u2019s vile rant\u2026 \u05e9\u05dc\u05d5\u05dd corrupt\ufeff thugs",
    "Elephant GORES buffalo in deadly body crush",
    "\u200bPanic grips the capital\u2028as chaos spreads",
]


@pytest.fixture(scope="module")
def tagger():
    return fit_tiny_tagger()


@pytest.fixture(scope="module")
def detector(tagger):
    return FramingDetector(tagger=tagger)


def _both(tagger, detector, text, title):
    tokens = tokenize(text)
    found = detector.matches(text, tokens)
    fast = tagger.proba(text, tokens, context(text, tokens, found, title))
    slow = tagger.proba_reference(text, tokens, found, title=title)
    return fast, slow


@pytest.mark.parametrize("title", [False, True])
def test_fast_path_equals_the_pipeline(tagger, detector, title):
    extra = ["corrupt", "vile", "thugs", "Terrifying", "FURIOUS", "happy", "\u201c", "\u201d"]
    texts = TRICKY + EDGE_TEXTS + random_texts(7, 120, PIECES + extra)
    for text in texts:
        fast, slow = _both(tagger, detector, text, title)
        assert fast.shape == slow.shape
        assert np.max(np.abs(fast - slow), initial=0.0) < 1e-9, text


def test_fast_path_survives_a_full_memo(tagger, detector, monkeypatch):
    monkeypatch.setattr(type(tagger), "max_memo", 5)
    text = "The vile corrupt elite lied again about the budget and the bridge."
    fast, slow = _both(tagger, detector, text, False)
    assert np.max(np.abs(fast - slow)) < 1e-9
    assert len(tagger._ids) <= 12


def test_tagger_pickles_without_its_tables(tagger):
    copy = pickle.loads(pickle.dumps(tagger))
    assert "_rows" not in tagger.__getstate__()
    text = "Furious thugs slammed the vile mayor."
    tokens = tokenize(text)
    ctx = context(text, tokens, [], False)
    assert np.allclose(copy.proba(text, tokens, ctx), tagger.proba(text, tokens, ctx))


def test_the_tagger_marks_loaded_words_not_plain_ones(detector):
    spans, total = detector.analyze("Furious voters slammed the vile corrupt elite.", "body")
    marked = " ".join(s.text for s in spans).lower()
    assert "vile corrupt" in marked and "furious" in marked
    assert "voters" not in marked.split() or "furious voters" in marked
    assert total > 0
    plain, plain_total = detector.analyze("The council approved the budget on Monday.", "body")
    assert plain == [] and plain_total == 0


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("field", ["headline", "body"])
def test_span_offsets_index_the_text_as_sent(detector, text, field):
    spans, _ = detector.analyze(text, field)
    assert spans, text
    for s in spans:
        assert s.text == text[s.start : s.end]
        assert s.text == s.text.strip() and s.text[0].isalnum() and s.text[-1].isalnum()
    # Spans never overlap and come in text order.
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_crlf_and_emoji_do_not_shift_offsets(detector):
    text = "\U0001f631\r\nVile thugs"
    (span,) = detector.analyze(text, "body")[0]
    assert (span.start, span.end, span.text) == (3, 13, "Vile thugs")


def test_a_phrase_does_not_run_across_a_sentence_end(detector):
    spans, _ = detector.analyze("They are vile. Corrupt thugs.", "body")
    assert all("." not in s.text for s in spans)


def test_category_comes_from_the_lexicon_or_the_learned_table(detector):
    spans, _ = detector.analyze("The elite hid it.", "body")
    assert [s.category for s in spans] == ["outrage"]  # learned: no lexicon word inside
    spans, _ = detector.analyze("A terrifying storm.", "body")
    assert any(s.category == "fear" for s in spans)  # the lexicon's


# --- shouted capitals ---------------------------------------------------------------------------


def test_shouted_word_in_a_sentence_case_headline_is_marked(detector):
    spans, _ = detector.analyze("Elephant GORES buffalo in deadly body crush", "headline")
    gores = [s for s in spans if "GORES" in s.text]
    assert gores and gores[0].category in ("shouting", "fear", "loaded")
    assert gores[0].weight >= 0.5


def test_shouted_words_next_to_each_other_make_one_span(detector):
    spans, _ = detector.analyze("Gang uses DRONE BOMBS on tanks", "headline")
    assert "DRONE BOMBS" in [s.text for s in spans]


@pytest.mark.parametrize(
    "headline",
    [
        "NATO leaders meet in Madrid",  # an acronym, not shouting
        "ELEPHANT GORES BUFFALO IN BODY CRUSH",  # an all-caps headline is a house style
        "Elephant Gores Buffalo In Body Crush",  # Title Case is a house style
        "US and UK agree IT deal",  # short words in capitals
    ],
)
def test_house_styles_and_acronyms_are_not_shouting(tagger, headline):
    tokens = tokenize(headline)
    ctx = context(headline, tokens, [], True)
    assert not tagger.shouted(headline, tokens, ctx).any()


def test_shape_classes():
    assert [shape(w) for w in ("word", "Word", "WORD", "A", "COVID19", "x")] == [
        "x",
        "Xx",
        "X",
        "Xx",
        "d",
        "x",
    ]


def test_link_list_teasers_are_read_as_headlines(detector):
    body = (
        "The council approved the budget.\n"
        "Related stories\n"
        "[REVEAL] Vile thugs slammed by furious voters\n"
        "\n"
        "The meeting ended at noon."
    )
    links = detector.link_spans(body, "body")
    start = body.index("[REVEAL]")
    assert links and all(start < s.start and s.end <= body.index("\n\n") for s in links)
    assert all("REVEAL" not in s.text for s in links)


def _ref_context(text, tokens):
    """Per character, plainly: sentence ends before each token, quotation marks since its line
    began, and how many words each quotation holds."""
    segment, quoted, key = [], [], []
    for t in tokens:
        before = text[: t.start]
        segment.append(sum(c in ".!?;\n\r" for c in before))
        line = before[max(before.rfind("\n"), before.rfind("\r")) + 1 :]
        marks = sum(c in '"\u201c\u201d\u201e\u201f' for c in line)
        quoted.append(marks % 2 == 1)
        key.append(sum(c in '"\u201c\u201d\u201e\u201f' for c in before))
    words = [
        sum(1 for k2, q2 in zip(key, quoted, strict=True) if q2 and k2 == k) if q else 0
        for k, q in zip(key, quoted, strict=True)
    ]
    return segment, quoted, words


def test_context_equals_the_per_character_reference():
    extra = ['"', "\u201c", "\u201d", ".", "!", ";", "\r\n", "\n", "vile", "Corrupt"]
    for text in TRICKY + EDGE_TEXTS + random_texts(11, 150, PIECES + extra):
        tokens = tokenize(text)
        ctx = context(text, tokens, [], False)
        segment, quoted, words = _ref_context(text, tokens)
        assert ctx.segment.tolist() == segment, text
        assert ctx.quoted.tolist() == quoted, text
        assert ctx.quote_words.tolist() == words, text
