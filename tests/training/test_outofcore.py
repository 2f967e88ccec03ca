"""Out-of-core learners: the same answers one row at a time as in batches, fixed-size state,
fed from files in chunks, and chosen by the training config."""

from __future__ import annotations

import gzip
import json
import pickle
import random

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from datasets.corpora import read_twins
from sensational.artifact import load_bundle
from sensational.body import BodyWordingClassifier
from sensational.streaming import HashedBodyWordingClassifier, HashedHeadlineClassifier
from training.config import apply_overrides, load_config
from training.outofcore import StreamReport, file_stream, headline_learner, parse_label
from training.train import train

SMALL = {"n_features": 2**14, "epochs": 8, "chunk_rows": 16, "calibration_share": 0.2}


def twins() -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for loaded, sober in read_twins():
        texts += [loaded, sober]
        labels += [1, 0]
    return texts, labels


def test_headline_model_answers_one_headline_as_it_answers_a_batch():
    X, y = twins()
    model = HashedHeadlineClassifier(**SMALL).fit(X, y)
    batch = model.predict_proba(X)[:, 1]
    one = np.array([model.predict_proba([x])[0, 1] for x in X])
    np.testing.assert_allclose(one, batch, rtol=0, atol=1e-9)
    assert roc_auc_score(y, batch) > 0.9  # it learned the training pairs
    assert model.coef_.shape == (2 * SMALL["n_features"],)  # state does not grow with rows
    again = pickle.loads(pickle.dumps(model))
    assert again.predict_proba([X[0]])[0, 1] == pytest.approx(batch[0], abs=1e-12)
    assert clone(model).get_params() == model.get_params()


def test_headline_model_reads_case_folded_text():
    X, y = twins()
    model = HashedHeadlineClassifier(**SMALL).fit(X, y)
    p = model.predict_proba([X[0], X[0].upper(), X[0].lower()])[:, 1]
    assert p[0] == pytest.approx(p[1]) == pytest.approx(p[2])


def test_headline_model_needs_both_classes():
    with pytest.raises(ValueError, match="labels 0 and 1"):
        HashedHeadlineClassifier(**SMALL).fit(["a headline", "another one"], [1, 1])


def test_body_model_scores_stems_like_the_in_memory_model_does():
    rng = random.Random(0)
    calm = ["council", "budget", "approv", "said", "meet", "plan", "report"]
    loud = ["disast", "outrag", "shame", "chao", "scandal", "corrupt", "destroy"]
    X = [rng.choices(calm if i % 2 else loud + calm, k=40) for i in range(200)]
    y = [0 if i % 2 else 1 for i in range(200)]
    hashed = HashedBodyWordingClassifier(n_features=2**12, epochs=5, chunk_rows=32).fit(X, y)
    exact = BodyWordingClassifier().fit(X, y)
    d = hashed.decision_function(X)
    assert np.allclose(d, [hashed.decision_from_stems(s) for s in X])
    assert roc_auc_score(y, d) == roc_auc_score(y, exact.decision_function(X)) == 1.0


def test_file_stream_reads_chunks_shuffles_and_counts_what_it_leaves_out(tmp_path):
    X, y = twins()
    rows = [{"headline": x, "label": "loaded" if v else "sober"} for x, v in zip(X, y, strict=True)]
    rows.sort(key=lambda r: r["label"])  # a file sorted by class
    rows += [{"headline": "", "label": 1}, {"headline": "No label here", "label": "maybe"}]
    path = tmp_path / "heads.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    report = StreamReport()
    stream = file_stream(
        path, text_column="headline", chunk_rows=10, shuffle_rows=len(X), report=report
    )
    chunks = list(stream())
    assert sum(len(t) for t, _ in chunks) == len(X)
    assert all(len(t) <= 10 for t, _ in chunks)
    assert len({tuple(labels) for _, labels in chunks[:3]}) > 1  # mixed, not sorted
    assert report.rows == len(X)
    assert report.skipped == {"no headline": 1, "unreadable label": 1, "unreadable row": 1}
    assert [t for t, _ in stream()] == [t for t, _ in chunks]  # every pass, the same order
    model = headline_learner({}, SMALL, seed=0).fit_stream(stream)
    assert roc_auc_score(y, model.predict_proba(X)[:, 1]) > 0.9


@pytest.mark.parametrize(
    ("value", "label"),
    [(1, 1), (0.0, 0), (True, 1), ("clickbait", 1), ("news", 0), ("0.8", 1), ("x", None)]
    + [(3, None)],
)
def test_labels(value, label):
    assert parse_label(value) == label


def test_the_config_switch_trains_and_serves_the_out_of_core_models(tmp_path):
    config = apply_overrides(
        load_config(),
        [
            "params.out_of_core.enabled=true",
            "params.out_of_core.n_features=16384",
            "params.out_of_core.chunk_rows=64",
        ],
    )
    card = train(output=tmp_path / "m", corpora=None, config=config)
    scorer, loaded = load_bundle(tmp_path / "m")
    assert isinstance(scorer.headline_model, HashedHeadlineClassifier)
    assert loaded["parameters"]["out_of_core"]["enabled"] is True
    assert "headline" in card["metrics"]  # the same evaluation as the in-memory path
    result = scorer.score("You won't believe what this council did", "The council met.")
    assert 0.0 <= result.score <= 1.0
    assert result.headline.clickbait == pytest.approx(
        scorer.headline_model.predict_proba(["You won't believe what this council did"])[0, 1],
        abs=1e-6,
    )
