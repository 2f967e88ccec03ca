"""Training on corpora larger than memory: the out-of-core learners and what feeds them.

``fit_bundle`` uses these learners when the config says so::

    [params.out_of_core]
    enabled = true        # or: python -m training.train --set params.out_of_core.enabled=true

and then fits the headline-style model (:class:`~sensational.streaming.HashedHeadlineClassifier`)
and the body-wording model (:class:`~sensational.streaming.HashedBodyWordingClassifier`) chunk
by chunk, with the same evaluation and model card as the in-memory path. For headline or body
files too large to load, :func:`file_stream` reads them in chunks (JSONL, CSV or Parquet,
compressed or not, as batch scoring does) and the learners' ``fit_stream`` takes it::

    stream = file_stream("big/*.jsonl.gz", text_column="headline", label_column="label")
    model = headline_learner({}, {}, seed=0).fit_stream(stream)

Memory is then the learners' fixed state plus ``shuffle_rows`` rows, whatever the file sizes.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from datasets.readers import NEGATIVE_NAMES, POSITIVE_NAMES
from sensational.models import HEADLINE_DEFAULTS
from sensational.streaming import (
    OUT_OF_CORE_DEFAULTS,
    Chunk,
    HashedBodyWordingClassifier,
    HashedHeadlineClassifier,
    StreamFactory,
)
from training.tables import read_chunks, resolve_inputs

_HEADLINE_KEYS = ("C", "word_ngram_max", "char_ngram_min", "char_ngram_max", "min_df")
_STREAM_KEYS = ("n_features", "epochs", "chunk_rows")


def headline_learner(
    headline: dict[str, Any], out_of_core: dict[str, Any], seed: int
) -> HashedHeadlineClassifier:
    """The out-of-core headline model with the bundle's headline parameters."""
    h = {**HEADLINE_DEFAULTS, **headline}
    o = {**OUT_OF_CORE_DEFAULTS, **out_of_core}
    return HashedHeadlineClassifier(
        **{k: h[k] for k in _HEADLINE_KEYS},
        **{k: o[k] for k in (*_STREAM_KEYS, "calibration_share", "calibration_rows")},
        random_state=seed,
    )


def wording_learner(
    out_of_core: dict[str, Any], seed: int
) -> Callable[..., HashedBodyWordingClassifier]:
    """A constructor taking the bundle's wording parameters (C, min_df, class_weight)."""
    o = {**OUT_OF_CORE_DEFAULTS, **out_of_core}

    def build(**wording: Any) -> HashedBodyWordingClassifier:
        return HashedBodyWordingClassifier(
            **wording, **{k: o[k] for k in _STREAM_KEYS}, random_state=seed
        )

    return build


class StreamReport:
    """Rows a stream read and rows it left out, by reason (counted on the first pass)."""

    def __init__(self) -> None:
        self.rows = 0
        self.skipped: Counter[str] = Counter()
        self.passes = 0


def parse_label(value: Any) -> int | None:
    """0 or 1 from a number, a boolean or a class name; None when it is neither."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value >= 0.5) if 0 <= value <= 1 else None
    text = str(value).strip().lower()
    if text in POSITIVE_NAMES:
        return 1
    if text in NEGATIVE_NAMES:
        return 0
    try:
        return parse_label(float(text))
    except ValueError:
        return None


def file_stream(
    spec: str | Path,
    *,
    text_column: str,
    label_column: str = "label",
    transform: Callable[[str], Any] | None = None,
    chunk_rows: int = 5000,
    shuffle_rows: int = 50_000,
    seed: int = 0,
    report: StreamReport | None = None,
) -> StreamFactory:
    """A stream factory over files: each call reads them again, ``chunk_rows`` at a time.

    ``transform`` maps a text before it is handed on (the body model takes stems:
    ``training.bundle._body_stems``). Rows are mixed in a buffer of ``shuffle_rows`` (the same
    order every pass), so files sorted by label still give mixed chunks within that reach.
    A row without text or with an unreadable label is left out and counted in ``report``.
    """
    files = resolve_inputs(spec)
    report = report if report is not None else StreamReport()

    def rows() -> Iterator[tuple[Any, int]]:
        first = report.passes == 0
        report.passes += 1
        for path in files:
            for chunk in read_chunks(path, chunk_rows, columns=[text_column, label_column]):
                for record in chunk.records:
                    reason = _problem(record.fields, record.error, text_column, label_column)
                    if reason is not None:
                        if first:
                            report.skipped[reason] += 1
                        continue
                    assert record.fields is not None
                    if first:
                        report.rows += 1
                    text = str(record.fields[text_column])
                    label = parse_label(record.fields[label_column])
                    assert label is not None
                    yield (transform(text) if transform else text), label

    def stream() -> Iterable[Chunk]:
        return _chunked(_shuffled(rows(), shuffle_rows, seed), chunk_rows)

    return stream


def _problem(
    fields: dict[str, Any] | None, error: str | None, text_column: str, label_column: str
) -> str | None:
    if error is not None or fields is None:
        return "unreadable row"
    text = fields.get(text_column)
    if not isinstance(text, str) or not text.strip():
        return f"no {text_column}"
    if parse_label(fields.get(label_column)) is None:
        return f"unreadable {label_column}"
    return None


def _shuffled(items: Iterable[Any], size: int, seed: int) -> Iterator[Any]:
    """A bounded shuffle: hold ``size`` items, hand out a random one as each new one comes."""
    rng = random.Random(seed)
    buffer: list[Any] = []
    for item in items:
        if len(buffer) < size:
            buffer.append(item)
            continue
        i = rng.randrange(size)
        buffer[i], item = item, buffer[i]
        yield item
    rng.shuffle(buffer)
    yield from buffer


def _chunked(pairs: Iterable[tuple[Any, int]], rows: int) -> Iterator[Chunk]:
    texts: list[Any] = []
    labels: list[int] = []
    for text, label in pairs:
        texts.append(text)
        labels.append(label)
        if len(texts) == rows:
            yield texts, labels
            texts, labels = [], []
    if texts:
        yield texts, labels
