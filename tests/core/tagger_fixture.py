"""A small loaded-wording tagger fitted on hand-written sentences, for the core tests.

Built with the core's own feature function and a plain scikit-learn pipeline, so the tests
need neither the corpora nor the training package.
"""

from __future__ import annotations

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from sensational.framing import FramingDetector
from sensational.lexicon import tokenize
from sensational.tagger import LoadedWordingTagger, feature_dicts

VALENCE = {"vile": -3.1, "corrupt": -2.5, "furious": -2.8, "happy": 2.7, "terrifying": -2.9}
STEM_VALENCE = {"vile": -3.1, "corrupt": -2.5, "furious": -2.8, "happi": 2.7, "terrifi": -2.9}

# (text, loaded words)
SENTENCES = [
    ("The vile corrupt elite lied again.", {"vile", "corrupt", "elite"}),
    ("The elite hid the truth.", {"elite"}),
    ("Furious voters slammed the corrupt mayor.", {"furious", "slammed", "corrupt"}),
    ("The council approved the budget on Monday.", set()),
    ("Officials said the bridge would reopen next week.", set()),
    ("A terrifying storm left families trapped.", {"terrifying", "trapped"}),
    ("The report was published on Tuesday.", set()),
    ("These thugs are vile traitors.", {"thugs", "vile", "traitors"}),
    ("The minister met union leaders in the capital.", set()),
    ("Residents were happy with the new park.", set()),
    ("Panic grips the capital as chaos spreads.", {"panic", "grips", "chaos"}),
]


def fit_tiny_tagger(**params: float) -> LoadedWordingTagger:
    detector = FramingDetector()
    rows, labels = [], []
    for text, loaded in SENTENCES * 3:
        for title in (False, True):
            tokens = tokenize(text)
            rows += feature_dicts(
                text,
                tokens,
                detector.matches(text, tokens),
                title=title,
                valence=VALENCE,
                stem_valence=STEM_VALENCE,
            )
            labels += [int(text[t.start : t.end].lower() in loaded) for t in tokens]
    pipeline = Pipeline(
        [("features", DictVectorizer()), ("classifier", LogisticRegression(C=3.0, max_iter=2000))]
    )
    pipeline.fit(rows, labels)
    return LoadedWordingTagger(
        pipeline,
        valence=VALENCE,
        stem_valence=STEM_VALENCE,
        categories={"elit": "outrage"},
        lower_stems={"gore", "drone", "bomb", "biggest", "ever", "panic", "catfish"},
        params={"threshold": 0.5, "extend_threshold": 0.5, **params},
    )
