"""A learned loaded-wording tagger: which words of a text a reader would mark as loaded.

A logistic regression over a window of tokens decides, for each word, the probability that it
belongs to loaded wording (the Loaded_Language, Name_Calling, Exaggeration and Appeal_to_fear
spans of the Propaganda Techniques Corpus, plus emotion cue words of news headlines). Its
features, each a fact about one token:

- the word itself: lower-cased spelling, stem, last three letters, shape (``x``, ``Xx``, ``X``
  for capitals, ``d`` for digits) and the strength of its sentiment in the VADER lexicon;
- its neighbours up to two words away in the same sentence: stem, shape, sentiment;
- the curated lexicon: the category and context weight of a lexicon match the word is part of,
  whether it starts the match, and the categories of the neighbours' matches;
- the sentence around it: whether it opens the sentence, whether a capitalised word stands
  inside the sentence, whether it is inside double quotation marks, whether it is in a headline;
- the whole text: how much loaded lexicon wording it holds per word (ordinary reporting uses
  fewer loaded words, and the model learns to trust a single one less there).

Each feature depends on one token (at an offset) or on the token's context, never on two tokens
at once, so the fitted model is also kept as tables: per spelling, the weight it adds to the
word itself and to each neighbour; per context value, its weight. A request then costs one dict
look-up per word and a few array operations (:meth:`LoadedWordingTagger.proba`), with the same
answer as the scikit-learn pipeline (:meth:`LoadedWordingTagger.proba_reference`).

Spans are runs of words at or above ``threshold``, grown over neighbours at or above
``extend_threshold`` (a loaded word takes in the phrase it shapes), plus words shouted in
capitals inside a sentence-case line.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.pipeline import Pipeline

from sensational.lexicon import CATEGORIES, Token, stem

# A match from FramingDetector.matches: (first token, last token + 1, term, weight in context).
Match = tuple[int, int, Any, float]

TAGGER_DEFAULTS: dict[str, Any] = {
    # Inverse regularisation of the logistic regression.
    "C": 0.3,
    # Features seen in fewer training tokens are dropped.
    "min_count": 2,
    # A content word at or above this probability starts a span; its neighbours at or above
    # ``extend_threshold`` join it. The trade-off between PTC span F1 (best near 0.15) and
    # highlights on sober reporting: 0.18 is the lowest of 0.15, 0.18, 0.2 and 0.25 at which
    # sober wire articles get at most half the highlights per word of the lexicon highlighter
    # (docs/benchmarks.md, "Highlights").
    "threshold": 0.18,
    "extend_threshold": 0.12,
    # Weight of a span of shouted capitals that no learned or lexicon evidence marks.
    "shout_weight": 0.6,
    # A quotation longer than this many words in body text is a speaker's words reported as
    # theirs (docs/criteria.md, grading rule 2): no span starts inside it. Shorter ones are
    # scare quotes the article adopts ("soldiers 'trapped' in city") and keep their spans.
    "quote_max_words": 4,
}

OFFSETS = (-2, -1, 0, 1, 2)
SHAPES = ("x", "Xx", "X", "d")
_SHAPE_ID = {s: i for i, s in enumerate(SHAPES)}
LEX_CATEGORIES = ("", *CATEGORIES)
_LEX_ID = {c: i for i, c in enumerate(LEX_CATEGORIES)}
PAD = "<pad>"
# Sentence ends for the window: a neighbour across one of these is not context.
_BOUNDARY = frozenset(".!?;\n\r")
_DOUBLE_QUOTES = frozenset('"\u201c\u201d\u201e\u201f')
_START = itemgetter(0)
_END = itemgetter(1)
# Short function words are never shouting even in capitals ("IT", "WHO", "ARE"): they are too
# often acronyms or headline furniture.
_NOT_SHOUTED = frozenset(w for w in ENGLISH_STOP_WORDS if len(w) <= 3)
# Words that name a group, a faith, a party or a subject never start a span (nor are they
# learned as loaded terms): in a span corpus they sit inside name-calling spans ("radical
# Islamic jihadists") or fill whole articles on one subject, but they say who or what, not how
# it is framed.
GROUP_WORDS = frozenset(
    stem(w)
    for w in """black white gay gays lesbian homosexual homosexuals homosexuality heterosexual
    transgender jew jews jewish muslim muslims islam islamic christian christians catholic
    catholics church priest priests bishop bishops pope cardinal clergy god allah lord jesus christ
    evangelical evangelicals israeli palestinian russian russians american americans immigrant
    immigrants migrant migrants refugee refugees democrat democrats republican republicans
    liberal liberals conservative conservatives partisan bipartisan non-partisan nonpartisan
    women men woman man child children baby babies dog dogs police military soldier soldiers
    journalist journalists journal media public health welfare campaign manager personnel
    income counselor shepherd mankind contributor human sex sexual kidnap rapist pedophile porn
    espionage spy genocide torture warfare jihadist jihadists anti-jihadist conciliar sanctity
    indissoluble humanitarian innovation neoliberal law-abiding brick weight chip mirror ring
    barrel smoke boot disposition""".split()
)
# Function words: they may join a phrase but never start one.
FUNCTION_STEMS = frozenset(
    stem(w)
    for w in [
        *ENGLISH_STOP_WORDS,
        *"said says say told like just let mr mrs ms don't doesn't didn't won't can't isn't"
        " aren't wasn't weren't it's that's there's i'm you're we're they're he's she's".split(),
    ]
)


def shape(word: str) -> str:
    """``d`` with a digit, ``X`` all capitals (two letters or more), ``Xx`` capitalised, ``x``."""
    if not word.isalpha() and any(c.isdigit() for c in word):
        return "d"
    if len(word) > 1 and word.isupper():
        return "X"
    if word[:1].isupper():
        return "Xx"
    return "x"


def valence_bin(value: float | None) -> str:
    """A VADER valence as a coarse bin: sign and whole part (``n2`` is -2.x), or ``""``."""
    if value is None:
        return ""
    return ("n" if value < 0 else "p") + str(min(3, int(abs(value))))


def word_features(word: str, valence: dict[str, float], stem_valence: dict[str, float]):
    """The features a spelling brings to itself (offset 0) and to each neighbour, by offset."""
    low = word.lower()
    s = stem(word)
    sh = shape(word)
    vb = valence_bin(valence.get(low, stem_valence.get(s)))
    out: dict[int, list[str]] = {
        0: [f"w={low}", f"s={s}", f"suf={low[-3:]}", f"sh={sh}"] + ([f"v={vb}"] if vb else [])
    }
    for o in OFFSETS:
        if o:
            out[o] = [f"s{o}={s}", f"sh{o}={sh}"] + ([f"v{o}={vb}"] if vb and abs(o) == 1 else [])
    return out


def pad_features() -> dict[int, list[str]]:
    """The features of a missing neighbour (before the start or after the end of a sentence)."""
    return {o: [f"s{o}={PAD}"] for o in OFFSETS if o}


@dataclass(frozen=True, slots=True)
class Context:
    """Per-token facts that depend on the text around a token, as arrays over the tokens."""

    segment: np.ndarray  # sentence number
    first: np.ndarray  # opens its sentence
    quoted: np.ndarray  # inside double quotation marks on its line
    quote_words: np.ndarray  # words in that quotation (0: not quoted)
    lex: np.ndarray  # index into LEX_CATEGORIES of the lexicon match it is part of (0: none)
    lex_begin: np.ndarray  # 1 first word of a match, 2 a later word, 0 none
    lex_weight: np.ndarray  # the match's weight in context
    title: bool
    density: float  # loaded-lexicon weight per word of the whole text (log scale)


def sentence_numbers(text: str, tokens: Sequence[Token]) -> list[int]:
    """The sentence number of each token (never decreasing): the sentence ends and line breaks
    before it. All the register rules need of :func:`context` when no tagger runs."""
    ends = [m.start() for m in _ENDS.finditer(text)]
    return [bisect_left(ends, t[0]) for t in tokens]


def context(text: str, tokens: Sequence[Token], matches: Iterable[Match], title: bool) -> Context:
    """The :class:`Context` of ``tokens`` in ``text`` (offsets index ``text`` as sent)."""
    n = len(tokens)
    starts = np.fromiter(map(_START, tokens), dtype=np.intp, count=n)
    # The few sentence ends, line breaks and quotation marks, by position: a token's sentence
    # is the number of ends before it (a search over those positions, not over characters).
    marks = [(m.start(), m.group()) for m in _MARKS.finditer(text)]
    segment = np.asarray(sentence_numbers(text, tokens), dtype=np.intp)
    first = np.ones(n, dtype=bool)
    if n > 1:
        first[1:] = segment[1:] != segment[:-1]
    quoted = np.zeros(n, dtype=bool)
    quote_words = np.zeros(n, dtype=np.intp)
    quotes = np.array([i for i, c in marks if c in _DOUBLE_QUOTES], dtype=np.intp)
    if len(quotes):
        # Inside quotes: an odd number of quotation marks since the token's line began.
        breaks = np.array([i for i, c in marks if c in "\n\r"], dtype=np.intp)
        line = np.searchsorted(breaks, starts)
        line_start = np.where(line > 0, breaks[np.maximum(line - 1, 0)] if len(breaks) else 0, 0)
        before = np.searchsorted(quotes, starts)
        quoted = (before - np.searchsorted(quotes, line_start)) % 2 == 1
        if quoted.any():
            # The words of one quotation share the count of marks before them.
            sizes = np.bincount(before[quoted], minlength=len(quotes) + 1)
            quote_words = np.where(quoted, sizes[before], 0)
    lex = [0] * n
    lex_begin = [0] * n
    lex_weight = [0.0] * n
    loaded = 0.0
    for a, b, term, weight in matches:
        cat = _LEX_ID[term.category]
        for i in range(a, b):
            lex[i], lex_begin[i], lex_weight[i] = cat, 2, weight
        lex_begin[a] = 1
        if term.category in _LOADED_LEX and term.kind != "topic":
            loaded += weight
    density = math.log1p(100.0 * loaded / (n + 10))
    return Context(
        segment,
        first,
        quoted,
        quote_words,
        np.array(lex, dtype=np.intp),
        np.array(lex_begin, dtype=np.intp),
        np.array(lex_weight),
        title,
        density,
    )


# Lexicon categories whose weight makes up a text's loaded density.
_LOADED_LEX = frozenset({"fear", "conflict", "hyperbole", "outrage", "plight"})
_MARKS = re.compile("[" + re.escape("".join(sorted(_BOUNDARY | _DOUBLE_QUOTES))) + "]")
_ENDS = re.compile("[" + re.escape("".join(sorted(_BOUNDARY))) + "]")


def context_features(ctx: Context, i: int, word_shape: str) -> dict[str, float]:
    """The context features of token ``i`` (its own lexicon match and sentence position)."""
    f: dict[str, float] = {}
    if ctx.first[i]:
        f["first"] = 1.0
    elif word_shape != "x":
        f[f"in_sh={word_shape}"] = 1.0
    if ctx.quoted[i]:
        f["quoted"] = 1.0
    if ctx.title:
        f["title"] = 1.0
    if ctx.density:
        f["density"] = ctx.density
    if ctx.lex[i]:
        f[f"lex={LEX_CATEGORIES[ctx.lex[i]]}"] = 1.0
        f["lex_begin" if ctx.lex_begin[i] == 1 else "lex_inside"] = 1.0
        f["lex_weight"] = float(ctx.lex_weight[i])
    n = len(ctx.lex)
    for o in OFFSETS:
        j = i + o
        if o and 0 <= j < n and ctx.segment[j] == ctx.segment[i] and ctx.lex[j]:
            f[f"lex{o}={LEX_CATEGORIES[ctx.lex[j]]}"] = 1.0
    return f


def feature_dicts(
    text: str,
    tokens: Sequence[Token],
    matches: Iterable[Match],
    *,
    title: bool,
    valence: dict[str, float],
    stem_valence: dict[str, float],
) -> list[dict[str, float]]:
    """One feature dict per token: the input of the scikit-learn pipeline (training, tests)."""
    ctx = context(text, tokens, matches, title)
    words = [text[s:e] for s, e, _ in tokens]
    memo: dict[str, dict[int, list[str]]] = {}
    own = []
    for w in words:
        feats = memo.get(w)
        if feats is None:
            feats = memo[w] = word_features(w, valence, stem_valence)
        own.append(feats)
    pad = pad_features()
    n = len(tokens)
    rows = []
    for i in range(n):
        f = dict.fromkeys(own[i][0], 1.0)
        for o in OFFSETS:
            if not o:
                continue
            j = i + o
            same = 0 <= j < n and ctx.segment[j] == ctx.segment[i]
            for name in own[j][o] if same else pad[o]:
                f[name] = 1.0
        f.update(context_features(ctx, i, own[i][0][3][3:]))
        rows.append(f)
    return rows


class LoadedWordingTagger:
    """Probability per token that it is loaded wording, and the spans those tokens make.

    Parameters
    ----------
    pipeline
        A fitted ``Pipeline([DictVectorizer, LogisticRegression])`` over :func:`feature_dicts`.
    valence, stem_valence
        Sentiment strength of words and of stems (the VADER lexicon), as fitted with.
    categories
        Stem -> framing category learned from the techniques of the spans it appeared in; a
        span with no lexicon word takes the category of its strongest word from here.
    lower_stems
        Stems seen written in lower case in the training texts: a word in capitals whose stem
        is among them is an ordinary word shouted, not an acronym ("GORES", not "NATO").
    params
        Overrides of :data:`TAGGER_DEFAULTS` (thresholds).
    """

    # Spellings remembered between requests; beyond this the memo starts over.
    max_memo = 100_000

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        valence: dict[str, float],
        stem_valence: dict[str, float],
        categories: dict[str, str] | None = None,
        lower_stems: Iterable[str] = (),
        params: dict[str, Any] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.valence = dict(valence)
        self.stem_valence = dict(stem_valence)
        self.categories = dict(categories or {})
        self.lower_stems = frozenset(lower_stems)
        self.params = {**TAGGER_DEFAULTS, **(params or {})}
        self._compile()

    def __getstate__(self) -> dict[str, Any]:
        keep = ("pipeline", "valence", "stem_valence", "categories", "lower_stems", "params")
        return {k: getattr(self, k) for k in keep}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.params = {**TAGGER_DEFAULTS, **state["params"]}
        self._compile()

    # -- the fitted model as tables ------------------------------------------------------

    def _compile(self) -> None:
        vec = self.pipeline.named_steps["features"]
        clf = self.pipeline.named_steps["classifier"]
        coef = np.asarray(clf.coef_[0], dtype=float)
        self.intercept_ = float(clf.intercept_[0])
        self.coef_ = {str(name): float(coef[j]) for name, j in vec.vocabulary_.items()}
        get = self.coef_.get
        self._pad = [sum(get(f, 0.0) for f in fs) for fs in pad_features().values()]
        self._first = get("first", 0.0)
        self._quoted = get("quoted", 0.0)
        self._title = get("title", 0.0)
        self._density = get("density", 0.0)
        self._lex_weight = get("lex_weight", 0.0)
        self._inner_shape = np.array([get(f"in_sh={s}", 0.0) for s in SHAPES])
        self._inner_shape[0] = 0.0  # lower-case words carry no such feature
        self._lex = {
            o: np.array([0.0] + [get(f"lex{'' if o == 0 else o}={c}", 0.0) for c in CATEGORIES])
            for o in OFFSETS
        }
        self._lex_begin = np.array([0.0, get("lex_begin", 0.0), get("lex_inside", 0.0)])
        # Rows of per-spelling weights: columns are OFFSETS, then the shape id, then 1 for a
        # word that may start a phrase (not a function word, not a group or subject word).
        self._rows = np.zeros((1024, len(OFFSETS) + 2))
        self._ids: dict[str, int] = _Memo(self)

    def _row(self, word: str) -> int:
        """The row of ``word``'s weights, computed on first sight."""
        ids = self._ids
        i = len(ids)
        if i >= len(self._rows):
            grown = np.zeros((2 * len(self._rows), self._rows.shape[1]))
            grown[:i] = self._rows[:i]
            self._rows = grown
        get = self.coef_.get
        feats = word_features(word, self.valence, self.stem_valence)
        row = self._rows[i]
        for k, o in enumerate(OFFSETS):
            row[k] = sum(get(f, 0.0) for f in feats[o])
        row[-2] = _SHAPE_ID[shape(word)]
        s = stem(word)
        row[-1] = s not in FUNCTION_STEMS and s not in GROUP_WORDS
        ids[word] = i
        return i

    # -- probabilities -------------------------------------------------------------------

    def _indices(self, text: str, tokens: Sequence[Token]) -> np.ndarray:
        """The weight row of each token's spelling (new spellings are added on the way)."""
        ids = self._ids
        if len(ids) >= self.max_memo:  # start over between requests, never during one
            ids.clear()
        # Spellings cut in C: slice objects from the offsets, then the text's __getitem__.
        words = map(text.__getitem__, map(slice, map(_START, tokens), map(_END, tokens)))
        return np.fromiter(map(ids.__getitem__, words), dtype=np.intp, count=len(tokens))

    def decision(
        self, text: str, tokens: Sequence[Token], ctx: Context, idx: np.ndarray | None = None
    ) -> np.ndarray:
        """Log-odds per token (the fast path); ``idx`` is :meth:`_indices` when known."""
        n = len(tokens)
        if not n:
            return np.zeros(0)
        if idx is None:
            idx = self._indices(text, tokens)
        rows = self._rows[idx]
        seg = ctx.segment
        lex = ctx.lex
        # Constant parts first: intercept, headline, text density.
        z = rows[:, 2] + (
            self.intercept_ + (self._title if ctx.title else 0.0) + ctx.density * self._density
        )
        for k, o in enumerate(OFFSETS):
            if not o:
                continue
            # Token i takes the offset-o weight of token i + o (its spelling's and its lexicon
            # match's), or the padding weight when that token is outside the text or in another
            # sentence.
            pad = self._pad[k if k < 2 else k - 1]
            given = rows[:, k] + self._lex[o][lex]
            if o < 0:
                z[-o:] += np.where(seg[-o:] == seg[:o], given[:o], pad)
                z[:-o] += pad
            else:
                z[:-o] += np.where(seg[:-o] == seg[o:], given[o:], pad)
                z[-o:] += pad
        shapes = rows[:, -2].astype(np.intp)
        z += np.where(ctx.first, self._first, self._inner_shape[shapes])
        z += ctx.quoted * self._quoted
        z += self._lex[0][lex] + self._lex_begin[ctx.lex_begin] + ctx.lex_weight * self._lex_weight
        return z

    def proba(self, text: str, tokens: Sequence[Token], ctx: Context) -> np.ndarray:
        """Probability per token that it is loaded wording (the fast path)."""
        return 1.0 / (1.0 + np.exp(-self.decision(text, tokens, ctx)))

    def proba_reference(
        self, text: str, tokens: Sequence[Token], matches: Iterable[Match], *, title: bool
    ) -> np.ndarray:
        """The same probabilities through the scikit-learn pipeline (slow; tests, training)."""
        rows = feature_dicts(
            text,
            tokens,
            matches,
            title=title,
            valence=self.valence,
            stem_valence=self.stem_valence,
        )
        if not rows:
            return np.zeros(0)
        return self.pipeline.predict_proba(rows)[:, 1]

    # -- spans ---------------------------------------------------------------------------

    def shouted(
        self, text: str, tokens: Sequence[Token], ctx: Context, idx: np.ndarray | None = None
    ) -> np.ndarray:
        """Words in capitals inside a line that is not itself in capitals (0/1 per token).

        A word counts when it has three letters or more, is not a short function word, and its
        stem is seen in lower case in ordinary text (so acronyms such as NATO are not
        shouting). A line whose words are mostly capitals is a house style, not emphasis.
        """
        n = len(tokens)
        out = np.zeros(n, dtype=bool)
        if not n:
            return out
        if idx is None:
            idx = self._indices(text, tokens)
        shapes = self._rows[idx, -2]
        caps = np.flatnonzero(shapes == _SHAPE_ID["X"])
        if not len(caps):
            return out
        lower = self.lower_stems
        line_of = _line_numbers(text, tokens)
        words_per_line = np.bincount(line_of)
        caps_per_line = np.bincount(line_of[caps], minlength=len(words_per_line))
        for i in caps:
            a, b, s = tokens[i]
            word = text[a:b]
            if (
                len(word) >= 3
                and word.lower() not in _NOT_SHOUTED
                and s in lower
                and 2 * caps_per_line[line_of[i]] < words_per_line[line_of[i]]
            ):
                out[i] = True
        # A run of capitals with an acronym in it is a name ("USA TODAY", "CNN NEWS").
        run: list[int] = []
        for i in [*caps.tolist(), -2]:
            if run and (
                i != run[-1] + 1 or not _touching(text, tokens[run[-1]].end, tokens[i].start)
            ):
                if not all(out[j] for j in run):
                    out[run] = False
                run = []
            run.append(i)
        return out

    def phrases(
        self,
        text: str,
        tokens: Sequence[Token],
        ctx: Context,
        matches: Sequence[Match],
    ) -> list[tuple[int, int, str, float]]:
        """``(first token, last token + 1, category, weight)`` of each loaded phrase.

        Seeds are tokens at or above ``threshold`` and shouted words; each grows over adjacent
        tokens at or above ``extend_threshold`` in the same sentence; seeds that touch (only
        spaces, hyphens or apostrophes between them) join into one phrase. The category is
        that of the heaviest lexicon match inside the phrase, else that learned for its
        strongest word, else ``shouting`` for shouted capitals, else ``loaded``.
        """
        n = len(tokens)
        if not n:
            return []
        idx = self._indices(text, tokens)
        p = 1.0 / (1.0 + np.exp(-self.decision(text, tokens, ctx, idx)))
        hi, lo = self.params["threshold"], self.params["extend_threshold"]
        shouted = self.shouted(text, tokens, ctx, idx)
        # A seed is a content word: "the" or "and", "Russians" or "Christians" may join a
        # phrase ("radical Islamic jihadists"), never start one.
        seeds = (p >= hi) & (self._rows[idx, -1] > 0)
        if not ctx.title:
            seeds &= ctx.quote_words <= self.params["quote_max_words"]
        on = seeds | shouted
        if not on.any():
            return []
        # The few marked tokens are walked in Python on plain lists (numpy scalars are slow).
        seg = ctx.segment.tolist()
        grow = (p >= lo).tolist()
        marked = set(np.flatnonzero(on).tolist())
        for i in sorted(marked):
            for step in (-1, 1):
                j = i + step
                while 0 <= j < n and j not in marked and grow[j] and seg[j] == seg[i]:
                    marked.add(j)
                    j += step
        lexical: dict[int, tuple[str, float]] = {}
        for a, b, term, weight in matches:
            if term.category not in ("clickbait", "speculation"):
                for k in range(a, b):
                    if weight > lexical.get(k, ("", 0.0))[1]:
                        lexical[k] = (term.category, weight)
        probs = p.tolist()
        loud = set(np.flatnonzero(shouted).tolist())
        shout_w = float(self.params["shout_weight"])
        out = []
        order = sorted(marked)
        k = 0
        while k < len(order):
            i = j = order[k]
            k += 1
            while (
                k < len(order)
                and order[k] == j + 1
                and _touching(text, tokens[j].end, tokens[j + 1].start)
            ):
                j = order[k]
                k += 1
            b = j + 1
            top = max(range(i, b), key=probs.__getitem__)
            weight = probs[top]
            any_shout = any(t in loud for t in range(i, b))
            if any_shout:
                weight = max(weight, shout_w)
            cat = max(
                (lexical[t] for t in range(i, b) if t in lexical), key=itemgetter(1), default=None
            )
            if cat is not None:
                category = cat[0]
            else:
                category = self.categories.get(tokens[top].stem) or (
                    "shouting" if any_shout else "loaded"
                )
            out.append((i, b, category, round(weight, 4)))
        return out


class _Memo(dict[str, int]):
    """``spelling -> row`` of a tagger, filled on first sight by ``__missing__`` (a dict, so a
    list of spellings is mapped in C and only new ones run Python code)."""

    def __init__(self, owner: LoadedWordingTagger) -> None:
        super().__init__()
        self.owner = owner

    def __missing__(self, word: str) -> int:
        return self.owner._row(word)


def _touching(text: str, end: int, start: int) -> bool:
    """Tokens one phrase can join across: spaces, hyphens, apostrophes, at most three."""
    gap = text[end:start]
    return len(gap) <= 3 and all(c in " \t-'\u2019\u2010\u2011\u2013" for c in gap)


def _line_numbers(text: str, tokens: Sequence[Token]) -> np.ndarray:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lines = np.concatenate(([0], np.cumsum(codes == 10)))
    starts = np.fromiter(map(_START, tokens), dtype=np.intp, count=len(tokens))
    return lines[starts]


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))
