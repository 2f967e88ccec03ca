"""How well a scorer measures sensationalism as ``docs/criteria.md`` defines it.

Every figure here is measured on data the default model never trains on: the reference set's
held-out fifth (``split == "test"``), the project's headline pairs, GoodNewsEveryone headlines
(tabloid against wire outlets), NewsAgendas articles (people's clickbait labels and agenda
scores), and real headlines rewritten in other letter cases (a metamorphic check: typography
must not move the score).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from datasets.reference import HeadlinePair
from training.metrics import expected_calibration_error


class _Result(Protocol):
    score: float
    label: str


class ScorerLike(Protocol):
    def score(self, headline: str | None = None, body: str | None = None) -> Any: ...


_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SMALL = frozenset("a an and as at but by for in nor of on or the to up via vs".split())


def title_case(text: str) -> str:
    """Every word capitalised, as a house style writes headlines ("Most Voters Don't Change")."""
    return _WORD.sub(lambda m: m.group()[0].upper() + m.group()[1:], text)


def sentence_case(text: str) -> str:
    """Lower case but for the first letter ("Most voters don't change their minds")."""
    low = text.lower()
    for i, ch in enumerate(low):
        if ch.isalpha():
            return low[:i] + ch.upper() + low[i + 1 :]
    return low


def toggle_full_stop(text: str) -> str:
    stripped = text.rstrip()
    return stripped[:-1] if stripped.endswith(".") else stripped + "."


def swap_quotes(text: str) -> str:
    """Straight quotes become curly ones and curly ones straight."""
    if any(q in text for q in "\u2018\u2019\u201c\u201d"):
        return (
            text.replace("\u2018", "'")
            .replace("\u2019", "'")
            .replace("\u201c", '"')
            .replace("\u201d", '"')
        )
    out, double_open = [], True
    for i, ch in enumerate(text):
        if ch == '"':
            out.append("\u201c" if double_open else "\u201d")
            double_open = not double_open
        elif ch == "'":
            opening = i == 0 or not text[i - 1].isalnum()
            out.append("\u2018" if opening else "\u2019")
        else:
            out.append(ch)
    return "".join(out)


VARIANTS: dict[str, Callable[[str], str]] = {
    "title_case": title_case,
    "sentence_case": sentence_case,
    "full_stop": toggle_full_stop,
    "quotes": swap_quotes,
}


def case_invariance(
    scorer: ScorerLike, headlines: Sequence[str], bodies: Sequence[str | None] | None = None
) -> dict[str, Any]:
    """Score each headline as published and in each of :data:`VARIANTS`.

    Reports, per variant, the mean absolute change of ``score`` against the published form and
    the share of headlines whose label changes; and the same between Title Case and sentence
    case, the pair where typography differs most.
    """
    bodies = list(bodies) if bodies is not None else [None] * len(headlines)
    base = [scorer.score(h, b) for h, b in zip(headlines, bodies, strict=True)]
    variants: dict[str, list[Any]] = {
        name: [scorer.score(f(h), b) for h, b in zip(headlines, bodies, strict=True)]
        for name, f in VARIANTS.items()
    }
    out: dict[str, Any] = {"n": len(headlines)}
    for name, results in variants.items():
        out[name] = _moves(base, results)
    out["title_vs_sentence"] = _moves(variants["title_case"], variants["sentence_case"])
    out["worst_mean_delta"] = max(v["mean_delta"] for k, v in out.items() if isinstance(v, dict))
    out["worst_label_flips"] = max(v["label_flips"] for k, v in out.items() if isinstance(v, dict))
    return out


def _moves(a: Sequence[_Result], b: Sequence[_Result]) -> dict[str, float]:
    deltas = [abs(x.score - y.score) for x, y in zip(a, b, strict=True)]
    flips = sum(x.label != y.label for x, y in zip(a, b, strict=True))
    return {
        "mean_delta": round(float(np.mean(deltas)), 4) if deltas else 0.0,
        "max_delta": round(float(np.max(deltas)), 4) if deltas else 0.0,
        "label_flips": round(flips / len(deltas), 4) if deltas else 0.0,
    }


def graded_metrics(grades: Sequence[int], scores: Sequence[float]) -> dict[str, float]:
    """``scores`` (probabilities) against 0-3 grades: ROC-AUC and accuracy for grade >= 2,
    Spearman correlation with the grade, ECE."""
    g = np.asarray(grades)
    p = np.asarray(scores, dtype=float)
    y = (g >= 2).astype(int)
    both = len(set(y.tolist())) == 2
    rho = spearmanr(g, p).statistic if len(set(g.tolist())) > 1 else float("nan")
    return {
        "n": int(len(g)),
        "positives": int(y.sum()),
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if both else float("nan"),
        "accuracy": round(float(np.mean((p >= 0.5) == y)), 4),
        "spearman": round(float(rho), 4),
        "ece": round(expected_calibration_error(y, p), 4),
    }


def pair_ranking(scorer: ScorerLike, pairs: Iterable[HeadlinePair]) -> dict[str, float]:
    """Share of pairs whose tabloid headline scores strictly above its sober twin, and how
    often each side gets the label a reader would expect."""
    pairs = list(pairs)
    hot = [scorer.score(p.tabloid) for p in pairs]
    cold = [scorer.score(p.sober) for p in pairs]
    n = len(pairs)
    return {
        "pairs": n,
        "ranking": round(sum(a.score > b.score for a, b in zip(hot, cold, strict=True)) / n, 4),
        "tabloid_not_low": round(sum(a.label != "low" for a in hot) / n, 4),
        "sober_low": round(sum(b.label == "low" for b in cold) / n, 4),
    }


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    y = np.r_[np.ones(len(positive)), np.zeros(len(negative))]
    return round(float(roc_auc_score(y, np.r_[positive, negative])), 4)


def invariance_headlines(root: Any, n: int = 400) -> list[str]:
    """Real published headlines for the case-invariance check: GoodNewsEveryone's outlets
    (tabloid to wire, Title Case and sentence case) and the article corpora's titles, in a
    fixed order by hash."""
    import hashlib

    from datasets.adapters.goodnewseveryone import read_goodnewseveryone
    from datasets.reference import read_articles

    heads = {r.headline for r in read_goodnewseveryone(root)}
    heads |= {a.headline for a in read_articles(root) if a.headline}
    ordered = sorted(heads, key=lambda h: hashlib.sha256(h.encode()).hexdigest())
    return ordered[:n]


def external_metrics(
    scorer: ScorerLike, root: Any, trained: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The figures on corpora outside the reference set, for the model card and benchmarks.

    ``trained`` holds the ``ref_id`` of graded articles the model trained on (the reference
    set's development part): NewsAgendas articles among them are left out of its figures.

    - ``case_invariance``: :func:`case_invariance` over :func:`invariance_headlines`;
    - ``goodnewseveryone``: ROC-AUC of headline scores, tabloid outlets against wire and
      papers of record (``TABLOID`` / ``WIRE`` of the adapter);
    - ``newsagendas``: ROC-AUC of article scores for the annotators' clickbait label, and
      Spearman correlation with their agenda score (1-5).
    """
    from datasets.adapters.goodnewseveryone import TABLOID, WIRE, read_goodnewseveryone
    from datasets.adapters.newsagendas import read_newsagendas

    out: dict[str, Any] = {"case_invariance": case_invariance(scorer, invariance_headlines(root))}
    gne = list(read_goodnewseveryone(root))
    tabloid = [scorer.score(r.headline).score for r in gne if r.outlet in TABLOID]
    wire = [scorer.score(r.headline).score for r in gne if r.outlet in WIRE]
    out["goodnewseveryone"] = {
        "tabloid_headlines": len(tabloid),
        "wire_headlines": len(wire),
        "roc_auc": auc(tabloid, wire),
    }
    rows = [r for r in read_newsagendas(root) if f"newsagendas:{r.doc_id}" not in trained]
    scores = [scorer.score(r.headline, r.body).score for r in rows]
    clickbait = [s for r, s in zip(rows, scores, strict=True) if "clickbait" in r.labels]
    other = [s for r, s in zip(rows, scores, strict=True) if "clickbait" not in r.labels]
    agenda = [(r.agenda_score, s) for r, s in zip(rows, scores, strict=True) if r.agenda_score]
    out["newsagendas"] = {
        "articles": len(rows),
        "clickbait_roc_auc": auc(clickbait, other),
        "agenda_spearman": round(
            float(spearmanr([a for a, _ in agenda], [s for _, s in agenda]).statistic), 4
        ),
    }
    return out
