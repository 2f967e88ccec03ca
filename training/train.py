"""Train the default scorer bundle: ``python -m training.train --help``."""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from datasets.corpora import corpora_root, holdout_bucket, read_chakraborty, read_demo
from sensational import __version__
from sensational.artifact import save_bundle
from training.bundle import TrainingData, default_params, evaluate_bundle, fit_bundle

log = logging.getLogger("training")


def train(*, output: Path, corpora: Path | None, seed: int = 0) -> dict[str, Any]:
    """Fit a bundle, measure it on the held-out fifth, and write it to ``output``."""
    started = time.perf_counter()
    demo = corpora is None
    if demo:
        log.warning(
            "NO CORPORA FOUND: training a DEMONSTRATION model on the project's own tiny sample;"
            " its scores mean little. Set SENSATION_CORPORA or pass --corpora."
        )
        rows = list(read_demo())
        data = [
            {
                "name": "demo-headline-twins",
                "files": _checksums(sorted({r.origin.rsplit(":", 1)[0] for r in rows})),
            }
        ]
    else:
        rows = list(read_chakraborty(corpora))
        files = sorted({r.origin.rsplit(":", 1)[0] for r in rows})
        data = [{"name": "chakraborty-clickbait", "files": _checksums(files)}]
    train_rows = [r for r in rows if holdout_bucket(r.headline) != 0]
    test_rows = [r for r in rows if holdout_bucket(r.headline) == 0]
    log.info("headline rows: %d train, %d held out", len(train_rows), len(test_rows))

    params = default_params()
    scorer = fit_bundle(
        TrainingData(headlines=train_rows),
        params=params,
        seed=seed,
        name="sensational-demo" if demo else "sensational",
        version=__version__,
        n_jobs=2,
    )
    metrics = evaluate_bundle(scorer, TrainingData(headlines=test_rows))
    log.info("held-out metrics: %s", metrics)

    card = {
        "demo": demo,
        "data": data,
        "split": "held out: sha256(text.strip()) % 5 == 0",
        "rows": {"train": len(train_rows), "held_out": len(test_rows)},
        "parameters": {**params, "seed": seed},
        "metrics": metrics,
        "training_seconds": round(time.perf_counter() - started, 2),
    }
    return save_bundle(scorer, output, card)


def _checksums(paths: list[str]) -> list[dict[str, str]]:
    out = []
    for p in paths:
        digest = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        out.append({"path": Path(p).name, "sha256": digest})
    return out


def main(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the bundle to.")
    ] = Path("models/default"),
    corpora: Annotated[
        Path | None,
        typer.Option(help="Corpora root (default: $SENSATION_CORPORA or ../shared/corpora)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Train the scorer bundle and write it with its model card."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    card = train(output=output, corpora=corpora_root(corpora), seed=seed)
    typer.echo(f"wrote {output} ({card['name']} {card['version']}): {card['metrics']}")


if __name__ == "__main__":
    typer.run(main)
