"""Save and load a scorer bundle: one ``model.joblib`` plus ``model-card.json`` beside it.

joblib runs pickle code on load, so a bundle is loaded only after its SHA-256 matches the
card, and only when it was built with the library versions installed here. The same fitted
model always gives the same bytes (:func:`stable_pickling`).
"""

from __future__ import annotations

import copyreg
import hashlib
import json
import pickle
import platform
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import joblib
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer

from sensational.errors import ModelLoadError
from sensational.scorer import Scorer

MODEL_FILE = "model.joblib"
CARD_FILE = "model-card.json"
SCHEMA_VERSION = 1
# Libraries whose pickles are not portable across versions.
PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")


def library_versions() -> dict[str, str]:
    from importlib.metadata import version

    versions = {name: version(name) for name in PINNED_LIBRARIES}
    versions["python"] = ".".join(platform.python_version_tuple()[:2])
    return versions


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _vectorizer_classes() -> list[type]:
    found: list[type] = []
    pending: list[type] = [CountVectorizer, HashingVectorizer]
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return found


def _reduce_vectorizer(vectorizer: Any) -> tuple[Any, ...]:
    state = vectorizer.__getstate__()
    state.pop("_stop_words_id", None)
    return copyreg.__newobj__, (type(vectorizer),), state  # type: ignore[attr-defined]


@contextmanager
def stable_pickling() -> Iterator[None]:
    """Pickle scikit-learn's text vectorizers without ``_stop_words_id``.

    That attribute is ``id(stop_words)``, a memory address that differs from run to run, so
    two identical models would otherwise never have the same bytes. It is only a cache: a
    loaded vectorizer recomputes it the first time it builds its analyser.
    """
    classes = _vectorizer_classes()
    before = {cls: copyreg.dispatch_table.get(cls) for cls in classes}
    for cls in classes:
        copyreg.pickle(cls, _reduce_vectorizer)
    try:
        yield
    finally:
        for cls, old in before.items():
            if old is None:
                copyreg.dispatch_table.pop(cls, None)
            else:
                copyreg.dispatch_table[cls] = old


def content_sha256(obj: Any) -> str:
    """SHA-256 of an object's stable pickle: equal for equal fitted models, on any run."""
    with stable_pickling():
        return hashlib.sha256(pickle.dumps(obj, protocol=5)).hexdigest()


def save_bundle(scorer: Scorer, folder: Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write the bundle and its card; return the card as written (with checksum and versions)."""
    folder.mkdir(parents=True, exist_ok=True)
    model_path = folder / MODEL_FILE
    with stable_pickling():
        joblib.dump(scorer, model_path, compress=3)
    card = {
        "schema_version": SCHEMA_VERSION,
        **card,
        "name": scorer.name,
        "version": scorer.version,
        "artifact": {
            "file": MODEL_FILE,
            "sha256": sha256_file(model_path),
            "bytes": model_path.stat().st_size,
        },
        "libraries": library_versions(),
    }
    (folder / CARD_FILE).write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", "utf-8")
    (folder / f"{MODEL_FILE}.sha256").write_text(f"{card['artifact']['sha256']}  {MODEL_FILE}\n")
    return card


def read_card(folder: Path) -> dict[str, Any]:
    card_path = folder / CARD_FILE
    if not folder.is_dir():
        raise ModelLoadError(f"model folder {folder} does not exist: train one with `make train`")
    if not card_path.is_file():
        raise ModelLoadError(f"{card_path} is missing: a model folder needs its model card")
    try:
        card = json.loads(card_path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"{card_path} is not valid JSON: {exc}") from exc
    if not isinstance(card, dict) or "artifact" not in card or "libraries" not in card:
        raise ModelLoadError(f"{card_path} lacks the 'artifact' or 'libraries' section")
    return card


def load_bundle(folder: Path | str) -> tuple[Scorer, dict[str, Any]]:
    """Verify and load a bundle; raise :class:`ModelLoadError` saying why it was refused."""
    folder = Path(folder)
    card = read_card(folder)
    model_path = folder / MODEL_FILE
    if not model_path.is_file():
        raise ModelLoadError(f"{model_path} is missing")
    expected = card["artifact"].get("sha256")
    actual = sha256_file(model_path)
    if actual != expected:
        raise ModelLoadError(
            f"checksum mismatch for {model_path}: the card says {expected}, the file is {actual};"
            " the artifact is corrupt or was replaced"
        )
    installed = library_versions()
    wrong = {
        name: (built, installed.get(name))
        for name, built in card["libraries"].items()
        if installed.get(name) != built
    }
    if wrong:
        detail = ", ".join(f"{n} {b} (installed {i})" for n, (b, i) in sorted(wrong.items()))
        raise ModelLoadError(
            f"{model_path} was built with other library versions: {detail}; retrain it here"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            scorer = joblib.load(model_path)
    except Exception as exc:  # unpickling can fail in any way; report it as a load error
        raise ModelLoadError(f"{model_path} could not be loaded: {exc!r}") from exc
    if not isinstance(scorer, Scorer):
        raise ModelLoadError(f"{model_path} holds a {type(scorer).__name__}, not a Scorer")
    return scorer, card
