"""Fetch the public corpora into the corpora root and check every file's SHA-256.

Every corpus of ``datasets/manifest.toml`` comes from a public GitHub repository at pinned
40-character commits: each file is downloaded from
``https://raw.githubusercontent.com/<repository>/<commit>/<upstream path>`` (or copied from a
local mirror folder), and kept only when its SHA-256 matches the manifest. When a corpus
lists several commits, they hold the same files: each is tried in turn and the checksum
decides, so one commit becoming unreachable does not break the fetch.

Files the project keeps in another form than upstream are *derived by code* from upstream
files (the PTC label files: the per-article label files of the kept articles, joined in
article order) and checked like any other file. Each corpus's ``SOURCE.md`` is written by
:func:`write_source_note` from the manifest; it is never downloaded.

The command line is ``python -m training fetch`` (``make data``).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from datasets.corpora import CORPORA_ENV, REPO_ROOT
from sensational.artifact import sha256_file

MANIFEST = Path(__file__).resolve().parent / "manifest.toml"
MIRROR_ENV = "SENSATION_CORPORA_MIRROR"
DEFAULT_DEST = REPO_ROOT / "data" / "corpora"
SOURCE_NOTE = "SOURCE.md"
RAW_URL = "https://raw.githubusercontent.com/{repository}/{commit}/{path}"
TIMEOUT_S = 60
RETRIES = 3
_COMMIT = re.compile(r"[0-9a-f]{40}")

# An opener returns the bytes at a URL, raises FileNotFoundError when there is nothing there
# (HTTP 404) and OSError on any other failure. Tests pass their own.
Opener = Callable[[str], bytes]


class FetchError(Exception):
    """A corpus that could not be fetched or verified; the message names the file."""


@dataclass(frozen=True, slots=True)
class Upstream:
    """Where one file lives upstream: a repository, the commits to try, a path in it."""

    repository: str
    commits: tuple[str, ...]
    path: str

    def urls(self) -> list[str]:
        return [
            RAW_URL.format(repository=self.repository, commit=c, path=self.path)
            for c in self.commits
        ]


@dataclass(frozen=True, slots=True)
class Derived:
    """A file made by joining one upstream file per item, in item order.

    ``each`` is a pattern over the corpus's own files (``articles/article{id}.txt``): every
    listed file matching it names an item ``{id}``; ``join`` is the upstream path of the
    item's part. An item without a part upstream contributes nothing (an article with no
    label); the checksum of the result still has to match.
    """

    each: str
    join: str


@dataclass(frozen=True, slots=True)
class CorpusFile:
    path: str  # relative to the corpus folder
    sha256: str
    upstream: Upstream | None = None
    derived: Derived | None = None


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    licence: str
    title: str
    repository: str
    commits: tuple[str, ...]
    files: tuple[CorpusFile, ...]
    cite: str = ""
    note: str = ""
    exclude: tuple[str, ...] = field(default=())

    @property
    def source(self) -> str:
        return f"https://github.com/{self.repository} at {self.commits[0]}"


# ---------------------------------------------------------------------------------------------
# The manifest


def load_manifest(path: Path | None = None) -> dict[str, Corpus]:
    """Corpora of the manifest by name; ``FetchError`` names what cannot be used."""
    path = path or MANIFEST
    try:
        raw = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FetchError(f"{path}: cannot read the manifest: {exc}") from exc
    return {name: _corpus(name, entry, path) for name, entry in raw.get("corpus", {}).items()}


def _commits(value: object, where: str) -> tuple[str, ...]:
    commits = (value,) if isinstance(value, str) else tuple(value or ())  # type: ignore[arg-type]
    bad = [c for c in commits if not isinstance(c, str) or not _COMMIT.fullmatch(c)]
    if not commits or bad:
        raise FetchError(f"{where}: commits must be full 40-character commit ids, got {bad or []}")
    return commits


def _corpus(name: str, entry: dict, path: Path) -> Corpus:
    where = f"{path}: corpus {name!r}"
    try:
        repository = str(entry["repository"])
        commits = _commits(entry.get("commits"), where)
    except KeyError as exc:
        raise FetchError(f"{where}: missing key {exc}") from None
    remote = dict(entry.get("remote", {}))
    # The longest local prefix wins ("LICENSE" before "").
    prefixes = sorted(remote, key=len, reverse=True)
    overrides = entry.get("upstream", {})
    derived = entry.get("derived", {})
    files = []
    for rel, digest in sorted(entry.get("files", {}).items()):
        if rel == SOURCE_NOTE:
            raise FetchError(f"{where}: {SOURCE_NOTE} is written by the project, not fetched")
        if rel in derived:
            d = derived[rel]
            files.append(CorpusFile(rel, digest, derived=Derived(str(d["each"]), str(d["join"]))))
            continue
        if rel in overrides:
            o = overrides[rel]
            upstream = Upstream(
                str(o.get("repository", repository)),
                _commits(o.get("commits", commits), f"{where}: {rel}"),
                str(o["path"]),
            )
        else:
            prefix = next((p for p in prefixes if rel.startswith(p)), None)
            remote_rel = rel if prefix is None else remote[prefix] + rel[len(prefix) :]
            upstream = Upstream(repository, commits, remote_rel)
        files.append(CorpusFile(rel, digest, upstream=upstream))
    return Corpus(
        name=name,
        licence=str(entry.get("licence", "")),
        title=str(entry.get("title", name)),
        repository=repository,
        commits=commits,
        files=tuple(files),
        cite=str(entry.get("cite", "")),
        note=str(entry.get("note", "")).strip(),
        exclude=tuple(entry.get("exclude", ())),
    )


# ---------------------------------------------------------------------------------------------
# Fetching


def http_get(url: str) -> bytes:
    """The bytes at ``url``, with a few retries on transient failures; 404 is final."""
    request = urllib.request.Request(url, headers={"User-Agent": "sensational-corpus-fetch"})
    for attempt in range(RETRIES):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise FileNotFoundError(url) from None
            if exc.code < 500 and exc.code != 429:
                raise OSError(f"{url}: HTTP {exc.code}") from None
            failure: OSError = OSError(f"{url}: HTTP {exc.code}")
        except OSError as exc:
            failure = exc
        time.sleep(2**attempt)
    raise failure


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _first(urls: Iterable[str], opener: Opener, expected: str | None) -> tuple[bytes, str]:
    """The first URL that answers (and matches ``expected`` when given)."""
    problems = []
    for url in urls:
        try:
            data = opener(url)
        except FileNotFoundError:
            problems.append(f"{url}: not found")
            continue
        except OSError as exc:
            problems.append(f"{url}: {exc}")
            continue
        if expected is None or sha256_bytes(data) == expected:
            return data, url
        problems.append(f"{url}: SHA-256 {sha256_bytes(data)}, expected {expected}")
    raise FileNotFoundError("; ".join(problems))


def _optional(urls: Iterable[str], opener: Opener) -> bytes | None:
    """The first answer among ``urls``; ``None`` when every one is a 404."""
    failures = []
    for url in urls:
        try:
            return opener(url)
        except FileNotFoundError:
            continue
        except OSError as exc:
            failures.append(f"{url}: {exc}")
    if failures:
        raise OSError("; ".join(failures))
    return None


def _derive(corpus: Corpus, f: CorpusFile, opener: Opener) -> bytes:
    assert f.derived is not None
    pattern = re.escape(f.derived.each).replace(re.escape("{id}"), "(?P<id>.+)")
    ids = sorted(
        m.group("id") for other in corpus.files if (m := re.fullmatch(pattern, other.path))
    )
    if not ids:
        raise FetchError(f"{corpus.name}/{f.path}: no listed file matches {f.derived.each!r}")
    parts = []
    for item in ids:
        path = f.derived.join.replace("{id}", item)
        # No part upstream: the item has nothing to add (an article without labels).
        data = _optional(Upstream(corpus.repository, corpus.commits, path).urls(), opener)
        if data is not None:
            parts.append(data)
    return b"".join(parts)


def _obtain(
    corpus: Corpus, f: CorpusFile, mirror: Path | None, opener: Opener
) -> tuple[bytes, str]:
    if mirror is not None:
        source = mirror / corpus.name / f.path
        if not source.is_file():
            raise FetchError(f"{source}: not in the mirror")
        return source.read_bytes(), "copied"
    if f.derived is not None:
        return _derive(corpus, f, opener), "derived"
    assert f.upstream is not None
    try:
        data, _ = _first(f.upstream.urls(), opener, f.sha256)
    except FileNotFoundError as exc:
        raise FetchError(f"{corpus.name}/{f.path}: no pinned commit has it ({exc})") from None
    return data, "downloaded"


def fetch_corpus(
    corpus: Corpus,
    dest: Path,
    *,
    mirror: Path | None = None,
    opener: Opener | None = None,
    jobs: int = 8,
    log: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Bring every file of ``corpus`` into ``dest/<name>/``, verify it, write its SOURCE.md.

    Returns counts (``present``, ``copied``, ``downloaded``, ``derived``); raises
    :class:`FetchError` listing every file that could not be had or failed its checksum. A
    file is written only once verified, so a failed fetch leaves no bad file behind.
    """
    folder = dest / corpus.name
    opener = opener or http_get
    counts = {"present": 0, "copied": 0, "downloaded": 0, "derived": 0}
    failures: list[str] = []

    def one(f: CorpusFile) -> str:
        target = folder / f.path
        if target.is_file() and sha256_file(target) == f.sha256:
            return "present"
        data, how = _obtain(corpus, f, mirror, opener)
        actual = sha256_bytes(data)
        if actual != f.sha256:
            raise FetchError(
                f"{corpus.name}/{f.path}: SHA-256 mismatch (expected {f.sha256}, got {actual})"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".fetch-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            Path(tmp).replace(target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        if log:
            log(f"{how} {corpus.name}/{f.path}")
        return how

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [(f, pool.submit(one, f)) for f in corpus.files]
        for f, future in futures:
            try:
                counts[future.result()] += 1
            except FetchError as exc:
                failures.append(str(exc))
            except OSError as exc:
                failures.append(f"{corpus.name}/{f.path}: {exc}")
    if failures:
        shown = "\n".join(failures[:20])
        more = f"\n... and {len(failures) - 20} more" if len(failures) > 20 else ""
        raise FetchError(f"{corpus.name}: {len(failures)} file(s) failed:\n{shown}{more}")
    write_source_note(corpus, folder)
    return counts


def fetch_corpora(
    names: list[str],
    dest: Path,
    *,
    mirror: Path | None = None,
    manifest: Path | None = None,
    opener: Opener | None = None,
    jobs: int = 8,
    log: Callable[[str], None] | None = None,
) -> dict[str, dict[str, int] | str]:
    """Fetch each named corpus; the answer maps a name to its counts or its failure message.

    Raises :class:`FetchError` for bad input (an unknown name, a mirror that is the
    destination); a corpus that fails is reported in the answer and the others still run.
    """
    corpora = load_manifest(manifest)
    unknown = [n for n in names if n not in corpora]
    if unknown:
        raise FetchError(f"unknown corpus {', '.join(unknown)}; known: {', '.join(corpora)}")
    if not names:
        raise FetchError("name a corpus or pass --all (see --list)")
    if mirror is not None:
        if not mirror.is_dir():
            raise FetchError(f"the mirror {mirror} is not a folder")
        if mirror.resolve() == dest.resolve():
            raise FetchError(f"the mirror and the destination are the same folder ({mirror})")
    results: dict[str, dict[str, int] | str] = {}
    for name in names:
        try:
            results[name] = fetch_corpus(
                corpora[name], dest, mirror=mirror, opener=opener, jobs=jobs, log=log
            )
        except FetchError as exc:
            results[name] = str(exc)
    return results


def default_dest() -> Path:
    """``$SENSATION_CORPORA`` when set, else ``data/corpora``."""
    return Path(os.environ.get(CORPORA_ENV) or DEFAULT_DEST)


def default_mirror() -> Path | None:
    value = os.environ.get(MIRROR_ENV)
    return Path(value) if value else None


# ---------------------------------------------------------------------------------------------
# SOURCE.md and the checksum tables


def source_note(corpus: Corpus) -> str:
    """The corpus's SOURCE.md: where every file comes from, its licence and checksums."""
    lines = [
        f"# {corpus.title}",
        "",
        "Written by `python -m training fetch` from `datasets/manifest.toml`; the files beside"
        " it were fetched from the addresses below and each matched its SHA-256.",
        "",
        f"- Repository: https://github.com/{corpus.repository}",
        "- Commits (they hold the same files; the first that answers is used): "
        + ", ".join(corpus.commits),
        f"- Licence: {corpus.licence}",
    ]
    if corpus.cite:
        lines.append(f"- Cite: {corpus.cite}")
    if corpus.note:
        lines += ["", corpus.note]
    lines += ["", "| file | from | SHA-256 |", "|---|---|---|"]
    for f in corpus.files:
        if f.derived is not None:
            origin = f"joined from `{f.derived.join}`, one per `{f.derived.each}`, in order"
        else:
            assert f.upstream is not None
            repo = "" if f.upstream.repository == corpus.repository else f.upstream.repository
            origin = f"`{f.upstream.path}`" + (
                f" of {repo} ({f.upstream.commits[0]})" if repo else ""
            )
        lines.append(f"| `{f.path}` | {origin} | `{f.sha256}` |")
    return "\n".join(lines) + "\n"


def write_source_note(corpus: Corpus, folder: Path) -> None:
    """Write SOURCE.md unless it already says the same (a read-only copy is left alone)."""
    target = folder / SOURCE_NOTE
    text = source_note(corpus)
    try:
        if target.is_file() and target.read_text("utf-8") == text:
            return
        target.write_text(text, "utf-8")
    except OSError:
        pass


def verify_folder(corpus: Corpus, folder: Path) -> list[str]:
    """Files of the manifest missing from ``folder`` or with another checksum (empty: all good)."""
    problems = []
    for f in corpus.files:
        path = folder / f.path
        if not path.is_file():
            problems.append(f"{f.path}: missing")
        elif sha256_file(path) != f.sha256:
            problems.append(f"{f.path}: SHA-256 differs")
    return problems


def write_manifest_checksums(root: Path, manifest: Path | None = None) -> int:
    """Rewrite the ``files`` table of each corpus from a verified local copy under ``root``.

    The descriptive part of the manifest is kept; SOURCE.md and each corpus's ``exclude``
    list are left out. Returns the number of files listed.
    """
    manifest = manifest or MANIFEST
    text = manifest.read_text("utf-8")
    head = text.split("\n# --- checksums", 1)[0].rstrip() + "\n"
    raw = tomllib.loads(head)
    lines = ["", "# --- checksums (python -m training fetch --write-manifest ROOT) ---"]
    total = 0
    for name, entry in raw.get("corpus", {}).items():
        folder = root / name
        if not folder.is_dir():
            raise FetchError(f"{folder}: missing; cannot compute its checksums")
        skip = {SOURCE_NOTE, *entry.get("exclude", ())}
        lines += ["", f'[corpus."{name}".files]']
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            if rel in skip:
                continue
            lines.append(f'"{rel}" = "{sha256_file(path)}"')
            total += 1
    manifest.write_text(head + "\n".join(lines) + "\n", "utf-8")
    return total


if __name__ == "__main__":
    raise SystemExit("the fetch command is `python -m training fetch` (see --help there)")
