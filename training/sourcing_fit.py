"""Fit ``sourcing.score`` to graded articles, and measure it on the held-out ones.

The labels are the sourcing rubric of ``docs/criteria.md`` as the graded reference set
records them (``datasets/reference/articles.jsonl``, read by
:func:`datasets.reference.load_reference`): an article's main claim rests on
``several_named`` sources, a ``single`` one, ``anonymous_hedged`` attribution or is
``unattributed``; the score is the probability that it is *thin* (anything but
several_named).

The model: a logistic regression over :class:`sensational.sourcing.SourcingFeatures`
(standardised, L2-penalised, its strength chosen by stratified cross-validation of the log
loss on the training articles), then Platt-scaled on its out-of-fold decisions, which keeps it
one linear head (:class:`sensational.scorer.LinearHead`): one dot product per request.
Training articles are the reference set's ``dev`` part; the
figures are measured on its ``test`` part (the held-out fifth), beside the fixed formula the
analyser uses without a head.

Run ``python -m training.sourcing_fit`` to fit and print the figures as JSON (the model is
not saved: ``fit_from_reference`` returns the analyser to put in a bundle).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from datasets.corpora import corpora_root as default_corpora_root
from datasets.reference import ARTICLES_FILE, GradedArticle, load_reference
from sensational.scorer import LinearHead
from sensational.sourcing import FEATURE_NAMES, SourcingAnalyzer, SourcingFeatures
from training.heads import fit_linear_head

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


def sourcing_rows(
    graded: Iterable[GradedArticle], analyzer: SourcingAnalyzer
) -> tuple[list[SourcingFeatures], list[bool], list[str]]:
    """Features, thin labels and ids of the graded articles that have a body."""
    feats, thin, ids = [], [], []
    for g in graded:
        f = analyzer.features(g.article.headline, g.article.body)
        if f is None:
            continue
        feats.append(f)
        thin.append(g.sourcing.thin)
        ids.append(g.article.ref_id)
    return feats, thin, ids


def fit_sourcing_head(
    features: Sequence[Sequence[float]],
    thin: Sequence[bool],
    *,
    c_grid: Sequence[float] = C_GRID,
    folds: int = 5,
    seed: int = 0,
) -> tuple[LinearHead, dict[str, Any]]:
    """A calibrated logistic head over :data:`~sensational.sourcing.FEATURE_NAMES`.

    Returns the head and how it was chosen (``C``, cross-validated log loss per ``C``, the
    Platt slope and offset).

    Raises
    ------
    ValueError
        When the rows and labels differ in number, a row has the wrong width, or a class
        has fewer examples than two folds need.
    """
    x = np.asarray(features, dtype=float)
    y = np.asarray(thin, dtype=int)
    if x.ndim != 2 or x.shape[1] != len(FEATURE_NAMES):
        raise ValueError(f"expected rows of {len(FEATURE_NAMES)} features ({FEATURE_NAMES})")
    if len(x) != len(y):
        raise ValueError(f"{len(x)} feature rows but {len(y)} labels")
    smallest = min(int(y.sum()), int(len(y) - y.sum()))
    if smallest < 2:
        raise ValueError("both thin and not-thin articles are needed, at least two of each")
    splitter = StratifiedKFold(n_splits=min(folds, smallest), shuffle=True, random_state=seed)
    splits = list(splitter.split(x, y))
    cv_loss: dict[float, float] = {}
    oof_by_c: dict[float, np.ndarray] = {}
    for c in c_grid:
        oof = np.zeros(len(y))
        for train, test in splits:
            head = fit_linear_head(FEATURE_NAMES, x[train], y[train], C=c, free=FEATURE_NAMES)
            oof[test] = [head.decision(row) for row in x[test]]
        p = np.clip(expit(oof), 1e-9, 1 - 1e-9)
        cv_loss[c] = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        oof_by_c[c] = oof
    best = min(c_grid, key=lambda c: (cv_loss[c], c))
    # Platt scaling on the out-of-fold decisions: p = sigmoid(a * decision + b), folded into
    # the head's coefficients so that it stays one linear model.
    platt = LogisticRegression(C=1e6).fit(oof_by_c[best].reshape(-1, 1), y)
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    head = fit_linear_head(FEATURE_NAMES, x, y, C=best, free=FEATURE_NAMES)
    head = replace(head, coef=head.coef * a, intercept=a * head.intercept + b)
    info = {
        "C": best,
        "cv_log_loss": {str(c): round(v, 4) for c, v in cv_loss.items()},
        "platt": {"slope": round(a, 4), "offset": round(b, 4)},
        "articles": int(len(y)),
        "thin_share": round(float(y.mean()), 4),
    }
    return head, info


def evaluate_sourcing_score(
    analyzer: SourcingAnalyzer, graded: Iterable[GradedArticle]
) -> dict[str, Any]:
    """``sourcing.score`` as the analyser gives it (fitted head or fixed formula) against the
    graded thin labels: ROC-AUC, accuracy at 0.5 and Brier score, and how often the
    analyser's own reading of the main claim (``headline_support.label``) equals the grade."""
    scores, thin, same_label = [], [], 0
    for g in graded:
        result = analyzer.analyze(g.article.headline, g.article.body)
        if result.score is None:
            continue
        scores.append(result.score)
        thin.append(int(g.sourcing.thin))
        support = result.headline_support
        same_label += (support.label if support else "unattributed") == g.sourcing.label
    n = len(scores)
    out: dict[str, Any] = {"articles": n}
    if n == 0:
        return out
    out["thin_share"] = round(sum(thin) / n, 4)
    right = sum((s >= 0.5) == bool(t) for s, t in zip(scores, thin, strict=True))
    out["accuracy"] = round(right / n, 4)
    out["brier"] = round(float(brier_score_loss(thin, scores)), 4)
    out["roc_auc"] = round(float(roc_auc_score(thin, scores)), 4) if 0 < sum(thin) < n else None
    out["label_accuracy"] = round(same_label / n, 4)
    return out


def fit_from_reference(
    analyzer: SourcingAnalyzer,
    root: Path,
    path: Path = ARTICLES_FILE,
) -> tuple[SourcingAnalyzer, dict[str, Any]]:
    """Fit the head on the reference set's dev articles; measure on its test part.

    Returns a copy of ``analyzer`` with the head, and the figures: the fitted score and the
    fixed formula side by side on the test part.
    """
    graded = load_reference(root, path)
    train = [g for g in graded if g.split == "dev"]
    test = [g for g in graded if g.split == "test"]
    base = SourcingAnalyzer(
        stance_cues=analyzer.stance_cues, support_overlap=analyzer.support_overlap
    )
    feats, thin, _ = sourcing_rows(train, base)
    head, info = fit_sourcing_head(feats, thin)
    fitted = SourcingAnalyzer(
        stance_cues=analyzer.stance_cues, support_overlap=analyzer.support_overlap, head=head
    )
    figures = {
        "split": "reference set: fit on the dev articles, measured on the test fifth",
        "fit": info,
        "coefficients": head.as_dict(),
        "test_fitted": evaluate_sourcing_score(fitted, test),
        "test_fixed_formula": evaluate_sourcing_score(base, test),
    }
    return fitted, figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fit sourcing.score to the graded reference set.")
    parser.add_argument("--corpora", default=None, help="corpora root (default: auto)")
    parser.add_argument("--reference", default=str(ARTICLES_FILE), help="graded articles file")
    args = parser.parse_args(argv)
    reference = Path(args.reference)
    if not reference.is_file():
        sys.stderr.write(
            f"no graded articles at {reference}: the score keeps its fixed formula until the"
            " reference set is graded\n"
        )
        return 2
    root = default_corpora_root(args.corpora)
    if root is None:
        sys.stderr.write("no corpora root found: pass --corpora\n")
        return 2
    _, figures = fit_from_reference(SourcingAnalyzer(), root, reference)
    json.dump(figures, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
