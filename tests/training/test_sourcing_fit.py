"""Fitting sourcing.score to graded articles: the mechanics, on invented articles."""

import numpy as np
import pytest

from datasets.reference import Article, GradedArticle, Sourcing
from sensational.sourcing import FEATURE_NAMES, SourcingAnalyzer
from training.sourcing_fit import (
    evaluate_sourcing_score,
    fit_sourcing_head,
    main,
    sourcing_rows,
)

THIN = (
    "Striker Leo Vance to quit Harwick, insiders claim",
    "Harwick striker Leo Vance will quit the club in January, insiders claim. A source "
    "close to the player said he was unhappy.",
)
ONE_BLOGGER = (
    "Korvan faces mutiny from top generals",
    "Korvan is reportedly facing a mutiny from his top generals. Kremlin watcher Pol Norman "
    'wrote: "The generals are in open revolt."',
)
WELL_SOURCED = (
    "Harwick council to close Mill Bridge for repairs",
    "Harwick council will close Mill Bridge for repairs, council leader Ann Lee said. "
    "Engineer Tom Fox, who inspected Mill Bridge, said the repairs to the bridge could not "
    "wait. The transport union said it backed the closure of the bridge for repairs.",
)
ALSO_WELL_SOURCED = (
    "Ostrava court fines Rosmark bank over leak",
    "A court in Ostrava fined Rosmark bank over the data leak, the ruling shows. Judge Mia "
    "Kors said the bank had ignored warnings about the leak. Rosmark bank said it would "
    "appeal the fine.",
)


def graded(article, label, i):
    headline, body = article
    return GradedArticle(
        Article(f"test:{i}", "test", "", headline, body),
        0,
        0,
        (),
        Sourcing(label, 2 if label == "several_named" else 1),
    )


def sample():
    rows = []
    for i in range(4):
        rows.append(graded(THIN, "anonymous_hedged", 4 * i))
        rows.append(graded(ONE_BLOGGER, "single", 4 * i + 1))
        rows.append(graded(WELL_SOURCED, "several_named", 4 * i + 2))
        rows.append(graded(ALSO_WELL_SOURCED, "several_named", 4 * i + 3))
    return rows


def test_rows_hold_one_feature_vector_per_article():
    feats, thin, ids = sourcing_rows(sample(), SourcingAnalyzer())
    assert len(feats) == len(thin) == len(ids) == 16
    assert all(len(f) == len(FEATURE_NAMES) for f in feats)
    assert thin.count(True) == 8


def test_the_fitted_head_ranks_thin_sourcing_above_several_named():
    analyzer = SourcingAnalyzer()
    feats, thin, _ = sourcing_rows(sample(), analyzer)
    head, info = fit_sourcing_head(feats, thin, folds=4)
    assert head.names == FEATURE_NAMES
    assert info["C"] in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
    fitted = SourcingAnalyzer(head=head)
    thin_score = fitted.analyze(*THIN).score
    blogger = fitted.analyze(*ONE_BLOGGER).score
    sourced = fitted.analyze(*WELL_SOURCED).score
    assert thin_score > sourced and blogger > sourced
    figures = evaluate_sourcing_score(fitted, sample())
    assert figures["articles"] == 16 and figures["roc_auc"] == 1.0
    assert figures["accuracy"] == 1.0
    assert 0.0 <= figures["brier"] < 0.25


def test_the_fixed_formula_is_measured_the_same_way():
    figures = evaluate_sourcing_score(SourcingAnalyzer(), sample())
    assert set(figures) >= {"roc_auc", "accuracy", "brier", "label_accuracy", "thin_share"}
    assert figures["thin_share"] == 0.5


def test_bad_training_data_is_refused():
    with pytest.raises(ValueError, match="both thin and not-thin"):
        fit_sourcing_head(np.zeros((6, len(FEATURE_NAMES))), [True] * 6)
    with pytest.raises(ValueError, match="rows of"):
        fit_sourcing_head(np.zeros((6, 3)), [True, False] * 3)
    with pytest.raises(ValueError, match="labels"):
        fit_sourcing_head(np.zeros((6, len(FEATURE_NAMES))), [True, False])


def test_without_graded_articles_the_cli_says_so(tmp_path, capsys):
    assert main(["--reference", str(tmp_path / "missing.jsonl")]) == 2
    assert "fixed formula" in capsys.readouterr().err
