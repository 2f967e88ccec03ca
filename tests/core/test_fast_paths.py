"""The request-path speed-ups give exactly the answers of the plain versions they replace.

Each fast function is checked against a straightforward reference (the code it replaced) on
hand-picked edge cases and on seeded random texts built from the pieces that matter to it.
"""

from __future__ import annotations

import math
import random
import re
import sys
import time
from collections import Counter

import pytest
from sklearn.linear_model import LogisticRegression

from sensational.features import group_tokens, sentence_bounds
from sensational.framing import FramingDetector, Term, clean_tokens
from sensational.lexicon import Token, stem, tokenize
from sensational.models import FastHeadlineScorer, build_headline_model
from sensational.sentences import split_sentences
from sensational.text import _ANYWHERE_KEYS, _CASE_TWINS, _is_boilerplate_line, find_boilerplate

# --- references: the plain implementations ---------------------------------------------------

_REF_TOKEN = re.compile(r"\w+(?:['\u2019\u2018-]\w+)*")
_REF_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\s*[\r\n]+\s*")
# The boilerplate line pattern as one anchored regex (slow on long lines, but plain).
_REF_BOILERPLATE_LINE = re.compile(
    r"""^\s*(?:
        (?:\[[A-Z][A-Z0-9 &/-]{1,30}\]\s*)+
      | (?:don'?t|do\ not)\ miss\b.*
      | read\ (?:the\ )?(?:full\ (?:article|story)|more|next|this\ next)\b.*
      | continue\ reading\b.*
      | (?:follow|like|find)\ us\b.*
      | follow\ @\w+.*
      | (?:click\ to\ )?share\ (?:this|on|via|the\ article|story)\b.*
      | share(?:\ this)?\s*:?\s*(?:facebook|twitter|x|whatsapp|email|linkedin|\W)*
      | (?:sign\ up|subscribe|register)\b.*(?:newsletter|inbox|email|updates|free|today|now).*
      | get\ (?:the\ )?(?:latest|best|our).*(?:inbox|newsletter|email).*
      | .*\bnewsletter\b.*\b(?:sign\ up|subscribe)\b.*
      | .*\bwe\ (?:and\ our\ partners\ )?use\ cookies\b.*
      | .*\b(?:accept|reject|manage)\ (?:all\ )?(?:cookies|consent|preferences)\b.*
      | .*\bcookie\ (?:policy|settings|preferences|notice|consent)\b.*
      | by\ (?:continuing|using)\ (?:to\ (?:use|browse)\ )?this\ (?:site|website).*
      | (?:advertisement|sponsored(?:\ content)?|related\ (?:articles?|stories|content)
         |most\ (?:read|popular|viewed)|trending(?:\ now)?|recommended(?:\ for\ you)?
         |more\ (?:stories|on\ this\ story|from\ \w+)|comments?|top\ stories)\s*:?\s*
      | (?:click|tap)\ here\b.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def ref_tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), stem(m.group())) for m in _REF_TOKEN.finditer(text)]


def ref_clean_tokens(text: str, exclude: list[tuple[int, int]]) -> list[Token]:
    return [t for t in tokenize(text) if not any(s <= t.start < e for s, e in exclude)]


def ref_sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for m in _REF_SENTENCE_END.finditer(text):
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def ref_group_tokens(tokens: list[Token], bounds: list[tuple[int, int]]) -> list[list[str]]:
    groups: list[list[str]] = [[] for _ in bounds]
    j = 0
    for t in tokens:
        while j < len(bounds) - 1 and t.start >= bounds[j][1]:
            j += 1
        if groups:
            groups[j].append(t.stem)
    return [g for g in groups if g]


def ref_matches(detector: FramingDetector, text: str, tokens: list[Token]) -> list[tuple]:
    """Every phrase length from the longest down, at every token."""
    from sensational.framing import _emphasised, _joined, _literal

    longest = max(len(k) for k in detector._phrases)
    out, i, n = [], 0, len(tokens)
    while i < n:
        found = None
        for length in range(min(longest, n - i), 1, -1):
            term = detector._phrases.get(tuple(t.stem for t in tokens[i : i + length]))
            if term is not None and _joined(text, tokens, i, i + length):
                found = (i, i + length, term)
                break
        if found is None and tokens[i].stem in detector._words:
            found = (i, i + 1, detector._words[tokens[i].stem])
        if found is None:
            i += 1
            continue
        a, b, term = found
        weight = term.weight
        if term.kind == "topic" and _literal(tokens, a, b):
            weight *= detector.params["topic_literal_factor"]
        if _emphasised(text, tokens[a].start, tokens[b - 1].end):
            weight = min(1.0, weight * detector.params["emphasis_factor"])
        out.append((a, b, term, weight))
        i = b
    return out


# --- random texts ------------------------------------------------------------------------------

PIECES = [
    "we use cookies",
    "We and our partners use cookies",
    "accept all cookies",
    "Manage preferences",
    "reject consent",
    "cookie policy",
    "newsletter",
    "NEWSLETTER",
    "sign up",
    "Subscribe",
    "share",
    "Share this",
    "Facebook",
    "x",
    "email",
    ":",
    "|",
    "[NEWS]",
    "[A&B/C-D]",
    "DON'T MISS",
    "Do not miss",
    "read more",
    "continue reading",
    "follow us",
    "Follow @bbc",
    "click here",
    "Click to share",
    "advertisement",
    "related stories",
    "more from BBC",
    "comments",
    "top stories",
    "get the latest",
    "inbox",
    "by continuing to use this site",
    "Mr.",
    "U.S.",
    "Gen.",
    "J.",
    "No.",
    "3",
    "the",
    "a",
    "war",
    "strike",
    "killed",
    "in",
    "all-out",
    "WAR",
    "panic",
    "PANIC",
    "shocking",
    "chaos",
    "won't",
    "Trump\u2019s",
    "jaw-dropping",
    "rock'n'roll",
    "-",
    "'",
    "\u2019",
    "\u201c",
    "\u201d",
    '"',
    "(",
    ")",
    ".",
    "!",
    "?",
    "\u2026",
    ",",
    "\U0001f631",
    "\u200b",
    "\ufeff",
    "\u05e9\u05dc\u05d5\u05dd",
    "caf\u00e9",
    "\u0130stanbul",
    "\u0131",
    "newſletter",
    "COO\u212aIE",
    "\u00b2",
    "\uff37",
]
SPACES = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\u00a0", "\u2028", "\x0b", ""]


def random_texts(seed: int, count: int, pieces: list[str] = PIECES) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(pieces) + rng.choice(SPACES) for _ in range(rng.randint(0, 40)))
        for _ in range(count)
    ]


EDGE_TEXTS = [
    "",
    " ",
    "word",
    "Trump\u2019s jaw-dropping, all-out war!",
    "\U0001f631\U0001f525 Panic grips the capital\r\nThen a devastating\r\nbloodbath.",
    "zero\u200bwidth and \u202eRTL\u202c \u05e9\u05dc\u05d5\u05dd. Done?\n\n\nNext",
    'Mr. Lee met Gen. Ortiz in the U.S. capital. "We agreed," he said. No. 3 was next.',
    "x" * 5000,
]


# --- tests -------------------------------------------------------------------------------------


def test_tokenize_equals_the_match_by_match_reference():
    for text in EDGE_TEXTS + random_texts(1, 300):
        tokens = tokenize(text)
        assert tokens == ref_tokenize(text), text
        assert all(type(t) is Token for t in tokens)


def test_stem_cache_is_bounded(monkeypatch):
    from sensational import lexicon

    cache = lexicon._StemCache()
    monkeypatch.setattr(cache, "max_size", 3)
    assert [cache[w] for w in ("panics", "panicked", "slams", "slamming")] == [
        stem("panics"),
        stem("panicked"),
        stem("slams"),
        stem("slamming"),
    ]
    assert len(cache) <= 3


@pytest.mark.parametrize(
    "exclude",
    [[], [(4, 7)], [(0, 0)], [(9, 3)], [(6, 20), (0, 5)], [(2, 12), (5, 8), (10, 30)], [(-5, 2)]],
)
def test_clean_tokens_drops_tokens_starting_in_any_range(exclude):
    text = "one two three four five six seven eight"
    assert clean_tokens(text, exclude) == ref_clean_tokens(text, exclude)


def test_clean_tokens_with_boilerplate_ranges():
    for text in random_texts(2, 200):
        skip = find_boilerplate(text)
        assert clean_tokens(text, skip) == ref_clean_tokens(text, skip)


def test_sentence_bounds_and_groups_equal_the_reference():
    for text in EDGE_TEXTS + random_texts(3, 300):
        bounds = sentence_bounds(text)
        assert bounds == ref_sentence_bounds(text), text
        tokens = tokenize(text)
        assert group_tokens(tokens, bounds) == ref_group_tokens(tokens, bounds), text


def test_group_tokens_with_any_bounds():
    rng = random.Random(4)
    for text in random_texts(4, 200):
        tokens = tokenize(text)
        bounds = sorted(
            (rng.randint(0, len(text) + 1), rng.randint(0, len(text) + 1))
            for _ in range(rng.randint(0, 6))
        )
        assert group_tokens(tokens, bounds) == ref_group_tokens(tokens, bounds)


def test_phrase_look_up_equals_trying_every_length():
    learned = {
        ("the", "war"): Term("loaded", 0.2, "", "learned"),
        ("the", "war", "on", "terror"): Term("loaded", 0.9, "", "learned"),
        ("all-out", "war"): Term("conflict", 0.8),
        ("rock'n'rol", "chao"): Term("loaded", 0.5, "", "learned"),
        ("a", "shock", "move"): Term("loaded", 0.4, "", "learned"),
    }
    detector = FramingDetector(learned=learned)
    words = ["the", "war", "on", "terror", "all-out", "a", "shocking", "move", "chaos", "killed"]
    for text in EDGE_TEXTS + random_texts(5, 300, PIECES + words * 4):
        tokens = tokenize(text)
        assert detector.matches(text, tokens) == ref_matches(detector, text, tokens), text


def test_boilerplate_line_test_equals_the_single_regex():
    lines = [line for text in random_texts(6, 3000) for line in re.split(r"[\r\n]+", text)]
    rng = random.Random(6)
    lines += [rng.choice(PIECES[:35]) + " " + line for line in lines[:3000]]
    matched = 0
    for line in lines:
        expected = bool(_REF_BOILERPLATE_LINE.match(line))
        assert _is_boilerplate_line(line) == expected, line
        matched += expected
    assert matched > 100  # the random lines do reach the prompts


@pytest.mark.parametrize(
    "line",
    ["Sign up for our newſletter", "COO\u212aIE POLICY", "We use cookies", "\u0130NBOX"],
)
def test_case_folded_letters_still_reach_the_searches(line):
    assert _is_boilerplate_line(line) == bool(_REF_BOILERPLATE_LINE.match(line))


def test_case_twins_are_all_non_ascii_letters_ignorecase_maps_to_key_letters():
    # The key-word pre-check folds case with str.lower(); it is only sound if every other
    # character that IGNORECASE equates with a letter of a key word is in _CASE_TWINS.
    every_char = "".join(map(chr, range(sys.maxunicode + 1)))
    for letter in set("".join(_ANYWHERE_KEYS)):
        equal = set(re.findall(letter, every_char, re.IGNORECASE))
        extra = equal - {letter, letter.upper()}
        assert all(_CASE_TWINS.fullmatch(c) for c in extra), (letter, extra)


@pytest.mark.parametrize(
    "line",
    [
        "Share" + " " * 300 + "a",  # took 6 s with the single regex (cubic)
        "Comments" + " " * 1000 + "a",
        "Advertisement" + " " * 1000 + ":" + " " * 1000 + "a",
        "[NEWS]" + " " * 10000 + "a",
        " " * 5000 + "a",
        "newsletter " * 3000 + "x",
    ],
    ids=["share", "comments", "advertisement", "tag", "indent", "newsletters"],
)
def test_long_lines_take_no_polynomial_time(line):
    start = time.perf_counter()
    find_boilerplate(line)
    assert time.perf_counter() - start < 0.25


def test_split_sentences_token_before_a_period_across_white_space_kinds():
    for space in (" ", "\t", "\n", "\xa0", "\u2028"):
        text = f"He met Mr.{space}Lee in the U.S. Then{space}he left. No.{space}3 was next."
        spans = split_sentences(text)
        assert all(text[a:b].strip() == text[a:b] for a, b in spans)
    text = "He met Mr. Lee. Then he left.\u00a0Gen. Ortiz said no."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "He met Mr. Lee.",
        "Then he left.",
        "Gen. Ortiz said no.",
    ]


@pytest.fixture(scope="module")
def headline_pipeline():
    heads = [
        "You won't believe what happened next!!",
        "Council approves budget for next year",
        "10 shocking facts about your cat",
        "Minister resigns after inquiry",
        "This one trick will change your life",
        "Rail fares frozen for a year",
        "What happened next will shock you",
        "Storm damage repairs begin on Monday",
    ] * 3
    labels = [1, 0, 1, 0, 1, 0, 1, 0] * 3
    pipe = build_headline_model({"min_df": 1, "calibration_cv": 2})
    pipe.set_params(classifier__estimator=LogisticRegression(C=10.0, max_iter=3000))
    return pipe.fit(heads, labels)


@pytest.mark.parametrize(
    "headline",
    ["Shocking shocking SHOCKING news news!!!", "Council approves budget", "a", "", "?? !! ??"],
)
def test_fast_headline_scorer_matches_the_pipeline(headline_pipeline, headline):
    fast = FastHeadlineScorer(headline_pipeline)
    # The pipeline's TF-IDF is float32; the fast path computes in float64.
    expected = headline_pipeline.predict_proba([headline])[0, 1]
    assert fast.proba(headline) == pytest.approx(expected, abs=1e-6)
    # Bit for bit the value of the plain loop (1 + log(n)) * idf for every n.
    reference = fast.intercept
    for analyze, (_, vocabulary, idf, coef) in zip(fast._analyzers, fast.blocks, strict=True):
        dot = norm = 0.0
        for term, n in Counter(analyze(headline)).items():
            j = vocabulary.get(term)
            if j is not None:
                value = (1.0 + math.log(n)) * idf[j]
                norm += value * value
                dot += value * coef[j]
        if norm > 0:
            reference += dot / math.sqrt(norm)
    assert fast.decision(headline) == reference
