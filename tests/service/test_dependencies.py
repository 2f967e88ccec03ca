"""Pinned dependencies are scanned for known vulnerabilities with pip-audit (PyPI's advisory data).

The scan needs the network: when the vulnerability service cannot be reached, or answers for
none of the packages, the test is skipped with the reason shown in pytest's summary.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest

from datasets.corpora import REPO_ROOT

REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")


def _audit() -> dict:
    args = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json"]
    for name in REQUIREMENTS:
        args += ["-r", str(REPO_ROOT / name)]
    # Every line is pinned with ==, so no resolution (and no throwaway venv) is needed.
    args += ["--no-deps", "--disable-pip", "--timeout", "20"]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("pip-audit: the vulnerability service did not answer within 180 s")
    if not done.stdout.strip().startswith("{"):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"pip-audit could not reach the vulnerability service: {last}")
    return json.loads(done.stdout)


def test_pinned_dependencies_have_no_known_vulnerabilities():
    report = _audit()
    deps = report["dependencies"]
    assert deps, "pip-audit found no pinned requirement to audit"
    skipped = [d for d in deps if d.get("skip_reason")]
    if len(skipped) == len(deps):
        pytest.skip(
            f"pip-audit: the vulnerability service audited none of {len(deps)} pins"
            f" (e.g. {skipped[0]['skip_reason']})"
        )
    if skipped:
        warnings.warn(
            "pip-audit could not audit: " + ", ".join(d["name"] for d in skipped), stacklevel=1
        )
    found = [
        f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v['fix_versions']) or '-'})"
        for d in deps
        for v in d.get("vulns", [])
    ]
    assert not found, "known vulnerabilities in pinned dependencies:\n" + "\n".join(found)
