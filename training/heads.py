"""Fitting a :class:`~sensational.scorer.LinearHead`: the small logistic models of a bundle."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from sensational.scorer import LinearHead


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
