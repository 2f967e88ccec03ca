"""Core of the sensationalism scorer: text handling, features, framing, sourcing, model bundle.

This package imports neither FastAPI nor typer; the service and the training CLIs build on it.
"""

from sensational.errors import InputError, ModelLoadError, SensationalError

__all__ = ["InputError", "ModelLoadError", "SensationalError"]
__version__ = "0.1.0"
