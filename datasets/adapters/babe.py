"""BABE (Spinde et al. 2021): news sentences labelled Biased / Non-biased by expert annotators.

AGPL-3.0: a model trained on it is not shipped by default; only an opt-in example config
(``training/configs/babe-optin.toml``) uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from datasets.corpora import Example
from datasets.readers import Columns, ReadReport, read_table

FOLDER = "babe-mbic"
# BABE proper (SG2). SG1 repeats 1,694 of its sentences, so it is not read beside it.
FILE = "final_labels_SG2.csv"
NO_AGREEMENT = "No agreement"
COLUMNS = Columns(
    headline=None,
    body="text",
    label="label_bias",
    label_kind="classes",
    positive=("Biased",),
    negative=("Non-biased",),
)


def read_babe(root: Path, report: ReadReport | None = None) -> Iterator[Example]:
    """Yield one body-only row per sentence: 1.0 = biased wording, 0.0 = not.

    Sentences whose annotators did not agree are left out and counted in ``report.excluded``.
    """
    report = report if report is not None else ReadReport()
    path = Path(root) / FOLDER / FILE
    scratch = ReadReport()
    yield from read_table(path, COLUMNS, scratch, delimiter=";")
    for problem in scratch.problems:
        if problem.reason.startswith(f"unknown label {NO_AGREEMENT!r}"):
            report.exclude(f"{FOLDER}: label {NO_AGREEMENT!r}")
        else:
            report.problems.append(problem)
