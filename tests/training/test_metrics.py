"""training.metrics: the one home of every evaluation formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.calibration import calibration_curve

from training.metrics import (
    SCORE_METRICS,
    SpanCredit,
    binary_metrics,
    bootstrap_indices,
    character_overlap,
    expected_calibration_error,
    merge_ranges,
    metric_ci,
    paired_difference_ci,
    prf,
    reliability,
    span_prf,
)


def test_binary_metrics_of_perfect_and_known_scores() -> None:
    m = binary_metrics([0, 0, 1, 1], [0.0, 0.0, 1.0, 1.0])
    assert (m["roc_auc"], m["pr_auc"], m["accuracy"], m["f1"], m["brier"], m["ece"]) == (
        1.0, 1.0, 1.0, 1.0, 0.0, 0.0,
    )  # fmt: skip
    assert "mse" not in m
    m = binary_metrics([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.1])
    assert (m["n"], m["positives"]) == (4, 2)
    assert m["accuracy"] == pytest.approx(0.75)
    assert m["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["brier"] == pytest.approx((0.01 + 0.04 + 0.36 + 0.01) / 4)


def test_graded_labels_add_mse_and_one_class_leaves_auc_unmeasured() -> None:
    m = binary_metrics([0.2, 0.8, 0.6], [0.3, 0.7, 0.6])
    assert m["mse"] == pytest.approx(((0.1**2) * 2) / 3, abs=1e-4)
    assert m["positives"] == 2
    assert math.isnan(binary_metrics([1, 1], [0.2, 0.9])["roc_auc"])
    with pytest.raises(ValueError, match="equal, non-empty"):
        binary_metrics([1], [0.5, 0.2])


def test_ece_by_hand() -> None:
    assert expected_calibration_error([1, 0, 1, 0], [0.8] * 4) == pytest.approx(0.3)
    # Two bins: 0.1 (all 0: error 0.1) and 0.9 (all 1: error 0.1).
    assert expected_calibration_error([0, 0, 1, 1], [0.1, 0.1, 0.9, 0.9]) == pytest.approx(0.1)


def test_reliability_bins_are_those_of_scikit_learn() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    p = np.clip(rng.random(500), 0, 1)
    p[:20] = 0.3  # scores on an inner bin edge fall in the lower bin, as in scikit-learn
    mean_y, mean_p, count = reliability(y, p, 10)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10)
    np.testing.assert_allclose(mean_y, prob_true)
    np.testing.assert_allclose(mean_p, prob_pred)
    assert count.sum() == 500


def test_merge_ranges_joins_overlaps_and_drops_empty_ranges() -> None:
    assert merge_ranges([(5, 9), (0, 3), (2, 4), (9, 10), (7, 7)]) == [(0, 4), (5, 10)]


def test_span_credit_follows_the_semeval_formula() -> None:
    # Predicted (0, 10) overlaps gold (5, 15) by 5 characters: precision credit 5/10, recall
    # credit 5/10; predicted (20, 24) overlaps nothing.
    credit = SpanCredit.of([(0, 10), (20, 24)], [(5, 15)])
    assert credit == SpanCredit(0.5, 2, 0.5, 1)
    figures = span_prf([credit])
    assert figures["precision"] == pytest.approx(0.25)
    assert figures["recall"] == pytest.approx(0.5)
    assert figures["f1"] == pytest.approx(2 * 0.25 * 0.5 / 0.75)
    # Overlapping predictions are merged before they earn credit.
    assert SpanCredit.of([(0, 6), (4, 10)], [(5, 15)]) == credit.__class__(0.5, 1, 0.5, 1)


def test_nothing_predicted_is_zero_and_characters_are_counted() -> None:
    assert span_prf([SpanCredit.of([], [(0, 4)])]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert character_overlap([(0, 10)], [(5, 15), (20, 22)]) == (5, 10, 12)
    assert prf(1, 2, 1, 4) == {"precision": 0.5, "recall": 0.25, "f1": pytest.approx(1 / 3)}


def _auc(data: tuple[np.ndarray, np.ndarray], idx: np.ndarray) -> float:
    return SCORE_METRICS["roc_auc"](data[0][idx], data[1][idx])


def test_paired_bootstrap_of_identical_models_is_zero() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200).astype(float)
    p = np.clip(y * 0.6 + rng.random(200) * 0.5, 0, 1)
    idx = bootstrap_indices(200, 200, seed=1)
    assert paired_difference_ci(_auc, (y, p), (y, p), idx) == (0.0, 0.0)
    # The same draw again gives the same interval: the seed makes reports reproducible.
    assert np.array_equal(idx, bootstrap_indices(200, 200, seed=1))


def test_interval_of_the_difference_narrows_with_more_rows() -> None:
    """The tolerance follows the sample size: the same true gap is noise on 40 rows and a
    clear regression on 4,000."""
    widths = {}
    for n in (40, 4000):
        rng = np.random.default_rng(5)
        y = rng.integers(0, 2, n).astype(float)
        good = np.clip(0.5 * y + 0.5 * rng.random(n), 0, 1)
        worse = np.clip(0.42 * y + 0.58 * rng.random(n), 0, 1)
        idx = bootstrap_indices(n, 200, seed=0)
        low, high = paired_difference_ci(_auc, (y, worse), (y, good), idx)
        widths[n] = high - low
        if n == 40:
            assert low < 0 <= high  # not distinguishable from noise
        else:
            assert high < 0  # worse beyond noise
    assert widths[4000] < widths[40] / 4
    low, high = metric_ci(_auc, (y, good), bootstrap_indices(4000, 200))
    assert low <= _auc((y, good), np.arange(4000)) <= high
