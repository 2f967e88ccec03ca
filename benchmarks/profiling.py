"""Where the time of one score goes: a pyinstrument profile of the scoring hot path, and the
cost of the headline model through the scikit-learn pipeline against the faster path."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any


def _walk(frame: Any) -> Iterator[Any]:
    """Every real frame of the tree; pyinstrument's synthetic ``[self]`` leaves are skipped."""
    yield frame
    for child in frame.children:
        if not child.is_synthetic:
            yield from _walk(child)


def _own_time(frame: Any) -> float:
    """Time in the frame's own code: its time minus that of its real callees."""
    return frame.time - sum(c.time for c in frame.children if not c.is_synthetic)


def _label(frame: Any) -> str:
    where = f"{frame.file_path_short or '?'}:{frame.line_no}"
    name = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
    return f"{name} ({where})"


def _find(frame: Any, function: str) -> Any | None:
    for f in _walk(frame):
        if f.function == function:
            return f
    return None


def _callee_times(*frames: Any) -> dict[str, float]:
    """Time per callee label, summed over the real children of ``frames``."""
    times: dict[str, float] = defaultdict(float)
    for frame in frames:
        for child in frame.children:
            if not child.is_synthetic:
                times[_label(child)] += child.time
    return times


def summarize_profile(root: Any, *, entry: str = "score", top: int = 12) -> dict[str, Any]:
    """Turn a pyinstrument frame tree into the figures the report shows.

    Returns the share of the entry function's time spent in each direct callee (the
    breakdown by component) and the functions with the most own time (what dominates).
    """
    total = root.time
    entry_frame = _find(root, entry)
    breakdown: list[dict[str, Any]] = []
    if entry_frame is not None and entry_frame.time > 0:
        by_child = _callee_times(entry_frame)
        by_child[f"(own code of {entry})"] += _own_time(entry_frame)
        for name, t in sorted(by_child.items(), key=lambda kv: -kv[1]):
            if t <= 0:
                continue
            breakdown.append({"frame": name, "share": t / entry_frame.time, "depth": 0})
            # One level deeper for the big parts: that is where a fix has to go.
            if t / entry_frame.time >= 0.15:
                inner = _callee_times(*[c for c in entry_frame.children if _label(c) == name])
                for sub, st in sorted(inner.items(), key=lambda kv: -kv[1])[:5]:
                    breakdown.append({"frame": sub, "share": st / entry_frame.time, "depth": 1})
    own: dict[str, float] = defaultdict(float)
    for f in _walk(root):
        own[_label(f)] += _own_time(f)
    hottest = [
        {"frame": name, "share": t / total}
        for name, t in sorted(own.items(), key=lambda kv: -kv[1])[:top]
        if total > 0
    ]
    return {"entry": entry, "breakdown": breakdown, "self_time": hottest}


def profile_scoring(
    scorer: Any, headline: str, body: str, *, calls: int, budget_s: float | None = None
) -> dict[str, Any]:
    """Profile ``calls`` scores of one article (fewer when they would overrun ``budget_s``).

    Returns ``{"skipped": reason}`` when pyinstrument is not installed.
    """
    import time

    try:
        from pyinstrument import Profiler
    except ImportError:
        return {"skipped": "pyinstrument is not installed (pip install -r requirements-dev.txt)"}
    start = time.perf_counter()
    for _ in range(20):
        scorer.score(headline, body)
    per_call = (time.perf_counter() - start) / 20
    if budget_s is not None and per_call > 0:
        # Sampling roughly doubles the cost of a call.
        calls = max(min(calls, 50), min(calls, int(budget_s / (2 * per_call))))
    # 0.1 ms sampling: a score takes about a millisecond, the default 1 ms would see little.
    profiler = Profiler(interval=0.0001, async_mode="disabled")
    profiler.start()
    for _ in range(calls):
        scorer.score(headline, body)
    session = profiler.stop()
    root = session.root_frame()
    if root is None:
        return {"skipped": "the profiler recorded no samples"}
    summary = summarize_profile(root)
    summary["calls"] = calls
    summary["text"] = profiler.output_text(unicode=False, color=False, show_all=False)
    return summary


def linear_headline_parts(model: Any) -> tuple[list[tuple[Any, ...]], float, float, float]:
    """The fitted numbers of a TF-IDF + sigmoid-calibrated linear headline pipeline.

    Returns ``(parts, intercept, a, b)`` where each part is ``(analyzer, vocabulary, idf,
    weights, sublinear)``; raises ``ValueError`` for any other model shape.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline

    if not isinstance(model, Pipeline) or len(model.steps) != 2:
        raise ValueError("the headline model is not a two-step Pipeline")
    features, classifier = model.steps[0][1], model.steps[1][1]
    if not isinstance(features, FeatureUnion) or features.transformer_weights:
        raise ValueError("the headline features are not an unweighted FeatureUnion")
    calibrated = getattr(classifier, "calibrated_classifiers_", None)
    if not calibrated or len(calibrated) != 1 or len(calibrated[0].calibrators) != 1:
        raise ValueError("the classifier is not one calibrated binary classifier")
    estimator, calibrator = calibrated[0].estimator, calibrated[0].calibrators[0]
    if not hasattr(estimator, "coef_") or not hasattr(calibrator, "a_"):
        raise ValueError("the classifier is not a sigmoid-calibrated linear model")
    coef = np.asarray(estimator.coef_, dtype=np.float64).ravel()
    parts = []
    offset = 0
    for _, vec in features.transformer_list:
        if not isinstance(vec, TfidfVectorizer) or vec.norm != "l2" or not vec.use_idf:
            raise ValueError("a headline feature is not an l2-normalised TfidfVectorizer")
        size = len(vec.vocabulary_)
        weights = coef[offset : offset + size]
        parts.append(
            (
                vec.build_analyzer(),
                vec.vocabulary_,
                vec.idf_.astype(np.float64),
                weights,
                vec.sublinear_tf,
            )
        )
        offset += size
    if offset != coef.size:
        raise ValueError("the feature count does not match the classifier's coefficients")
    return parts, float(estimator.intercept_[0]), float(calibrator.a_), float(calibrator.b_)


def direct_headline_proba(
    text: str, parts: list[tuple[Any, ...]], intercept: float, a: float, b: float
) -> float:
    """The same probability as the pipeline, without sklearn's per-call validation."""
    import math
    from collections import Counter

    import numpy as np

    decision = intercept
    for analyzer, vocabulary, idf, weights, sublinear in parts:
        counts = Counter(i for i in map(vocabulary.get, analyzer(text)) if i is not None)
        if not counts:
            continue
        idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        values = (np.log(tf) + 1 if sublinear else tf) * idf[idx]
        decision += float(values @ weights[idx]) / float(np.sqrt(values @ values))
    return 1.0 / (1.0 + math.exp(a * decision + b))


def measure_headline_paths(scorer: Any, headlines: list[str], *, calls: int) -> dict[str, Any]:
    """Cost of one headline through the sklearn pipeline and through the faster path.

    The faster path is the scorer's own ``clickbait`` method when it has one (what ``score``
    calls); otherwise :func:`direct_headline_proba`, the candidate fix, measured here. Both
    are checked against the pipeline's answers on ``headlines``.
    """
    import time

    model = scorer.headline_model
    own = getattr(scorer, "clickbait", None)
    if callable(own):
        path, label = own, "Scorer.clickbait (the path Scorer.score takes)"
    else:
        try:
            fitted = linear_headline_parts(model)
        except ValueError as exc:
            return {"skipped": str(exc)}

        def path(text: str) -> float:
            return direct_headline_proba(text, *fitted)

        label = "direct evaluation of the fitted weights (benchmarks.profiling)"
    pipeline = [float(p) for p in model.predict_proba(headlines)[:, 1]]
    fast = [float(path(h)) for h in headlines]
    worst = max(abs(x - y) for x, y in zip(pipeline, fast, strict=True))
    text = headlines[0]

    def per_call(fn: Any) -> float:
        fn()
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        return (time.perf_counter() - start) / calls * 1e3

    return {
        "path": label,
        "pipeline_ms": per_call(lambda: model.predict_proba([text])),
        "fast_ms": per_call(lambda: path(text)),
        "max_abs_difference": worst,
        "headlines_compared": len(headlines),
    }
