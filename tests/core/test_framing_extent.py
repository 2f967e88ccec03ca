"""Span extent and exact lexicon spellings of the lexicon path."""

import pytest

from sensational.framing import FramingDetector
from sensational.lexicon import load_lexicon, surface_forms, term_key


@pytest.fixture(scope="module")
def detector() -> FramingDetector:
    return FramingDetector()


def texts(detector: FramingDetector, text: str) -> list[str]:
    spans = detector.detect(text, "body")
    for s in spans:
        assert s.text == text[s.start : s.end]
    return [s.text for s in spans]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # The word a loaded adjective shapes, one word a side by default.
        ("They blamed the corrupt establishment media.", "corrupt establishment"),
        ("Panic as terrifying storm nears the coast", "terrifying storm"),
        # Degree words join on the left; articles do not.
        ("It was the most despicable act of all", "most despicable act"),
        # A function word, punctuation or a number ends the growth.
        ("Vile, they said", "Vile"),
        ("a vile 2019 decision", "vile"),
        ("the savage in them", "savage"),
    ],
)
def test_a_loaded_word_takes_in_the_phrase_it_shapes(detector, text, span):
    assert span in texts(detector, text)


def test_growth_stays_on_its_line_and_out_of_other_matches(detector):
    assert texts(detector, "Vile\nlies") == ["Vile", "lies"]
    spans = detector.detect("corrupt officials vile", "body")
    assert [s.text for s in spans] == ["corrupt officials", "vile"]
    assert spans[0].end < spans[1].start


def test_markers_and_topic_words_keep_their_extent(detector):
    assert "could" in texts(detector, "Prices could soar")
    literal = detector.detect("Officials said war broke out", "body")
    assert all(s.text == "war" for s in literal if s.category == "conflict")


def test_growth_is_a_parameter():
    plain = FramingDetector(params={"extend_left": 0, "extend_right": 0})
    assert texts(plain, "They blamed the corrupt establishment media.") == ["corrupt"]


@pytest.mark.parametrize(
    ("loaded", "neutral"),
    [
        ("Officials reportedly fled in panic", "Officials reported a rise"),
        ("They weaponized the rules", "They bought weapons"),
        ("It was completely wrong", "The bridge was completed"),
        ("A deadly storm", "Two people are dead"),
    ],
)
def test_exact_entries_match_their_own_spellings_only(detector, loaded, neutral):
    assert texts(detector, loaded)
    _, weight = detector.analyze(neutral, "body")
    assert weight == 0.0


def test_other_entries_still_match_words_with_their_stem(detector):
    assert texts(detector, "Their stupidity") == ["stupidity"]


def test_exact_entries_are_single_words():
    exact = [e.term for e in load_lexicon() if e.kind == "exact"]
    assert exact and all(len(term_key(t)) == 1 for t in exact)
    assert "weaponized" in surface_forms("weaponize")["weapon"]
    assert "weapons" not in surface_forms("weaponize")["weapon"]


def test_unknown_lexicon_kind_is_named(monkeypatch):
    import sensational.lexicon as lx

    class Fake:
        def joinpath(self, name):
            return self

        def read_text(self, encoding):
            return "panic\tfear\t0.8\nodd\tfear\t0.5\tsometimes\n"

    monkeypatch.setattr(lx.resources, "files", lambda pkg: Fake())
    with pytest.raises(ValueError, match=r"lexicon.tsv:2: unknown kind"):
        lx.load_lexicon()
