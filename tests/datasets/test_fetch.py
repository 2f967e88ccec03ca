"""datasets.fetch: pinned addresses, derived files, SOURCE.md, mirror copies (never the network)."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datasets import fetch
from datasets.corpora import corpora_root
from datasets.fetch import (
    RAW_URL,
    Corpus,
    CorpusFile,
    FetchError,
    Upstream,
    fetch_corpus,
    load_manifest,
    source_note,
)
from datasets.registry import ADAPTERS
from training.cli import app


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


COMMIT_A, COMMIT_B = "a" * 40, "b" * 40


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    folder = tmp_path / "mirror" / "toy"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"alpha\n")
    (folder / "sub" / "b.txt").write_bytes(b"beta\n")
    return tmp_path / "mirror"


def toy(files: dict[str, bytes], commits: tuple[str, ...] = (COMMIT_A,)) -> Corpus:
    return Corpus(
        name="toy",
        licence="MIT",
        title="Toy",
        repository="owner/toy",
        commits=commits,
        files=tuple(
            CorpusFile(p, digest(d), Upstream("owner/toy", commits, f"data/{p}"))
            for p, d in files.items()
        ),
    )


def test_copies_from_the_mirror_verifies_and_writes_its_own_source_note(
    mirror: Path, tmp_path: Path
) -> None:
    corpus = toy({"a.txt": b"alpha\n", "sub/b.txt": b"beta\n"})
    dest = tmp_path / "dest"
    counts = fetch_corpus(corpus, dest, mirror=mirror)
    assert counts == {"present": 0, "copied": 2, "downloaded": 0, "derived": 0}
    assert (dest / "toy" / "sub" / "b.txt").read_bytes() == b"beta\n"
    note = (dest / "toy" / "SOURCE.md").read_text()
    assert note == source_note(corpus)
    assert "Written by `python -m training fetch`" in note
    assert "https://github.com/owner/toy" in note and COMMIT_A in note
    assert digest(b"beta\n") in note and "`data/sub/b.txt`" in note
    assert fetch_corpus(corpus, dest, mirror=mirror)["present"] == 2


def test_checksum_mismatch_fails_and_leaves_no_file(mirror: Path, tmp_path: Path) -> None:
    corpus = toy({"a.txt": b"something else\n"})
    dest = tmp_path / "dest"
    with pytest.raises(FetchError, match="a.txt: SHA-256 mismatch"):
        fetch_corpus(corpus, dest, mirror=mirror)
    assert not (dest / "toy" / "a.txt").exists()
    assert not (dest / "toy" / "SOURCE.md").exists()


def test_a_file_missing_from_the_mirror_is_named(mirror: Path, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="c.txt: not in the mirror"):
        fetch_corpus(toy({"c.txt": b"x"}), tmp_path / "dest", mirror=mirror)


def test_downloads_try_each_pinned_commit_and_the_checksum_decides(tmp_path: Path) -> None:
    served = {
        # The first commit lacks one file and has another in a different version.
        RAW_URL.format(repository="owner/toy", commit=COMMIT_A, path="data/a.txt"): b"old\n",
        RAW_URL.format(repository="owner/toy", commit=COMMIT_B, path="data/a.txt"): b"alpha\n",
        RAW_URL.format(repository="owner/toy", commit=COMMIT_B, path="data/b.txt"): b"beta\n",
    }
    asked: list[str] = []

    def opener(url: str) -> bytes:
        asked.append(url)
        if url not in served:
            raise FileNotFoundError(url)
        return served[url]

    corpus = toy({"a.txt": b"alpha\n", "b.txt": b"beta\n"}, commits=(COMMIT_A, COMMIT_B))
    counts = fetch_corpus(corpus, tmp_path, opener=opener, jobs=1)
    assert counts["downloaded"] == 2
    assert (tmp_path / "toy" / "a.txt").read_bytes() == b"alpha\n"
    assert len(asked) == 4
    with pytest.raises(FetchError, match=r"b.txt: no pinned commit has it .*not found"):
        fetch_corpus(toy({"b.txt": b"beta\n"}), tmp_path / "other", opener=opener)


def test_the_manifest_pins_full_commits_and_writes_no_source_note() -> None:
    corpora = load_manifest()
    corpus_adapters = {n for n, a in ADAPTERS.items() if a.project_file is None}
    assert corpus_adapters | {"polnear", "newsagendas"} <= set(corpora)
    for corpus in corpora.values():
        assert corpus.files, corpus.name
        assert all(re.fullmatch(r"[0-9a-f]{40}", c) for c in corpus.commits), corpus.name
        for f in corpus.files:
            assert len(f.sha256) == 64 and f.path != "SOURCE.md", (corpus.name, f.path)
            assert (f.upstream is None) != (f.derived is None), (corpus.name, f.path)
            if f.upstream is not None:
                assert all(re.fullmatch(r"[0-9a-f]{40}", c) for c in f.upstream.commits)
                assert all(
                    u.startswith("https://raw.githubusercontent.com/") for u in f.upstream.urls()
                )
    chak = {f.path: f.upstream for f in corpora["chakraborty-clickbait"].files}
    assert chak["clickbait_data.gz"].path == "dataset/clickbait_data.gz"
    assert chak["LICENSE"].path == "LICENSE"
    ptc = {f.path: f for f in corpora["semeval2020-ptc"].files}
    assert ptc["task2-TC.labels"].derived is not None
    assert ptc["articles/article111111111.txt"].upstream.path == (
        "datasets/train-articles/article111111111.txt"
    )
    dev = {f.path: f.upstream for f in corpora["semeval2020-ptc-dev"].files}
    assert dev["dev-task-TC.labels"].repository == "DAMO-NLP-SG/PeerDA"


def test_a_manifest_with_a_short_commit_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[corpus.toy]\nrepository = "o/t"\ncommits = ["25ce99b"]\n[corpus.toy.files]\n'
        f'"a.txt" = "{"0" * 64}"\n',
        encoding="utf-8",
    )
    with pytest.raises(FetchError, match="full 40-character commit ids"):
        load_manifest(manifest)


@pytest.mark.corpora
def test_the_ptc_label_files_are_derived_from_per_article_upstream_files(tmp_path: Path) -> None:
    """Upstream keeps one label file per article; the derived files join those of the kept
    articles in article order. An upstream stand-in made of per-article files (split from the
    shared copy; an article without labels has no file) derives files with the manifest's
    SHA-256."""
    root = corpora_root()
    if root is None or not (root / "semeval2020-ptc").is_dir():
        pytest.skip("needs the PTC corpus")
    corpus = load_manifest()["semeval2020-ptc"]
    served: dict[str, bytes] = {}
    folders = {
        "task1-SI.labels": "train-labels-task1-span-identification/article{}.task1-SI.labels",
        "task2-TC.labels": "train-labels-task2-technique-classification/article{}.task2-TC.labels",
    }
    for name, pattern in folders.items():
        parts: dict[str, bytes] = defaultdict(bytes)
        for line in (root / "semeval2020-ptc" / name).read_bytes().splitlines(keepends=True):
            parts[line.split(b"\t", 1)[0].decode()] += line
        for doc_id, data in parts.items():
            path = f"datasets/{pattern.format(doc_id)}"
            served[RAW_URL.format(repository=corpus.repository, commit=corpus.commits[-1],
                                  path=path)] = data  # fmt: skip
    for f in corpus.files:
        if f.upstream is not None:
            url = f.upstream.urls()[-1]
            served[url] = (root / "semeval2020-ptc" / f.path).read_bytes()

    def opener(url: str) -> bytes:
        if url not in served:
            raise FileNotFoundError(url)
        return served[url]

    counts = fetch_corpus(corpus, tmp_path, opener=opener)
    assert counts["derived"] == 2 and counts["downloaded"] == len(corpus.files) - 2
    for name in folders:
        assert (tmp_path / "semeval2020-ptc" / name).read_bytes() == (
            root / "semeval2020-ptc" / name
        ).read_bytes()


def test_write_manifest_leaves_out_source_notes_and_excluded_files(tmp_path: Path) -> None:
    folder = tmp_path / "root" / "toy"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"alpha\n")
    (folder / "SOURCE.md").write_text("notes")
    (folder / "extra.txt").write_text("not ours")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        f'[corpus.toy]\nrepository = "o/t"\ncommits = ["{COMMIT_A}"]\nexclude = ["extra.txt"]\n',
        encoding="utf-8",
    )
    assert fetch.write_manifest_checksums(tmp_path / "root", manifest) == 1
    (only,) = load_manifest(manifest)["toy"].files
    assert (only.path, only.sha256) == ("a.txt", digest(b"alpha\n"))


def _manifest_with(tmp_path: Path, sha: str) -> Path:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        f'[corpus.toy]\nrepository = "o/t"\ncommits = ["{COMMIT_A}"]\n'
        f'[corpus.toy.files]\n"a.txt" = "{sha}"\n',
        encoding="utf-8",
    )
    return manifest


def test_cli_fetches_from_the_mirror_and_exits_1_on_a_bad_checksum(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "MANIFEST", _manifest_with(tmp_path, digest(b"alpha\n")))
    monkeypatch.setenv(fetch.MIRROR_ENV, str(mirror))
    runner = CliRunner()
    ok = runner.invoke(app, ["fetch", "toy", "--dest", str(tmp_path / "d"), "-q"])
    assert ok.exit_code == 0, ok.output
    assert "SHA-256 verified" in ok.output
    unknown = runner.invoke(app, ["fetch", "nope", "--dest", str(tmp_path / "d")])
    assert unknown.exit_code == 2 and "unknown corpus nope" in unknown.output
    monkeypatch.setattr(fetch, "MANIFEST", _manifest_with(tmp_path, "0" * 64))
    bad = runner.invoke(app, ["fetch", "--all", "--dest", str(tmp_path / "e"), "-q"])
    assert bad.exit_code == 1
    assert "SHA-256 mismatch" in bad.output
