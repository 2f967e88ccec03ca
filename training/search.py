"""Cross-validated grid search over the headline model's main hyperparameters."""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator, ClassifierMixin

from datasets.corpora import Example
from datasets.readers import DataError
from training.config import ConfigError


class HeadlineModelSearch(ClassifierMixin, BaseEstimator):
    """The headline model with its main hyperparameters exposed, for ``GridSearchCV``.

    Parameters
    ----------
    base
        The other headline parameters, passed through unchanged.
    seed
        Random state of the model.
    C, word_ngram_max, char_ngram_min, char_ngram_max, min_df
        Searchable; ``None`` keeps the value of ``base``.
    """

    SEARCHABLE = ("C", "word_ngram_max", "char_ngram_min", "char_ngram_max", "min_df")

    def __init__(
        self,
        *,
        base: dict[str, Any] | None = None,
        seed: int = 0,
        C: float | None = None,
        word_ngram_max: int | None = None,
        char_ngram_min: int | None = None,
        char_ngram_max: int | None = None,
        min_df: int | None = None,
    ) -> None:
        self.base = base
        self.seed = seed
        self.C = C
        self.word_ngram_max = word_ngram_max
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.min_df = min_df

    def fit(self, X: list[str], y: Any) -> HeadlineModelSearch:
        from sensational.models import build_headline_model

        params = dict(self.base or {})
        for name in self.SEARCHABLE:
            if getattr(self, name) is not None:
                params[name] = getattr(self, name)
        self.model_ = build_headline_model(params, random_state=self.seed)
        self.model_.fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: list[str]) -> Any:
        return self.model_.predict_proba(X)

    def predict(self, X: list[str]) -> Any:
        return self.model_.predict(X)

    def decision_function(self, X: list[str]) -> Any:
        return self.model_.predict_proba(X)[:, 1]


def run_search(
    headlines: list[Example],
    params: dict[str, Any],
    search: dict[str, Any],
    *,
    seed: int,
    n_jobs: int,
) -> dict[str, Any]:
    """Cross-validated grid search over the headline model, parallel through joblib."""
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    grid = search.get("grid") or {"C": [1.0, 3.0, 10.0]}
    unknown = set(grid) - set(HeadlineModelSearch.SEARCHABLE)
    if unknown:
        raise ConfigError(
            f"search.grid: cannot search {', '.join(sorted(unknown))};"
            f" searchable: {', '.join(HeadlineModelSearch.SEARCHABLE)}"
        )
    if len(headlines) < 20:
        raise DataError(f"--search needs at least 20 headline rows, got {len(headlines)}")
    cv = int(search.get("cv", 3))
    scoring = str(search.get("scoring", "roc_auc"))
    searcher = GridSearchCV(
        HeadlineModelSearch(base=params.get("headline", {}), seed=seed),
        param_grid={k: list(v) for k, v in grid.items()},
        scoring=scoring,
        cv=StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed),
        n_jobs=n_jobs,
        refit=False,
        verbose=1,
    )
    texts = [r.headline for r in headlines]
    labels = [int(r.label >= 0.5) for r in headlines]
    searcher.fit(texts, labels)
    results = searcher.cv_results_
    candidates = [
        {
            "params": {k: _plain(v) for k, v in p.items()},
            "mean": round(float(m), 4),
            "std": round(float(s), 4),
        }
        for p, m, s in zip(
            results["params"], results["mean_test_score"], results["std_test_score"], strict=True
        )
    ]
    return {
        "grid": {k: [_plain(x) for x in v] for k, v in grid.items()},
        "cv": cv,
        "scoring": scoring,
        "best_params": {k: _plain(v) for k, v in searcher.best_params_.items()},
        "best_score": round(float(searcher.best_score_), 4),
        "candidates": candidates,
    }


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
