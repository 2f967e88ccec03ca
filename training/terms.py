"""Term weights learned from span-annotated articles (the lexicon path of the detector).

Fit-only: the core reads the result (``FramingDetector(learned=...)``) and never imports this.
The default bundle uses them; one with the learned tagger (``params.tagger.enabled = true``)
does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
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
}
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "said", "says", "mr", "mrs"}


def loaded_token_mask(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[bool]:
    """For each token, whether it overlaps a span of a loaded technique."""
    ranges = sorted((s, e) for s, e, tech in spans if tech in LOADED_TECHNIQUES)
    mask = []
    for t in tokens:
        mask.append(any(s < t.end and t.start < e for s, e in ranges))
    return mask


def learn_terms(
    docs: Iterable[Any],
    lexicon_keys: Iterable[tuple[str, ...]],
    params: dict[str, Any] | None = None,
) -> tuple[dict[tuple[str, ...], Term], dict[str, Any]]:
    """Learn term weights from span-annotated documents (``SpanDoc``-like objects).

    For every stem n-gram, count its occurrences and how many fall inside a loaded span
    (all of its words inside). A lexicon term's weight becomes its prior blended with that
    rate (``prior_strength`` pseudo-counts); a term absent from the lexicon is added, in the
    generic ``loaded`` category, when it is frequent enough, loaded often enough, and not a
    name, a stop word or a word that names a group or subject. One-word lexicon keys are also
    counted by spelling, since the detector matches an ``"exact"`` entry's own spellings only.

    Returns
    -------
    learned : dict
        Stem tuple -> :class:`~sensational.framing.Term`, with ``source="learned"``; the
        weight of a lexicon entry is filled in by :func:`blend_with_lexicon`.
    stats : dict
        Counts behind the weights: ``{"base_rate", "counts": {key: (n, inside)},
        "form_counts": {one-word lexicon key: {spelling: (n, inside)}}}``.
    """
    p = {**LEARN_DEFAULTS, **(params or {})}
    max_n = int(p["max_ngram"])
    lex = {k for k in lexicon_keys if k}
    lex_lengths = sorted({len(k) for k in lex})
    seen: Counter[tuple[str, ...]] = Counter()
    inside: Counter[tuple[str, ...]] = Counter()
    capital: Counter[tuple[str, ...]] = Counter()
    doc_freq: Counter[tuple[str, ...]] = Counter()
    lex_words = {k[0] for k in lex if len(k) == 1}
    by_form: dict[str, Counter[str]] = {}
    by_form_inside: dict[str, Counter[str]] = {}
    n_tokens = n_inside = 0
    for doc in docs:
        in_doc: set[tuple[str, ...]] = set()
        tokens = tokenize(doc.text)
        mask = loaded_token_mask(tokens, doc.spans)
        stems = [t.stem for t in tokens]
        n_tokens += len(tokens)
        n_inside += sum(mask)
        for t, hit in zip(tokens, mask, strict=True):
            if t.stem in lex_words:
                form = surface(doc.text[t.start : t.end])
                by_form.setdefault(t.stem, Counter())[form] += 1
                by_form_inside.setdefault(t.stem, Counter())[form] += hit
        lengths = sorted(set(range(1, max_n + 1)) | set(lex_lengths))
        for i in range(len(tokens)):
            for n in lengths:
                if i + n > len(tokens):
                    break
                key = tuple(stems[i : i + n])
                if n > max_n and key not in lex:
                    continue
                seen[key] += 1
                in_doc.add(key)
                if all(mask[i : i + n]):
                    inside[key] += 1
                if doc.text[tokens[i].start].isupper() and i > 0:
                    capital[key] += 1
        doc_freq.update(in_doc)
    base = n_inside / max(n_tokens, 1)
    k = float(p["prior_strength"])
    learned: dict[tuple[str, ...], Term] = {}
    for key, n in seen.items():
        hits = inside[key]
        if key in lex:
            learned[key] = Term("loaded", hits / n, "", "learned")  # blended later
            continue
        if n < p["min_count"] or doc_freq[key] < p["min_docs"]:
            continue
        if any(
            w in _STOP or w in GROUP_WORDS or any(c.isdigit() for c in w) or len(w) < 3 for w in key
        ):
            continue
        rate = (hits + k * base) / (n + k)
        if rate < p["min_rate"] or capital[key] / n > p["max_capitalised"]:
            continue
        learned[key] = Term("loaded", round(rate, 4), "", "learned")
    stats = {
        "lexicon_keys": lex,
        "base_rate": round(base, 4),
        "counts": {key: (seen[key], inside[key]) for key in learned},
        "form_counts": {
            w: {f: (c, by_form_inside[w][f]) for f, c in forms.items()}
            for w, forms in by_form.items()
        },
    }
    return learned, stats


def blend_with_lexicon(
    learned: dict[tuple[str, ...], Term],
    stats: dict[str, Any],
    lexicon: Iterable[Any],
    prior_strength: float,
) -> dict[tuple[str, ...], Term]:
    """Give each lexicon entry seen in the data the weight ``(inside + k * prior) / (n + k)``.

    Only categories the span corpus annotates are re-weighted: PTC marks loaded, exaggerated,
    fearful and name-calling wording, but not clickbait style or speculation, so those keep
    their curated priors (their PTC rate says nothing about them). An ``"exact"`` entry counts
    only the spellings the detector lets it match, so "weapons" does not decide the weight of
    "weaponized".
    """
    lexicon = list(lexicon)
    exact = {term_key(e.term) for e in lexicon if e.kind == "exact"}
    spellings: dict[str, set[str]] = {}
    for e in lexicon:
        key = term_key(e.term)
        if len(key) == 1 and key in exact:
            spellings.setdefault(key[0], set()).update(surface_forms(e.term).get(key[0], ()))
    form_counts = stats.get("form_counts", {})
    out = {k: t for k, t in learned.items() if k not in stats.get("lexicon_keys", ())}
    for e in lexicon:
        key = term_key(e.term)
        if e.category not in LEARNABLE_CATEGORIES or key not in stats["counts"]:
            continue
        n, hits = stats["counts"][key]
        if len(key) == 1 and key[0] in spellings and key[0] in form_counts:
            own = [c for f, c in form_counts[key[0]].items() if f in spellings[key[0]]]
            n, hits = sum(c[0] for c in own), sum(c[1] for c in own)
            if not n:
                continue  # only other words with this stem were seen: the prior stands
        w = (hits + prior_strength * e.weight) / (n + prior_strength)
        out[key] = Term(e.category, round(w, 4), e.kind, "learned")
    return out
