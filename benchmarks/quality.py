"""Quality on held-out data only: every corpus the model uses, beside its published figures.

Each function returns a dict; a part that cannot be measured returns ``{"skipped": reason}``
so the report says why instead of the run failing.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from datasets.adapters.ptc import LOADED_TECHNIQUES
from datasets.corpora import holdout_bucket
from training.evalsets import document_spans
from training.metrics import SpanCredit, binary_metrics, span_prf

log = logging.getLogger("benchmarks")

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
    from datasets.adapters.chakraborty import read_chakraborty

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


def _span_figures(credits: list[SpanCredit]) -> dict[str, float]:
    return {
        **span_prf(credits),
        "predicted": sum(c.n_pred for c in credits),
        "gold": sum(c.n_gold for c in credits),
    }


def evaluate_ptc_spans(scorer: Any, docs: Iterable[Any]) -> dict[str, Any]:
    """Span precision/recall of the framing highlighter against PTC gold spans."""
    loaded: list[SpanCredit] = []
    every: list[SpanCredit] = []
    for doc in docs:
        predicted = document_spans(scorer, doc.text)
        loaded.append(
            SpanCredit.of(predicted, [(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES])
        )
        every.append(SpanCredit.of(predicted, [(s, e) for s, e, _ in doc.spans]))
    if not loaded:
        return {"skipped": "no articles"}
    return {
        "articles": len(loaded),
        "loaded_techniques": _span_figures(loaded),
        "all_techniques": _span_figures(every),
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
