"""Read, validate and split the data of a training config.

Every ``[[data]]`` source (a public corpus, a team's own file, or one of the project's samples
when the config names it) is read and validated; the rows are split by a hash of their text
(bucket 0 of 5 is held out and never trained on). The keys of the training rows are saved
beside the model, so an evaluation can refuse rows the model was trained on.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from datasets.corpora import (
    REPO_ROOT,
    SAMPLES,
    Example,
    SpanDoc,
    holdout_bucket,
    read_demo,
    read_story_pair_examples,
)
from datasets.readers import (
    Columns,
    DataError,
    ReadReport,
    check_duplicates,
    example_key,
    format_problems,
    normalize_key,
    read_table,
)
from datasets.reference import GradedArticle, HeadlinePair, reserved_ids
from datasets.registry import Row, get_adapter, reference_id
from sensational.artifact import sha256_file
from training.bundle import TrainingData
from training.config import ConfigError, DataSource, TrainConfig
from training.feedback_source import FeedbackRow, read_export

log = logging.getLogger("training")

TRAINING_KEYS = "training-keys.txt.gz"
SKIPPED_ROWS = "skipped-rows.tsv"
SAMPLE_LICENCE = "project samples"


@dataclass
class LoadedSource:
    """The valid rows of one ``[[data]]`` entry, with what reading it found."""

    source: DataSource
    kind: str  # "examples", "span_docs", "graded", "pairs" or "feedback"
    rows: list[Row | FeedbackRow]
    buckets: list[int]
    files: list[dict[str, Any]]
    licence: str = "own data"
    report: ReadReport = field(default_factory=ReadReport)
    manifest_verified: bool | None = None  # None: not a public corpus


@dataclass
class Dataset:
    """Everything read for one run: per source, then split into train and held-out parts."""

    sources: list[LoadedSource]
    report: ReadReport
    demo: bool = False

    def split(self) -> tuple[TrainingData, TrainingData, dict[str, TrainingData]]:
        """Training rows (buckets 1-4), held-out rows (bucket 0), evaluation-only sets.

        A row that is one of the reference set's held-out articles never trains, whichever
        corpus brings it (a hyperpartisan body, a PTC span document), whether or not the
        config trains on the reference set: every model can then be measured on it.
        """
        train, held_out = TrainingData(), TrainingData()
        extra: dict[str, TrainingData] = {}
        reserved = reserved_ids()
        for loaded in self.sources:
            if loaded.source.role == "evaluate":
                extra[loaded.source.name] = to_training_data(loaded.rows)
                continue
            corpus = loaded.source.corpus or ""
            for row, bucket in zip(loaded.rows, loaded.buckets, strict=True):
                if bucket != 0 and reference_id(corpus, row) in reserved:
                    continue
                add_row(held_out if bucket == 0 else train, row)
        return train, held_out, extra

    def held_out_sets(self) -> dict[str, list[Example]]:
        """Held-out rows with a label, by source name (span docs have no document label)."""
        sets: dict[str, list[Example]] = {}
        for loaded in self.sources:
            rows = [
                r
                for r, b in zip(loaded.rows, loaded.buckets, strict=True)
                if isinstance(r, Example) and (b == 0 or loaded.source.role == "evaluate")
            ]
            if rows:
                sets[loaded.source.name] = rows
        return sets

    def held_out_docs(self) -> dict[str, list[SpanDoc]]:
        """Span-annotated documents never trained on, by source name."""
        sets: dict[str, list[SpanDoc]] = {}
        for loaded in self.sources:
            docs = [
                r
                for r, b in zip(loaded.rows, loaded.buckets, strict=True)
                if isinstance(r, SpanDoc) and (b == 0 or loaded.source.role == "evaluate")
            ]
            if docs:
                sets[loaded.source.name] = docs
        return sets

    @property
    def samples(self) -> list[str]:
        """The project samples this run reads (demo stand-ins or named by the config)."""
        return [ls.source.sample for ls in self.sources if ls.source.sample]


def add_row(data: TrainingData, row: Row | FeedbackRow) -> None:
    """A span doc goes to ``span_docs``, a graded article to ``graded``, a headline pair to
    ``pairs``, a row with a body to ``articles``, else ``headlines``; a reader's report on a
    span to ``feedback_spans``, one on a score as the labelled row it kept."""
    if isinstance(row, FeedbackRow):
        if row.judgement is not None:
            data.feedback_spans.append(row.judgement)
        elif row.example is not None:
            add_row(data, row.example)
    elif isinstance(row, SpanDoc):
        data.span_docs.append(row)
    elif isinstance(row, GradedArticle):
        data.graded.append(row)
    elif isinstance(row, HeadlinePair):
        data.pairs.append(row)
    elif row.body.strip():
        data.articles.append(row)
    else:
        data.headlines.append(row)


def to_training_data(rows: Iterable[Row | FeedbackRow]) -> TrainingData:
    data = TrainingData()
    for row in rows:
        add_row(data, row)
    return data


# ---------------------------------------------------------------------------------------------
# Row keys: the identity of a text, for the split, duplicates and the overlap check


def text_key(text: str) -> str:
    """First 16 hex digits of the SHA-256 of the normalised text (case, accents, punctuation
    and spacing folded): the same for near-identical copies of a text."""
    return hashlib.sha256(normalize_key(text).encode("utf-8")).hexdigest()[:16]


def row_key(row: Row) -> str:
    """The :func:`text_key` of a row: its headline and body, or a document's whole text (a
    headline pair: its tabloid and sober headlines)."""
    if isinstance(row, SpanDoc):
        return text_key(row.text)
    if isinstance(row, GradedArticle):
        return text_key(f"{row.article.headline}\n{row.article.body}")
    if isinstance(row, HeadlinePair):
        return text_key(f"{row.tabloid}\n{row.sober}")
    return text_key(f"{row.headline}\n{row.body}")


# Keys of graded rows (reference set, headline pairs) carry this prefix: they fit the score's
# heads on grades, and teach nothing to the rule-based attribution extraction that a sourcing
# set measures (training.evaluation.check_overlap).
GRADED_KEY = "graded:"


def training_keys(data: TrainingData) -> list[str]:
    """Sorted keys of every row a model was fitted on (graded rows with :data:`GRADED_KEY`)."""
    rows: list[Row] = [*data.headlines, *data.articles, *data.span_docs]
    graded: list[Row] = [*data.graded, *data.pairs]
    return sorted({row_key(r) for r in rows} | {GRADED_KEY + row_key(r) for r in graded})


def write_training_keys(folder: Path, keys: list[str]) -> Path:
    """The keys beside the model, gzipped without a timestamp (same rows, same bytes)."""
    path = folder / TRAINING_KEYS
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write("".join(f"{k}\n" for k in keys).encode("ascii"))  # keys are ASCII
    return path


def read_training_keys(folder: Path) -> set[str] | None:
    """The keys a model folder lists, or ``None`` when it has none (built by older code)."""
    path = Path(folder) / TRAINING_KEYS
    if not path.is_file():
        return None
    with gzip.open(path, "rt", encoding="ascii") as fh:
        return {line.strip() for line in fh if line.strip()}


# ---------------------------------------------------------------------------------------------
# Reading


def _in_mix(key: str, fraction: float) -> bool:
    """Deterministic subsample, independent of the split hash (a salt keeps them apart)."""
    if fraction >= 1.0:
        return True
    digest = hashlib.sha256(("mix\0" + key.strip()).encode("utf-8")).hexdigest()
    return int(digest, 16) % 10_000 < fraction * 10_000


def _origin_file(origin: str) -> str:
    path = origin.split("#", 1)[0]
    head, sep, tail = path.rpartition(":")
    return head if sep and tail.isdigit() else path


def file_checksums(paths: Iterable[str], root: Path | None = None) -> list[dict[str, Any]]:
    """SHA-256 of each file; a folder of many files is summarised as one digest of the list."""
    unique = sorted(set(paths))

    def rel(p: str) -> str:
        if root is not None:
            try:
                return str(Path(p).resolve().relative_to(root.resolve()))
            except ValueError:
                pass
        return str(p)

    entries = [{"path": rel(p), "sha256": sha256_file(Path(p))} for p in unique]
    if len(entries) <= 5:
        return entries
    listing = "".join(f"{e['sha256']}  {e['path']}\n" for e in entries)
    folder = os.path.commonpath([e["path"] for e in entries])
    return [
        {
            "path": f"{folder}/ ({len(entries)} files)",
            "sha256_of_listing": hashlib.sha256(listing.encode("utf-8")).hexdigest(),
        }
    ]


def corpus_checksums(folder: Path) -> tuple[list[dict[str, Any]], bool]:
    """Checksums of the files of a public corpus, and whether each file of the manifest is
    there with its checksum (SOURCE.md and files outside the manifest do not count)."""
    from datasets.fetch import load_manifest, verify_folder

    corpus = load_manifest().get(folder.name)
    if corpus is None:
        verified = False
        paths = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    else:
        verified = not verify_folder(corpus, folder)
        paths = [str(folder / f.path) for f in corpus.files if (folder / f.path).is_file()]
    if not verified:
        log.warning(
            "%s differs from datasets/manifest.toml: the model card records its own checksums",
            folder,
        )
    return file_checksums(paths, folder.parent), verified


def load_dataset(config: TrainConfig, corpora: Path | None, *, progress: bool = False) -> Dataset:
    """Read and validate every source of ``config``.

    Without a corpora root, sources that are public corpora are replaced by the project's
    samples (the headline twins and story pairs), and ``demo`` is true. Raises
    :class:`DataError` listing every bad row unless ``config.skip_invalid`` is set, in which
    case they are counted and skipped; a source left with no valid row is always an error.
    """
    needs_corpora = any(s.corpus for s in config.data)
    demo = needs_corpora and corpora is None
    sources = [s for s in config.data if not (demo and s.corpus)]
    if demo:
        have = {s.sample for s in sources}
        stand_ins = [
            DataSource(name=name, sample=name) for name in ("headline-twins", "story-pairs")
        ]
        sources = [s for s in stand_ins if s.sample not in have] + sources
    if not sources:
        raise ConfigError("the config names no data: add a [[data]] entry or pass --data")
    report = ReadReport()
    loaded: list[LoadedSource] = []
    bar = tqdm(sources, desc="reading", unit="source", disable=not progress, file=sys.stderr)
    for source in bar:
        bar.set_postfix_str(source.name)
        loaded.append(_load_source(source, corpora, report))
    bar.close()

    # Duplicates and conflicting labels are checked across every labelled training row.
    examples = [
        r for ls in loaded if ls.source.role == "train" for r in ls.rows if isinstance(r, Example)
    ]
    kept = {id(r) for r in check_duplicates(examples, report)}
    for ls in loaded:
        if ls.source.role != "train":
            continue
        pairs = [
            (r, b)
            for r, b in zip(ls.rows, ls.buckets, strict=True)
            if not isinstance(r, Example) or id(r) in kept
        ]
        ls.rows = [r for r, _ in pairs]
        ls.buckets = [b for _, b in pairs]

    if report.problems and not config.skip_invalid:
        raise DataError(
            f"{len(report.problems)} invalid row(s); fix them or pass --skip-invalid:\n"
            + format_problems(report.problems)
        )
    for ls in loaded:
        if ls.kind == "feedback" and not ls.rows:
            log.warning("%s: no accepted report to train on (review them first)", ls.source.name)
    empty = [ls for ls in loaded if not ls.rows and ls.kind != "feedback"]
    if empty:
        names = ", ".join(
            f"{ls.source.name} ({len(ls.report.problems)} invalid row(s))" for ls in empty
        )
        raise DataError(
            f"no valid rows in {names}: fix the file or its column mapping ([[data]] headline,"
            " body, label, label_kind) and run again"
            + (":\n" + format_problems(report.problems, limit=10) if report.problems else "")
        )
    if report.problems:
        log.warning(
            "skipped %d invalid row(s) (--skip-invalid):\n%s",
            len(report.problems),
            format_problems(report.problems, limit=20),
        )
    for reason, n in sorted(report.excluded.items()):
        log.info("left out %d row(s): %s", n, reason)
    if report.duplicates_merged:
        log.info("merged %d duplicate row(s) with the same label", report.duplicates_merged)
    return Dataset(loaded, report, demo)


SAMPLE_FILES = {"headline-twins": "headline_twins.jsonl", "story-pairs": "story_pairs.jsonl"}


def _read_sample(name: str) -> list[Example]:
    if name == "headline-twins":
        return list(read_demo())
    return read_story_pair_examples()


def _load_source(source: DataSource, corpora: Path | None, report: ReadReport) -> LoadedSource:
    local = ReadReport()
    rows: list[Row | FeedbackRow]
    verified: bool | None = None
    if source.feedback is not None:
        if not source.feedback.is_file():
            raise DataError(
                f"{source.feedback}: no such feedback export; write one with"
                " `python -m training feedback export --output FILE`"
            )
        rows = list(read_export(source.feedback, local))
        report.extend(local)
        # Never held out (bucket 1): see training/feedback_source.py.
        return LoadedSource(
            source,
            "feedback",
            rows,
            [1] * len(rows),
            file_checksums([str(source.feedback)]),
            "readers' reports",
            local,
        )
    if source.sample is not None:
        rows = list(_read_sample(source.sample))
        keys = [example_key(r) for r in rows if isinstance(r, Example)]
        kind, licence = "examples", SAMPLE_LICENCE
        path = SAMPLES / SAMPLE_FILES[source.sample]
        files: list[dict[str, Any]] = [
            {"path": f"datasets/samples/{path.name}", "sha256": sha256_file(path)}
        ]
    elif source.corpus:
        if corpora is None:
            raise DataError(f"{source.name}: a public corpus needs a corpora root (--corpora)")
        adapter = get_adapter(source.corpus)
        folder = corpora / adapter.name
        if adapter.project_file is None and not folder.is_dir():
            raise DataError(
                f"{folder}: corpus {adapter.name!r} not found under the corpora root;"
                f" fetch it with `python -m training fetch {adapter.name}`"
            )
        try:
            rows = list(adapter.read(corpora, local))
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{adapter.name}: {exc}") from exc
        keys = [adapter.split_key(r) for r in rows]
        kind = adapter.kind if adapter.kind in ("span_docs", "graded", "pairs") else "examples"
        licence = adapter.licence
        if adapter.project_file is not None:
            files = file_checksums([str(adapter.project_file)], REPO_ROOT)
        else:
            files, verified = corpus_checksums(folder)
    else:
        assert source.path is not None
        rows = list(
            read_table(
                source.path,
                source.columns,
                local,
                fmt=source.fmt,
                delimiter=source.delimiter,
                encoding=source.encoding,
            )
        )
        keys = [example_key(r) for r in rows if isinstance(r, Example)]
        kind, licence = "examples", "own data"
        files = []
    picked = [(r, k) for r, k in zip(rows, keys, strict=True) if _in_mix(k, source.fraction)]
    if source.fraction < 1.0:
        local.exclude(
            f"{source.name}: outside fraction {source.fraction:g}", len(rows) - len(picked)
        )
    rows = [r for r, _ in picked]
    buckets = [holdout_bucket(k) for _, k in picked]
    if source.path is not None:
        files = file_checksums(_origin_file(r.origin) for r in rows)
    report.extend(local)
    return LoadedSource(source, kind, rows, buckets, files, licence, local, verified)


def check_trainable(train: TrainingData) -> None:
    """Refuse training data a part of the model cannot be fitted on, saying what to add.

    The headline model is fitted on rows without a body, the body model and the overall
    stacker on rows with one; each needs both classes (label >= 0.5 and below).
    """
    parts = (
        (
            "headline",
            train.headlines,
            "rows without a body (headlines)",
            'add headline rows: your own, or `[[data]] corpus = "chakraborty-clickbait"`',
        ),
        (
            "article",
            train.articles
            or [
                Example(g.article.headline, g.article.body, float(g.sensational), g.ref_id)
                for g in train.graded
            ],
            "rows with a body (articles)",
            "add rows with a body, or opt in to the project's story pairs with"
            ' `[[data]] sample = "story-pairs"` (demonstration quality)',
        ),
    )
    for part, rows, what, fix in parts:
        if not rows:
            raise DataError(
                f"no {what} in the training split: the {part} part of the model is fitted on"
                f" them; {fix}"
            )
        positives = sum(r.label >= 0.5 for r in rows)
        if positives in (0, len(rows)):
            label = "1 (positive)" if positives else "0 (negative)"
            raise DataError(
                f"every one of the {len(rows)} {what} in the training split is labelled {label}:"
                f" the {part} part needs both classes; add rows of the other class, or check"
                " the label mapping (label_kind, positive, negative) of your [[data]] tables"
            )


def write_skipped_rows(folder: Path, report: ReadReport) -> Path | None:
    """Every skipped row as ``origin<TAB>reason`` beside the model; ``None`` when none was."""
    if not report.problems:
        return None
    path = folder / SKIPPED_ROWS
    lines = ["origin\treason"] + [f"{p.origin}\t{p.reason}" for p in report.problems]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def flag_sources(corpora: list[str], files: list[str], columns: Columns) -> list[DataSource]:
    """``--corpus NAME[:FRACTION]`` and ``--data PATH[:FRACTION]`` as data sources."""
    from training.config import config_from_dict

    entries: list[dict[str, Any]] = []
    for item in corpora:
        name, _, frac = item.partition(":")
        entries.append({"corpus": name, **({"fraction": float(frac)} if frac else {})})
    for item in files:
        path, frac = item, ""
        head, sep, tail = item.rpartition(":")
        if sep and _is_number(tail):
            path, frac = head, tail
        entries.append(
            {
                "path": str(Path(path).resolve()),
                "headline": columns.headline or "",
                "body": columns.body or "",
                "label": columns.label,
                "label_kind": columns.label_kind,
                "positive": list(columns.positive),
                "negative": list(columns.negative),
                **({"fraction": float(frac)} if frac else {}),
            }
        )
    try:
        return config_from_dict({"data": entries}).data
    except ValueError as exc:
        raise ConfigError(f"flags: {exc}") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
