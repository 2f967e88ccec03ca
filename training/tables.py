"""Read JSONL, CSV/TSV or Parquet files in chunks of rows, whatever their size.

Batch scoring (:mod:`training.batch`) and out-of-core training (:mod:`training.outofcore`) read
inputs that need not fit in memory: a file is opened as a stream (decompressed on the fly when
it ends in ``.gz``, ``.bz2``, ``.xz`` or ``.zst``) and handed on ``chunk_rows`` records at a
time. A record that cannot be read (a line that is not JSON, a CSV row with the wrong number
of fields, bytes that are not UTF-8) is still a record: it comes out with its error, so a
caller can count it and write it, never lose it.
"""

from __future__ import annotations

import bz2
import csv
import glob
import gzip
import io
import json
import lzma
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from datasets.readers import FORMATS as TEXT_FORMATS

Format = Literal["jsonl", "csv", "tsv", "parquet"]

# The training readers' text formats, plus Parquet.
FORMATS: dict[str, Format] = {**TEXT_FORMATS, ".parquet": "parquet", ".pq": "parquet"}
COMPRESSIONS = (".gz", ".bz2", ".xz", ".zst")
# CSV fields can hold whole articles; the csv module's default limit is 128 KiB.
MAX_FIELD_CHARS = 50_000_000


class TableError(ValueError):
    """An input that cannot be read at all; the message names the file."""


@dataclass(frozen=True, slots=True)
class Record:
    """One input record: its place in its file, its fields, or why it could not be read.

    ``row`` is 1-based: the line of a JSONL file, the data row of a CSV file (the header is
    row 0), the row of a Parquet file.
    """

    row: int
    fields: dict[str, Any] | None
    error: str | None = None


@dataclass(slots=True)
class Chunk:
    """Up to ``chunk_rows`` consecutive records of one file; ``nbytes`` is how much of the
    file (as stored, compressed or not) they took, for progress."""

    index: int
    records: list[Record] = field(default_factory=list)
    nbytes: int = 0


def file_format(path: Path) -> Format:
    """The format of ``path`` from its extension, a compression suffix left aside."""
    name = path.name.lower()
    for suffix in COMPRESSIONS:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    fmt = FORMATS.get(Path(name).suffix)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise TableError(f"{path}: unknown format; name it {known} (optionally compressed)")
    if fmt == "parquet" and name != path.name.lower():
        raise TableError(f"{path}: Parquet compresses its own columns; do not compress the file")
    return fmt


def resolve_inputs(spec: str | Path) -> list[Path]:
    """The files ``spec`` names: one file, a glob pattern, or a folder (every readable file
    under it, recursively), sorted so that a re-run sees them in the same order."""
    text = str(spec)
    path = Path(text)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _readable_name(p))
        if not files:
            raise TableError(f"{path}: no .jsonl, .csv, .tsv or .parquet file in this folder")
        return files
    if path.is_file():
        file_format(path)
        return [path]
    if glob.has_magic(text):
        files = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not files:
            raise TableError(f"{text}: the pattern matches no file")
        for p in files:
            file_format(p)
        return files
    raise TableError(f"{text}: no such file or folder")


def _readable_name(path: Path) -> bool:
    try:
        file_format(path)
    except TableError:
        return False
    return not path.name.startswith((".", "_"))


def parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def read_chunks(
    path: Path, chunk_rows: int, *, columns: list[str] | None = None
) -> Iterator[Chunk]:
    """The records of ``path``, ``chunk_rows`` at a time, in file order.

    ``columns`` limits a Parquet read to those columns (missing ones are left out).
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be positive, got {chunk_rows}")
    fmt = file_format(path)
    if fmt == "parquet":
        yield from _parquet_chunks(path, chunk_rows, columns)
        return
    with path.open("rb") as raw:
        stream = _decompressed(raw, path)
        records = (
            _jsonl_records(stream)
            if fmt == "jsonl"
            else _delimited_records(stream, "\t" if fmt == "tsv" else ",", path)
        )
        index, start = 0, 0
        chunk = Chunk(index)
        for record in records:
            chunk.records.append(record)
            if len(chunk.records) == chunk_rows:
                pos = raw.tell()
                chunk.nbytes, start = pos - start, pos
                yield chunk
                index += 1
                chunk = Chunk(index)
        if chunk.records:
            chunk.nbytes = raw.tell() - start
            yield chunk


def _decompressed(raw: IO[bytes], path: Path) -> IO[bytes]:
    name = path.name.lower()
    openers: dict[str, Callable[[IO[bytes]], IO[bytes]]] = {
        ".gz": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
        ".bz2": lambda f: bz2.BZ2File(f, mode="rb"),
        ".xz": lambda f: lzma.LZMAFile(f, mode="rb"),
        ".zst": _zstd,
    }
    for suffix, opener in openers.items():
        if name.endswith(suffix):
            return opener(raw)
    return raw


def _zstd(raw: IO[bytes]) -> IO[bytes]:
    import pyarrow as pa

    return io.BufferedReader(pa.CompressedInputStream(pa.PythonFile(raw, mode="r"), "zstd"))


def _jsonl_records(stream: IO[bytes]) -> Iterator[Record]:
    row = 0
    for line in stream:
        row += 1
        if not line.strip():
            continue  # blank lines are not records (a trailing newline, a separator)
        try:
            value = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Record(row, None, f"line {row} is not valid UTF-8: {exc.reason}")
            continue
        except json.JSONDecodeError as exc:
            yield Record(row, None, f"line {row} is not JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(value, dict):
            kind = type(value).__name__
            yield Record(row, None, f"line {row} is a JSON {kind}, not an object")
            continue
        yield Record(row, value)


def _delimited_records(stream: IO[bytes], delimiter: str, path: Path) -> Iterator[Record]:
    # surrogateescape keeps undecodable bytes visible, so that row alone is reported.
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        yield from _csv_rows(text, delimiter, path)
    finally:
        text.detach()  # the caller owns the file: collecting the wrapper must not close it


def _csv_rows(text: IO[str], delimiter: str, path: Path) -> Iterator[Record]:
    csv.field_size_limit(min(sys.maxsize, MAX_FIELD_CHARS))
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise TableError(f"{path}: the header row cannot be read: {exc}") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    row = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row += 1
            yield Record(row, None, f"row {row} cannot be read as CSV: {exc}")
            continue
        if not values:
            continue  # an empty line is not a record
        row += 1
        if len(values) != len(header):
            yield Record(
                row, None, f"row {row} has {len(values)} fields, the header has {len(header)}"
            )
            continue
        if any(_has_surrogate(v) for v in values):
            yield Record(row, None, f"row {row} is not valid UTF-8")
            continue
        yield Record(row, dict(zip(header, values, strict=True)))


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _parquet_chunks(path: Path, chunk_rows: int, columns: list[str] | None) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid and others for a broken file
        raise TableError(f"{path}: not a readable Parquet file: {exc}") from exc
    total = max(handle.metadata.num_rows, 1)
    size = os.path.getsize(path)
    present = set(handle.schema_arrow.names)
    wanted = [c for c in columns if c in present] if columns is not None else None
    row = 0
    for index, batch in enumerate(handle.iter_batches(batch_size=chunk_rows, columns=wanted)):
        records = [Record(row + i + 1, values) for i, values in enumerate(batch.to_pylist())]
        row += len(records)
        yield Chunk(index, records, size * len(records) // total)


def columns_of(path: Path) -> list[str] | None:
    """The column names of a CSV/TSV or Parquet file (None for JSONL: each line has its own)."""
    fmt = file_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return list(pq.ParquetFile(path).schema_arrow.names)
    if fmt == "jsonl":
        return None
    with path.open("rb") as raw:
        text = io.TextIOWrapper(
            _decompressed(raw, path), encoding="utf-8", errors="replace", newline=""
        )
        try:
            header = next(csv.reader(text, delimiter="\t" if fmt == "tsv" else ","))
        except StopIteration:
            return []
        except csv.Error as exc:
            raise TableError(f"{path}: the header row cannot be read: {exc}") from None
    return [h.strip().lstrip("\ufeff") for h in header]
