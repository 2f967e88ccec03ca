"""Quality of the default model on data it never saw in training."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, roc_auc_score

from datasets.corpora import corpora_root, holdout_bucket, read_chakraborty

pytestmark = pytest.mark.corpora


def test_headline_model_on_the_held_out_fifth(default_scorer):
    rows = [r for r in read_chakraborty(corpora_root()) if holdout_bucket(r.headline) == 0]
    y = np.array([r.label for r in rows])
    proba = default_scorer.headline_model.predict_proba([r.headline for r in rows])[:, 1]
    assert accuracy_score(y, proba >= 0.5) >= 0.98
    assert roc_auc_score(y, proba) >= 0.998


def test_card_reports_the_held_out_figures(default_model_dir):
    import json

    card = json.loads((default_model_dir / "model-card.json").read_text())
    assert card["metrics"]["headline"]["accuracy"] >= 0.98
    assert card["demo"] is False
