"""Evaluation sets, and one model's results on them, unit by unit.

A set is one of three kinds:

- ``examples``: labelled rows (headline and/or body, label in [0, 1]) scored by the overall
  score the service returns, ``scorer.score(headline, body).score`` — or, for a public corpus
  of headlines that trains the headline-style model (Chakraborty), by that model's
  probability ``scorer.style(headline)``: it is what those labels describe;
- ``spans``: articles with propaganda-technique spans (PTC), scored by the spans the scorer
  highlights against the gold spans of the loaded-wording techniques (SemEval-2020 Task 11
  partial-overlap credit);
- ``sourcing``: articles with gold attribution relations (PolNeAR), scored by the
  attributions the scorer's sourcing analyser finds (``training.sourcing_eval`` matching).

Results are kept per unit (a row, or a document's counts), so two models can be compared on
the same resampled units (:func:`training.metrics.paired_difference_ci`).

Where the sets come from: the held-out fifth of a training config's sources and its
evaluation-only sources; a data team's file; and the standard sets every model can be
measured on when the corpora are there: PolNeAR dev and the sensationalism reference set.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from datasets.adapters.polnear import read_polnear
from datasets.adapters.ptc import LOADED_TECHNIQUES
from datasets.corpora import Example, SpanDoc
from datasets.readers import DataError
from sensational.errors import ModelLoadError
from training.data import Dataset, row_key, text_key
from training.metrics import SCORE_METRICS, SpanCredit, binary_metrics, prf, rounded, span_prf

log = logging.getLogger("training.evaluate")

OVERALL = "overall"
POLNEAR_DEV = "polnear-dev"
REFERENCE = "reference"

SPAN_METRICS = ("span_precision", "span_recall", "span_f1")
ATTRIBUTION_METRICS = ("attribution_precision", "attribution_recall", "attribution_f1")
METRICS_BY_KIND: dict[str, tuple[str, ...]] = {
    "examples": tuple(SCORE_METRICS),
    "spans": SPAN_METRICS,
    "sourcing": ATTRIBUTION_METRICS,
}


@dataclass
class EvalSet:
    """Items of one kind, and a sentence saying what they are and how they were split."""

    name: str
    kind: str  # "examples", "spans" or "sourcing"
    items: list[Any]
    split: str
    score: str = "overall"  # examples: "overall" (the service's score) or "style"

    def keys(self) -> list[str]:
        """The text key of each item (:func:`training.data.text_key`), for the overlap check."""
        if self.kind == "sourcing":
            return [text_key(d.text) for d in self.items]
        return [row_key(r) for r in self.items]


# ---------------------------------------------------------------------------------------------
# Scoring


def score_rows(
    scorer: Any,
    rows: Sequence[Example],
    *,
    progress: bool = False,
    cache: dict[int, float] | None = None,
    score: str = "overall",
) -> np.ndarray:
    """The overall score of each row, as the service returns it (``score="style"``: the
    headline-style model's probability of its headline).

    ``cache`` (keyed by row identity) lets a row that sits in two sets be scored once. A model
    that cannot score is unusable input (:class:`ModelLoadError`), not a crash.
    """
    scores = np.empty(len(rows))
    bar = tqdm(
        rows, desc="scoring", unit="row", disable=not progress, file=sys.stderr, mininterval=1.0
    )
    for i, row in enumerate(bar):
        if cache is not None and id(row) in cache and score == "overall":
            scores[i] = cache[id(row)]
            continue
        try:
            if score == "style":
                scores[i] = scorer.style(row.headline)
                continue
            scores[i] = scorer.score(row.headline or None, row.body or None).score
        except Exception as exc:
            raise ModelLoadError(
                f"{row.origin}: the model failed to score this row: {exc!r}"
                " (was it built by an older version of the code? retrain it)"
            ) from exc
        if cache is not None:
            cache[id(row)] = scores[i]
    return scores


def document_spans(scorer: Any, text: str) -> list[tuple[int, int]]:
    """Score a PTC-style document (title line, then body) and map the highlighted spans back
    onto the document's text."""
    first_break = text.find("\n")
    if first_break < 0:
        headline, body, shift = text, "", {"headline": 0, "body": 0}
    else:
        headline, body = text[:first_break], text[first_break + 1 :]
        shift = {"headline": 0, "body": first_break + 1}
    result = scorer.score(headline or None, body or None)
    return [(s.start + shift[s.field], s.end + shift[s.field]) for s in result.framing.spans]


def gold_loaded_spans(doc: SpanDoc) -> list[tuple[int, int]]:
    """The gold spans of the techniques that are loaded wording (what the highlighter marks)."""
    return [(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES]


@dataclass
class SetResult:
    """One model's results on one set, per unit.

    ``values`` rows: ``[label, score]`` (examples), ``SpanCredit.as_row()`` (spans) or
    ``[matched, predicted, gold]`` attributions (sourcing).
    """

    name: str
    kind: str
    values: np.ndarray

    @property
    def n_units(self) -> int:
        return int(self.values.shape[0])

    def metric(self, name: str, idx: np.ndarray | None = None) -> float:
        """One metric, on the units ``idx`` (all when ``None``); NaN when undefined."""
        v = self.values if idx is None else self.values[idx]
        if self.kind == "examples":
            fn = SCORE_METRICS.get(name)
            if fn is None:
                raise KeyError(name)
            if name == "mse" and not np.any((v[:, 0] > 0) & (v[:, 0] < 1)):
                return math.nan
            return fn(v[:, 0], v[:, 1])
        if self.kind == "spans":
            return span_prf(v)[name.removeprefix("span_")]
        matched, predicted, gold = v.sum(axis=0)
        return prf(matched, predicted, matched, gold)[name.removeprefix("attribution_")]

    def metrics(self) -> dict[str, Any]:
        """Every figure of the set, for the report."""
        v = self.values
        if self.kind == "examples":
            return binary_metrics(v[:, 0], v[:, 1])
        if self.kind == "spans":
            out: dict[str, Any] = {f"span_{k}": x for k, x in span_prf(v).items()}
            out.update(
                n=self.n_units,
                gold_spans=int(v[:, 3].sum()),
                predicted_spans=int(v[:, 1].sum()),
            )
            return rounded(out, 4)
        matched, predicted, gold = v.sum(axis=0)
        out = {f"attribution_{k}": x for k, x in prf(matched, predicted, matched, gold).items()}
        out.update(
            n=self.n_units, gold_attributions=int(gold), predicted_attributions=int(predicted)
        )
        return rounded(out, 4)


def score_set(
    scorer: Any,
    eval_set: EvalSet,
    *,
    progress: bool = False,
    cache: dict[int, float] | None = None,
) -> SetResult:
    """A model's per-unit results on one set."""
    if eval_set.kind == "examples":
        labels = np.array([r.label for r in eval_set.items], dtype=float)
        scores = score_rows(
            scorer, eval_set.items, progress=progress, cache=cache, score=eval_set.score
        )
        values = np.column_stack([labels, scores])
    elif eval_set.kind == "spans":
        values = np.array(
            [
                SpanCredit.of(document_spans(scorer, d.text), gold_loaded_spans(d)).as_row()
                for d in eval_set.items
            ],
            dtype=float,
        ).reshape(-1, 4)
    elif eval_set.kind == "sourcing":
        from training.sourcing_eval import attribution_counts

        values = np.array(
            [attribution_counts(scorer.sourcing, d) for d in eval_set.items], dtype=float
        ).reshape(-1, 3)
    else:
        raise ValueError(f"unknown set kind {eval_set.kind!r}")
    return SetResult(eval_set.name, eval_set.kind, values)


# ---------------------------------------------------------------------------------------------
# Where the sets come from


SPLIT_WORDS = "held-out fifth (bucket 0 of 5 of the text hash)"


def config_sets(dataset: Dataset, source: Path | None) -> list[EvalSet]:
    """The held-out fifth of each training source and every evaluation-only source of a
    config, and ``overall``: the union of the held-out example sets of the training sources."""
    from datasets.registry import get_adapter

    evaluate_only = {ls.source.name for ls in dataset.sources if ls.source.role == "evaluate"}
    style = {
        ls.source.name
        for ls in dataset.sources
        if ls.source.corpus and get_adapter(ls.source.corpus).kind == "headlines"
    }
    demo = " (demonstration samples: no corpora root)" if dataset.demo else ""
    sets: list[EvalSet] = []
    union: list[Example] = []
    for name, rows in dataset.held_out_sets().items():
        if name in evaluate_only:
            split = f"every row of {name} (evaluation only)"
        elif name in style:
            split = f"{SPLIT_WORDS} of {name}{demo}; scored by the headline-style model"
        else:
            split = f"{SPLIT_WORDS} of {name}{demo}"
            union.extend(rows)
        sets.append(EvalSet(name, "examples", rows, split, "style" if name in style else "overall"))
    for name, docs in dataset.held_out_docs().items():
        split = (
            f"every article of {name} (evaluation only)"
            if name in evaluate_only
            else f"{SPLIT_WORDS} of {name}"
        )
        sets.append(EvalSet(name, "spans", docs, split))
    if union:
        where = f" of {source}" if source else ""
        sets.insert(
            0, EvalSet(OVERALL, "examples", union, f"{SPLIT_WORDS} of every training source{where}")
        )
    return sets


def polnear_dev_set(corpora: Path | None) -> tuple[EvalSet | None, str | None]:
    """PolNeAR's official development split, when the corpora root has the corpus; else
    ``None`` and the reason."""
    if corpora is None or not (corpora / "polnear" / "dev").is_dir():
        return None, "no polnear/dev under the corpora root"
    docs = list(read_polnear(corpora, split="dev"))
    return EvalSet(POLNEAR_DEV, "sourcing", docs, "PolNeAR dev (official split, 84 articles)"), None


ReferenceLoader = Callable[[], list[Any]]


def reference_set(
    corpora: Path | None, loader: ReferenceLoader | None = None
) -> tuple[EvalSet | None, str | None]:
    """The sensationalism reference set: its ``test`` split, label ``grade >= 2``.

    The trainer keeps these articles out of every source's training rows, whichever corpus
    brings them; a model trained otherwise is caught by the overlap check of its training
    keys. ``loader`` stands in for
    ``datasets.reference.load_reference(corpora)`` (tests); without one, a missing
    ``datasets/reference/articles.jsonl`` skips the set with a note.
    """
    if loader is None:
        from datasets import reference

        if not reference.ARTICLES_FILE.is_file():
            return None, "datasets/reference/articles.jsonl is not there yet"
        if corpora is None:
            return None, "no corpora root to read its texts from"
        root = corpora

        def loader() -> list[Any]:
            return reference.load_reference(root)

    try:
        graded = loader()
    except ValueError as exc:
        raise DataError(f"reference set: {exc}") from exc
    rows = [
        Example(
            g.article.headline,
            g.article.body,
            1.0 if g.sensational else 0.0,
            f"reference:{g.article.ref_id}",
        )  # fmt: skip
        for g in graded
        if g.split == "test"
    ]
    if not rows:
        return None, "it has no test-split article"
    split = (
        "reference set, test split (holdout_bucket(ref_id) == 0); label: grade >= 2"
        f" ({sum(r.label for r in rows):.0f} of {len(rows)})"
    )
    return EvalSet(REFERENCE, "examples", rows, split), None
