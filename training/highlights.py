"""How good the highlights are, as a reader of the extension sees them (``framing.spans``).

Every figure is measured on data the model never trained on, and names its split:

- **PTC char-level F1** of every shown span against the union of the loaded techniques
  (Loaded_Language, Name_Calling,Labeling, Exaggeration,Minimisation, Appeal_to_fear-prejudice),
  on the held-out fifth of the PTC training articles (``sha256("ptc:" + article id) % 5 == 0``)
  and on the official development split. The title line is sent as the headline, the rest as
  the body, as an extension would.
- **BASIL lexical bias** (evaluation only): precision and recall of the shown spans against the
  experts' lexical-bias spans in Fox, NYT and HuffPost articles.
- **GoodNewsEveryone cue words**: the share of annotated emotion cue words of held-out
  headlines (``sha256(headline id) % 5 == 0``) that a headline span covers.
- **Sober-article highlight rate**: the share of sober articles with any highlight, and
  highlights per 1,000 words on sober and on sensational text. Sober and sensational come
  from the graded reference set (``datasets/reference/articles.jsonl``: grade 0 and grade 2 or
  more) when it exists; until then from wire-style reporting (PolNeAR's NYT, USA Today and
  Politico articles, the sober side of the project's headline twins and story pairs) against
  the loaded side of the twins and story pairs and the PTC development articles.

The measures take a ``predict(headline, body)`` function returning ``(field, start, end,
category)`` per shown span, so they can score the current bundle or spans recorded from any
other version of the service.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from datasets.corpora import holdout_bucket
from training.tagger import char_prf, merge_ranges, split_title

Predicted = list[tuple[str, int, int, str]]
Predict = Callable[[str, str], Predicted]
_WORD = re.compile(r"\w+")
# PolNeAR outlets that write wire-style news (the others are partisan or opinion sites).
WIRE_OUTLETS = ("nyt", "usa-today", "politico")


def scorer_predict(scorer: Any) -> Predict:
    """``predict`` of a scorer bundle: the spans of ``scorer.score(headline, body)``."""

    def predict(headline: str, body: str) -> Predicted:
        result = scorer.score(headline or None, body or None)
        return [(s.field, s.start, s.end, s.category) for s in result.framing.spans]

    return predict


def _article_ranges(predicted: Predicted, offset: int) -> list[tuple[int, int]]:
    return [(s, e) if f == "headline" else (s + offset, e + offset) for f, s, e, _ in predicted]


def ptc_char_f1(predict: Predict, docs: Iterable[Any]) -> dict[str, Any]:
    """Char-level P/R/F1 of shown spans against the loaded techniques' spans."""
    from datasets.adapters.ptc import LOADED_TECHNIQUES

    pairs = []
    n = 0
    for doc in docs:
        n += 1
        title, body, offset = split_title(doc.text)
        pred = _article_ranges(predict(title, body), offset)
        pairs.append((pred, [(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES]))
    return {"articles": n, **char_prf(pairs)}


def basil_lexical(predict: Predict, root: Path) -> dict[str, Any]:
    """Shown spans against BASIL's lexical-bias spans: char-level figures, and the share of
    shown spans that touch a lexical-bias span (span precision) and of those spans touched
    (span recall)."""
    from datasets.adapters.basil import read_basil

    pairs = []
    touched = shown = found = gold = 0
    n = 0
    for art in read_basil(root):
        n += 1
        offset = len(art.headline) + 1
        pred = [
            (s - offset, e - offset)
            for s, e in _article_ranges(predict(art.headline, art.body), offset)
            if s >= offset
        ]
        pairs.append((pred, list(art.lexical)))
        shown += len(pred)
        touched += sum(any(s < ge and gs < e for gs, ge in art.lexical) for s, e in pred)
        gold += len(art.lexical)
        found += sum(any(s < ge and gs < e for s, e in pred) for gs, ge in art.lexical)
    return {
        "articles": n,
        "split": "all 300 articles (evaluation only; body spans)",
        "char": char_prf(pairs),
        "span_precision": round(touched / shown, 4) if shown else 0.0,
        "span_recall": round(found / gold, 4) if gold else 0.0,
        "shown_spans": shown,
        "gold_spans": gold,
    }


def gne_cue_recall(predict: Predict, root: Path) -> dict[str, Any]:
    """Share of cue words of held-out GoodNewsEveryone headlines inside a headline span."""
    from datasets.adapters.goodnewseveryone import read_goodnewseveryone
    from sensational.lexicon import tokenize
    from training.tagger import cue_mask

    covered = total = shown_words = shown_cue = n = 0
    for h in read_goodnewseveryone(root):
        if holdout_bucket(h.doc_id) != 0 or not h.cues:
            continue
        n += 1
        tokens = tokenize(h.headline)
        mask = cue_mask(tokens, h.headline, h.cues)
        ranges = merge_ranges((s, e) for f, s, e, _ in predict(h.headline, "") if f == "headline")
        inside = [any(s <= t.start < e for s, e in ranges) for t in tokens]
        total += sum(mask)
        covered += sum(m and i for m, i in zip(mask, inside, strict=True))
        shown_words += sum(inside)
        shown_cue += sum(m and i for m, i in zip(mask, inside, strict=True))
    return {
        "headlines": n,
        "split": "held-out fifth: sha256(headline id) % 5 == 0",
        "cue_words": total,
        "recall": round(covered / total, 4) if total else 0.0,
        "precision": round(shown_cue / shown_words, 4) if shown_words else 0.0,
    }


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def highlight_rate(predict: Predict, articles: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Share of articles with any shown span, and shown spans per 1,000 words."""
    with_any = spans = words = 0
    for headline, body in articles:
        found = predict(headline, body)
        with_any += bool(found)
        spans += len(found)
        words += _words(headline) + _words(body)
    return {
        "articles": len(articles),
        "with_any_highlight": round(with_any / len(articles), 4) if articles else 0.0,
        "per_1000_words": round(1000 * spans / words, 3) if words else 0.0,
        "words": words,
    }


def sober_and_sensational(
    root: Path | None,
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]], str]:
    """The sober and sensational article sets by origin, and where they came from."""
    from datasets.reference import ARTICLES_FILE

    if root is not None and ARTICLES_FILE.is_file():
        from datasets.reference import load_reference

        graded = load_reference(root)
        sober = [(g.article.headline, g.article.body) for g in graded if g.grade == 0]
        hot = [(g.article.headline, g.article.body) for g in graded if g.grade >= 2]
        return (
            {"reference grade 0": sober},
            {"reference grade >= 2": hot},
            "graded reference set (datasets/reference/articles.jsonl)",
        )
    from datasets.corpora import read_story_pairs, read_twins

    twins = read_twins()
    pairs = read_story_pairs()
    sober: dict[str, list[tuple[str, str]]] = {
        "headline twins, sober side": [(b, "") for _, b in twins],
        "story pairs, sober side": [(r["sober"]["headline"], r["sober"]["body"]) for r in pairs],
    }
    hot: dict[str, list[tuple[str, str]]] = {
        "headline twins, loaded side": [(a, "") for a, _ in twins],
        "story pairs, sensational side": [
            (r["sensational"]["headline"], r["sensational"]["body"]) for r in pairs
        ],
    }
    if root is not None and (root / "polnear").is_dir():
        wire = []
        for split in ("train", "dev"):
            for path in sorted((root / "polnear" / split / "text").glob("*.txt")):
                if path.stem.split("_", 1)[0] in WIRE_OUTLETS:
                    headline, _, body = path.read_text("utf-8").partition("\n")
                    wire.append((headline.strip(), body.strip()))
        sober["PolNeAR NYT, USA Today, Politico"] = wire
    if root is not None and (root / "semeval2020-ptc-dev").is_dir():
        from datasets.adapters.ptc import read_ptc

        hot["PTC development articles"] = [
            split_title(d.text)[:2] for d in read_ptc(root, dev=True)
        ]
    return sober, hot, "wire-style sets (no graded reference set yet)"


def sober_highlight_rate(predict: Predict, root: Path | None) -> dict[str, Any]:
    """:func:`highlight_rate` on every sober and sensational set, and on each side pooled."""
    sober, hot, source = sober_and_sensational(root)
    out: dict[str, Any] = {"source": source, "sober": {}, "sensational": {}}
    for side, sets in (("sober", sober), ("sensational", hot)):
        for name, arts in sets.items():
            out[side][name] = highlight_rate(predict, arts)
        pooled = [a for arts in sets.values() for a in arts]
        out[side]["all"] = highlight_rate(predict, pooled)
    return out


def all_highlight_metrics(predict: Predict, root: Path | None) -> dict[str, Any]:
    """Every figure of this module that the corpora under ``root`` allow."""
    out: dict[str, Any] = {}
    if root is not None and (root / "semeval2020-ptc").is_dir():
        from datasets.adapters.ptc import read_ptc
        from datasets.registry import get_adapter

        adapter = get_adapter("semeval2020-ptc")
        held = [d for d in read_ptc(root) if adapter.bucket(d) == 0]
        out["ptc_held_out"] = {
            "split": 'PTC training articles, held-out fifth: sha256("ptc:" + article id) % 5 == 0',
            **ptc_char_f1(predict, held),
        }
    if root is not None and (root / "semeval2020-ptc-dev").is_dir():
        from datasets.adapters.ptc import read_ptc

        out["ptc_dev"] = {
            "split": "official development split (75 articles)",
            **ptc_char_f1(predict, read_ptc(root, dev=True)),
        }
    if root is not None and (root / "basil").is_dir():
        out["basil"] = basil_lexical(predict, root)
    if root is not None and (root / "goodnewseveryone").is_dir():
        out["goodnewseveryone"] = gne_cue_recall(predict, root)
    out["sober_rate"] = sober_highlight_rate(predict, root)
    return out
