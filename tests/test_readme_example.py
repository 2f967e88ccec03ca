"""The README's example answer is what the default model says of the example article: its
criteria, highlights and sources (scores move with every retraining; these should not)."""

from __future__ import annotations

import json
import re

from datasets.corpora import REPO_ROOT


def readme_example() -> tuple[dict[str, str], dict[str, object]]:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ curl -s localhost:8000/v1/score (.*?)```", text, re.S)
    assert block, "README: the curl example is missing"
    shown = block.group(1)
    request = shown[shown.index("-d '") + 4 : shown.index("}'") + 1].replace("'\\''", "'")
    answer = shown[shown.index("\n{") + 1 :]
    return json.loads(request), json.loads(answer)


def test_the_readme_example_is_the_default_models_answer(default_scorer) -> None:
    request, shown = readme_example()
    r = default_scorer.score(request["headline"], request["body"])
    assert r.label == shown["label"]
    assert r.criteria == shown["criteria"]
    assert [f"{s.text} ({s.category})" for s in r.framing.spans] == shown["highlights"]
    assert [s.name for s in r.sourcing.sources] == shown["sources"]
    support = r.sourcing.headline_support
    assert {"sources": support.sources, "label": support.label} == shown["headline_support"]
    assert abs(r.score - shown["score"]) < 0.1
