"""Fit every part of a scorer bundle from loaded training data, and measure it.

The CLI (``training.train``) reads, validates and splits the corpora; this module only fits
and evaluates, so tests and notebooks can call it directly.

Parts and the data each is fitted on (training split only):

- headline clickbait model: ``headlines`` (Chakraborty).
- loaded-wording tagger of the framing detector: a token-window logistic regression on the
  loaded-technique spans of ``span_docs`` (PTC), with every token of the plain (label 0)
  ``articles`` as a weighted negative (training.tagger). With ``params.tagger.enabled =
  false``, term weights instead: lexicon priors blended with the rate at which each stem falls
  inside loaded spans (training.terms).
- sentence framing classifier: PTC sentences, positive when they overlap a loaded span.
- body model: hyperpartisan bodies (``articles``), over aggregated sentence and lexicon
  features.
- overall stacker: a logistic regression over headline and body features, fitted on
  hyperpartisan articles (headline + body, body only, headline only), PTC titles (positive
  when the title holds a loaded span) and a sample of Chakraborty headlines, each group with
  the same total weight.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from datasets.adapters.ptc import LOADED_TECHNIQUES
from datasets.corpora import SAMPLES, Example, SpanDoc
from sensational.body import BodyWordingClassifier
from sensational.features import SentenceFramingClassifier
from sensational.framing import FRAMING_DEFAULTS, FramingDetector, clean_tokens
from sensational.lexicon import load_lexicon, term_key, tokenize
from sensational.models import HEADLINE_DEFAULTS, build_headline_model
from sensational.results import Span
from sensational.scorer import BODY_FEATURES, OVERALL_FEATURES, LinearHead, Scorer, overall_vector
from sensational.text import find_boilerplate
from training.tagger import TRAIN_DEFAULTS as TAGGER_TRAIN_DEFAULTS
from training.tagger import fit_tagger, split_title, tagger_summary
from training.terms import (
    LEARN_DEFAULTS,
    LEARNABLE_CATEGORIES,
    blend_with_lexicon,
    learn_terms,
    loaded_token_mask,
)

log = logging.getLogger("training")


@dataclass
class TrainingData:
    """Rows by what they can teach: headline-only rows, whole articles, span-annotated docs.

    ``span_docs_dev`` is optional: span-annotated documents never trained on (the official
    PTC development split), used by :func:`evaluate_bundle` only.
    """

    headlines: list[Example] = field(default_factory=list)
    articles: list[Example] = field(default_factory=list)
    span_docs: list[SpanDoc] = field(default_factory=list)
    span_docs_dev: list[SpanDoc] = field(default_factory=list)


def default_params() -> dict[str, Any]:
    """Every hyperparameter of the bundle, by part."""
    return {
        "headline": dict(HEADLINE_DEFAULTS),
        "framing": dict(FRAMING_DEFAULTS),
        "terms": dict(LEARN_DEFAULTS),
        # The learned loaded-wording tagger (training.tagger); enabled = false trains the
        # lexicon path with learned term weights instead.
        "tagger": dict(TAGGER_TRAIN_DEFAULTS),
        "sentence": {"C": 0.3, "min_df": 2},
        "body": {"C": 1.0},
        # Whole-body wording model (trained on the article corpora's bodies); its log-odds on
        # training bodies are cross-fitted over ``folds`` folds before the body head sees them.
        "wording": {"C": 10.0, "min_df": 2, "class_weight": "balanced", "folds": 5},
        "stacker": {
            "C": 1.0,
            "chakraborty_rows": 4000,
            "ptc_rows": 4000,
            "ptc_folds": 5,
            "ptc_sentence_words": [4, 30],
        },
        # "low" below the score that this share of plain news headlines (label 0 of the
        # headline corpus, training split) stay under; "high" from a fixed probability.
        "thresholds": {"news_quantile": 0.95, "high": 0.7},
    }


def fit_bundle(
    data: TrainingData,
    *,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    name: str = "sensational",
    version: str = "0.0.0",
    n_jobs: int | None = None,
) -> Scorer:
    """Fit the scorer on ``data`` (the training split only).

    With no ``span_docs`` the detector keeps the lexicon priors and there is no sentence
    model; with no ``articles`` the project's story pairs stand in for them (demo only).
    """
    p = _merge(default_params(), params or {})
    clock = time.perf_counter()
    headline_params = dict(p["headline"])
    if len(data.headlines) < 200:  # tiny sets: fewer calibration folds than classes allow otherwise
        headline_params["calibration_cv"] = 2
    model = build_headline_model(headline_params, random_state=seed, n_jobs=n_jobs)
    model.fit([r.headline for r in data.headlines], [int(r.label >= 0.5) for r in data.headlines])

    log.info("headline model fitted in %.1f s", time.perf_counter() - clock)
    clock = time.perf_counter()
    lexicon = load_lexicon()
    learned = {}
    sentence_model = None
    tagger = None
    if data.span_docs:
        if p["tagger"].get("enabled", True):
            # Plain articles of the article corpora teach it what ordinary reporting is like.
            tagger = fit_tagger(data.span_docs, p["tagger"], plain=data.articles)
        else:
            raw, stats = learn_terms(
                data.span_docs, [term_key(e.term) for e in lexicon], p["terms"]
            )
            learned = blend_with_lexicon(raw, stats, lexicon, float(p["terms"]["prior_strength"]))
        sents, labels = ptc_sentences(data.span_docs)
        sentence_model = SentenceFramingClassifier(**p["sentence"]).fit(sents, labels)
    log.info("tagger and sentence model fitted in %.1f s", time.perf_counter() - clock)
    clock = time.perf_counter()
    detector = FramingDetector(lexicon, learned, p["framing"], tagger)
    scorer = Scorer(
        name=name,
        version=version,
        headline_model=model,
        framing=detector,
        sentence_model=sentence_model,
    )

    articles = [a for a in (data.articles or read_story_pairs_as_examples()) if a.body.strip()]
    yb = np.array([int(a.label >= 0.5) for a in articles])
    stems = [[t.stem for t in clean_tokens(a.body, find_boilerplate(a.body))] for a in articles]
    wording_params = {k: v for k, v in p["wording"].items() if k != "folds"}
    scorer.body_wording = BodyWordingClassifier(**wording_params).fit(stems, yb)
    wording = _out_of_fold_wording(stems, yb, wording_params, int(p["wording"]["folds"]), seed)
    xb = np.array([_body_feats(scorer, a.body, w) for a, w in zip(articles, wording, strict=True)])
    scorer.body_model = fit_linear_head(
        BODY_FEATURES, xb, yb, C=float(p["body"]["C"]), free=("log_words",)
    )

    log.info("body model fitted in %.1f s", time.perf_counter() - clock)
    clock = time.perf_counter()
    rows, ys, groups = _stacker_rows(
        scorer, data, list(zip(articles, wording, strict=True)), p["stacker"], p["sentence"], seed
    )
    weights = _group_weights(groups)
    scorer.stacker = fit_linear_head(
        OVERALL_FEATURES,
        np.array(rows),
        np.array(ys),
        C=float(p["stacker"]["C"]),
        sample_weight=weights,
        free=("has_headline", "has_body"),
    )
    scorer.thresholds = calibrate_thresholds(scorer, rows, ys, groups, p["thresholds"])
    log.info("stacker fitted in %.1f s", time.perf_counter() - clock)
    return scorer


def calibrate_thresholds(
    scorer: Scorer,
    rows: Sequence[Sequence[float]],
    ys: Sequence[int],
    groups: Sequence[str],
    p: dict[str, Any],
) -> tuple[float, float]:
    """``(low, high)``: "low" ends where ``news_quantile`` of plain news headlines stay below.

    So "medium" means "more loaded than nearly all headlines of mainstream news", whatever the
    stacker's base rate; "high" is a fixed probability, and never below the low boundary.
    """
    assert scorer.stacker is not None
    news = [
        scorer.stacker.proba(r)
        for r, y, g in zip(rows, ys, groups, strict=True)
        if g == "headlines" and y == 0
    ]
    high = float(p["high"])
    if not news:
        raise ValueError("cannot calibrate the label thresholds: no label-0 headline rows")
    low = round(float(np.quantile(news, float(p["news_quantile"]))), 3)
    return min(low, high), high


def fit_linear_head(
    names: Sequence[str],
    x: np.ndarray,
    y: np.ndarray,
    *,
    C: float,
    sample_weight: np.ndarray | None = None,
    free: Sequence[str] = (),
) -> LinearHead:
    """Standardise, fit an L2-penalised logistic regression, keep it as a :class:`LinearHead`.

    Every coefficient except those named in ``free`` is constrained to be >= 0: each feature
    is evidence *for* sensational framing, so more of it must never lower the score. Without
    the constraint, correlated features (lexicon density next to the body model's log-odds)
    get negative weights that make the score fall as loaded words are added.
    """
    if len(set(y.tolist())) < 2:
        raise ValueError(f"cannot fit a model over {names[0]}, ...: the labels hold one class")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    w = w / w.mean()
    sign = 2.0 * y - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        margin = sign * (z @ theta[:-1] + theta[-1])
        value = np.sum(w * np.logaddexp(0.0, -margin)) + 0.5 / C * theta[:-1] @ theta[:-1]
        g = -w * sign * expit(-margin)
        grad = np.append(z.T @ g + theta[:-1] / C, g.sum())
        return float(value), grad

    bounds = [(None, None) if n in free else (0.0, None) for n in names] + [(None, None)]
    res = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    if not res.success:
        raise RuntimeError(f"fitting the model over {names[0]}, ... failed: {res.message}")
    return LinearHead(tuple(names), mean, scale, res.x[:-1].copy(), float(res.x[-1]))


def ptc_sentences(docs: Iterable[SpanDoc]) -> tuple[list[str], list[int]]:
    """One row per non-empty line of each article: positive when it overlaps a loaded span."""
    sents, labels = [], []
    for doc in docs:
        ranges = [(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES]
        pos = 0
        for line in doc.text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            if line.strip():
                sents.append(line)
                labels.append(int(any(s < end and start < e for s, e in ranges)))
    return sents, labels


def ptc_title(doc: SpanDoc) -> tuple[str, int]:
    """The title (first line) of a PTC article and whether it holds a loaded span."""
    end = doc.text.find("\n")
    end = len(doc.text) if end < 0 else end
    hit = any(s < end and t in LOADED_TECHNIQUES for s, e, t in doc.spans)
    return doc.text[:end], int(hit)


def _out_of_fold_wording(
    stems: Sequence[Sequence[str]], y: np.ndarray, params: dict[str, Any], folds: int, seed: int
) -> list[float]:
    """Body-wording log-odds of each training body from a model that did not see it."""
    out = np.zeros(len(stems))
    folds = min(folds, int(np.bincount(y, minlength=2).min()))
    if folds < 2:  # too few bodies to cross-fit: the body head learns nothing from wording
        return out.tolist()
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(out, y):
        model = BodyWordingClassifier(**params).fit([stems[i] for i in train], y[train])
        out[test] = model.decision_function([stems[i] for i in test])
    return out.tolist()


def _body_feats(scorer: Scorer, body: str, wording: float | None = None) -> list[float]:
    tokens = clean_tokens(body, find_boilerplate(body))
    _, weight = scorer.framing.analyze(body, "body", tokens=tokens)
    return scorer.body_features(body, tokens, weight, wording)


def _head_feats(scorer: Scorer, headline: str, clickbait: float) -> list[float]:
    tokens = clean_tokens(headline)
    _, weight = scorer.framing.analyze(headline, "headline", tokens=tokens)
    return scorer.headline_features(clickbait, tokens, weight)


def _stacker_rows(
    scorer: Scorer,
    data: TrainingData,
    articles: Sequence[tuple[Example, float]],
    p: dict[str, Any],
    sentence_params: dict[str, Any],
    seed: int,
) -> tuple[list[list[float]], list[int], list[str]]:
    rows: list[list[float]] = []
    ys: list[int] = []
    groups: list[str] = []

    def add(
        head: str | None,
        body: str | None,
        y: int,
        group: str,
        cb: float | None,
        wording: float | None = None,
    ) -> None:
        hf = _head_feats(scorer, head, cb) if head and cb is not None else None
        bf = _body_feats(scorer, body, wording) if body else None
        if hf is None and bf is None:
            return
        rows.append(overall_vector(hf, bf, scorer.body_model))
        ys.append(y)
        groups.append(group)

    heads = list(data.headlines)
    random.Random(seed).shuffle(heads)
    heads = heads[: int(p["chakraborty_rows"])]
    cb = _clickbait(scorer, [r.headline for r in heads])
    for r, c in zip(heads, cb, strict=True):
        add(r.headline, None, int(r.label >= 0.5), "headlines", c)
    texts, labels, logits = _ptc_headline_rows(data.span_docs, p, sentence_params, scorer, seed)
    cb = _clickbait(scorer, texts)
    for text, y, c, z in zip(texts, labels, cb, logits, strict=True):
        hf = _head_feats(scorer, text, c)
        hf[2] = max(-6.0, min(6.0, z))
        rows.append(overall_vector(hf, None, scorer.body_model))
        ys.append(y)
        groups.append("ptc")
    cb = _clickbait(scorer, [a.headline for a, _ in articles])
    for (a, w), c in zip(articles, cb, strict=True):
        y = int(a.label >= 0.5)
        add(a.headline, a.body, y, "articles", c, w)
        add(None, a.body, y, "articles", None, w)
        add(a.headline, None, y, "articles", c)
    return rows, ys, groups


def _ptc_headline_rows(
    docs: Sequence[SpanDoc],
    p: dict[str, Any],
    sentence_params: dict[str, Any],
    scorer: Scorer,
    seed: int,
) -> tuple[list[str], list[int], list[float]]:
    """PTC titles and short sentences as headline-like rows, with out-of-fold sentence
    log-odds: the sentence model saw these rows in training, so its in-sample answers would
    be over-confident and the stacker would trust them too much."""
    if not docs or scorer.sentence_model is None:
        return [], [], []
    folds = int(p["ptc_folds"])
    lo, hi = p["ptc_sentence_words"]
    texts: list[str] = []
    labels: list[int] = []
    logits: list[float] = []
    for k in range(folds):
        train_docs = [d for i, d in enumerate(docs) if i % folds != k]
        test_docs = [d for i, d in enumerate(docs) if i % folds == k]
        sents, ys = ptc_sentences(train_docs)
        model = SentenceFramingClassifier(**sentence_params).fit(sents, ys)
        rows = [ptc_title(d) for d in test_docs]
        sents, ys = ptc_sentences(test_docs)
        rows += [(t, y) for t, y in zip(sents, ys, strict=True) if lo <= len(t.split()) <= hi]
        texts += [t for t, _ in rows]
        labels += [y for _, y in rows]
        logits += model.decision_function([t for t, _ in rows]).tolist()
    rng = random.Random(seed)
    order = list(range(len(texts)))
    rng.shuffle(order)
    keep = sorted(order[: int(p["ptc_rows"])])
    return [texts[i] for i in keep], [labels[i] for i in keep], [logits[i] for i in keep]


def _clickbait(scorer: Scorer, headlines: Sequence[str]) -> list[float]:
    if not headlines:
        return []
    return [float(v) for v in scorer.headline_model.predict_proba(list(headlines))[:, 1]]


def _group_weights(groups: Sequence[str]) -> np.ndarray:
    counts: dict[str, int] = {}
    for g in groups:
        counts[g] = counts.get(g, 0) + 1
    w = np.array([len(groups) / (len(counts) * counts[g]) for g in groups])
    return w


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


# ---------------------------------------------------------------------------------------------
# Evaluation


def evaluate_bundle(
    scorer: Scorer, held_out: TrainingData, *, describe: bool = True
) -> dict[str, Any]:
    """Metrics of every part on held-out data, keyed by part (``headline``, ``spans``, ...).

    With ``describe`` the answer also holds what the model is (label thresholds, learned terms,
    coefficients): once per model card, not once per evaluation set.
    """
    metrics: dict[str, Any] = {}
    if held_out.headlines:
        y = np.array([int(r.label >= 0.5) for r in held_out.headlines])
        proba = scorer.headline_model.predict_proba([r.headline for r in held_out.headlines])[:, 1]
        metrics["headline"] = binary_metrics(y, proba)
        overall = np.array([scorer.score(r.headline).score for r in held_out.headlines])
        metrics["overall_headline_only"] = binary_metrics(y, overall)
    for key, docs in (("spans", held_out.span_docs), ("spans_dev", held_out.span_docs_dev)):
        if docs:
            metrics[key] = span_metrics(scorer, docs)
            if scorer.sentence_model is not None:
                sents, labels = ptc_sentences(docs)
                proba = scorer.sentence_model.predict_proba(sents)[:, 1]
                metrics[key]["sentences"] = binary_metrics(np.array(labels), proba)
            titles = [ptc_title(d) for d in docs]
            ys = np.array([y for _, y in titles])
            proba = np.array([scorer.score(t).score for t, _ in titles])
            metrics[key]["titles_overall"] = binary_metrics(ys, proba)
    if held_out.articles:
        arts = [a for a in held_out.articles if a.body.strip()]
        y = np.array([int(a.label >= 0.5) for a in arts])
        results = [scorer.score(a.headline, a.body) for a in arts]
        metrics["body"] = binary_metrics(y, np.array([r.body.score for r in results]))
        metrics["overall_articles"] = binary_metrics(y, np.array([r.score for r in results]))
        metrics["framing_score_articles"] = binary_metrics(
            y, np.array([r.framing.score for r in results])
        )
    if not describe:
        return metrics
    metrics["labels"] = {
        "low_below": scorer.thresholds[0],
        "high_from": scorer.thresholds[1],
        "rule": "low below the score that parameters.thresholds.news_quantile of plain news"
        " headlines (training split) stay under; high from parameters.thresholds.high;"
        " medium between",
    }
    metrics["framing_terms"] = term_summary(scorer.framing)
    if scorer.stacker is not None:
        metrics["stacker_coefficients"] = scorer.stacker.as_dict()
    if scorer.body_model is not None:
        metrics["body_coefficients"] = scorer.body_model.as_dict()
    return metrics


def term_summary(detector: FramingDetector, top: int = 25) -> dict[str, Any]:
    """How many terms the detector knows, by origin, and the heaviest learned new ones."""
    by_source: dict[str, int] = {}
    for term in detector.table_.values():
        by_source[term.source] = by_source.get(term.source, 0) + 1
    new = sorted(
        ((" ".join(k), t.weight) for k, t in detector.learned.items() if t.category == "loaded"),
        key=lambda kv: -kv[1],
    )
    out: dict[str, Any] = {
        "lexicon_entries": len(detector.lexicon),
        "table_by_source": by_source,
        "learned_new_terms": len(new),
        "top_learned_new_stems": [[k, w] for k, w in new[:top]],
    }
    if detector.tagger is not None:
        out["tagger"] = tagger_summary(detector.tagger, top)
    return out


def span_metrics(scorer: Scorer, docs: Iterable[SpanDoc]) -> dict[str, Any]:
    """Predicted framing spans vs gold loaded-technique spans (Loaded_Language,
    Exaggeration,Minimisation, Appeal_to_fear-prejudice, Name_Calling,Labeling).

    The main figures count predicted spans of the categories those techniques cover (fear,
    conflict, hyperbole, outrage, plight, shouting, and learned ``loaded`` terms); clickbait
    and speculation spans have no gold counterpart in the corpus, so ``all_categories`` repeats
    the figures with every shown span (what a reader sees). ``partial_*`` follow the
    SemEval-2020 Task 11 SI measure (credit for the overlapping share of each span);
    ``char_*`` count characters; ``token_*`` count word tokens.
    """
    docs = list(docs)
    covered = LEARNABLE_CATEGORIES | {"loaded", "shouting"}
    gold_by_doc, pred_by_doc, all_by_doc = [], [], []
    for doc in docs:
        gold_by_doc.append(
            _merge_ranges([(s, e) for s, e, t in doc.spans if t in LOADED_TECHNIQUES])
        )
        spans = framing_spans(scorer.framing, doc.text)
        pred_by_doc.append(
            _merge_ranges([(s.start, s.end) for s in spans if s.category in covered])
        )
        all_by_doc.append(_merge_ranges([(s.start, s.end) for s in spans]))
    out: dict[str, Any] = {
        "n_docs": len(docs),
        "gold_spans": sum(len(g) for g in gold_by_doc),
        "predicted_spans": sum(len(p) for p in pred_by_doc),
        "categories": sorted(covered),
    }
    out.update(_overlap_scores(docs, gold_by_doc, pred_by_doc, tokens=True))
    everything = _overlap_scores(docs, gold_by_doc, all_by_doc, tokens=False)
    out["all_categories"] = {
        "predicted_spans": sum(len(p) for p in all_by_doc),
        **everything,
    }
    return out


def framing_spans(detector: FramingDetector, text: str) -> list[Span]:
    """Spans of a PTC article as the scorer finds them: the title line read as a headline, the
    rest as a body; offsets index the whole article."""
    title, body, offset = split_title(text)
    head, _ = detector.analyze(title, "headline")
    rest, _ = detector.analyze(body, "body")
    return head + [replace(s, start=s.start + offset, end=s.end + offset) for s in rest]


def _overlap_scores(
    docs: Sequence[SpanDoc],
    gold_by_doc: Sequence[list[tuple[int, int]]],
    pred_by_doc: Sequence[list[tuple[int, int]]],
    *,
    tokens: bool,
) -> dict[str, float]:
    p_num = p_den = r_num = r_den = 0.0
    c_tp = c_pred = c_gold = 0
    t_tp = t_pred = t_gold = 0
    for doc, gold, pred in zip(docs, gold_by_doc, pred_by_doc, strict=True):
        for s, e in pred:
            p_den += 1
            p_num += sum(max(0, min(e, ge) - max(s, gs)) for gs, ge in gold) / (e - s)
        for gs, ge in gold:
            r_den += 1
            r_num += sum(max(0, min(e, ge) - max(s, gs)) for s, e in pred) / (ge - gs)
        gold_chars = {i for s, e in gold for i in range(s, e)}
        pred_chars = {i for s, e in pred for i in range(s, e)}
        c_tp += len(gold_chars & pred_chars)
        c_pred += len(pred_chars)
        c_gold += len(gold_chars)
        if tokens:
            toks = tokenize(doc.text)
            gmask = loaded_token_mask(toks, [(s, e, "Loaded_Language") for s, e in gold])
            pmask = loaded_token_mask(toks, [(s, e, "Loaded_Language") for s, e in pred])
            t_tp += sum(g and q for g, q in zip(gmask, pmask, strict=True))
            t_pred += sum(pmask)
            t_gold += sum(gmask)
    parts = {
        "partial": (p_num, p_den, r_num, r_den),
        "char": (c_tp, c_pred, c_tp, c_gold),
    }
    if tokens:
        parts["token"] = (t_tp, t_pred, t_tp, t_gold)
    out: dict[str, float] = {}
    for prefix, (num_p, den_p, num_r, den_r) in parts.items():
        prec = num_p / den_p if den_p else 0.0
        rec = num_r / den_r if den_r else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[f"{prefix}_precision"] = round(prec, 4)
        out[f"{prefix}_recall"] = round(rec, 4)
        out[f"{prefix}_f1"] = round(f1, 4)
    return out


def _merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def binary_metrics(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    both = len(set(y.tolist())) == 2
    return {
        "n": int(len(y)),
        "accuracy": round(float(accuracy_score(y, proba >= 0.5)), 4),
        "f1": round(float(f1_score(y, proba >= 0.5, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(y, proba)), 4) if both else float("nan"),
    }


# ---------------------------------------------------------------------------------------------
# Project samples: headline twins and story pairs (never trained on by the default model)


def read_story_pairs(path: Path = SAMPLES / "story_pairs.jsonl") -> list[dict[str, Any]]:
    """Sober and sensational tellings of the same story, each with headline and body."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            for side in ("sober", "sensational"):
                if (
                    not isinstance(row.get(side), dict)
                    or not {"headline", "body"} <= row[side].keys()
                ):
                    raise ValueError(f"{path}:{lineno}: {side!r} needs a headline and a body")
            rows.append(row)
    return rows


def read_story_pairs_as_examples() -> list[Example]:
    """The story pairs as labelled articles (sensational = 1); the demo model's stand-in."""
    path = SAMPLES / "story_pairs.jsonl"
    out = []
    for i, row in enumerate(read_story_pairs(path), 1):
        for side, y in (("sensational", 1.0), ("sober", 0.0)):
            out.append(Example(row[side]["headline"], row[side]["body"], y, f"{path}:{i}:{side}"))
    return out


def sample_metrics(scorer: Scorer) -> dict[str, Any]:
    """Pairwise ranking on the project's samples: the share of pairs where the loaded
    (sensational) side scores strictly higher, for the overall score and its parts."""
    from datasets.corpora import read_twins

    twins = read_twins()
    out: dict[str, Any] = {}
    loaded = [scorer.score(a) for a, _ in twins]
    sober = [scorer.score(b) for _, b in twins]
    out["headline_twins"] = {
        "pairs": len(twins),
        "overall_ranking": _share(loaded, sober, lambda r: r.score),
        "framing_ranking": _share(loaded, sober, lambda r: r.framing.score),
        "clickbait_ranking": _share(loaded, sober, lambda r: r.headline.clickbait),
        "loaded_labelled_high_or_medium": round(
            sum(r.label != "low" for r in loaded) / len(loaded), 4
        ),
        "sober_labelled_low": round(sum(r.label == "low" for r in sober) / len(sober), 4),
    }
    pairs = read_story_pairs()
    hot = [scorer.score(r["sensational"]["headline"], r["sensational"]["body"]) for r in pairs]
    cold = [scorer.score(r["sober"]["headline"], r["sober"]["body"]) for r in pairs]
    hot_b = [scorer.score(None, r["sensational"]["body"]) for r in pairs]
    cold_b = [scorer.score(None, r["sober"]["body"]) for r in pairs]
    out["story_pairs"] = {
        "pairs": len(pairs),
        "overall_ranking": _share(hot, cold, lambda r: r.score),
        "framing_ranking": _share(hot, cold, lambda r: r.framing.score),
        "body_ranking": _share(hot, cold, lambda r: r.body.score),
        "body_only_overall_ranking": _share(hot_b, cold_b, lambda r: r.score),
        "sober_labelled_high": round(sum(r.label == "high" for r in cold) / len(cold), 4),
        "sensational_labelled_low": round(sum(r.label == "low" for r in hot) / len(hot), 4),
    }
    return out


def _share(a: Sequence[Any], b: Sequence[Any], key: Any) -> float:
    wins = sum(key(x) > key(y) for x, y in zip(a, b, strict=True))
    return round(wins / len(a), 4) if a else math.nan
