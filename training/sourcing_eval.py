"""Measure attribution extraction: the project's gold set and PolNeAR.

Matching (the same for both sets): a predicted attribution matches a gold one when its cue
span overlaps the gold cue span by at least one character, or, failing that, when both
have a source span and those overlap. Each gold attribution is matched at most once
(greedy, in text order, cue overlaps first). Precision is matched predictions over all
predictions; recall is matched gold attributions over all gold attributions. Quote
continuations (a quote with no cue that continues the previous speaker) are not scored:
neither set annotates an attribution without a cue. Hedges ("reportedly") are predicted
attributions without a source.

Source names: precision of the sources an analysis lists (after merging). A listed source is
right when one of its source mentions overlaps a gold Source span (PolNeAR) or a gold
mention span (the gold set); it is listed once however many mentions it has.

Splits: PolNeAR **dev** (84 articles, the official development split) and PolNeAR
**train-holdout** (the training articles in hash bucket 0 of their file name,
:func:`datasets.corpora.holdout_bucket`, about a fifth). The cue lexicon in
``sensational/resources/sourcing_cues.tsv``, the word lists and every pattern were tuned on
the rest of train (buckets 1-4, the **tune** part, ``--tune`` prints it) and by error
analysis there only; the holdout and dev figures were printed in aggregate, never read
article by article.
PolNeAR gives each token one role in one attribution, so an attribution inside another's
content (a cue inside a quotation, "Lee said he thinks ...") is not annotated; the analyser
follows that convention. PolNeAR also annotates actions and intentions ("ordered a review",
"plans to", "voted for") that the project does not count as attributions
(``docs/criteria.md``), so its recall has a ceiling below 1.
The project gold set was written alongside the extractor and is a regression check, not an
independent benchmark; its ``headline_single_source`` labels were fixed by the rule in
``datasets/samples/README.md`` after it was settled.

``python -m training sourcing`` prints the figures as JSON; ``python -m training evaluate``
gates PolNeAR dev with :func:`attribution_counts`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from datasets.adapters.polnear import AttributionDoc, read_polnear
from datasets.corpora import SAMPLES, holdout_bucket
from datasets.corpora import corpora_root as default_corpora_root
from sensational.results import SourcingResult
from sensational.sourcing import HEDGES, SourcingAnalyzer
from training.metrics import prf

GOLD_FILE = SAMPLES / "attribution_gold.jsonl"

Range = tuple[int, int]


def _overlap(a: Range | None, frags: Sequence[Range]) -> bool:
    return a is not None and any(a[0] < e and s < a[1] for s, e in frags)


def match_attributions(
    predicted: Sequence[tuple[Range | None, Range | None]],
    gold: Sequence[tuple[Sequence[Range], Sequence[Range]]],
) -> tuple[int, int, int]:
    """Count matches between predicted and gold attributions.

    Parameters
    ----------
    predicted
        ``(cue, source)`` ranges of each prediction; either may be None.
    gold
        ``(cue_fragments, source_fragments)`` of each gold attribution.

    Returns
    -------
    tuple of int
        ``(matched, n_predicted, n_gold)``; the same number of predictions and gold
        attributions are matched, one to one.
    """
    used = [False] * len(gold)
    matched = 0
    pending = []
    for cue, src in predicted:
        hit = next((i for i, g in enumerate(gold) if not used[i] and _overlap(cue, g[0])), None)
        if hit is None:
            pending.append(src)
            continue
        used[hit] = True
        matched += 1
    for src in pending:
        hit = next((i for i, g in enumerate(gold) if not used[i] and _overlap(src, g[1])), None)
        if hit is not None:
            used[hit] = True
            matched += 1
    return matched, len(predicted), len(gold)


def _predict(analyzer: SourcingAnalyzer, text: str) -> list[tuple[Range | None, Range | None]]:
    preds: list[tuple[Range | None, Range | None]] = [
        (m.cue, m.source) for m in analyzer.extract(text) if m.cue is not None
    ]
    cues = {p[0] for p in preds}
    for h in HEDGES.finditer(text):
        if not any(c and h.start() <= c[0] < h.end() for c in cues):
            preds.append((h.span(), None))
    return preds


def _prf(matched_pred: int, n_pred: int, matched_gold: int, n_gold: int) -> dict[str, float]:
    return {k: round(v, 4) for k, v in prf(matched_pred, n_pred, matched_gold, n_gold).items()}


def attribution_counts(analyzer: SourcingAnalyzer, doc: AttributionDoc) -> tuple[int, int, int]:
    """``(matched, predicted, gold)`` attributions of one PolNeAR article."""
    gold = [(a.cue, a.source) for a in doc.attributions]
    return match_attributions(_predict(analyzer, doc.text), gold)


def source_name_hits(result: SourcingResult, gold_sources: Sequence[Range]) -> tuple[int, int]:
    """``(right, listed)``: listed sources with a source mention overlapping ``gold_sources``."""
    right = 0
    for s in result.sources:
        right += any(
            sp.category == "source" and _overlap((sp.start, sp.end), gold_sources) for sp in s.spans
        )
    return right, len(result.sources)


def evaluate_polnear(
    analyzer: SourcingAnalyzer, docs: Iterable[AttributionDoc]
) -> dict[str, float | int]:
    """Attribution precision/recall and source-name precision on PolNeAR (module notes)."""
    matched = n_pred = n_gold = n_docs = names_right = names = 0
    for doc in docs:
        m, p, g = attribution_counts(analyzer, doc)
        matched, n_pred, n_gold, n_docs = matched + m, n_pred + p, n_gold + g, n_docs + 1
        right, listed = source_name_hits(
            analyzer.analyze("", doc.text), [f for a in doc.attributions for f in a.source]
        )
        names_right, names = names_right + right, names + listed
    return {
        **_prf(matched, n_pred, matched, n_gold),
        "articles": n_docs,
        "gold_attributions": n_gold,
        "predicted_attributions": n_pred,
        "source_name_precision": round(names_right / names, 4) if names else 0.0,
        "listed_sources": names,
    }


def read_gold(path: Path = GOLD_FILE) -> list[dict[str, Any]]:
    """Read the project's attribution gold set, checking every span against its text."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            body = row["body"]
            for a in row["attributions"]:
                for key in ("cue", "mention"):
                    start, end = a[key]
                    if body[start:end] != a[f"{key}_text"]:
                        raise ValueError(f"{path}:{lineno}: {key} offsets do not match its text")
            for h in row["hedges"]:
                if body[h["start"] : h["end"]] != h["text"]:
                    raise ValueError(f"{path}:{lineno}: hedge offsets do not match its text")
            rows.append(row)
    return rows


def evaluate_gold(analyzer: SourcingAnalyzer, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Attribution precision/recall, source counts, kinds and hedges on the gold set."""
    matched = n_pred = n_gold = 0
    count_exact = kind_hits = kind_total = hedge_hits = hedge_total = 0
    single_hits = no_attr_ok = no_attr_total = names_right = names = 0
    for row in rows:
        body = row["body"]
        gold = [((tuple(a["cue"]),), (tuple(a["mention"]),)) for a in row["attributions"]]
        preds = [(m.cue, m.source) for m in analyzer.extract(body) if m.cue is not None]
        m, p, g = match_attributions(preds, gold)
        matched, n_pred, n_gold = matched + m, n_pred + p, n_gold + g
        result = analyzer.analyze(row["headline"], body)
        right, listed = source_name_hits(result, [tuple(a["mention"]) for a in row["attributions"]])
        names_right, names = names_right + right, names + listed
        count_exact += result.distinct_sources == len(row["sources"])
        # A gold source's kind is right when a predicted source with that kind has one of
        # its mentions overlapping a mention of the gold source.
        for src in row["sources"]:
            kind_total += 1
            mentions = [
                tuple(a["mention"]) for a in row["attributions"] if a["source"] == src["name"]
            ]
            kind_hits += any(
                s.kind == src["kind"]
                and any(
                    sp.category == "source" and _overlap((sp.start, sp.end), mentions)
                    for sp in s.spans
                )
                for s in result.sources
            )
        for h in row["hedges"]:
            hedge_total += 1
            hedge_hits += any(sp.start < h["end"] and h["start"] < sp.end for sp in result.hedges)
        support = result.headline_support
        single_hits += (support.single_source if support else False) == row[
            "headline_single_source"
        ]
        if not row["attributions"] and not row["hedges"]:
            no_attr_total += 1
            no_attr_ok += result.distinct_sources == 0 and result.score is not None
    n = len(rows)
    return {
        **_prf(matched, n_pred, matched, n_gold),
        "articles": n,
        "gold_attributions": n_gold,
        "predicted_attributions": n_pred,
        "source_name_precision": round(names_right / names, 4) if names else 0.0,
        "listed_sources": names,
        "source_count_accuracy": round(count_exact / n, 4) if n else 0.0,
        "source_kind_accuracy": round(kind_hits / kind_total, 4) if kind_total else 0.0,
        "hedge_recall": round(hedge_hits / hedge_total, 4) if hedge_total else 0.0,
        "headline_single_source_accuracy": round(single_hits / n, 4) if n else 0.0,
        "no_attribution_articles_ok": f"{no_attr_ok}/{no_attr_total}",
    }


def evaluate_sourcing(
    analyzer: SourcingAnalyzer | None = None,
    *,
    corpora_root: str | Path | None = None,
    tune: bool = False,
) -> dict[str, Any]:
    """Figures for the gold set and, when the corpora are present, PolNeAR dev and holdout.

    Parameters
    ----------
    analyzer
        The analyser to measure; a default :class:`SourcingAnalyzer` when None.
    corpora_root
        Folder holding ``polnear/``; found with :func:`datasets.corpora.corpora_root`
        when None. Without it only the gold set is measured.
    tune
        Also measure the tuning part of PolNeAR train (hash buckets 1-4).

    Returns
    -------
    dict
        ``{"matching": ..., "gold": {...}, "polnear_dev": {...},
        "polnear_train_holdout": {...}}``; PolNeAR entries are absent without the corpus.
    """
    analyzer = analyzer or SourcingAnalyzer()
    out: dict[str, Any] = {
        "matching": "cue span overlap, else source span overlap; one-to-one",
        "gold": {"split": "datasets/samples/attribution_gold.jsonl (all)"}
        | evaluate_gold(analyzer, read_gold()),
    }
    root = default_corpora_root(corpora_root)
    if root is not None and (root / "polnear").is_dir():
        out["polnear_dev"] = {"split": "PolNeAR dev (official)"} | evaluate_polnear(
            analyzer, read_polnear(root, split="dev")
        )
        out["polnear_train_holdout"] = {
            "split": "PolNeAR train, hash bucket 0 of the file name (held out)"
        } | evaluate_polnear(analyzer, polnear_part(root, "holdout"))
        if tune:
            out["polnear_train_tune"] = {
                "split": "PolNeAR train, hash buckets 1-4 of the file name (tuning)"
            } | evaluate_polnear(analyzer, polnear_part(root, "tune"))
    return out


def polnear_part(root: Path, part: str) -> Iterator[AttributionDoc]:
    """PolNeAR ``dev``, or the ``holdout`` (bucket 0) or ``tune`` (buckets 1-4) part of train."""
    if part == "dev":
        yield from read_polnear(root, split="dev")
        return
    if part not in ("holdout", "tune"):
        raise ValueError(f"unknown PolNeAR part {part!r}: expected dev, holdout or tune")
    for doc in read_polnear(root, split="train"):
        if (holdout_bucket(doc.doc_id) == 0) == (part == "holdout"):
            yield doc
