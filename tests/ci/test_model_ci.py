"""A dry run of .github/workflows/model-ci.yml: its steps, run here as GitHub runs them, with
the shared corpora folder standing in for the downloads (scripts/model_ci_dry_run.py).

The pull request of the first run changes the data (more Chakraborty headlines than the base
branch's config): the candidate is still compared with the champion, on the champion's frozen
evaluation rows. The second run breaks the champion job: the candidate job must fail, not be
skipped. The dry run skips the workflow's own unit-test step (it is this test suite).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from datasets.corpora import REPO_ROOT, corpora_root
from datasets.fetch import load_manifest, verify_folder

pytestmark = pytest.mark.corpora

UNIT_TESTS = "Unit tests of training and datasets"


def dry_run(work: Path, *args: str) -> tuple[int, dict]:
    root = corpora_root()
    done = subprocess.run(
        [
            sys.executable,
            "scripts/model_ci_dry_run.py",
            "--work",
            str(work),
            "--mirror",
            str(root),
            "--skip-step",
            UNIT_TESTS,
            "--env",
            "MODEL_CI_THRESHOLDS=tests/ci/thresholds.toml",
            "--job-env",
            "champion:MODEL_CI_CONFIG=tests/ci/model-ci-base.toml",
            "--job-env",
            "candidate:MODEL_CI_CONFIG=tests/ci/model-ci-pr.toml",
            *args,
        ],  # fmt: skip
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert done.stdout.strip(), done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def steps(summary: dict, job: str) -> dict[str, dict]:
    return {s["step"]: s for s in summary[job]["steps"]}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = corpora_root()
    missing = [n for n in load_manifest() if root is None or not (root / n).is_dir()]
    if missing:
        pytest.skip(f"the mirror lacks {', '.join(missing)}")
    return tmp_path_factory.mktemp("model-ci")


def test_a_pull_request_that_changes_the_data_passes_on_the_champions_frozen_rows(
    work: Path,
) -> None:
    code, summary = dry_run(work)
    failed = {
        job: [s for s in r["steps"] if s.get("result") == "failure"] for job, r in summary.items()
    }
    assert code == 0, json.dumps(failed, indent=1)[-4000:]
    assert {job: r["result"] for job, r in summary.items()} == {
        "corpora": "success",
        "champion": "success",
        "candidate": "success",
    }
    assert steps(summary, "candidate")[UNIT_TESTS]["result"] == "skipped (dry run)"

    # Every corpus came from the mirror, verified against the manifest, with its SOURCE.md
    # written by the project.
    corpora = work / "jobs" / "corpora" / "corpora"
    for name, corpus in load_manifest().items():
        assert verify_folder(corpus, corpora / name) == [], name
        assert "Written by `python -m training fetch`" in (corpora / name / "SOURCE.md").read_text()

    candidate = work / "jobs" / "candidate"
    report = json.loads((candidate / "reports" / "candidate" / "report.json").read_text())
    champion = json.loads((candidate / "reports" / "champion" / "report.json").read_text())
    assert champion["frozen"]["file"] in {
        p.name for p in (candidate / "reports/champion").iterdir()
    }
    comparison = report["comparison"]
    assert comparison["on"].startswith("the champion's frozen evaluation set")
    changed = comparison["note"]
    assert "chakraborty-clickbait" in changed and "hyperpartisan" not in changed
    results = {r["gate"]: r for r in comparison["results"]}
    assert results["chakraborty-clickbait.roc_auc"]["status"] == "pass"
    assert (
        results["chakraborty-clickbait.roc_auc"]["units"]
        == champion["sets"]["chakraborty-clickbait"]["n"]
    )
    # Same code and hyperpartisan rows on both sides: the same model part, no change.
    assert results["polnear-dev.attribution_f1"]["change"] == 0.0
    assert (candidate / ".github_step_summary").read_text().startswith("# Evaluation:")


def test_the_workflow_fails_when_the_champion_job_fails(work: Path) -> None:
    code, summary = dry_run(work, "--break", "champion:Train the current model")
    assert code == 1
    assert summary["corpora"]["result"] == "success"
    assert steps(summary, "corpora")["Restore the corpora"]["detail"].startswith("restored")
    assert summary["champion"]["result"] == "failure"
    assert summary["candidate"]["result"] == "failure"
    guard = steps(summary, "candidate")["The champion job must have succeeded"]
    assert guard["result"] == "failure" and "ended with 'failure'" in guard["detail"]
    assert steps(summary, "candidate")["Train the candidate"]["result"] == "skipped"
