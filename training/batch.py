"""Score JSONL, CSV or Parquet files of any size on a Dask cluster, into Parquet.

``python -m training score --input 'archive/*.jsonl.gz' --output scores.parquet``

Every row is scored by the same scorer the API serves (``load_bundle(folder)[0].score``), on a
``LocalCluster`` of this machine by default or on an existing cluster (``--scheduler``). How it
stays within memory and survives a crash:

- The input is read here as a stream, ``--partition-rows`` rows at a time; at most two
  partitions per worker thread are in flight, so memory is bounded whatever the input size.
- The model is sent to each worker once (verified by its checksum there, as the service
  verifies it) and kept; workers need no shared disk and no copy of the model folder.
- Each partition is written as its own Parquet file (``part-<file>-<chunk>.parquet``) under
  the output folder, atomically. A re-run with the same input, model and options skips the
  partitions already written, so a crashed run resumes where it stopped.
- A row that cannot be scored (unreadable line, no text, nothing to score) is written with
  ``error`` and ``error_code`` and null scores, never dropped, and counted at the end.

Output columns: ``id`` (the input's id column, else ``<file>:<row>``), ``input_file``,
``input_row``, ``score``, ``label``, ``headline_score``, ``body_score``, ``framing_score``,
``sourcing_score``, ``headline_gap``, ``criteria``, ``model_name``, ``model_version``,
``spans`` (the framing spans as a nested list of structs, exactly as the API's
``framing.spans``), ``error``, ``error_code``; with ``--answers``, ``answer``: the API's whole
JSON answer. The output folder is a Parquet dataset: ``pandas.read_parquet(OUT)`` reads it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from sensational.artifact import CARD_FILE, MODEL_FILE, load_bundle, read_card
from sensational.errors import InputError, ModelLoadError
from sensational.results import result_json
from sensational.scorer import Scorer
from training.tables import TableError, columns_of, read_chunks, resolve_inputs

log = logging.getLogger("training.batch")

MANIFEST = "_manifest.json"
SUMMARY = "_summary.json"
DEFAULT_PARTITION_ROWS = 1000


class BatchError(ValueError):
    """A run that cannot start: bad input, columns, output folder or model."""


@dataclass(frozen=True, slots=True)
class ModelPayload:
    """A model folder's two files, as bytes, for workers that cannot read the folder."""

    sha256: str
    card: bytes
    model: bytes

    @classmethod
    def from_folder(cls, folder: Path) -> ModelPayload:
        """Read a bundle and check its checksum; the workers load it (and check their library
        versions against the card), so the client never holds the model itself."""
        card = read_card(folder)
        model = (folder / MODEL_FILE).read_bytes()
        expected = str(card["artifact"].get("sha256"))
        actual = hashlib.sha256(model).hexdigest()
        if actual != expected:
            raise ModelLoadError(
                f"checksum mismatch for {folder / MODEL_FILE}: the card says {expected},"
                f" the file is {actual}"
            )
        return cls(expected, (folder / CARD_FILE).read_bytes(), model)

    @property
    def key(self) -> str:
        # The card too: the same artifact under another card (library versions) is checked
        # again, not taken from a worker's cache.
        return f"{self.sha256}-{hashlib.sha256(self.card).hexdigest()[:16]}"


@dataclass(frozen=True, slots=True)
class Options:
    id_column: str = "id"
    headline_column: str = "headline"
    body_column: str = "body"
    answers: bool = False


@dataclass(slots=True)
class BatchReport:
    """What a run did; ``bad_rows`` counts the rows written with an error (the whole output,
    including partitions written by an earlier, interrupted run)."""

    output: str
    rows: int = 0
    bad_rows: int = 0
    bad_by_code: dict[str, int] = field(default_factory=dict)
    partitions: int = 0
    partitions_scored: int = 0
    partitions_skipped: int = 0
    rows_scored_now: int = 0
    seconds: float = 0.0
    workers: int = 0
    # Cluster start and model shipping, then the scoring itself (first submit to last write).
    startup_seconds: float = 0.0
    scoring_seconds: float = 0.0
    # Per worker at the end: resident and peak memory (MB), CPU seconds (user + system).
    worker_rss_mb: list[float] = field(default_factory=list)
    worker_peak_rss_mb: list[float] = field(default_factory=list)
    worker_cpu_seconds: list[float] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# On the workers


_SCORERS: dict[str, Scorer] = {}
_LOAD_LOCK = threading.Lock()


def worker_scorer(payload: ModelPayload) -> Scorer:
    """The scorer of ``payload``, loaded once per worker process and kept."""
    key = payload.key
    scorer = _SCORERS.get(key)
    if scorer is not None:
        return scorer
    with _LOAD_LOCK:
        if key not in _SCORERS:
            with tempfile.TemporaryDirectory(prefix="sensational-model-") as tmp:
                (Path(tmp) / CARD_FILE).write_bytes(payload.card)
                (Path(tmp) / MODEL_FILE).write_bytes(payload.model)
                # The same checks as the service: checksum, library versions, a Scorer.
                _SCORERS[key] = load_bundle(tmp)[0]
        return _SCORERS[key]


def output_schema(answers: bool = False) -> Any:
    import pyarrow as pa

    span = pa.struct(
        [
            ("field", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("category", pa.string()),
            ("weight", pa.float64()),
            ("source", pa.string()),
        ]
    )
    fields = [
        ("id", pa.string()),
        ("input_file", pa.string()),
        ("input_row", pa.int64()),
        ("score", pa.float64()),
        ("label", pa.string()),
        ("headline_score", pa.float64()),
        ("body_score", pa.float64()),
        ("framing_score", pa.float64()),
        ("sourcing_score", pa.float64()),
        ("headline_gap", pa.float64()),
        ("criteria", pa.list_(pa.string())),
        ("model_name", pa.string()),
        ("model_version", pa.string()),
        ("spans", pa.list_(span)),
        ("error", pa.string()),
        ("error_code", pa.string()),
    ]
    if answers:
        fields.append(("answer", pa.string()))
    return pa.schema(fields)


# (id, input_file, input_row, headline, body, error): what a partition carries to a worker.
Row = tuple[str, str, int, Any, Any, str | None]


def score_rows(scorer: Scorer, rows: list[Row], answers: bool = False) -> Any:
    """Score ``rows`` into a table of :func:`output_schema`; a row that fails keeps its error."""
    import pyarrow as pa

    render = result_json if answers else None  # the API's answer JSON
    columns: dict[str, list[Any]] = {name: [] for name in output_schema(answers).names}
    for ident, file, row, headline, body, error in rows:
        result = None
        code = "unreadable" if error else None
        if error is None:
            try:
                result = scorer.score(headline, body)
            except InputError as exc:  # no text, nothing to score, a non-string field
                error, code = str(exc), exc.code
            except Exception as exc:  # a scorer bug must not lose the row or the run
                error, code = f"scoring failed: {exc!r}", "internal_error"
        columns["id"].append(ident)
        columns["input_file"].append(file)
        columns["input_row"].append(row)
        columns["error"].append(error)
        columns["error_code"].append(code)
        if result is None:
            for name in columns:
                if name not in ("id", "input_file", "input_row", "error", "error_code"):
                    columns[name].append(None)
            continue
        columns["score"].append(result.score)
        columns["label"].append(result.label)
        columns["headline_score"].append(result.headline.score if result.headline else None)
        columns["body_score"].append(result.body.score if result.body else None)
        columns["framing_score"].append(result.framing.score)
        columns["sourcing_score"].append(result.sourcing.score)
        columns["headline_gap"].append(result.headline_gap)
        columns["criteria"].append(list(result.criteria))
        columns["model_name"].append(result.model.name)
        columns["model_version"].append(result.model.version)
        columns["spans"].append([asdict(s) for s in result.framing.spans])
        if render is not None:
            columns["answer"].append(render(result).decode("utf-8"))
    return pa.Table.from_pydict(columns, schema=output_schema(answers))


def score_partition(payload: ModelPayload, rows: list[Row], answers: bool = False) -> Any:
    """The task each worker runs: score one partition with the worker's model."""
    return score_rows(worker_scorer(payload), rows, answers)


def _load_model(payload: ModelPayload) -> str:
    return worker_scorer(payload).version


def worker_usage() -> tuple[float, float, float]:
    """This worker process's resident and peak memory (MB) and CPU seconds so far."""
    import resource

    import psutil

    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss = psutil.Process().memory_info().rss / 1e6
    return rss, usage.ru_maxrss * 1024 / 1e6, usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------------------------
# On the client


@dataclass(slots=True)
class _Partition:
    name: str
    rows: list[Row]
    nbytes: int


def _plan(
    files: list[Path], root: Path | None, options: Options, partition_rows: int, done: set[str]
) -> Iterator[tuple[_Partition, bool]]:
    """Every partition of the input in a fixed order, and whether it is already written."""
    wanted = [options.id_column, options.headline_column, options.body_column]
    for f_index, path in enumerate(files):
        label = str(path.relative_to(root)) if root is not None else path.name
        # A restart reads the chunks already done too (the stream has to pass them), but
        # parsing a row costs a hundredth of scoring it.
        for chunk in read_chunks(path, partition_rows, columns=wanted):
            name = f"part-{f_index:04d}-{chunk.index:06d}"
            if name in done:
                yield _Partition(name, [], chunk.nbytes), True
                continue
            rows = [_row(label, rec.row, rec.fields, rec.error, options) for rec in chunk.records]
            yield _Partition(name, rows, chunk.nbytes), False


def _row(label: str, row: int, fields: dict[str, Any] | None, error: str | None, o: Options) -> Row:
    fields = fields or {}
    ident = fields.get(o.id_column)
    ident = f"{label}:{row}" if ident is None or ident == "" else str(ident)
    if error is None and o.headline_column not in fields and o.body_column not in fields:
        error = (
            f"row {row} has neither a {o.headline_column!r} nor a {o.body_column!r} field"
            f" (it has {', '.join(sorted(map(str, fields))) or 'none'})"
        )
    return (
        ident,
        label,
        row,
        fields.get(o.headline_column),
        fields.get(o.body_column),
        error,
    )


def _check_columns(files: list[Path], options: Options) -> None:
    """A CSV or Parquet file without either text column is a mistake, not a file of bad rows."""
    for path in files:
        names = columns_of(path)
        if names is None:
            continue
        if options.headline_column not in names and options.body_column not in names:
            raise BatchError(
                f"{path}: no {options.headline_column!r} or {options.body_column!r} column"
                f" (columns: {', '.join(names) or 'none'}); name them with --headline-column"
                " and --body-column"
            )


def _manifest(
    files: list[Path], payload: ModelPayload, options: Options, partition_rows: int
) -> dict[str, Any]:
    return {
        "inputs": [
            {"path": str(p.resolve()), "bytes": p.stat().st_size, "mtime_ns": p.stat().st_mtime_ns}
            for p in files
        ],
        "model_sha256": payload.sha256,
        "partition_rows": partition_rows,
        "options": asdict(options),
    }


def _prepare_output(output: Path, manifest: dict[str, Any], overwrite: bool) -> set[str]:
    """Create or check the output folder; return the partitions already written."""
    if output.exists() and not output.is_dir():
        raise BatchError(f"{output} exists and is not a folder: the output is a folder of parts")
    output.mkdir(parents=True, exist_ok=True)
    for tmp in output.glob("*.tmp"):  # a write cut short by a crash
        tmp.unlink()
    parts = sorted(output.glob("part-*.parquet"))
    manifest_path = output / MANIFEST
    if overwrite:
        for p in parts:
            p.unlink()
        for extra in (manifest_path, output / SUMMARY):
            extra.unlink(missing_ok=True)
        parts = []
    elif manifest_path.is_file():
        previous = json.loads(manifest_path.read_text("utf-8"))
        changed = [k for k in manifest if previous.get(k) != manifest[k]]
        if changed:
            raise BatchError(
                f"{output} holds a run with other {', '.join(changed)}: resume only with the"
                " same input, model and options; pass another --output or --overwrite"
            )
    elif parts or any(output.iterdir()):
        raise BatchError(f"{output} is not empty and holds no {MANIFEST}: pick another --output")
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    done = {p.name.removesuffix(".parquet") for p in parts}
    return done


def _write_part(output: Path, name: str, table: Any) -> None:
    import pyarrow.parquet as pq

    tmp = output / f"{name}.parquet.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, output / f"{name}.parquet")  # atomic: a part is whole or absent


def _summarise(output: Path, report: BatchReport) -> None:
    """Count rows and bad rows over every part written, this run's and earlier ones."""
    import pyarrow.parquet as pq

    codes: Counter[str] = Counter()
    rows = 0
    for part in sorted(output.glob("part-*.parquet")):
        column = pq.read_table(part, columns=["error_code"]).column("error_code").to_pylist()
        rows += len(column)
        codes.update(c for c in column if c is not None)
    report.rows = rows
    report.bad_rows = sum(codes.values())
    report.bad_by_code = dict(sorted(codes.items()))


def score_files(
    input: str | Path,
    output: str | Path,
    *,
    model: str | Path = "models/default",
    workers: int | None = None,
    scheduler: str | None = None,
    id_column: str = "id",
    headline_column: str = "headline",
    body_column: str = "body",
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    answers: bool = False,
    overwrite: bool = False,
    progress: bool = True,
) -> BatchReport:
    """Score every row of ``input`` into the Parquet folder ``output``; see the module doc.

    Parameters
    ----------
    input
        A file, a glob pattern or a folder of ``.jsonl``, ``.csv``, ``.tsv`` or ``.parquet``
        files (text files may end in ``.gz``, ``.bz2``, ``.xz`` or ``.zst``).
    output
        The output folder; a re-run with the same input, model and options resumes it.
    model
        The bundle folder to score with, verified as the service verifies it.
    workers
        Worker processes of the local cluster (default: one per CPU); ignored with
        ``scheduler``.
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``) instead of a local cluster.
    id_column, headline_column, body_column
        Input field names; a row without an id gets ``<file>:<row>``.
    partition_rows
        Rows per partition: the unit of work, of memory and of restart.
    answers
        Also write the API's whole JSON answer of each row (``answer``).
    overwrite
        Delete the parts of an earlier run in ``output`` first.
    progress
        Show a progress bar on stderr.

    Raises
    ------
    BatchError
        When the input, its columns, the output folder or the model cannot be used.
    """
    started = time.perf_counter()
    output = Path(output)
    try:
        files = resolve_inputs(input)
    except TableError as exc:
        raise BatchError(str(exc)) from None
    options = Options(id_column, headline_column, body_column, answers)
    try:
        _check_columns(files, options)
    except TableError as exc:
        raise BatchError(str(exc)) from None
    try:
        payload = ModelPayload.from_folder(Path(model))
    except (ModelLoadError, OSError) as exc:
        raise BatchError(f"model: {exc}") from None
    done = _prepare_output(output, _manifest(files, payload, options, partition_rows), overwrite)
    root = Path(os.path.commonpath([p.parent for p in files])) if len(files) > 1 else None
    report = BatchReport(output=str(output))

    from distributed import Client, LocalCluster, as_completed
    from tqdm import tqdm

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,  # scoring holds the GIL: processes, not threads
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    client = Client(cluster if cluster is not None else scheduler)
    bar = tqdm(
        total=sum(p.stat().st_size for p in files),
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc="scoring",
        disable=not progress,
        file=sys.stderr,
    )
    try:
        threads = sum(client.nthreads().values())
        report.workers = len(client.nthreads())
        if threads == 0:
            raise BatchError(f"the cluster at {scheduler} has no workers")
        model_future = client.scatter(payload, broadcast=True)
        # Each worker loads (and verifies) the model before any partition is sent out.
        try:
            client.gather(
                [
                    client.submit(_load_model, model_future, workers=[w], pure=False)
                    for w in client.nthreads()
                ]
            )
        except ModelLoadError as exc:
            raise BatchError(f"model refused by a worker: {exc}") from None
        cpu_before = {w: u[2] for w, u in client.run(worker_usage).items()}
        report.startup_seconds = round(time.perf_counter() - started, 2)
        window = 2 * threads
        pending = as_completed()
        meta: dict[str, _Partition] = {}

        def collect(future: Any) -> None:
            part = meta.pop(future.key)
            table = future.result()
            _write_part(output, part.name, table)
            report.partitions_scored += 1
            report.rows_scored_now += table.num_rows
            bar.update(part.nbytes)
            future.release()

        for part, already in _plan(files, root, options, partition_rows, done):
            report.partitions += 1
            if already:
                report.partitions_skipped += 1
                bar.update(part.nbytes)
                continue
            future = client.submit(score_partition, model_future, part.rows, answers, pure=False)
            meta[future.key] = _Partition(part.name, [], part.nbytes)
            pending.add(future)
            while pending.count() >= window:
                collect(next(pending))
        for future in pending:
            collect(future)
        report.scoring_seconds = round(time.perf_counter() - started - report.startup_seconds, 2)
        for worker, (rss, peak, cpu) in sorted(client.run(worker_usage).items()):
            report.worker_rss_mb.append(round(rss, 1))
            report.worker_peak_rss_mb.append(round(peak, 1))
            report.worker_cpu_seconds.append(round(cpu - cpu_before.get(worker, 0.0), 2))
    finally:
        bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    _summarise(output, report)
    report.seconds = round(time.perf_counter() - started, 2)
    (output / SUMMARY).write_text(json.dumps(asdict(report), indent=2) + "\n", "utf-8")
    return report


def quiet_cluster_logs() -> None:
    """Keep Dask's start-up and shut-down lines off the terminal (its own errors still show)."""
    import distributed  # noqa: F401 - configures its loggers on import

    for name in list(logging.root.manager.loggerDict):
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.ERROR)


def score_cli(
    input: Annotated[
        str, typer.Option("--input", "-i", help="A file, a glob ('data/*.jsonl.gz') or a folder.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output folder of Parquet parts (OUT.parquet).")
    ],
    model: Annotated[Path, typer.Option(help="Model folder.")] = Path("models/default"),
    workers: Annotated[
        int | None, typer.Option(help="Local worker processes (default: one per CPU).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Existing Dask scheduler address (tcp://host:8786) instead."),
    ] = None,
    id_column: Annotated[str, typer.Option(help="Id field; absent: <file>:<row>.")] = "id",
    headline_column: Annotated[str, typer.Option(help="Headline field.")] = "headline",
    body_column: Annotated[str, typer.Option(help="Body field.")] = "body",
    partition_rows: Annotated[
        int, typer.Option(min=1, help="Rows per partition (unit of work and of restart).")
    ] = DEFAULT_PARTITION_ROWS,
    answers: Annotated[
        bool, typer.Option("--answers", help="Also write the API's JSON answer per row.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Discard the parts of an earlier run first.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Score every row of JSONL, CSV or Parquet files into a Parquet folder, on Dask.

    Runs on a local cluster (one worker process per CPU) or on an existing one with
    --scheduler. A re-run with the same input, model and options skips the partitions already
    written, so an interrupted run resumes. Rows that cannot be scored are written with their
    error and counted.

    Example: `python -m training score -i 'archive/*.jsonl.gz' -o scores.parquet`

    Exit codes: 0 done (bad rows, if any, are in the output and counted), 2 unusable input.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    quiet_cluster_logs()
    try:
        report = score_files(
            input,
            output,
            model=model,
            workers=workers,
            scheduler=scheduler,
            id_column=id_column,
            headline_column=headline_column,
            body_column=body_column,
            partition_rows=partition_rows,
            answers=answers,
            overwrite=overwrite,
            progress=not quiet,
        )
    except BatchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    bad = ", ".join(f"{n} {code}" for code, n in report.bad_by_code.items())
    typer.echo(
        f"wrote {report.output}: {report.rows} rows, {report.bad_rows} bad"
        f"{f' ({bad})' if bad else ''}; {report.partitions_scored} partitions scored,"
        f" {report.partitions_skipped} already done; {report.seconds} s"
        f" on {report.workers} worker(s)"
    )
