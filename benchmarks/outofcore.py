"""The out-of-core learners against the in-memory ones: held-out quality, fit time, memory.

Each fit runs in a fresh process so that its peak memory is its own. The headline models are
fitted on the Chakraborty training split (bucket != 0) and measured on its held-out fifth;
the body-wording models likewise on the hyperpartisan articles. Memory growth: the headline
training rows written ``copies`` times to a gzipped JSONL file; the in-memory model reads the
file into a list and fits, the out-of-core model streams it (``training.outofcore``).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

_FIT = r"""
import json, resource, sys, time
import numpy as np
from sklearn.metrics import accuracy_score, roc_auc_score
mode, data, held = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open(held, encoding="utf-8")]
Xt = [r["text"] for r in rows]; yt = np.array([r["label"] for r in rows])
kind = rows[0]["kind"]
started = time.perf_counter()
if kind == "body":
    from training.bundle import _body_stems as prep
    Xt = [prep(x) for x in Xt]
else:
    prep = None
if mode == "in-memory":
    import gzip
    from sensational.models import build_headline_model
    from sensational.body import BodyWordingClassifier
    train = [json.loads(l) for l in gzip.open(data, "rt", encoding="utf-8")]
    X = [prep(r["text"]) if prep else r["text"] for r in train]
    y = [r["label"] for r in train]
    model = BodyWordingClassifier() if kind == "body" else build_headline_model({})
    model.fit(X, y)
else:
    from training.outofcore import file_stream, headline_learner, wording_learner
    stream = file_stream(data, text_column="text", transform=prep)
    model = (wording_learner({}, 0)() if kind == "body" else headline_learner({}, {}, 0))
    model.fit_stream(stream)
fit_s = time.perf_counter() - started
if kind == "body":
    score = model.decision_function(Xt); cut = 0.0
else:
    score = model.predict_proba(Xt)[:, 1]; cut = 0.5
sys.stdout.write(json.dumps({
    "fit_s": fit_s,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
    "accuracy": float(accuracy_score(yt, score >= cut)),
    "roc_auc": float(roc_auc_score(yt, score)),
}))
"""


def _write(path: Path, rows: list[tuple[str, int]], kind: str, copies: int = 1) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for _ in range(copies):
            for text, label in rows:
                fh.write(json.dumps({"text": text, "label": label, "kind": kind}) + "\n")


def _fit(mode: str, data: Path, held: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _FIT, mode, str(data), str(held)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} fit failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def measure_out_of_core(corpora: Path, *, copies: int = 2) -> dict[str, Any]:
    from datasets.corpora import Example
    from training.config import config_from_dict
    from training.train import load_dataset

    config = config_from_dict(
        {"data": [{"corpus": "chakraborty-clickbait"}, {"corpus": "hyperpartisan-semeval2019"}]}
    )
    train, held_out, _ = load_dataset(config, corpora).split()

    def pairs(rows: list[Example], field: str) -> list[tuple[str, int]]:
        return [(getattr(r, field), int(r.label >= 0.5)) for r in rows if getattr(r, field).strip()]

    out: dict[str, Any] = {"copies": copies}
    with tempfile.TemporaryDirectory(prefix="bench-ooc-") as name:
        tmp = Path(name)
        for part, field, tr, ho in (
            ("headline", "headline", train.headlines, held_out.headlines),
            ("body", "body", train.articles, held_out.articles),
        ):
            data, held = tmp / f"{part}.jsonl.gz", tmp / f"{part}-held.jsonl"
            _write(data, pairs(tr, field), part)
            _write(held, pairs(ho, field), part)
            out[part] = {
                "train_rows": len(pairs(tr, field)),
                "held_out_rows": len(pairs(ho, field)),
                "in-memory": _fit("in-memory", data, held),
                "out-of-core": _fit("out-of-core", data, held),
            }
        data = tmp / "headline-x.jsonl.gz"
        _write(data, pairs(train.headlines, "headline"), "headline", copies)
        held = tmp / "headline-held.jsonl"
        out["headline_copies"] = {
            "rows": copies * out["headline"]["train_rows"],
            "in-memory": _fit("in-memory", data, held),
            "out-of-core": _fit("out-of-core", data, held),
        }
    return out
