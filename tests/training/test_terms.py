"""Which terms the lexicon path learns from span-annotated news (training.terms)."""

from dataclasses import dataclass

import pytest

from sensational.lexicon import LexiconEntry, term_key
from training.terms import blend_with_lexicon, learn_terms


@dataclass
class Doc:
    text: str
    spans: tuple[tuple[int, int, str], ...]


def _docs(sentence: str, word: str, n: int = 4) -> list[Doc]:
    """``n`` documents where ``word`` is always inside a Loaded_Language span."""
    out = []
    for _ in range(n):
        start = sentence.index(word)
        out.append(Doc(sentence, ((start, start + len(word), "Loaded_Language"),)))
    return out


def test_group_and_subject_words_are_never_learned():
    docs = _docs("They called the partisan hacks traitors today.", "partisan hacks")
    learned, _ = learn_terms(docs, [])
    assert ("hack",) in learned
    assert ("partisan",) not in learned


def test_exact_entries_are_weighed_on_their_own_spellings():
    # "weapons" sits outside every span, "weaponized" inside: the entry is judged on the latter.
    docs = _docs("They weaponized the courts and bought weapons.", "weaponized")
    lexicon = [LexiconEntry("weaponized", "conflict", 0.5, "exact")]
    raw, stats = learn_terms(docs, [term_key(e.term) for e in lexicon])
    assert stats["form_counts"]["weapon"] == {"weaponized": (4, 4), "weapons": (4, 0)}
    (term,) = blend_with_lexicon(raw, stats, lexicon, prior_strength=2.0).values()
    assert term.weight == pytest.approx((4 + 2 * 0.5) / (4 + 2), abs=1e-4)
    # Without "exact" the stem decides: both spellings count.
    plain = [LexiconEntry("weaponized", "conflict", 0.5)]
    (term,) = blend_with_lexicon(raw, stats, plain, prior_strength=2.0).values()
    assert term.weight == pytest.approx((4 + 2 * 0.5) / (8 + 2), abs=1e-4)
