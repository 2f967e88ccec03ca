"""Generic readers for a data team's own labelled files (CSV, TSV, JSONL), with row validation.

Every row is checked; a bad row becomes a :class:`RowProblem` naming ``file:line`` and the
reason, and is never dropped without being counted. The caller decides whether problems stop
the run or are skipped (``--skip-invalid``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from datasets.corpora import Example, holdout_bucket

Format = Literal["csv", "tsv", "jsonl"]
LabelKind = Literal["auto", "binary", "classes", "score"]

FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
# Class names understood without a mapping; a data team maps its own names in the config.
POSITIVE_NAMES = frozenset({"1", "true", "yes", "clickbait", "sensational", "loaded", "biased"})
NEGATIVE_NAMES = frozenset({"0", "false", "no", "news", "sober", "neutral", "non-biased"})


class DataError(ValueError):
    """Input data that cannot be used; the message names the file (and line) at fault."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One rejected row: where it is and why."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(slots=True)
class ReadReport:
    """What reading a source found: rows kept, problems, rows left out on purpose.

    ``excluded`` counts rows that are valid but not used by design (for example BABE's
    "No agreement" sentences), keyed by the reason, so that nothing is dropped silently.
    """

    problems: list[RowProblem] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)
    duplicates_merged: int = 0

    def add(self, origin: str, reason: str) -> None:
        self.problems.append(RowProblem(origin, reason))

    def exclude(self, reason: str, n: int = 1) -> None:
        self.excluded[reason] = self.excluded.get(reason, 0) + n

    def extend(self, other: ReadReport) -> None:
        self.problems.extend(other.problems)
        for reason, n in other.excluded.items():
            self.exclude(reason, n)
        self.duplicates_merged += other.duplicates_merged


@dataclass(frozen=True, slots=True)
class Columns:
    """Which fields of a file hold headline, body and label, and how to read the label.

    Parameters
    ----------
    headline, body
        Column (CSV/TSV) or key (JSONL) names; ``None`` when the file has no such field.
    label
        Column or key of the label.
    label_kind
        ``binary`` (0/1, true/false), ``classes`` (names listed in ``positive``/``negative``),
        ``score`` (a number in [0, 1]) or ``auto`` (numbers as scores, known names as classes).
    positive, negative
        Class names that mean 1 and 0 (compared case-insensitively).
    """

    headline: str | None = "headline"
    body: str | None = "body"
    label: str = "label"
    label_kind: LabelKind = "auto"
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()

    @classmethod
    def from_flags(
        cls,
        *,
        headline: str,
        body: str,
        label: str,
        label_kind: str,
        positive: list[str] | None,
        negative: list[str] | None,
    ) -> Columns:
        """Columns from command-line flags ("" means no such field); checks ``label_kind``."""
        if label_kind not in ("auto", "binary", "classes", "score"):
            raise DataError(f"--label-kind {label_kind!r}: use auto, binary, classes or score")
        return cls(
            headline=headline or None,
            body=body or None,
            label=label,
            label_kind=label_kind,  # type: ignore[arg-type]
            positive=tuple(positive or ()),
            negative=tuple(negative or ()),
        )

    def parse_label(self, raw: object) -> float:
        """The label as a float in [0, 1]; raise ``ValueError`` naming the value otherwise."""
        if isinstance(raw, bool):
            return 1.0 if raw else 0.0
        text = str(raw).strip() if raw is not None else ""
        if not text:
            raise ValueError("empty label")
        folded = text.casefold()
        positive = {p.casefold() for p in self.positive}
        negative = {n.casefold() for n in self.negative}
        if self.label_kind == "classes" or ((positive or negative) and self.label_kind == "auto"):
            if folded in positive:
                return 1.0
            if folded in negative:
                return 0.0
            if self.label_kind == "classes":
                raise ValueError(f"unknown label {text!r} (expected one of {_names(self)})")
        if self.label_kind in ("binary", "auto"):
            if folded in POSITIVE_NAMES or folded in {"1.0"}:
                return 1.0
            if folded in NEGATIVE_NAMES or folded in {"0.0"}:
                return 0.0
            if self.label_kind == "binary":
                raise ValueError(f"unknown label {text!r} (expected 0/1 or true/false)")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"unknown label {text!r}") from None
        if math.isnan(value) or not 0.0 <= value <= 1.0:
            raise ValueError(f"label {text!r} is outside 0..1")
        return value


def _names(columns: Columns) -> str:
    return ", ".join(repr(n) for n in (*columns.positive, *columns.negative))


def detect_format(path: Path, declared: str | None = None) -> Format:
    """The file's format: as declared, else by suffix (``.csv``, ``.tsv``, ``.jsonl``)."""
    if declared:
        if declared not in ("csv", "tsv", "jsonl"):
            raise DataError(f"{path}: unknown format {declared!r} (use csv, tsv or jsonl)")
        return declared  # type: ignore[return-value]
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    fmt = FORMATS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise DataError(f"{path}: cannot tell the format from the name; set format = csv|tsv|jsonl")
    return fmt


def read_table(
    path: Path,
    columns: Columns,
    report: ReadReport,
    *,
    fmt: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
) -> Iterator[Example]:
    """Yield one :class:`Example` per valid row of a CSV, TSV or JSONL file.

    Invalid rows (missing field, unknown label, bad encoding, malformed line) go to ``report``
    with their ``file:line``. A missing file or a header without a mapped column raises
    :class:`DataError`, because no row of such a file can be read.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    kind = detect_format(path, fmt)
    lines, bad_lines = _decode_lines(path, encoding)
    if kind == "jsonl":
        yield from _read_jsonl(path, lines, bad_lines, columns, report)
    else:
        sep = delimiter or ("\t" if kind == "tsv" else ",")
        yield from _read_delimited(path, lines, bad_lines, columns, report, sep)


def _decode_lines(path: Path, encoding: str) -> tuple[list[str], set[int]]:
    """Decode line by line, so one badly encoded line is reported and not the whole file."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines: list[str] = []
    bad: set[int] = set()
    for lineno, chunk in enumerate(raw.splitlines(keepends=True), 1):
        try:
            lines.append(chunk.decode(encoding))
        except UnicodeDecodeError:
            bad.add(lineno)
            lines.append(chunk.decode(encoding, errors="replace"))
    return lines, bad


def _read_jsonl(
    path: Path, lines: list[str], bad: set[int], columns: Columns, report: ReadReport
) -> Iterator[Example]:
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        origin = f"{path}:{lineno}"
        if lineno in bad:
            report.add(origin, "bad encoding (not valid UTF-8)")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            report.add(origin, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            report.add(origin, "a JSONL line must be an object")
            continue
        example = _make_example(row, columns, origin, report)
        if example is not None:
            yield example


def _read_delimited(
    path: Path,
    lines: list[str],
    bad: set[int],
    columns: Columns,
    report: ReadReport,
    delimiter: str,
) -> Iterator[Example]:
    reader = csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{path}: the file is empty (a header row is needed)") from None
    header = [h.strip() for h in header]
    wanted = [c for c in (columns.headline, columns.body, columns.label) if c]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise DataError(
            f"{path}:1: column(s) {', '.join(map(repr, missing))} not in the header"
            f" ({', '.join(header)}); map them in the config"
        )
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.add(f"{path}:{start}", f"malformed CSV ({exc})")
            continue
        end = reader.line_num
        if not values or not any(v.strip() for v in values):
            continue
        origin = f"{path}:{start}"
        if any(n in bad for n in range(start, end + 1)):
            report.add(origin, "bad encoding (not valid UTF-8)")
            continue
        if len(values) != len(header):
            report.add(origin, f"expected {len(header)} fields, got {len(values)}")
            continue
        example = _make_example(dict(zip(header, values, strict=True)), columns, origin, report)
        if example is not None:
            yield example


def _make_example(
    row: dict[str, Any], columns: Columns, origin: str, report: ReadReport
) -> Example | None:
    for name in (columns.headline, columns.body, columns.label):
        if name and name not in row:
            report.add(origin, f"missing field {name!r}")
            return None
    headline = _text(row.get(columns.headline)) if columns.headline else ""
    body = _text(row.get(columns.body)) if columns.body else ""
    if not headline.strip() and not body.strip():
        report.add(origin, "missing field: both headline and body are empty")
        return None
    try:
        label = columns.parse_label(row.get(columns.label))
    except ValueError as exc:
        report.add(origin, str(exc))
        return None
    return Example(headline.strip(), body.strip(), label, origin)


def _text(value: object) -> str:
    return "" if value is None else str(value)


_NON_WORD = re.compile(r"[\W_]+")


def normalize_key(text: str) -> str:
    """Fold case, accents, punctuation and spacing: near-identical rows get the same key."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", folded).strip()


def example_key(example: Example) -> str:
    """The normalised text of a row (headline and body): the unit of splits and duplicates."""
    return normalize_key(f"{example.headline}\n{example.body}")


def split_bucket(example: Example) -> int:
    """Split bucket of a generic row, by the hash of its normalised text (0 is held out)."""
    return holdout_bucket(example_key(example))


def check_duplicates(
    examples: Sequence[Example], report: ReadReport, *, key: Any = example_key
) -> list[Example]:
    """Merge exact duplicates and reject duplicates whose labels conflict.

    Rows with the same normalised text and the same class are kept once (counted in
    ``report.duplicates_merged``). When their labels disagree, every one of them is a problem
    naming the others, since there is no telling which label is right.
    """
    groups: dict[str, list[Example]] = {}
    for ex in examples:
        groups.setdefault(key(ex), []).append(ex)
    kept: list[Example] = []
    for group in groups.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        labels = {round(ex.label, 6) for ex in group}
        if len(labels) > 1:
            for ex in group:
                others = ", ".join(o.origin for o in group if o is not ex)
                report.add(
                    ex.origin, f"duplicate with conflicting label {ex.label:g} (also at {others})"
                )
            continue
        kept.append(group[0])
        report.duplicates_merged += len(group) - 1
    order = {id(ex): i for i, ex in enumerate(examples)}
    return sorted(kept, key=lambda ex: order[id(ex)])


def format_problems(problems: Iterable[RowProblem], limit: int = 50) -> str:
    """The problem list as lines of ``file:line: reason``, capped with a count of the rest."""
    items = list(problems)
    lines = [str(p) for p in items[:limit]]
    if len(items) > limit:
        lines.append(f"... and {len(items) - limit} more")
    return "\n".join(lines)
