"""Training configs: TOML and YAML, validation of keys, overrides, the shipped files."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasets.corpora import REPO_ROOT
from datasets.registry import ADAPTERS
from training.config import (
    DEFAULT_CONFIG,
    ConfigError,
    apply_overrides,
    load_config,
    merge_params,
)

TOML = """
name = "ours"
seed = 7
output = "models/ours"
[[data]]
path = "rows.csv"
headline = "title"
body = ""
label = "verdict"
label_kind = "classes"
positive = ["yes"]
negative = ["no"]
fraction = 0.5
[[data]]
corpus = "chakraborty"
role = "evaluate"
[params.headline]
C = 3.0
"""

YAML = """
name: ours
seed: 7
data:
  - path: rows.csv
    headline: title
    body: ""
    label: verdict
    label_kind: classes
    positive: [yes_]
    negative: [no_]
    fraction: 0.5
  - corpus: chakraborty
    role: evaluate
params:
  headline:
    C: 3.0
"""


def test_toml_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text(TOML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # relative paths are relative to the working directory
    cfg = load_config(path)
    own, chak = cfg.data
    assert (cfg.name, cfg.seed, cfg.output) == ("ours", 7, Path("models/ours"))
    assert own.path == tmp_path / "rows.csv"
    assert own.name == "rows"
    assert (own.columns.headline, own.columns.body, own.columns.label) == ("title", None, "verdict")
    assert own.columns.parse_label("YES") == 1.0
    assert own.fraction == 0.5
    assert (chak.corpus, chak.role) == ("chakraborty-clickbait", "evaluate")
    assert cfg.params == {"headline": {"C": 3.0}}


def test_yaml_config_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(YAML, encoding="utf-8")
    cfg = load_config(path)
    assert [s.name for s in cfg.data] == ["rows", "chakraborty-clickbait"]
    assert cfg.data[0].columns.positive == ("yes_",)
    assert cfg.params["headline"]["C"] == 3.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seeds = 1\n", "unknown key(s) 'seeds' (did you mean 'seed'?)"),
        ("seed = 'x'\n", "'seed' must be a int"),
        ("[[data]]\ncorpus = 'nope'\n", "unknown corpus 'nope'"),
        ("[[data]]\npath = 'a.csv'\ncorpus = 'chakraborty'\n", "exactly one of"),
        ("[[data]]\nsample = 'tweets'\n", "unknown sample 'tweets'"),
        ("[[data]]\npath = 'a.csv'\nfraction = 0\n", "'fraction' must be"),
        ("[[data]]\npath = 'a.csv'\nrole = 'test'\n", "'role' must be"),
        ("[[data]]\npath = 'a.csv'\nlabel_kind = 'classes'\n", "needs 'positive'"),
        ("[[data]]\npath = 'a.csv'\ncolumn = 'x'\n", "unknown key(s) 'column'"),
        ("name = [\n", "does not parse"),
    ],
)
def test_bad_configs_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "none.toml")


def test_overrides_with_dotted_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text(TOML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cfg = apply_overrides(load_config(path), ["params.headline.C=4", "seed=3", "name=other"])
    assert cfg.params["headline"]["C"] == 4
    assert (cfg.seed, cfg.name) == (3, "other")
    assert cfg.data[0].path == tmp_path / "rows.csv"
    with pytest.raises(ConfigError, match="expected key=value"):
        apply_overrides(cfg, ["seed"])


def test_merge_params_is_nested() -> None:
    merged = merge_params(
        {"headline": {"C": 1, "min_df": 2}, "body": {"x": 1}}, {"headline": {"C": 5}}
    )
    assert merged == {"headline": {"C": 5, "min_df": 2}, "body": {"x": 1}}


def test_default_config_has_the_documented_mix_and_no_copyleft_corpus() -> None:
    cfg = load_config(DEFAULT_CONFIG)
    corpora = {s.corpus: s.role for s in cfg.data}
    assert corpora == {
        "chakraborty-clickbait": "train",
        "hyperpartisan-semeval2019": "train",
        "semeval2020-ptc": "train",
        "semeval2020-ptc-dev": "evaluate",
        "sensationalism-reference": "train",
        "headline-pairs": "train",
    }
    assert not any(ADAPTERS[c].copyleft for c in corpora)


def test_every_shipped_config_loads() -> None:
    configs = sorted((REPO_ROOT / "training" / "configs").glob("*.toml"))
    assert len(configs) >= 3
    for path in configs:
        load_config(path)


def test_unknown_parameter_keys_are_named_with_the_known_ones() -> None:
    from training.bundle import default_params
    from training.config import check_params

    defaults = default_params()
    check_params({"headline": {"C": 3.0}, "heads": {"C": 2.0}}, defaults)
    with pytest.raises(
        ConfigError, match=r"params: unknown parameter\(s\) 'headlin' \(did you mean 'headline'\?\)"
    ):
        check_params({"headlin": {"C": 3.0}}, defaults)
    with pytest.raises(
        ConfigError, match=r"params.headline: unknown parameter\(s\) 'Cc'.*known: .*C"
    ):
        check_params({"headline": {"Cc": 0.5}}, defaults)
    with pytest.raises(ConfigError, match="must be a table"):
        check_params({"headline": 3}, defaults)


def test_a_sample_source_is_named_by_the_config(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[[data]]\nsample = 'story-pairs'\n", encoding="utf-8")
    (source,) = load_config(path).data
    assert (source.name, source.sample, source.corpus, source.path) == (
        "story-pairs", "story-pairs", None, None,
    )  # fmt: skip
