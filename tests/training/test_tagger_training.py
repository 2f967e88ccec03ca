"""Fitting the loaded-wording tagger (training.tagger) and the span measures."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from datasets.corpora import Example, SpanDoc
from sensational.framing import FramingDetector
from sensational.lexicon import tokenize
from training.tagger import (
    char_prf,
    cue_mask,
    doc_parts,
    fit_tagger,
    learn_categories,
    lower_case_stems,
    merge_ranges,
)


def _doc(doc_id: str, title: str, body: str, loaded: list[str], tech: str) -> SpanDoc:
    text = f"{title}\n\n{body}"
    spans = []
    for word in loaded:
        at = text.index(word)
        spans.append((at, at + len(word), tech))
    return SpanDoc(doc_id, text, tuple(spans), doc_id)


DOCS = [
    _doc(
        str(i),
        "Vile elite slammed",
        "The vile elite lied again. The council met on Monday. Horrid thugs ran riot.",
        ["Vile", "vile elite", "Horrid thugs"],
        tech,
    )
    for i, tech in enumerate(["Loaded_Language"] * 3 + ["Name_Calling,Labeling"] * 5)
]


@dataclass
class Cue:
    headline: str
    cues: tuple[str, ...]


def test_fitted_tagger_marks_what_the_spans_taught_it():
    plain = [Example("Council meets", "The council met on Monday.", 0.0, "x")]
    tagger = fit_tagger(DOCS, {"min_count": 1, "C": 10.0}, plain=plain)
    detector = FramingDetector(tagger=tagger)
    spans, _ = detector.analyze("The horrid elite met on Monday.", "body")
    marked = " ".join(s.text.lower() for s in spans)
    assert "horrid" in marked and "monday" not in marked
    assert tagger.params["threshold"] > 0


def test_title_is_a_headline_and_offsets_shift_into_the_body():
    doc = DOCS[0]
    (title, head, head_spans), (body, is_head, body_spans) = doc_parts(doc)
    assert head and not is_head
    assert [title[s:e] for s, e, _ in head_spans] == ["Vile"]
    assert [body[s:e] for s, e, _ in body_spans] == ["vile elite", "Horrid thugs"]


def test_learned_categories_follow_the_technique():
    cats = learn_categories(DOCS, min_count=3)
    assert cats.get("thug") == "outrage"  # inside Name_Calling spans in most documents
    assert "council" not in cats


def test_lower_case_stems_skip_words_seen_only_capitalised():
    stems = lower_case_stems(["NATO met. The drone hit. Drones fly."], min_count=1)
    assert "drone" in stems and "nato" not in stems


def test_cue_mask_matches_phrases_in_order():
    text = "Trump slams 'disgusting' media as rally turns ugly"
    mask = cue_mask(tokenize(text), text, ["slams", "turns ugly", "absent"])
    words = [text[t.start : t.end] for t, m in zip(tokenize(text), mask, strict=True) if m]
    assert words == ["slams", "turns", "ugly"]


def test_char_prf_counts_characters_once():
    got = char_prf([([(0, 5), (3, 8)], [(5, 10)])])
    assert got == {"precision": pytest.approx(3 / 8, abs=1e-4), "recall": 0.6, "f1": got["f1"]}
    assert merge_ranges([(5, 7), (0, 2), (2, 3), (9, 9)]) == [(0, 3), (5, 7)]
    assert char_prf([([], [(0, 4)])])["f1"] == 0.0
