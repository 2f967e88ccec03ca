"""Domain exceptions. They carry a stable machine ``code``; the HTTP layer maps them to statuses."""


class SensationalError(Exception):
    """Base class of every error the core raises on purpose."""

    code = "sensational_error"


class InputError(SensationalError, ValueError):
    """The text handed to the scorer cannot be scored (empty, wrong type, too large)."""

    code = "invalid_input"


class NothingToScore(InputError):
    """The texts hold no words at all: punctuation, symbols or invisible characters only."""

    code = "nothing_to_score"


class ModelLoadError(SensationalError):
    """An artifact is missing, corrupt, tampered with, or built with other library versions."""

    code = "model_load_error"
