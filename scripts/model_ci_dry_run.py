"""Run the steps of .github/workflows/model-ci.yml on this machine, as GitHub would.

  python scripts/model_ci_dry_run.py --mirror ../shared/corpora --work /tmp/ci

Each job runs in a fresh copy of the working tree (tracked and untracked, not ignored
files), in the order its ``needs`` give; every ``run:`` step runs under bash with
``-eo pipefail``, the workflow's, job's and step's environment, ``GITHUB_OUTPUT`` and
``GITHUB_STEP_SUMMARY``; ``if:`` conditions and ``${{ }}`` expressions are evaluated. The
``uses:`` actions are played by local stand-ins: checkout copies the tree (the same tree for
the base branch and the pull request), setup-python uses this interpreter, cache and
artifacts are folders under ``--work``. The corpora come from ``--mirror`` through the
repository variable CORPORA_MIRROR, which the workflow passes to the fetch as
$SENSATION_CORPORA_MIRROR: that folder stands in for the network. pip runs with --no-index.

Prints a JSON summary of every job and step; exit code 0 when no job failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "model-ci.yml"


class Ctx(dict):  # type: ignore[type-arg]
    """A context object: attribute access, and "" for anything missing (as in GitHub)."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name, "")
        return Ctx(value) if isinstance(value, dict) else value


_PATH = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*)+")


def _python_expression(expr: str) -> str:
    """A GitHub expression as Python: ``&&``/``||``/``!`` and dotted paths with hyphens."""
    parts = re.split(r"('(?:[^']|'')*')", expr)
    for i in range(0, len(parts), 2):
        code = parts[i]
        code = _PATH.sub(lambda m: f"_get({m.group(0)!r})", code)
        code = code.replace("&&", " and ").replace("||", " or ")
        code = re.sub(r"!(?!=)", " not ", code)
        parts[i] = code
    return "".join(parts)


@dataclass
class Run:
    """One dry run of the workflow."""

    workflow: Path
    work: Path
    event: str
    variables: dict[str, str]
    env_overrides: dict[str, str]
    job_env: dict[str, dict[str, str]]
    skip_steps: set[str]
    break_steps: set[tuple[str, str]]
    needs: dict[str, dict[str, Any]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.spec = yaml.safe_load(self.workflow.read_text("utf-8"))
        self.cache = self.work / "cache"
        self.artifacts = self.work / "artifacts"
        for folder in (self.cache, self.artifacts):
            folder.mkdir(parents=True, exist_ok=True)

    # -- expressions --------------------------------------------------------------------------

    def evaluate(self, expr: str, contexts: dict[str, Any], status: str = "success") -> Any:
        expr = expr.strip()
        if expr.startswith("${{") and expr.endswith("}}"):
            expr = expr[3:-2]

        def get(path: str) -> Any:
            head, *rest = path.split(".")
            value: Any = contexts.get(head, "")
            for part in rest:
                value = value.get(part, "") if isinstance(value, dict) else ""
            return value

        workspace = Path(contexts["github"]["workspace"])

        def hash_files(*patterns: str) -> str:
            digest = hashlib.sha256()
            for pattern in patterns:
                for path in sorted(workspace.glob(pattern)):
                    if path.is_file():
                        digest.update(hashlib.sha256(path.read_bytes()).digest())
            return digest.hexdigest()

        names = {
            "_get": get,
            "always": lambda: True,
            "success": lambda: status == "success",
            "failure": lambda: status == "failure",
            "cancelled": lambda: False,
            "hashFiles": hash_files,
            "true": True,
            "false": False,
        }
        return eval(_python_expression(expr), {"__builtins__": {}}, names)  # noqa: S307

    def substitute(self, text: str, contexts: dict[str, Any]) -> str:
        return re.sub(
            r"\$\{\{(.*?)\}\}", lambda m: str(self.evaluate(m.group(1), contexts)), str(text)
        )

    # -- jobs ---------------------------------------------------------------------------------

    def run(self) -> int:
        jobs = self.spec["jobs"]
        done: list[str] = []
        while len(done) < len(jobs):
            ready = [
                name
                for name, job in jobs.items()
                if name not in done and all(n in done for n in _list(job.get("needs")))
            ]
            for name in ready:
                self.needs[name] = self.run_job(name, jobs[name])
                done.append(name)
        failed = [n for n, r in self.needs.items() if r["result"] == "failure"]
        sys.stdout.write(json.dumps(self.summary, indent=2) + "\n")
        return 1 if failed else 0

    def run_job(self, name: str, job: dict[str, Any]) -> dict[str, Any]:
        workspace = self.work / "jobs" / name
        shutil.rmtree(workspace, ignore_errors=True)
        workspace.mkdir(parents=True)
        github = {
            "workspace": str(workspace),
            "event_name": self.event,
            "ref": "refs/pull/1/merge" if self.event == "pull_request" else "refs/heads/main",
            "event": {"pull_request": {"base": {"sha": "0" * 40}}},
        }
        needs = {n: self.needs[n] for n in _list(job.get("needs"))}
        contexts: dict[str, Any] = {
            "github": github,
            "vars": dict(self.variables),
            "needs": needs,
            "env": {},
            "steps": {},
        }
        env = {k: str(self.substitute(v, contexts)) for k, v in self.spec.get("env", {}).items()}
        env.update(self.env_overrides)
        contexts["env"] = env
        env.update({k: self.substitute(v, contexts) for k, v in job.get("env", {}).items()})
        env.update(self.job_env.get(name, {}))
        record: dict[str, Any] = {"steps": []}
        self.summary[name] = record
        if "if" in job and not self.evaluate(str(job["if"]), contexts):
            record["result"] = "skipped"
            return {"result": "skipped", "outputs": {}}
        status = "success"
        deadline = time.monotonic() + 60 * float(job.get("timeout-minutes", 360))
        for index, step in enumerate(job["steps"]):
            label = step.get("name") or step.get("uses") or f"step {index}"
            entry: dict[str, Any] = {"step": label}
            record["steps"].append(entry)
            condition = str(step.get("if", "success()"))
            if not self.evaluate(condition, contexts, status):
                entry["result"] = "skipped"
                continue
            if label in self.skip_steps:
                entry["result"] = "skipped (dry run)"
                continue
            step_env = dict(env)
            step_env.update(
                {k: self.substitute(v, contexts) for k, v in step.get("env", {}).items()}
            )
            started = time.monotonic()
            outputs, ok, detail = self.run_step(
                name, label, step, workspace, step_env, contexts, deadline
            )
            entry.update(
                result="success" if ok else "failure", seconds=round(time.monotonic() - started, 1)
            )
            if detail:
                entry["detail"] = detail[-3000:]
            if "id" in step:
                contexts["steps"][step["id"]] = {"outputs": outputs}
            if not ok:
                status = "failure"
        outputs = {k: str(self.substitute(v, contexts)) for k, v in job.get("outputs", {}).items()}
        record.update(result=status, outputs=outputs)
        return {"result": status, "outputs": outputs}

    # -- steps --------------------------------------------------------------------------------

    def run_step(
        self,
        job: str,
        label: str,
        step: dict[str, Any],
        workspace: Path,
        env: dict[str, str],
        contexts: dict[str, Any],
        deadline: float,
    ) -> tuple[dict[str, str], bool, str]:
        if (job, label) in self.break_steps:
            return {}, False, "failed on purpose (--break)"
        with_ = {k: self.substitute(v, contexts) for k, v in step.get("with", {}).items()}
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            _copy_tree(REPO, workspace)
            return {}, True, f"copied the working tree (ref {with_.get('ref', 'HEAD')})"
        if uses.startswith("actions/setup-python@"):
            return {}, True, f"using {sys.executable}"
        if uses.startswith("actions/cache/restore@"):
            stored = self.cache / _safe(with_["key"])
            target = _path(with_["path"], workspace)
            if stored.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(stored, target, copy_function=_link_or_copy)
                return {"cache-hit": "true"}, True, f"restored {with_['key']}"
            if str(with_.get("fail-on-cache-miss", "")).lower() == "true":
                return {}, False, f"no cache {with_['key']}"
            return {"cache-hit": ""}, True, "cache miss"
        if uses.startswith("actions/cache/save@"):
            stored = self.cache / _safe(with_["key"])
            if not stored.exists():
                shutil.copytree(
                    _path(with_["path"], workspace), stored, copy_function=_link_or_copy
                )
            return {}, True, f"saved {with_['key']}"
        if uses.startswith("actions/upload-artifact@"):
            target = self.artifacts / with_["name"]
            shutil.rmtree(target, ignore_errors=True)
            listed = [
                workspace / line.strip() for line in str(with_["path"]).splitlines() if line.strip()
            ]
            found = [p for p in listed if p.exists()]
            if not found:
                return {}, False, f"nothing to upload at {with_['path']}"
            # As upload-artifact does: paths are stored below their least common ancestor.
            base = Path(os.path.commonpath([p if p.is_dir() else p.parent for p in found]))
            for source in found:
                dest = target / source.relative_to(base)
                if source.is_dir():
                    shutil.copytree(source, dest, dirs_exist_ok=True)
                else:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, dest)
            return {}, True, f"uploaded {with_['name']}"
        if uses.startswith("actions/download-artifact@"):
            stored = self.artifacts / with_["name"]
            if not stored.is_dir():
                return {}, False, f"no artifact {with_['name']}"
            shutil.copytree(stored, workspace / with_["path"], dirs_exist_ok=True)
            return {}, True, f"downloaded {with_['name']}"
        if uses:
            return {}, False, f"no local stand-in for {uses}"
        return self.run_script(self.substitute(step["run"], contexts), workspace, env, deadline)

    def run_script(
        self, script: str, workspace: Path, env: dict[str, str], deadline: float
    ) -> tuple[dict[str, str], bool, str]:
        output_file = workspace / ".github_output"
        summary_file = workspace / ".github_step_summary"
        output_file.write_text("")
        full_env = {
            **os.environ,
            **env,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_EVENT_NAME": self.event,
            "PIP_NO_INDEX": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        try:
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                cwd=workspace,
                env=full_env,
                capture_output=True,
                text=True,
                timeout=max(1.0, deadline - time.monotonic()),
            )
        except subprocess.TimeoutExpired:
            return {}, False, "timed out (timeout-minutes)"
        outputs = {}
        for line in output_file.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep:
                outputs[key] = value
        return outputs, done.returncode == 0, (done.stdout + done.stderr).strip()


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _safe(key: str) -> str:
    return re.sub(r"[^\w.-]", "_", key)


def _path(value: str, workspace: Path) -> Path:
    path = Path(value)
    return path if path.is_absolute() else workspace / path


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _copy_tree(repo: Path, workspace: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        rel = raw.decode()
        source = repo / rel
        if source.is_file() and not source.is_symlink():
            target = workspace / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _pairs(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"expected KEY=VALUE, got {item!r}")
        out[key] = value
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch folder for the run")
    parser.add_argument("--mirror", type=Path, help="corpora folder standing in for downloads")
    parser.add_argument("--event", default="pull_request", choices=["pull_request", "push"])
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for every job")
    parser.add_argument("--job-env", action="append", default=[], help="JOB:KEY=VALUE")
    parser.add_argument("--skip-step", action="append", default=[], help="step name to skip")
    parser.add_argument("--break", dest="break_", action="append", default=[],
                        help="JOB:STEP to fail on purpose")  # fmt: skip
    args = parser.parse_args(argv)
    job_env: dict[str, dict[str, str]] = {}
    for item in args.job_env:
        job, _, pair = item.partition(":")
        job_env.setdefault(job, {}).update(_pairs([pair]))
    variables = {"CORPORA_MIRROR": str(args.mirror.resolve())} if args.mirror else {}
    run = Run(
        workflow=WORKFLOW,
        work=args.work.resolve(),
        event=args.event,
        variables=variables,
        env_overrides=_pairs(args.env),
        job_env=job_env,
        skip_steps=set(args.skip_step),
        break_steps={tuple(b.split(":", 1)) for b in args.break_},  # type: ignore[misc]
    )
    return run.run()


if __name__ == "__main__":
    raise SystemExit(main())
