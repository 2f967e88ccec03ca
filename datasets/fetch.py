"""Fetch a public corpus into the corpora root and check every file's SHA-256.

  python -m datasets.fetch chakraborty-clickbait     # one corpus
  python -m datasets.fetch --all                     # every corpus of datasets/manifest.toml

Each file is copied from a local mirror folder when $SENSATION_CORPORA_MIRROR is set (same
layout as the corpora root: <mirror>/<corpus>/<file>), else downloaded from its canonical
address in the manifest. A file whose checksum does not match is deleted and reported; files
already present with the right checksum are left alone. Some files exist only in the mirror
(label files filtered to the shared articles, the SOURCE.md notes): they have no URL.

The target is --dest, else $SENSATION_CORPORA, else ./data/corpora.

Exit codes: 0 every file present and verified, 1 a file failed its checksum or could not be
had, 2 bad input (unknown corpus, unreadable manifest).

Maintainers refresh the checksums from a verified copy with --write-manifest ROOT.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from datasets.corpora import CORPORA_ENV, REPO_ROOT
from sensational.artifact import sha256_file

MANIFEST = Path(__file__).resolve().parent / "manifest.toml"
MIRROR_ENV = "SENSATION_CORPORA_MIRROR"
DEFAULT_DEST = REPO_ROOT / "data" / "corpora"
TIMEOUT_S = 60


class FetchError(Exception):
    """A corpus that could not be fetched or verified; the message names the file."""


@dataclass(frozen=True, slots=True)
class CorpusFile:
    path: str  # relative to the corpus folder
    sha256: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    licence: str
    source: str
    files: tuple[CorpusFile, ...]


def load_manifest(path: Path = MANIFEST) -> dict[str, Corpus]:
    """Corpora of the manifest by name; ``FetchError`` if it cannot be read."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FetchError(f"{path}: cannot read the manifest: {exc}") from exc
    corpora = {}
    for name, entry in raw.get("corpus", {}).items():
        base = entry.get("base_url")
        remote = entry.get("remote", {})
        mirror_only = set(entry.get("mirror_only", []))
        files = []
        for rel, digest in entry.get("files", {}).items():
            url = None
            if (
                base
                and rel not in mirror_only
                and not any(rel.startswith(p) for p in mirror_only if p.endswith("/"))
            ):
                remote_rel = rel
                for local_prefix, remote_prefix in remote.items():
                    if rel.startswith(local_prefix):
                        remote_rel = remote_prefix + rel[len(local_prefix) :]
                        break
                url = base + remote_rel
            files.append(CorpusFile(rel, digest, url))
        corpora[name] = Corpus(
            name, entry.get("licence", ""), entry.get("source", ""), tuple(files)
        )
    return corpora


def fetch_corpus(
    corpus: Corpus, dest: Path, *, mirror: Path | None = None, log: Any = None
) -> dict[str, int]:
    """Bring every file of ``corpus`` into ``dest/<name>/`` and verify it.

    Returns counts (``present``, ``copied``, ``downloaded``); raises :class:`FetchError`
    listing every file that could not be had or failed its checksum.
    """
    folder = dest / corpus.name
    counts = {"present": 0, "copied": 0, "downloaded": 0}
    failures: list[str] = []
    for f in corpus.files:
        target = folder / f.path
        if target.is_file() and sha256_file(target) == f.sha256:
            counts["present"] += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkstemp(dir=target.parent, prefix=".fetch-")[1])
        try:
            if mirror is not None:
                source = mirror / corpus.name / f.path
                if not source.is_file():
                    failures.append(f"{source}: not in the mirror")
                    continue
                shutil.copyfile(source, tmp)
                how = "copied"
            elif f.url:
                try:
                    with (
                        urllib.request.urlopen(f.url, timeout=TIMEOUT_S) as resp,
                        tmp.open("wb") as out,
                    ):
                        shutil.copyfileobj(resp, out)
                except OSError as exc:
                    failures.append(f"{f.url}: download failed ({exc})")
                    continue
                how = "downloaded"
            else:
                failures.append(
                    f"{corpus.name}/{f.path}: only available from a mirror (set ${MIRROR_ENV})"
                )
                continue
            actual = sha256_file(tmp)
            if actual != f.sha256:
                failures.append(
                    f"{corpus.name}/{f.path}: SHA-256 mismatch (expected {f.sha256}, got {actual})"
                )
                continue
            tmp.replace(target)
            counts[how] += 1
        finally:
            tmp.unlink(missing_ok=True)
        if log:
            log(f"{how} {corpus.name}/{f.path}")
    if failures:
        shown = "\n".join(failures[:20])
        more = f"\n... and {len(failures) - 20} more" if len(failures) > 20 else ""
        raise FetchError(f"{corpus.name}: {len(failures)} file(s) failed:\n{shown}{more}")
    return counts


def write_manifest_checksums(root: Path, manifest: Path = MANIFEST) -> int:
    """Rewrite the ``files`` table of each corpus from a verified local copy under ``root``.

    The descriptive keys (licence, source, base_url, remote, mirror_only) are kept; only the
    checksum tables are regenerated. Returns the number of files listed.
    """
    text = manifest.read_text("utf-8")
    head = text.split("\n# --- checksums", 1)[0].rstrip() + "\n"
    raw = tomllib.loads(head)
    lines = ["", "# --- checksums (python -m datasets.fetch --write-manifest ROOT) ---"]
    total = 0
    for name in raw.get("corpus", {}):
        folder = root / name
        if not folder.is_dir():
            raise FetchError(f"{folder}: missing; cannot compute its checksums")
        lines += ["", f'[corpus."{name}".files]']
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            lines.append(f'"{rel}" = "{sha256_file(path)}"')
            total += 1
    manifest.write_text(head + "\n".join(lines) + "\n", "utf-8")
    return total


def main(
    names: Annotated[list[str] | None, typer.Argument(help="Corpus names (see --list).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every corpus of the manifest.")] = False,
    dest: Annotated[
        Path | None,
        typer.Option(help="Corpora root to fill (default: $SENSATION_CORPORA or data/corpora)."),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the corpora and exit.")] = False,
    write_manifest: Annotated[
        Path | None,
        typer.Option(help="Maintainers: recompute the manifest checksums from this root."),
    ] = None,
) -> None:
    """Fetch public corpora (download or copy from $SENSATION_CORPORA_MIRROR) and verify them.

    Exit codes: 0 all verified, 1 a file failed, 2 bad input.
    """
    try:
        if write_manifest is not None:
            n = write_manifest_checksums(write_manifest)
            typer.echo(f"wrote the checksums of {n} files to {MANIFEST}")
            return
        corpora = load_manifest()
    except FetchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if list_:
        for c in corpora.values():
            typer.echo(f"{c.name}: {len(c.files)} files, {c.licence}; {c.source}")
        return
    wanted = list(corpora) if all_ else list(names or [])
    if not wanted:
        typer.echo("error: name a corpus or pass --all (see --list)", err=True)
        raise typer.Exit(2)
    unknown = [n for n in wanted if n not in corpora]
    if unknown:
        typer.echo(
            f"error: unknown corpus {', '.join(unknown)}; known: {', '.join(corpora)}", err=True
        )
        raise typer.Exit(2)
    target = dest or Path(os.environ.get(CORPORA_ENV) or DEFAULT_DEST)
    mirror_env = os.environ.get(MIRROR_ENV)
    mirror = Path(mirror_env) if mirror_env else None
    if mirror is not None and not mirror.is_dir():
        typer.echo(f"error: ${MIRROR_ENV}={mirror} is not a folder", err=True)
        raise typer.Exit(2)
    if mirror is not None and mirror.resolve() == target.resolve():
        typer.echo(
            f"error: the mirror and the destination are the same folder ({mirror})", err=True
        )
        raise typer.Exit(2)
    failed = False
    for name in wanted:
        try:
            counts = fetch_corpus(corpora[name], target, mirror=mirror)
        except FetchError as exc:
            typer.echo(f"FAILED {exc}", err=True)
            failed = True
            continue
        typer.echo(
            f"ok {name} in {target / name}: {counts['present']} already present,"
            f" {counts['copied']} copied, {counts['downloaded']} downloaded; SHA-256 verified"
        )
    raise typer.Exit(1 if failed else 0)


if __name__ == "__main__":
    app = typer.Typer(rich_markup_mode="markdown", add_completion=False)
    app.command()(main)
    app()
