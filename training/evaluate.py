"""``python -m training.evaluate`` is ``python -m training evaluate``, kept for old scripts.

The evaluation code lives in :mod:`training.evaluation` (the run and its report),
:mod:`training.evalsets` (the sets and per-unit results), :mod:`training.gates` and
:mod:`training.metrics`; :func:`evaluate` is importable from here as before.
"""

from training.evaluation import evaluate, evaluation_sets

__all__ = ["evaluate", "evaluation_sets"]

if __name__ == "__main__":
    from training.cli import alias

    alias("evaluate")()
