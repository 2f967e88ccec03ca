"""Quality on held-out data only: every corpus the model uses, beside its published figures.

Each function returns a dict; a part that cannot be measured returns ``{"skipped": reason}``
so the report says why instead of the run failing.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from datasets.corpora import holdout_bucket

log = logging.getLogger("benchmarks")

# Techniques of the PTC that are loaded wording, the thing the framing highlighter marks.
LOADED_TECHNIQUES = frozenset(
    {
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Exaggeration,Minimisation",
        "Appeal_to_fear-prejudice",
    }
)

PUBLISHED: dict[str, list[dict[str, str]]] = {
    "chakraborty-clickbait": [
        {"system": "Chakraborty et al. 2016, SVM (paper)", "figure": "accuracy about 0.93"},
        {"system": "TF-IDF ensembles (later work)", "figure": "accuracy about 0.97"},
        {"system": "fine-tuned transformers (later work)", "figure": "accuracy about 0.99"},
        {
            "system": "TF-IDF word+char logistic regression (SOURCE.md, stratified 80/20)",
            "figure": "accuracy 0.979, ROC-AUC 0.998",
        },
    ],
    "hyperpartisan-semeval2019": [
        {
            "system": "SemEval-2019 Task 4 winner bertha-von-suttner (official by-article test)",
            "figure": "accuracy 0.822",
        }
    ],
    "semeval2020-ptc": [
        {
            "system": "SemEval-2020 Task 11 best team, span identification (test, all techniques)",
            "figure": "F1 about 0.52",
        },
        {
            "system": "SemEval-2020 Task 11 best team, technique classification (test set)",
            "figure": "micro-F1 about 0.62",
        },
    ],
    "babe-mbic": [
        {
            "system": "Spinde et al. 2021, best BERT-family model (cross-validation on SG2)",
            "figure": "macro F1 0.804",
        }
    ],
    "webis-clickbait-17": [
        {
            "system": "Clickbait Challenge 2017 winner (zingel)",
            "figure": "MSE 0.033, accuracy 0.856",
        },
        {"system": "Clickbait Challenge 2017 baseline", "figure": "MSE 0.0435"},
    ],
}

# How each registry split key is defined, for the report's "split" column.
_SPLIT_WORDS = {
    "_headline": "sha256(headline.strip()) % 5 == 0",
    "_article": "sha256(normalised headline + body) % 5 == 0",
    "_doc_id": "sha256(article id) % 5 == 0",
    "_ptc_doc_id": 'sha256("ptc:" + article id) % 5 == 0',
}


def binary_metrics(y: Sequence[int], proba: Sequence[float]) -> dict[str, float]:
    """Accuracy and F1 at 0.5, and ROC-AUC (NaN when only one class is present)."""
    y_arr = np.asarray(y, dtype=int)
    p_arr = np.asarray(proba, dtype=float)
    if y_arr.shape != p_arr.shape or y_arr.size == 0:
        raise ValueError(f"need equal, non-empty y and proba, got {y_arr.shape} and {p_arr.shape}")
    pred = p_arr >= 0.5
    both = len(np.unique(y_arr)) == 2
    return {
        "n": int(y_arr.size),
        "accuracy": float(accuracy_score(y_arr, pred)),
        "f1": float(f1_score(y_arr, pred, zero_division=0)),
        "macro_f1": float(f1_score(y_arr, pred, average="macro", zero_division=0)),
        "roc_auc": float(roc_auc_score(y_arr, p_arr)) if both else float("nan"),
    }


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping or touching ``(start, end)`` ranges; empty ranges are dropped."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlap_counts(
    predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> dict[str, float]:
    """Partial-overlap credit of one document, as SemEval-2020 Task 11 scores span identification.

    Each predicted span earns the share of its characters that fall in gold spans (precision
    credit); each gold span the share of its characters that are predicted (recall credit).
    Both lists are merged first, so overlapping spans are not counted twice.
    """
    pred = merge_spans(predicted)
    ref = merge_spans(gold)
    p_credit = 0.0
    r_credit = 0.0
    for ps, pe in pred:
        for gs, ge in ref:
            inter = min(pe, ge) - max(ps, gs)
            if inter > 0:
                p_credit += inter / (pe - ps)
                r_credit += inter / (ge - gs)
    return {"p_credit": p_credit, "r_credit": r_credit, "n_pred": len(pred), "n_gold": len(ref)}


def overlap_prf(totals: dict[str, float]) -> dict[str, float]:
    """Micro precision, recall and F1 from summed :func:`overlap_counts`."""
    p = totals["p_credit"] / totals["n_pred"] if totals["n_pred"] else 0.0
    r = totals["r_credit"] / totals["n_gold"] if totals["n_gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": f1,
        "predicted": int(totals["n_pred"]),
        "gold": int(totals["n_gold"]),
    }


def _registry_adapter(name: str) -> Any | None:
    try:
        from datasets.registry import get_adapter
    except ImportError:
        return None
    try:
        return get_adapter(name)
    except KeyError:
        return None


def _split(name: str, fallback_key: Callable[[Any], str], fallback_words: str) -> tuple[Any, str]:
    """The held-out test of a corpus: the training registry's split when it has one."""
    adapter = _registry_adapter(name)
    if adapter is not None:
        key_name = getattr(adapter.split_key, "__name__", "")
        words = _SPLIT_WORDS.get(key_name, f"holdout_bucket({key_name}) == 0")
        return (lambda row: adapter.bucket(row) == 0), f"held-out fifth: {words}"
    return (lambda row: holdout_bucket(fallback_key(row)) == 0), f"held-out fifth: {fallback_words}"


def used_corpora(card: dict[str, Any]) -> list[str]:
    """Corpora the model card lists under ``data`` as training data.

    Entries with ``role = "evaluate"`` are evaluation sets only and are left out.
    """
    names = []
    for entry in card.get("data", []) or []:
        if isinstance(entry, dict):
            name = entry.get("corpus") or entry.get("name")
            if entry.get("role", "train") != "train":
                continue
        else:
            name = entry
        if isinstance(name, str):
            names.append(name)
    return names


def evaluate_chakraborty(scorer: Any, root: Path) -> dict[str, Any]:
    """The headline model on the Chakraborty held-out fifth."""
    try:
        from datasets.adapters.chakraborty import read_chakraborty
    except ImportError:
        from datasets.corpora import read_chakraborty  # type: ignore[attr-defined,no-redef]
    if not (root / "chakraborty-clickbait").is_dir():
        return {"skipped": f"no chakraborty-clickbait folder under {root}"}
    is_test, split = _split(
        "chakraborty-clickbait", lambda r: r.headline, "sha256(headline.strip()) % 5 == 0"
    )
    rows = [r for r in read_chakraborty(root) if is_test(r)]
    proba = scorer.headline_model.predict_proba([r.headline for r in rows])[:, 1]
    return {
        "split": split,
        "part": "headline model (predict_proba)",
        **binary_metrics([int(r.label >= 0.5) for r in rows], proba),
    }


def evaluate_hyperpartisan(scorer: Any, root: Path) -> dict[str, Any]:
    """The full ``Scorer.score`` on held-out hyperpartisan articles (label: hyperpartisan)."""
    try:
        from datasets.adapters.hyperpartisan import read_hyperpartisan
    except ImportError as exc:
        return {"skipped": f"no hyperpartisan reader: {exc}"}
    if not (root / "hyperpartisan-semeval2019").is_dir():
        return {"skipped": f"no hyperpartisan-semeval2019 folder under {root}"}
    is_test, split = _split(
        "hyperpartisan-semeval2019",
        lambda r: r.origin.rsplit("#", 1)[-1],
        "sha256(article id) % 5 == 0",
    )
    rows = [r for r in read_hyperpartisan(root) if is_test(r)]
    y = [int(r.label >= 0.5) for r in rows]
    results = [scorer.score(r.headline, r.body) for r in rows]
    out: dict[str, Any] = {
        "split": split,
        "overall": binary_metrics(y, [res.score for res in results]),
    }
    if all(res.body is not None for res in results):
        out["body"] = binary_metrics(y, [res.body.score for res in results])
    out["framing"] = binary_metrics(y, [res.framing.score for res in results])
    return out


def _framing_spans(scorer: Any, text: str) -> list[tuple[int, int]]:
    """Score a PTC article (title line, then body) and map its spans back onto the file text."""
    first_break = text.find("\n")
    headline, body = (
        (text, "") if first_break < 0 else (text[:first_break], text[first_break + 1 :])
    )
    result = scorer.score(headline, body)
    shift = {"headline": 0, "body": first_break + 1}
    return [(s.start + shift[s.field], s.end + shift[s.field]) for s in result.framing.spans]


def evaluate_ptc_spans(scorer: Any, docs: Iterable[Any]) -> dict[str, Any]:
    """Span precision/recall of the framing highlighter against PTC gold spans."""
    loaded = {"p_credit": 0.0, "r_credit": 0.0, "n_pred": 0, "n_gold": 0}
    every = dict(loaded)
    n_docs = 0
    for doc in docs:
        n_docs += 1
        predicted = _framing_spans(scorer, doc.text)
        for totals, gold in (
            (loaded, [(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES]),
            (every, [(s, e) for s, e, _ in doc.spans]),
        ):
            for key, value in overlap_counts(predicted, gold).items():
                totals[key] += value
    if not n_docs:
        return {"skipped": "no articles"}
    return {
        "articles": n_docs,
        "loaded_techniques": overlap_prf(loaded),
        "all_techniques": overlap_prf(every),
    }


def evaluate_ptc(scorer: Any, root: Path, used: Iterable[str] = ()) -> dict[str, Any]:
    """Framing spans on the PTC development split and on the held-out training articles."""
    try:
        from datasets.adapters.ptc import read_ptc
    except ImportError as exc:
        return {"skipped": f"no PTC reader: {exc}"}
    out: dict[str, Any] = {}
    dev_split = "official development split (75 articles, disjoint from the training articles)"
    if "semeval2020-ptc-dev" in used:
        dev_split += "; NOTE: the model card lists it as training data, so it is not held out"
    if (root / "semeval2020-ptc-dev").is_dir():
        out["dev"] = {
            "split": dev_split,
            **evaluate_ptc_spans(scorer, read_ptc(root, dev=True)),
        }
    else:
        out["dev"] = {"skipped": f"no semeval2020-ptc-dev folder under {root}"}
    if (root / "semeval2020-ptc").is_dir():
        is_test, split = _split(
            "semeval2020-ptc", lambda d: d.doc_id, "sha256(article id) % 5 == 0"
        )
        out["train_held_out"] = {
            "split": f"training articles, {split}",
            **evaluate_ptc_spans(scorer, (d for d in read_ptc(root) if is_test(d))),
        }
        if out["train_held_out"].get("skipped") == "no articles":
            out["train_held_out"]["skipped"] = (
                "no training article is in the held-out bucket: that fifth of the corpus is"
                " kept aside and is not under the corpora root"
            )
    else:
        out["train_held_out"] = {"skipped": f"no semeval2020-ptc folder under {root}"}
    return out


def evaluate_babe(scorer: Any, root: Path) -> dict[str, Any]:
    """Sentence-level bias label against the full score of the sentence as a body."""
    try:
        from datasets.adapters.babe import read_babe
    except ImportError as exc:
        return {"skipped": f"no BABE reader: {exc}"}
    is_test, split = _split("babe-mbic", lambda r: r.body or r.headline, "sha256(text) % 5 == 0")
    rows = [r for r in read_babe(root) if is_test(r)]
    if not rows:
        return {"skipped": "no held-out rows"}
    y = [int(r.label >= 0.5) for r in rows]
    results = [scorer.score(r.headline, r.body) for r in rows]
    return {"split": split, "overall": binary_metrics(y, [res.score for res in results])}


def evaluate_sourcing_module(scorer: Any, root: Path | None) -> dict[str, Any]:
    """``training.sourcing_eval.evaluate_sourcing`` on the bundle's own sourcing analyser.

    The analyser and the corpora root are passed when the function takes them (by the
    parameter names ``analyzer`` and ``corpora_root``); other required parameters mean the
    harness cannot call it, and the report says so.
    """
    try:
        from training.sourcing_eval import evaluate_sourcing
    except ImportError as exc:
        return {"skipped": f"training.sourcing_eval is not available ({exc})"}
    params = inspect.signature(evaluate_sourcing).parameters
    kwargs: dict[str, Any] = {}
    if "analyzer" in params and getattr(scorer, "sourcing", None) is not None:
        kwargs["analyzer"] = scorer.sourcing
    if "corpora_root" in params and root is not None:
        kwargs["corpora_root"] = root
    missing = [
        name
        for name, p in params.items()
        if name not in kwargs
        and p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    if missing:
        return {"skipped": f"evaluate_sourcing() needs arguments the harness lacks: {missing}"}
    result = evaluate_sourcing(**kwargs)
    if hasattr(result, "__dataclass_fields__"):
        from dataclasses import asdict

        result = asdict(result)
    if not isinstance(result, dict):
        return {"skipped": f"evaluate_sourcing() returned a {type(result).__name__}, not a dict"}
    return result


def _guarded(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    # A part that breaks mid-change elsewhere must not cost the whole benchmark run.
    try:
        return fn()
    except Exception as exc:  # any failure becomes a "not measured" line
        log.warning("quality: %s failed: %r", name, exc)
        return {"skipped": f"failed: {exc!r}"}


def evaluate_quality(scorer: Any, card: dict[str, Any], root: Path | None) -> dict[str, Any]:
    """Every quality figure of the report, keyed by corpus."""
    used = used_corpora(card)
    out: dict[str, Any] = {"used_corpora": used, "card_metrics": card.get("metrics", {})}
    if root is None:
        reason = "no corpora root (set SENSATION_CORPORA or place them in ../shared/corpora)"
        out["corpora"] = {"skipped": reason}
        return out
    out["root"] = str(root)
    out["available"] = sorted(p.name for p in root.iterdir() if p.is_dir())
    out["chakraborty-clickbait"] = _guarded(
        "chakraborty", lambda: evaluate_chakraborty(scorer, root)
    )
    out["hyperpartisan-semeval2019"] = _guarded(
        "hyperpartisan", lambda: evaluate_hyperpartisan(scorer, root)
    )
    out["semeval2020-ptc"] = _guarded("ptc", lambda: evaluate_ptc(scorer, root, used))
    if "babe-mbic" in used:
        out["babe-mbic"] = _guarded("babe", lambda: evaluate_babe(scorer, root))
    else:
        out["babe-mbic"] = {
            "skipped": "not used by this model (AGPL-3.0: a shipped model is not trained on it)"
        }
    out["polnear"] = _guarded("sourcing", lambda: evaluate_sourcing_module(scorer, root))
    out["highlights"] = _guarded("highlights", lambda: evaluate_highlights(scorer, root))
    return out


def evaluate_highlights(scorer: Any, root: Path) -> dict[str, Any]:
    """The highlights as a reader sees them (``training.highlights``): PTC char-level F1 on the
    held-out fifth and the development split, BASIL lexical bias, GoodNewsEveryone cue words,
    and the highlight rate on sober and sensational articles."""
    from training.highlights import all_highlight_metrics, scorer_predict

    return all_highlight_metrics(scorer_predict(scorer), root)
