"""``python -m training.train`` is ``python -m training train``, kept for old scripts.

The training code lives in :mod:`training.trainer` (the run), :mod:`training.data` (reading
and splitting), :mod:`training.search` (grid search) and :mod:`training.card` (the model
card); :func:`train` is importable from here as before.
"""

from training.trainer import train

__all__ = ["train"]

if __name__ == "__main__":
    from training.cli import alias

    alias("train")()
