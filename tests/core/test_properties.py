"""Properties of ``Scorer.score`` that hold for any text (hypothesis).

Scores lie in [0, 1]; every span's text is its field's ``[start:end]``; framing spans of one
category do not overlap; the same input always gives the same answer; and page boilerplate
(consent, newsletter, share lines) added around or between paragraphs does not move the score.
"""

from __future__ import annotations

from dataclasses import asdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasets.corpora import REPO_ROOT
from sensational.results import ScoreResult, Span

PROFILE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# The first column of the lexicon: terms the framing detector is sure to match.
_LEXICON_TERMS = sorted(
    {
        line.split("\t", 1)[0]
        for line in (REPO_ROOT / "sensational" / "resources" / "lexicon.tsv")
        .read_text("utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    }
)
_WORDS = [
    "the",
    "council",
    "said",
    "officials",
    "according to",
    "reportedly",
    "a spokesperson told",
    "Reuters",
    "on Tuesday",
    ".",
    ",",
    "!",
    "?",
    '"',
    "\u201cquoted\u201d",
    "caf\u00e9",
    "\U0001f631",
    "\u200b",
    "\u202e",
    "\u05e9\u05dc\u05d5\u05dd",
    "\r\n",
    "\t",
]
# Words the detectors know, words they do not, and arbitrary text (any code point but
# surrogates, which a JSON client cannot send as text).
_TOKEN = st.one_of(
    st.sampled_from(_LEXICON_TERMS),
    st.sampled_from(_WORDS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
)
TEXT = st.lists(_TOKEN, max_size=40).map(" ".join)
# A line of text: no line breaks, so boilerplate can be put between lines.
LINE = TEXT.map(lambda s: s.replace("\r", " ").replace("\n", " "))
BOILERPLATE = [
    "Sign up to our newsletter for daily updates",
    "We use cookies to improve your experience.",
    "Share this article",
    "Read more: ten things you missed",
    "Follow us on social media",
    "Advertisement",
    "[WORLD]",
    "Click here to subscribe",
]


def _all_spans(result: ScoreResult) -> list[Span]:
    spans = list(result.framing.spans) + list(result.sourcing.hedges)
    for source in result.sourcing.sources:
        spans += source.spans
    if result.sourcing.headline_support is not None:
        spans += result.sourcing.headline_support.sentences
    return spans


def _scorable(headline: str, body: str) -> bool:
    """Texts the scorer answers: at least one letter or digit (else it refuses them)."""
    return any(ch.isalnum() for ch in headline + body)


@PROFILE
@given(headline=TEXT, body=TEXT)
def test_scores_are_probabilities(demo_scorer, headline, body):
    if not _scorable(headline, body):
        return
    result = demo_scorer.score(headline, body)
    assert 0.0 <= result.score <= 1.0
    assert 0.0 <= result.framing.score <= 1.0
    for part in (result.headline, result.body):
        if part is not None:
            assert 0.0 <= part.score <= 1.0
    if result.sourcing.score is not None:
        assert 0.0 <= result.sourcing.score <= 1.0
    assert result.label == demo_scorer.label(result.score)


@PROFILE
@given(headline=TEXT, body=TEXT)
def test_every_span_is_its_fields_slice(demo_scorer, headline, body):
    if not _scorable(headline, body):
        return
    texts = {"headline": headline, "body": body}
    for span in _all_spans(demo_scorer.score(headline, body)):
        assert 0 <= span.start < span.end <= len(texts[span.field])
        assert texts[span.field][span.start : span.end] == span.text


@PROFILE
@given(headline=TEXT, body=TEXT)
def test_framing_spans_of_a_category_do_not_overlap(demo_scorer, headline, body):
    if not _scorable(headline, body):
        return
    spans = demo_scorer.score(headline, body).framing.spans
    by_key: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        by_key.setdefault((span.field, span.category), []).append(span)
    for group in by_key.values():
        ordered = sorted(group, key=lambda s: (s.start, s.end))
        for left, right in zip(ordered, ordered[1:], strict=False):
            assert left.end <= right.start, (left, right)


@PROFILE
@given(headline=TEXT, body=TEXT)
def test_scoring_is_deterministic(demo_scorer, headline, body):
    if not _scorable(headline, body):
        return
    first = asdict(demo_scorer.score(headline, body))
    assert asdict(demo_scorer.score(headline, body)) == first


@PROFILE
@given(
    headline=LINE,
    lines=st.lists(LINE, min_size=1, max_size=8),
    inserts=st.lists(
        st.tuples(st.integers(min_value=0, max_value=8), st.sampled_from(BOILERPLATE)),
        min_size=1,
        max_size=4,
    ),
)
def test_boilerplate_lines_do_not_move_the_score(demo_scorer, headline, lines, inserts):
    body = "\n".join(lines)
    if not _scorable(headline, body):
        return
    noisy = list(lines)
    for position, boilerplate in sorted(inserts, reverse=True):
        noisy.insert(min(position, len(noisy)), boilerplate)
    noisy_body = "\n".join(noisy)
    clean = demo_scorer.score(headline, body)
    dirty = demo_scorer.score(headline, noisy_body)
    assert abs(clean.score - dirty.score) < 1e-9
    assert abs(clean.framing.score - dirty.framing.score) < 1e-9
    assert clean.label == dirty.label
    # No span may point into the boilerplate.
    for span in dirty.framing.spans:
        if span.field == "body":
            line_start = noisy_body.rfind("\n", 0, span.start) + 1
            line_end = noisy_body.find("\n", span.start)
            line = noisy_body[line_start : None if line_end < 0 else line_end]
            assert line not in BOILERPLATE
