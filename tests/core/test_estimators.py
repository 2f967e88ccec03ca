"""Custom estimators follow scikit-learn's contract."""

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sensational.body import BodyWordingClassifier
from sensational.features import SentenceFramingClassifier, sentence_bounds
from training.heads import fit_linear_head

SENTENCES = [
    "Furious critics slammed the shameful plan.",
    "The council approved the budget on Tuesday.",
    "A savage onslaught left terrified families trapped.",
    "Officials said the talks would continue next week.",
    "The shameful, furious backlash was a disgrace.",
    "The report was published on Monday.",
] * 3
LABELS = [1, 0, 1, 0, 1, 0] * 3


def test_params_are_stored_unchanged_and_clone():
    est = SentenceFramingClassifier(C=0.7, min_df=1)
    assert est.get_params() == {"C": 0.7, "min_df": 1, "class_weight": None}
    assert clone(est).get_params() == est.get_params()
    assert est.set_params(C=2.0).C == 2.0


def test_not_fitted_error_before_fit():
    with pytest.raises(NotFittedError):
        SentenceFramingClassifier().predict_proba(["A sentence."])


def test_fit_returns_self_and_learns_the_direction():
    est = SentenceFramingClassifier(C=10.0, min_df=1)
    assert est.fit(SENTENCES, LABELS) is est
    p = est.predict_proba(["Critics slammed the shameful disgrace.", "The report was published."])
    assert p.shape == (2, 2) and p[0, 1] > p[1, 1]
    assert list(est.predict(["Furious critics slammed it."])) == [1]
    assert est.weights_ and np.allclose(p.sum(axis=1), 1.0)


def test_fast_path_matches_decision_function():
    from sensational.lexicon import tokenize

    est = SentenceFramingClassifier(min_df=1).fit(SENTENCES, LABELS)
    text = "Furious families were trapped."
    stems = [t.stem for t in tokenize(text)]
    assert est.decision_from_stems(stems) == pytest.approx(est.decision_function([text])[0])


def test_joblib_round_trip(tmp_path):
    est = SentenceFramingClassifier(min_df=1).fit(SENTENCES, LABELS)
    joblib.dump(est, tmp_path / "m.joblib")
    again = joblib.load(tmp_path / "m.joblib")
    assert np.allclose(again.predict_proba(SENTENCES), est.predict_proba(SENTENCES))


@pytest.mark.parametrize("bad", ["one string", ["ok", 3]])
def test_bad_input_is_named(bad):
    with pytest.raises(ValueError, match="X must"):
        SentenceFramingClassifier(min_df=1).fit(bad, [0, 1])


def test_length_mismatch_is_named():
    with pytest.raises(ValueError, match="2 sentences but y has 3"):
        SentenceFramingClassifier().fit(["a b", "c d"], [0, 1, 0])


def test_linear_head_is_monotone_in_constrained_features():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    # The second feature is anti-correlated with the label: its weight must stop at zero.
    y = (x[:, 0] - 0.8 * x[:, 1] + rng.normal(scale=0.3, size=400) > 0).astype(int)
    head = fit_linear_head(("good", "bad"), x, y, C=1.0)
    assert head.coef[0] > 0 and head.coef[1] == 0.0
    free = fit_linear_head(("good", "bad"), x, y, C=1.0, free=("bad",))
    assert free.coef[1] < 0
    assert head.proba([2.0, 0.0]) > head.proba([-2.0, 0.0])


def test_linear_head_refuses_one_class():
    with pytest.raises(ValueError, match="one class"):
        fit_linear_head(("a",), np.zeros((3, 1)), np.zeros(3, dtype=int), C=1.0)


def test_sentence_bounds_index_the_text():
    text = "First one. Second \u201cquoted!\u201d Third?\r\nFourth line"
    bounds = sentence_bounds(text)
    assert [text[a:b] for a, b in bounds] == [
        "First one.",
        "Second \u201cquoted!",
        "Third?",
        "Fourth line",
    ]


BODIES = [
    "the radical elite globalist swamp betrays patriots again".split(),
    "the council published the annual budget report on tuesday".split(),
    "corrupt radical elites betray hardworking patriots".split(),
    "officials said the budget talks would continue next week".split(),
] * 3
BODY_LABELS = [1, 0, 1, 0] * 3


def test_body_wording_params_clone_and_not_fitted():
    est = BodyWordingClassifier(C=3.0, min_df=1)
    assert clone(est).get_params() == {"C": 3.0, "min_df": 1, "class_weight": "balanced"}
    with pytest.raises(NotFittedError):
        est.predict_proba([["a"]])


def test_body_wording_fast_path_matches_the_sklearn_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    est = BodyWordingClassifier(C=5.0, min_df=1).fit(BODIES, BODY_LABELS)
    vec = TfidfVectorizer(analyzer=lambda s: s, sublinear_tf=True, min_df=1)
    clf = LogisticRegression(C=5.0, max_iter=5000, class_weight="balanced")
    clf.fit(vec.fit_transform(BODIES), BODY_LABELS)
    probe = [
        "radical radical elites said the budget".split(),
        "unknown words only".split(),
        "the budget report".split(),
    ]
    expected = clf.decision_function(vec.transform(probe))
    assert np.allclose(est.decision_function(probe), expected)
    assert est.decision_from_stems(["unknown"]) == pytest.approx(est.intercept_)
    p = est.predict_proba(probe)
    assert p[0, 1] > p[2, 1] and list(est.predict(probe[:1])) == [1]


@pytest.mark.parametrize("bad", ["one string", ["a body as one string"], [["ok", 3]]])
def test_body_wording_bad_input_is_named(bad):
    with pytest.raises(ValueError, match="X"):
        BodyWordingClassifier(min_df=1).fit(bad, [0, 1])
