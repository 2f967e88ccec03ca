"""The loaded-language detector: offsets, morphology, phrases, context, score direction."""

import pytest

from sensational.framing import FramingDetector, clean_tokens
from sensational.lexicon import LexiconEntry, inflections, load_lexicon, stem, tokenize


@pytest.fixture(scope="module")
def detector() -> FramingDetector:
    return FramingDetector()


def spans_of(detector, text, field="headline"):
    return detector.detect(text, field)


def assert_offsets(text, spans):
    assert spans
    for s in spans:
        assert s.text == text[s.start : s.end]


@pytest.mark.parametrize(
    "text",
    [
        "😱🔥 Panic grips the capital as \u201cfurious\u201d generals revolt",
        "Ünïcödé first: terrifying scenes — \u2018savage\u2019 onslaught",
        "Line one is calm.\r\nThen a devastating\r\nbloodbath followed.\r\n",
        "Tab\tand\u00a0nbsp: utter chaos\u200b here",
    ],
)
def test_span_text_is_the_slice_of_the_text_as_sent(detector, text):
    assert_offsets(text, spans_of(detector, text))


def test_emoji_before_a_word_keeps_code_point_offsets(detector):
    text = "👩‍👩‍👧 families trapped"
    (span,) = [s for s in spans_of(detector, text) if s.category == "plight"]
    # The span takes in the noun before it ("families trapped"), not the emoji.
    assert (span.start, span.end) == (text.index("families"), len(text))


@pytest.mark.parametrize("word", ["panic", "panicked", "panicking", "panics", "Panicked"])
def test_inflections_match_the_lexicon_word(detector, word):
    (span,) = spans_of(detector, f"They {word} over plans")
    assert span.category == "fear" and span.text == word


@pytest.mark.parametrize("word", ["slammed", "slamming", "slams"])
def test_doubled_consonant_forms_match(detector, word):
    assert [s.category for s in spans_of(detector, f"Critics {word} the plan")] == ["outrage"]


def test_inflections_of_regular_words():
    assert {"panicked", "panicking", "panics"} <= inflections("panic")
    assert {"slammed", "slamming"} <= inflections("slam")
    assert stem("Panicked") == stem("panicking")


def test_phrases_match_across_a_line_break_and_curly_apostrophe(detector):
    text = "You won\u2019t believe what\r\nhappened next"
    spans = spans_of(detector, text)
    assert [s.text for s in spans] == ["You won\u2019t believe", "what\r\nhappened next"]
    assert {s.category for s in spans} == {"clickbait"}


def test_phrases_do_not_match_across_punctuation(detector):
    texts = [s.text for s in spans_of(detector, "They set. To work")]
    assert "set. To" not in texts


def test_longest_phrase_wins(detector):
    (span,) = spans_of(detector, "Floods will wreak havoc")
    assert span.text == "wreak havoc"


def test_topic_word_in_a_literal_report_weighs_less(detector):
    literal = spans_of(detector, "Savage war erupts")
    war_loaded = next(s for s in literal if s.text == "war")
    _, sober_weight = detector.analyze("The war in the north continued", "body")
    assert sober_weight < war_loaded.weight / 2
    assert not [s for s in spans_of(detector, "Workers back a strike ballot") if s.text == "strike"]


@pytest.mark.parametrize(
    ("literal", "loaded"),
    [
        ("Ten people were killed in an earthquake", "Killed! Quake horror"),
        ("The strike ballot closes on Friday", "Strike chaos: militants strike again"),
    ],
)
def test_topic_words_count_less_when_they_name_the_event(detector, literal, loaded):
    _, literal_weight = detector.analyze(literal, "body")
    _, loaded_weight = detector.analyze(loaded, "body")
    assert literal_weight < 0.15 < loaded_weight
    assert not detector.detect(literal, "body")


def test_excluded_ranges_yield_no_spans(detector):
    text = "Shocking news\nDON'T MISS shocking offers"
    spans = detector.detect(text, "body", exclude=[(14, len(text))])
    assert [s.text for s in spans] == ["Shocking news"]  # grown within its line only


def test_tokens_outside_excluded_ranges():
    tokens = clean_tokens("one two three", [(4, 7)])
    assert [t.stem for t in tokens] == ["one", "three"]


def test_score_rises_with_density_and_strength(detector):
    def score(text):
        spans, total = detector.analyze(text, "body")
        return detector.score(spans, len(tokenize(text)), total).score

    sober = "The council met on Tuesday and approved the budget for next year."
    one = "The council met on Tuesday and approved the shocking budget for next year."
    many = "The furious council met on Tuesday and approved the shocking, devastating budget."
    assert 0.0 <= score(sober) < score(one) < score(many) <= 1.0


def test_sober_and_sensational_tellings(detector):
    def score(text):
        spans, total = detector.analyze(text, "body")
        return detector.score(spans, len(tokenize(text)), total).score

    sober = "An earthquake killed 40 people in the mountain region, officials said."
    loud = "A killer quake unleashed terrifying carnage as panicked villagers fled in terror."
    assert score(loud) > score(sober) + 0.3


def test_learned_terms_override_priors_and_add_words():
    lexicon = [LexiconEntry("panic", "fear", 0.8)]
    from sensational.framing import Term

    learned = {("panic",): Term("loaded", 0.3, "", "learned"), ("crook",): Term("loaded", 0.6)}
    det = FramingDetector(lexicon, learned)
    spans = det.detect("Panic as crooks, not voters, win", "headline")
    assert [(s.text, s.category, s.weight) for s in spans] == [
        ("Panic", "fear", 0.3),
        ("crooks", "loaded", 0.6),
    ]


def test_detector_pickles_without_its_compiled_tables(detector):
    import pickle

    again = pickle.loads(pickle.dumps(detector))
    text = "Terrified families trapped as killer floods wreak havoc"
    assert again.detect(text, "headline") == detector.detect(text, "headline")
    assert "table_" not in pickle.loads(pickle.dumps(detector)).__getstate__()


def test_lexicon_covers_every_category():
    cats = {e.category for e in load_lexicon()}
    assert {
        "fear",
        "conflict",
        "hyperbole",
        "outrage",
        "plight",
        "clickbait",
        "speculation",
    } <= cats
    assert len(load_lexicon()) >= 300


def test_bad_lexicon_row_is_named(tmp_path, monkeypatch):
    import sensational.lexicon as lx

    class Fake:
        def joinpath(self, name):
            return self

        def read_text(self, encoding):
            return "panic\tfear\t0.8\nodd\tnot-a-category\t0.5\n"

    monkeypatch.setattr(lx.resources, "files", lambda pkg: Fake())
    with pytest.raises(ValueError, match=r"lexicon.tsv:2: unknown category"):
        lx.load_lexicon()


def test_inflections_follow_english_spelling():
    assert {"wars", "warring"} <= inflections("war")
    assert "ward" not in inflections("war") and "wares" not in inflections("war")
    assert {"blamed", "blaming"} <= inflections("blame") and "blameed" not in inflections("blame")
    assert "crashes" in inflections("crash")


def test_a_ward_is_not_a_war():
    detector = FramingDetector()
    texts = [
        s.text for s in detector.detect("Hospital wards could be full, war veterans said", "body")
    ]
    assert "wards" not in texts
