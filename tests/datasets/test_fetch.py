"""datasets.fetch: copies from a mirror and checks every SHA-256 (never the network here)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datasets import fetch
from datasets.fetch import Corpus, CorpusFile, FetchError, fetch_corpus, load_manifest
from datasets.registry import ADAPTERS


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    folder = tmp_path / "mirror" / "toy"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"alpha\n")
    (folder / "sub" / "b.txt").write_bytes(b"beta\n")
    return tmp_path / "mirror"


def toy(files: dict[str, bytes]) -> Corpus:
    return Corpus(
        "toy", "MIT", "test", tuple(CorpusFile(p, digest(d), None) for p, d in files.items())
    )


def test_copies_from_the_mirror_and_verifies(mirror: Path, tmp_path: Path) -> None:
    corpus = toy({"a.txt": b"alpha\n", "sub/b.txt": b"beta\n"})
    dest = tmp_path / "dest"
    assert fetch_corpus(corpus, dest, mirror=mirror) == {"present": 0, "copied": 2, "downloaded": 0}
    assert (dest / "toy" / "sub" / "b.txt").read_bytes() == b"beta\n"
    assert fetch_corpus(corpus, dest, mirror=mirror)["present"] == 2


def test_checksum_mismatch_fails_and_leaves_no_file(mirror: Path, tmp_path: Path) -> None:
    corpus = toy({"a.txt": b"something else\n"})
    dest = tmp_path / "dest"
    with pytest.raises(FetchError, match="a.txt: SHA-256 mismatch"):
        fetch_corpus(corpus, dest, mirror=mirror)
    assert not (dest / "toy" / "a.txt").exists()
    assert list((dest / "toy").iterdir()) == []


def test_a_file_missing_from_the_mirror_is_named(mirror: Path, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="c.txt: not in the mirror"):
        fetch_corpus(toy({"c.txt": b"x"}), tmp_path / "dest", mirror=mirror)


def test_mirror_only_file_without_mirror_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="only available from a mirror"):
        fetch_corpus(toy({"a.txt": b"alpha\n"}), tmp_path / "dest", mirror=None)


def test_manifest_lists_every_adapter_with_checksums_and_addresses() -> None:
    corpora = load_manifest()
    assert set(ADAPTERS) <= set(corpora)
    for corpus in corpora.values():
        assert corpus.files, corpus.name
        assert all(len(f.sha256) == 64 for f in corpus.files)
        urls = [f.url for f in corpus.files if f.url]
        assert urls and all(u.startswith("https://") for u in urls), corpus.name
    chak = {f.path: f.url for f in corpora["chakraborty-clickbait"].files}
    assert chak["clickbait_data.gz"].endswith("/dataset/clickbait_data.gz")
    assert chak["SOURCE.md"] is None


def test_cli_copies_from_the_mirror_env(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "manifest.toml"
    alpha = digest(b"alpha\n")
    manifest.write_text(
        f'[corpus.toy]\nlicence = "MIT"\n[corpus.toy.files]\n"a.txt" = "{alpha}"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(fetch, "load_manifest", lambda: load_manifest(manifest))
    monkeypatch.setenv(fetch.MIRROR_ENV, str(mirror))
    runner = CliRunner()
    app = _app()
    ok = runner.invoke(app, ["toy", "--dest", str(tmp_path / "d")])
    assert ok.exit_code == 0, ok.output
    assert "SHA-256 verified" in ok.output
    unknown = runner.invoke(app, ["nope", "--dest", str(tmp_path / "d")])
    assert unknown.exit_code == 2


def test_cli_exit_1_on_a_bad_checksum(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        f'[corpus.toy]\n[corpus.toy.files]\n"a.txt" = "{"0" * 64}"\n', encoding="utf-8"
    )
    monkeypatch.setattr(fetch, "load_manifest", lambda: load_manifest(manifest))
    monkeypatch.setenv(fetch.MIRROR_ENV, str(mirror))
    result = CliRunner().invoke(_app(), ["--all", "--dest", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "SHA-256 mismatch" in result.output


def _app():  # type: ignore[no-untyped-def]
    import typer

    app = typer.Typer()
    app.command()(fetch.main)
    return app
