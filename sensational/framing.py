"""Loaded-language detection: spans with a category and a weight, and a framing score.

The detector matches a term table keyed by word stems (curated lexicon entries, their regular
inflections, and terms learned from span-annotated news) in one pass over the tokens. A curated
word marked "exact" matches only its own spellings, not every word that shares its stem
("reportedly" does not match "reported"). Phrases match across single spaces or line breaks,
never across punctuation. Weights of "topic" words ("war", "strike", "killed") are cut when the
context reads as a literal report ("the war", "a strike ballot", "killed in an earthquake"), so
naming a dramatic event is not framing it. A shown span of loaded wording takes in the words it
modifies or that intensify it ("corrupt officials", "utterly vile lies"), as annotators mark
them.

With a trained :class:`~sensational.tagger.LoadedWordingTagger` the loaded wording comes from
the tagger instead (the lexicon matches become its features and give spans their category);
the lexicon's clickbait and speculation markers are still matched here, and shown only where
the register rules of :mod:`sensational.register` say they are hype. Without one (an untrained
bundle) the lexicon spans above are shown, under the same register rules.

Boilerplate: the scorer drops page furniture (:func:`sensational.text.find_boilerplate`)
before tokens reach :meth:`FramingDetector.analyze`, so no span is ever inside it. The one
exception is a related-story link list: its teaser lines are headlines of other stories, so
:meth:`FramingDetector.link_spans` finds their loaded words for ``framing.link_spans``, a list
apart from ``framing.spans`` that never counts in any score.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from sensational.lexicon import (
    LexiconEntry,
    Token,
    inflections,
    load_lexicon,
    stem,
    surface,
    surface_forms,
    term_key,
    tokenize,
)
from sensational.register import LOADED_CATEGORIES, is_plain_marker
from sensational.results import Field, FramingResult, Span
from sensational.tagger import LoadedWordingTagger, context, sentence_numbers
from sensational.text import SECTION_TAG, find_link_lists

FRAMING_DEFAULTS: dict[str, Any] = {
    # Topic words preceded by a determiner or number, or followed by a preposition, keep
    # this share of their weight.
    "topic_literal_factor": 0.3,
    # Emphasis (ALL CAPS word, or "!" right after it) raises a weight by this factor.
    "emphasis_factor": 1.25,
    # Spans lighter than this are still counted in the score but not returned (chosen by
    # cross-validated span F1 on the PTC training articles).
    "min_span_weight": 0.25,
    # A shown span grows over up to this many adjacent content words on each side (the noun
    # a loaded adjective modifies, an intensifying adverb before it), inside one clause and
    # never into another match. Clickbait and speculation markers and topic words keep their
    # own extent. One word a side: cross-validated span F1 0.335, against 0.340 with two and
    # 0.285 with none; a highlight should stay on the loaded words, not run into the clause.
    "extend_right": 1,
    "extend_left": 1,
    # framing.score = 1 - exp(-density / scale); density = 100 * sum(weights) / (words + pad).
    "score_scale": 3.0,
    "score_pad_words": 10,
}

_DETERMINERS = frozenset(
    stem(w)
    for w in "the a an this that these those its their his her our your my one two three four"
    " five six seven eight nine ten several many some".split()
)
_LITERAL_NEXT = frozenset(
    stem(w)
    for w in "in on at over against between with of by from during near after ballot action"
    " vote".split()
)
_INTENSIFIERS = frozenset(
    stem(w)
    for w in "all-out total utter full-blown full-scale savage brutal bloody devastating"
    " shocking horrific terrifying huge massive".split()
)

# Words a span never grows over (function words), and degree words it takes in on the left even
# though they are function words ("most corrupt", "so vile").
_FUNCTION = frozenset(
    stem(w)
    for w in [
        *ENGLISH_STOP_WORDS,
        *"said says say told like just let mr mrs don't doesn't didn't won't can't isn't aren't"
        " wasn't weren't it's that's there's i'm you're we're they're he's she's i've we've"
        " they've i'd we'd they'd i'll we'll they'll".split(),
    ]
)
_DEGREE = frozenset(
    stem(w)
    for w in "most very so such more much too really truly utterly absolutely totally completely"
    " extremely highly deeply incredibly".split()
)
_MARKER_CATEGORIES = frozenset({"clickbait", "speculation"})

_START = itemgetter(0)  # Token.start, fetched in C
_FIRST = itemgetter(0)
_STEM = itemgetter(2)  # Token.stem


@dataclass(frozen=True, slots=True)
class Term:
    """A row of the compiled term table."""

    category: str
    weight: float
    kind: str = ""
    source: str = "lexicon"


class FramingDetector:
    """Find loaded wording in a text and turn it into spans and a 0..1 framing score.

    Parameters
    ----------
    lexicon
        Curated entries; ``None`` reads ``sensational/resources/lexicon.tsv``.
    learned
        Weights learned from data, keyed by stem tuple: they override the prior weight of a
        lexicon entry with the same key and add terms the lexicon lacks.
    params
        Overrides of :data:`FRAMING_DEFAULTS`.
    tagger
        The learned loaded-wording tagger; ``None`` shows lexicon spans instead.
    """

    def __init__(
        self,
        lexicon: Sequence[LexiconEntry] | None = None,
        learned: dict[tuple[str, ...], Term] | None = None,
        params: dict[str, Any] | None = None,
        tagger: LoadedWordingTagger | None = None,
    ) -> None:
        self.lexicon = list(lexicon) if lexicon is not None else load_lexicon()
        self.learned = dict(learned or {})
        self.params = {**FRAMING_DEFAULTS, **(params or {})}
        self.tagger = tagger
        self._compile()

    # The compiled tables are rebuilt on unpickling rather than stored twice.
    def __getstate__(self) -> dict[str, Any]:
        return {
            "lexicon": self.lexicon,
            "learned": self.learned,
            "params": self.params,
            "tagger": self.tagger,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.lexicon = state["lexicon"]
        self.learned = state["learned"]
        self.params = {**FRAMING_DEFAULTS, **state["params"]}  # older bundles lack new keys
        self.tagger = state.get("tagger")
        self._compile()

    def _compile(self) -> None:
        table: dict[tuple[str, ...], Term] = {}
        inflected: dict[tuple[str, ...], Term] = {}
        forms: dict[str, set[str]] = {}
        exact = {term_key(e.term) for e in self.lexicon if e.kind == "exact"}
        for e in self.lexicon:
            key = term_key(e.term)
            if not key:
                continue
            if len(key) == 1 and key in exact:
                for k, fs in surface_forms(e.term).items():
                    forms.setdefault(k, set()).update(fs)
            term = Term(e.category, e.weight, e.kind)
            if key not in table or table[key].weight < e.weight:
                table[key] = term
            if len(key) == 1:
                for form in inflections(e.term):
                    k = term_key(form)
                    if len(k) == 1 and (k not in inflected or inflected[k].weight < e.weight):
                        inflected[k] = term
        for k, term in inflected.items():
            table.setdefault(k, term)
        # Learned weights replace priors; a learned weight keeps the curated category.
        for key, term in self.learned.items():
            prior = table.get(key)
            if prior is not None:
                table[key] = Term(prior.category, term.weight, prior.kind, "lexicon+learned")
            else:
                table[key] = term
        self.table_ = table
        # Spellings an "exact" curated word may take, by stem (other words match any spelling
        # of their stem: "stupidity" is as loaded as "stupid").
        self._forms = {k: frozenset(fs) for k, fs in forms.items()}
        self._words = {k[0]: t for k, t in table.items() if len(k) == 1}
        self._phrases = {k: t for k, t in table.items() if len(k) > 1}
        # One look-up per token: its single-word term (or None), and by the next word's stem
        # the lengths of the phrases the two start, longest first. Frequent heads ("the")
        # start phrases with few next words, so most look-ups end without building a key.
        heads: dict[str, dict[str, set[int]]] = {}
        for k in self._phrases:
            heads.setdefault(k[0], {}).setdefault(k[1], set()).add(len(k))
        self._lookup: dict[str, tuple[Term | None, dict[str, tuple[int, ...]]]] = {
            w: (
                self._words.get(w),
                {nxt: tuple(sorted(ls, reverse=True)) for nxt, ls in heads.get(w, {}).items()},
            )
            for w in set(self._words) | set(heads)
        }

    def matches(self, text: str, tokens: Sequence[Token]) -> list[tuple[int, int, Term, float]]:
        """Matches as ``(first token, last token + 1, term, weight in context)``."""
        p = self.params
        out = []
        stems = list(map(_STEM, tokens))
        n = len(stems)
        lookup = self._lookup
        phrases = self._phrases
        forms = self._forms
        i = 0  # tokens before i are inside a match already
        # Most tokens start no term: select the ones that do in C, then work on those only.
        for a in compress(range(n), map(lookup.__contains__, stems)):
            if a < i:
                continue
            term, following = lookup[stems[a]]
            b = a + 1
            lengths = following.get(stems[b], ()) if following and b < n else ()
            for length in lengths:  # the longest phrase wins over shorter ones and the word
                if a + length <= n:
                    phrase = phrases.get(tuple(stems[a : a + length]))
                    if phrase is not None and _joined(text, tokens, a, a + length):
                        term, b = phrase, a + length
                        break
            if term is None:
                continue
            if b == a + 1 and stems[a] in forms:
                word = surface(text[tokens[a].start : tokens[a].end])
                if word not in forms[stems[a]]:
                    continue
            weight = term.weight
            if term.kind == "topic" and _literal(tokens, a, b):
                weight *= p["topic_literal_factor"]
            if _emphasised(text, tokens[a].start, tokens[b - 1].end):
                weight = min(1.0, weight * p["emphasis_factor"])
            out.append((a, b, term, weight))
            i = b
        return out

    def detect(
        self,
        text: str,
        field: Field,
        exclude: Iterable[tuple[int, int]] = (),
        tokens: Sequence[Token] | None = None,
    ) -> list[Span]:
        """Spans of loaded wording in ``text``; nothing inside the ``exclude`` ranges."""
        spans, _ = self.analyze(text, field, exclude, tokens)
        return spans

    def analyze(
        self,
        text: str,
        field: Field,
        exclude: Iterable[tuple[int, int]] = (),
        tokens: Sequence[Token] | None = None,
    ) -> tuple[list[Span], float]:
        """Spans to show, and the total weight of the framing found (shown or not)."""
        if tokens is None:
            tokens = clean_tokens(text, exclude)
        return self._analyze(text, field, tokens, headline=field == "headline")

    def link_spans(self, text: str, field: Field) -> list[Span]:
        """Loaded words of the teaser lines of related-story link lists in ``text``.

        Those lines are boilerplate: the scorer never counts them, and they are not in
        ``framing.spans``. Each teaser is read as a headline; bracketed section tags
        ("[REVEAL]") are furniture and never highlighted.
        """
        lines = find_link_lists(text)
        if not lines:
            return []
        tags = [(m.start(), m.end()) for a, b in lines for m in SECTION_TAG.finditer(text, a, b)]
        tokens = [
            t
            for t in tokenize(text)
            if any(a <= t.start < b for a, b in lines)
            and not any(a <= t.start < b for a, b in tags)
        ]
        spans, _ = self._analyze(text, field, tokens, headline=True)
        return spans

    def _analyze(
        self, text: str, field: Field, tokens: Sequence[Token], *, headline: bool
    ) -> tuple[list[Span], float]:
        p = self.params
        floor = p["min_span_weight"]
        found = self.matches(text, tokens)
        # The tagger reads the whole context; the register rules only the sentence numbers.
        ctx = None
        if self.tagger is not None:
            ctx = context(text, tokens, found, headline)
            markers = [m for m in found if m[2].category in _MARKER_CATEGORIES]
            # A phrase made only of marker words ("alleged", "breaking", "fears grow") is the
            # marker's to show or not, by the register rules below.
            in_marker = {i for a, b, _, _ in markers for i in range(a, b)}
            phrases = [
                ph
                for ph in self.tagger.phrases(text, tokens, ctx, found)
                if not all(i in in_marker for i in range(ph[0], ph[1]))
            ]
            loaded = _lexicon_loaded(found)
            for a, b, _, _ in phrases:
                loaded.update(range(a, b))
            shown = [(a, b, category, weight, "learned") for a, b, category, weight in phrases]
        else:
            loaded = _lexicon_loaded(found)
            shown = []
            markers = found
        total = sum(weight for _, _, _, weight, _ in shown)
        # Tokens a span may not grow into: the phrases, or (no tagger) every lexicon match.
        taken = {
            i for a, b, *_ in (shown if self.tagger is not None else found) for i in range(a, b)
        }
        if not markers:
            segment: list[int] = []
        elif ctx is not None:
            segment = ctx.segment.tolist()
        else:
            segment = sentence_numbers(text, tokens)
        for a, b, term, weight in markers:
            if term.category in _MARKER_CATEGORIES and is_plain_marker(
                text,
                tokens,
                a,
                b,
                term.category,
                term.weight,
                segment,
                loaded,
                headline=headline,
            ):
                continue
            if self.tagger is not None and any(i in taken for i in range(a, b)):
                continue
            total += weight
            if weight < floor:
                continue
            # Markers and topic words ("war", "killed") name no phrase they shape.
            if term.category not in _MARKER_CATEGORIES and term.kind != "topic":
                a, b = _extend(text, tokens, a, b, taken, p["extend_left"], p["extend_right"])
            taken.update(range(a, b))  # the next span must not grow into this one
            shown.append((a, b, term.category, round(weight, 4), term.source))
        shown.sort(key=_FIRST)
        spans = []
        for a, b, category, weight, source in shown:
            start, end = tokens[a].start, tokens[b - 1].end
            spans.append(Span(field, start, end, text[start:end], category, weight, source))
        return spans, total

    def score(
        self, spans: Sequence[Span], n_words: int, total: float | None = None
    ) -> FramingResult:
        """The framing score of a text of ``n_words`` words with these spans.

        ``total`` is the weight of every match, shown or not; by default the spans' weights.
        """
        weight = sum(s.weight for s in spans) if total is None else total
        density = 100.0 * weight / (n_words + self.params["score_pad_words"])
        categories: dict[str, float] = {}
        for s in spans:
            categories[s.category] = round(categories.get(s.category, 0.0) + s.weight, 4)
        value = 1.0 - math.exp(-density / self.params["score_scale"])
        return FramingResult(round(value, 6), list(spans), categories)


def _lexicon_loaded(found: Sequence[tuple[int, int, Term, float]]) -> set[int]:
    """Tokens inside a strong loaded-wording lexicon match (the register rules' evidence)."""
    return {
        i
        for a, b, term, weight in found
        if term.category in LOADED_CATEGORIES and weight >= 0.5
        for i in range(a, b)
    }


def clean_tokens(text: str, exclude: Iterable[tuple[int, int]] = ()) -> list[Token]:
    """Tokens of ``text`` outside the ``exclude`` ranges (a token is out when it starts in one)."""
    tokens = tokenize(text)
    ranges = sorted(r for r in exclude if r[0] < r[1])
    if not ranges:
        return tokens
    # Tokens are in text order: cut out each range's run of tokens by bisection rather than
    # testing every token against every range.
    starts = list(map(_START, tokens))
    kept: list[Token] = []
    pos = 0
    for s, e in ranges:
        a = bisect_left(starts, s, pos)
        kept += tokens[pos:a]
        pos = bisect_left(starts, e, a)
    kept += tokens[pos:]
    return kept


def _joined(text: str, tokens: Sequence[Token], a: int, b: int) -> bool:
    """True when tokens ``a..b-1`` are separated by white space only (one break at most)."""
    for j in range(a, b - 1):
        gap = text[tokens[j].end : tokens[j + 1].start]
        if not gap or not gap.isspace() or len(gap) > 3:
            return False
    return True


def _extend(
    text: str,
    tokens: Sequence[Token],
    a: int,
    b: int,
    taken: set[int],
    left: int,
    right: int,
) -> tuple[int, int]:
    """Tokens ``a..b-1`` grown over adjacent content words (and degree words on the left).

    Annotators mark loaded wording as the phrase it shapes ("the corrupt establishment media",
    "most despicable act"), not the single word. Growth stops at punctuation, a line break, a
    function word, a number, or a token of another match.
    """
    n = len(tokens)
    for _ in range(right):
        if b >= n or b in taken or not _space(text, tokens[b - 1].end, tokens[b].start):
            break
        if tokens[b].stem in _FUNCTION or text[tokens[b].start].isdigit():
            break
        b += 1
    for _ in range(left):
        j = a - 1
        if j < 0 or j in taken or not _space(text, tokens[j].end, tokens[a].start):
            break
        s = tokens[j].stem
        if (s in _FUNCTION and s not in _DEGREE) or text[tokens[j].start].isdigit():
            break
        a = j
    return a, b


def _space(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is one or two spaces within a line."""
    gap = text[start:end]
    return 0 < len(gap) <= 2 and gap.isspace() and "\n" not in gap and "\r" not in gap


def _literal(tokens: Sequence[Token], a: int, b: int) -> bool:
    """A topic word used to name the subject: after a determiner, or before a preposition."""
    before = tokens[a - 1].stem if a > 0 else ""
    after = tokens[b].stem if b < len(tokens) else ""
    if before in _INTENSIFIERS:
        return False
    return before in _DETERMINERS or after in _LITERAL_NEXT


def _emphasised(text: str, start: int, end: int) -> bool:
    word = text[start:end]
    return (len(word) >= 3 and word.isupper()) or text[end : end + 1] == "!"
