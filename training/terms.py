"""Term weights learned from span-annotated articles (the lexicon path of the detector).

Fit-only: the core reads the result (``FramingDetector(learned=...)``) and never imports this.
The default bundle uses them; one with the learned tagger (``params.tagger.enabled = true``)
does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from datasets.adapters.ptc import LOADED_TECHNIQUES
from sensational.framing import Term
from sensational.lexicon import Token, surface, surface_forms, term_key, tokenize
from sensational.tagger import GROUP_WORDS

# Lexicon categories whose weights the span corpus can inform (see blend_with_lexicon).
LEARNABLE_CATEGORIES = frozenset({"fear", "conflict", "hyperbole", "outrage", "plight"})
LEARN_DEFAULTS: dict[str, Any] = {
    # Chosen by 5-fold cross-validation of span F1 on the PTC training articles.
    "prior_strength": 2.0,  # pseudo-occurrences of the lexicon prior when blending with data
    "min_count": 3,  # a new term needs this many occurrences in the training articles
    "min_docs": 2,  # ... in at least this many articles (one article's repetition is no rule)
    "min_rate": 0.35,  # ... and this smoothed share of them inside loaded spans
    "max_capitalised": 0.5,  # skip names: terms mostly written with a capital letter
    "max_ngram": 1,  # learned bigrams were mostly one corpus's collocations; phrases are curated
    # Occurrences one accepted reader's report on a span counts for: a reviewed judgement of
    # the model's own output, worth more than one unremarked use in the corpus.
    "feedback_weight": 3.0,
}
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "said", "says", "mr", "mrs"}


def loaded_token_mask(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[bool]:
    """For each token, whether it overlaps a span of a loaded technique."""
    ranges = sorted((s, e) for s, e, tech in spans if tech in LOADED_TECHNIQUES)
    mask = []
    for t in tokens:
        mask.append(any(s < t.end and t.start < e for s, e in ranges))
    return mask


@dataclass(frozen=True, slots=True)
class SpanJudgement:
    """A reviewed reader's report on a span: ``text[start:end]`` is loaded wording (a missed
    highlight) or is not (a wrong one). ``text`` is the sentence the report kept."""

    text: str
    start: int
    end: int
    loaded: bool
    headline: bool = False


@dataclass
class _Counts:
    """Occurrences of each stem n-gram, and how many fell inside loaded spans."""

    seen: Counter[tuple[str, ...]] = field(default_factory=Counter)
    inside: Counter[tuple[str, ...]] = field(default_factory=Counter)
    docs: Counter[tuple[str, ...]] = field(default_factory=Counter)
    forms: dict[str, Counter[str]] = field(default_factory=dict)
    forms_inside: dict[str, Counter[str]] = field(default_factory=dict)

    def form(self, key: str, form: str, weight: float, hit: bool) -> None:
        self.forms.setdefault(key, Counter())[form] += weight
        self.forms_inside.setdefault(key, Counter())[form] += weight * hit

    def form_counts(self) -> dict[str, dict[str, tuple[float, float]]]:
        return {
            w: {f: (c, self.forms_inside[w][f]) for f, c in forms.items()}
            for w, forms in self.forms.items()
        }


def learn_terms(
    docs: Iterable[Any],
    lexicon_keys: Iterable[tuple[str, ...]],
    params: dict[str, Any] | None = None,
    feedback: Iterable[SpanJudgement] = (),
) -> tuple[dict[tuple[str, ...], Term], dict[str, Any]]:
    """Learn term weights from span-annotated documents (``SpanDoc``-like objects).

    For every stem n-gram, count its occurrences and how many fall inside a loaded span
    (all of its words inside). A lexicon term's weight becomes its prior blended with that
    rate (``prior_strength`` pseudo-counts); a term absent from the lexicon is added, in the
    generic ``loaded`` category, when it is frequent enough, loaded often enough, and not a
    name, a stop word or a word that names a group or subject. One-word lexicon keys are also
    counted by spelling, since the detector matches an ``"exact"`` entry's own spellings only.

    Each reviewed reader's report in ``feedback`` counts the n-grams of its span
    ``feedback_weight`` times, inside a loaded span (``missed``) or outside (``not_loaded``);
    the rest of its sentence is not counted (a report says nothing about the other words).

    Returns
    -------
    learned : dict
        Stem tuple -> :class:`~sensational.framing.Term`, with ``source="learned"``; the
        weight of a lexicon entry is filled in by :func:`blend_with_lexicon`.
    stats : dict
        Counts behind the weights: ``{"base_rate", "counts": {key: (n, inside)},
        "form_counts": {one-word lexicon key: {spelling: (n, inside)}}}``, corpus and
        reports together, and ``"feedback_counts"``/``"feedback_form_counts"``, the reports'
        share alone.
    """
    p = {**LEARN_DEFAULTS, **(params or {})}
    max_n = int(p["max_ngram"])
    lex = {k for k in lexicon_keys if k}
    lengths = sorted(set(range(1, max_n + 1)) | {len(k) for k in lex})
    lex_words = {k[0] for k in lex if len(k) == 1}
    corpus, reports = _Counts(), _Counts()
    capital: Counter[tuple[str, ...]] = Counter()
    n_tokens = n_inside = 0

    def count(
        into: _Counts, text: str, tokens: Sequence[Token], mask: Sequence[bool], weight: float
    ) -> None:
        stems = [t.stem for t in tokens]
        in_doc: set[tuple[str, ...]] = set()
        for i, t in enumerate(tokens):
            if t.stem in lex_words:
                into.form(t.stem, surface(text[t.start : t.end]), weight, mask[i])
            for n in lengths:
                if i + n > len(tokens):
                    break
                key = tuple(stems[i : i + n])
                if n > max_n and key not in lex:
                    continue
                into.seen[key] += weight
                in_doc.add(key)
                if all(mask[i : i + n]):
                    into.inside[key] += weight
                if into is corpus and text[t.start].isupper() and i > 0:
                    capital[key] += 1
        into.docs.update(in_doc)

    for doc in docs:
        tokens = tokenize(doc.text)
        mask = loaded_token_mask(tokens, doc.spans)
        n_tokens += len(tokens)
        n_inside += sum(mask)
        count(corpus, doc.text, tokens, mask, 1.0)
    weight = float(p["feedback_weight"])
    for judgement in feedback:
        tokens = tokenize(judgement.text)
        picked = [t for t in tokens if judgement.start < t.end and t.start < judgement.end]
        count(reports, judgement.text, picked, [judgement.loaded] * len(picked), weight)

    base = n_inside / max(n_tokens, 1)
    k = float(p["prior_strength"])
    learned: dict[tuple[str, ...], Term] = {}
    totals: dict[tuple[str, ...], tuple[float, float]] = {}
    for key in corpus.seen.keys() | reports.seen.keys():
        n = corpus.seen[key] + reports.seen[key]
        hits = corpus.inside[key] + reports.inside[key]
        if key in lex:
            learned[key] = Term("loaded", hits / n, "", "learned")  # blended later
            totals[key] = (n, hits)
            continue
        if n < p["min_count"] or corpus.docs[key] + reports.docs[key] < p["min_docs"]:
            continue
        if any(
            w in _STOP or w in GROUP_WORDS or any(c.isdigit() for c in w) or len(w) < 3 for w in key
        ):
            continue
        rate = (hits + k * base) / (n + k)
        if rate < p["min_rate"] or capital[key] / n > p["max_capitalised"]:
            continue
        learned[key] = Term("loaded", round(rate, 4), "", "learned")
        totals[key] = (n, hits)
    both = _Counts()
    for part in (corpus, reports):
        for w, forms in part.forms.items():
            for f, c in forms.items():
                both.forms.setdefault(w, Counter())[f] += c
                both.forms_inside.setdefault(w, Counter())[f] += part.forms_inside[w][f]
    stats = {
        "lexicon_keys": lex,
        "base_rate": round(base, 4),
        "counts": totals,
        "form_counts": both.form_counts(),
        "feedback_counts": {key: (reports.seen[key], reports.inside[key]) for key in reports.seen},
        "feedback_form_counts": reports.form_counts(),
    }
    return learned, stats


def blend_with_lexicon(
    learned: dict[tuple[str, ...], Term],
    stats: dict[str, Any],
    lexicon: Iterable[Any],
    prior_strength: float,
) -> dict[tuple[str, ...], Term]:
    """Give each lexicon entry seen in the data the weight ``(inside + k * prior) / (n + k)``.

    Only categories the span corpus annotates are re-weighted by its counts: PTC marks
    loaded, exaggerated, fearful and name-calling wording, but not clickbait style or
    speculation, so those keep their curated priors (their PTC rate says nothing about them)
    unless readers reported on them: then the reports' counts alone re-weight them. An
    ``"exact"`` entry counts only the spellings the detector lets it match, so "weapons" does
    not decide the weight of "weaponized".
    """
    lexicon = list(lexicon)
    exact = {term_key(e.term) for e in lexicon if e.kind == "exact"}
    spellings: dict[str, set[str]] = {}
    for e in lexicon:
        key = term_key(e.term)
        if len(key) == 1 and key in exact:
            spellings.setdefault(key[0], set()).update(surface_forms(e.term).get(key[0], ()))
    out = {k: t for k, t in learned.items() if k not in stats.get("lexicon_keys", ())}
    for e in lexicon:
        key = term_key(e.term)
        if e.category in LEARNABLE_CATEGORIES:
            counts, form_counts = stats["counts"], stats.get("form_counts", {})
        else:
            counts = stats.get("feedback_counts", {})
            form_counts = stats.get("feedback_form_counts", {})
        if key not in counts:
            continue
        n, hits = counts[key]
        if len(key) == 1 and key[0] in spellings and key[0] in form_counts:
            own = [c for f, c in form_counts[key[0]].items() if f in spellings[key[0]]]
            n, hits = sum(c[0] for c in own), sum(c[1] for c in own)
        if not n:
            continue  # only other words with this stem were seen: the prior stands
        w = (hits + prior_strength * e.weight) / (n + prior_strength)
        out[key] = Term(e.category, round(w, 4), e.kind, "learned")
    return out
