"""The graded sensationalism reference set: real articles from the public corpora, graded by
reading each against ``docs/criteria.md``.

The grades live in ``datasets/reference/articles.jsonl``; the texts stay in the corpora and are
read by id, so nothing of a publisher's text is copied here. Each row records a checksum of
the text it was graded on, and :func:`load_reference` refuses a corpus copy whose text differs.

Split: ``test`` is the held-out fifth (``holdout_bucket(ref_id) == 0``), never used to fit or
tune anything; ``dev`` is the rest.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from datasets.adapters.hyperpartisan import ARTICLES, TRUTH, article_body
from datasets.adapters.hyperpartisan import FOLDER as HYPERPARTISAN
from datasets.adapters.newsagendas import read_newsagendas
from datasets.adapters.polnear import FOLDER as POLNEAR
from datasets.adapters.ptc import read_ptc
from datasets.corpora import holdout_bucket
from sensational.criteria import CRITERIA as _CRITERIA

FOLDER = Path(__file__).resolve().parent / "reference"
ARTICLES_FILE = FOLDER / "articles.jsonl"
REGRADE_FILE = FOLDER / "regrade.jsonl"
PAIRS_FILE = FOLDER / "headline_pairs.jsonl"

CRITERIA = tuple(_CRITERIA)
SOURCING_LABELS = ("several_named", "single", "anonymous_hedged", "unattributed")


@dataclass(frozen=True, slots=True)
class Article:
    """A real article as the corpora hold it: ``ref_id`` is ``<corpus>:<doc_id>``."""

    ref_id: str
    corpus: str
    outlet: str
    headline: str
    body: str

    @property
    def checksum(self) -> str:
        return text_checksum(self.headline, self.body)


@dataclass(frozen=True, slots=True)
class Sourcing:
    """The sourcing judgment of an article's main claim (docs/criteria.md, sourcing rubric)."""

    label: str
    independent_sources: int
    main_source: str = ""

    @property
    def thin(self) -> bool:
        return self.label != "several_named"


@dataclass(frozen=True, slots=True)
class GradedArticle:
    """An article with its grades: ``grade`` for the article, ``headline_grade`` for the
    headline alone, both 0-3; ``criteria`` the codes that apply."""

    article: Article
    grade: int
    headline_grade: int
    criteria: tuple[str, ...]
    sourcing: Sourcing
    note: str = ""
    split: str = field(default="dev")

    @property
    def sensational(self) -> bool:
        return self.grade >= 2

    @property
    def ref_id(self) -> str:
        return self.article.ref_id


def text_checksum(headline: str, body: str) -> str:
    """First 16 hex digits of the SHA-256 of ``headline + "\\n\\n" + body``."""
    return hashlib.sha256(f"{headline}\n\n{body}".encode()).hexdigest()[:16]


def split_of(ref_id: str) -> str:
    return "test" if holdout_bucket(ref_id) == 0 else "dev"


def reserved_ids(path: Path = ARTICLES_FILE) -> frozenset[str]:
    """``ref_id`` of the graded articles in the held-out fifth: no part of a model may train
    on them, whichever corpus brings them (the trainer drops them from every source)."""
    if not path.is_file():
        return frozenset()
    return frozenset(str(r["id"]) for r in read_grades(path) if split_of(str(r["id"])) == "test")


@dataclass(frozen=True, slots=True)
class HeadlinePair:
    """The same news told in a tabloid and a sober headline, written for the project."""

    pair_id: str
    tabloid: str
    sober: str
    criteria: tuple[str, ...] = ()

    @property
    def split(self) -> str:
        return split_of(self.pair_id)


def read_pairs(path: Path = PAIRS_FILE) -> list[HeadlinePair]:
    """The project's headline pairs; ``ValueError`` names a malformed line."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pair = HeadlinePair(
                    str(row["id"]),
                    str(row["tabloid"]).strip(),
                    str(row["sober"]).strip(),
                    tuple(row.get("criteria", ())),
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{lineno}: {exc}") from exc
            if not pair.tabloid or not pair.sober:
                raise ValueError(f"{path}:{lineno}: both headlines are needed")
            unknown = set(pair.criteria) - set(CRITERIA)
            if unknown:
                raise ValueError(f"{path}:{lineno}: unknown criteria {sorted(unknown)}")
            out.append(pair)
    return out


# ---------------------------------------------------------------------------------------------
# Reading the candidate articles from the corpora


def read_articles(root: Path) -> Iterator[Article]:
    """Every article of the corpora the reference set draws from, in a stable order."""
    yield from _hyperpartisan(root)
    for dev, corpus in ((False, "ptc"), (True, "ptc-dev")):
        for doc in read_ptc(root, dev=dev):
            headline, _, body = doc.text.partition("\n")
            yield Article(f"{corpus}:{doc.doc_id}", corpus, "", headline.strip(), body.strip())
    for split in ("train", "dev"):
        for path in sorted((root / POLNEAR / split / "text").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            headline, _, body = text.partition("\n")
            outlet = path.stem.split("_", 1)[0]
            yield Article(f"polnear:{path.stem}", "polnear", outlet, headline.strip(), body.strip())
    for row in read_newsagendas(root):
        yield Article(
            f"newsagendas:{row.doc_id}", "newsagendas", row.source_type, row.headline, row.body
        )


def _hyperpartisan(root: Path) -> Iterator[Article]:
    folder = root / HYPERPARTISAN
    urls = {el.get("id"): el.get("url", "") for el in ET.parse(folder / TRUTH).getroot()}
    for el in ET.parse(folder / ARTICLES).getroot().iter("article"):
        doc_id = el.get("id", "")
        outlet = urlparse(urls.get(doc_id) or "").netloc.removeprefix("www.")
        headline = (el.get("title") or "").strip()
        yield Article(
            f"hyperpartisan:{doc_id}", "hyperpartisan", outlet, headline, article_body(el)
        )


def sample_candidates(
    articles: Iterable[Article],
    quotas: dict[str, tuple[int, int]],
    *,
    min_chars: int = 400,
    max_chars: int = 9000,
) -> list[Article]:
    """A deterministic sample: per corpus, ``quotas[corpus] = (articles, per outlet)`` taken in
    order of the hash of their id, at most ``per outlet`` from one outlet, bodies between
    ``min_chars`` and ``max_chars`` (a graded article must be read whole)."""
    by_corpus: dict[str, list[Article]] = {}
    for a in articles:
        if a.headline and min_chars <= len(a.body) <= max_chars:
            by_corpus.setdefault(a.corpus, []).append(a)
    out: list[Article] = []
    for corpus, (quota, per_outlet) in quotas.items():
        outlets: Counter[str] = Counter()
        pool = sorted(by_corpus.get(corpus, []), key=lambda a: _order(a.ref_id))
        taken = 0
        for a in pool:
            if taken >= quota:
                break
            if a.outlet and outlets[a.outlet] >= per_outlet:
                continue
            outlets[a.outlet] += 1
            taken += 1
            out.append(a)
    return out


# The sample the reference set was graded on (``python -m datasets.reference sample``).
SAMPLE_QUOTAS: dict[str, tuple[int, int]] = {
    "hyperpartisan": (200, 8),
    "polnear": (140, 20),
    "newsagendas": (120, 30),
    "ptc": (80, 80),
    "ptc-dev": (20, 20),
}


def _order(ref_id: str) -> str:
    return hashlib.sha256(f"reference-sample:{ref_id}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# The graded set


def read_grades(path: Path = ARTICLES_FILE) -> list[dict[str, object]]:
    """The grade rows as written, each checked; ``ValueError`` names the line at fault."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                _check_row(row)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{lineno}: {exc}") from exc
            rows.append(row)
    return rows


def _check_row(row: dict[str, object]) -> None:
    for key in ("grade", "headline_grade"):
        if row[key] not in (0, 1, 2, 3):
            raise ValueError(f"{key} must be 0, 1, 2 or 3, not {row[key]!r}")
    unknown = set(row["criteria"]) - set(CRITERIA)  # type: ignore[arg-type]
    if unknown:
        raise ValueError(f"unknown criteria {sorted(unknown)}; known: {', '.join(CRITERIA)}")
    sourcing = row["sourcing"]
    if not isinstance(sourcing, dict) or sourcing["label"] not in SOURCING_LABELS:
        raise ValueError(f"sourcing.label must be one of {', '.join(SOURCING_LABELS)}")


def load_reference(root: Path, path: Path = ARTICLES_FILE) -> list[GradedArticle]:
    """The graded articles with their texts read from the corpora under ``root``.

    Raises
    ------
    ValueError
        When a graded article is missing from the corpora or its text differs from the text
        that was graded (another version of the corpus).
    """
    rows = read_grades(path)
    wanted = {str(r["id"]) for r in rows}
    texts = {a.ref_id: a for a in read_articles(root) if a.ref_id in wanted}
    out = []
    for row in rows:
        ref_id = str(row["id"])
        article = texts.get(ref_id)
        if article is None:
            raise ValueError(f"{path}: {ref_id} is not in the corpora under {root}")
        if article.checksum != row["checksum"]:
            raise ValueError(
                f"{path}: the text of {ref_id} differs from the graded one (checksum"
                f" {article.checksum}, graded {row['checksum']}): another version of the corpus?"
            )
        s = row["sourcing"]
        assert isinstance(s, dict)
        out.append(
            GradedArticle(
                article,
                int(row["grade"]),  # type: ignore[call-overload]
                int(row["headline_grade"]),  # type: ignore[call-overload]
                tuple(row["criteria"]),  # type: ignore[arg-type]
                Sourcing(
                    str(s["label"]),
                    int(s.get("independent_sources", 0)),
                    str(s.get("main_source", "")),
                ),
                str(row.get("note", "")),
                split_of(ref_id),
            )
        )
    return out


def agreement(
    first: Path = ARTICLES_FILE, second: Path = REGRADE_FILE
) -> dict[str, dict[str, float]]:
    """Agreement of the blind re-grading (``regrade.jsonl``) with the first grading.

    Weighted Cohen's kappa (quadratic and linear weights) for the article and headline grades,
    kappa of the binarised grade (>= 2) and of the sourcing label, and raw agreement.
    """
    from sklearn.metrics import cohen_kappa_score

    a = {str(r["id"]): r for r in read_grades(first)}
    b = read_grades(second)
    missing = [str(r["id"]) for r in b if str(r["id"]) not in a]
    if missing:
        raise ValueError(f"{second}: re-graded ids not in {first.name}: {missing[:5]}")
    pairs = [(a[str(r["id"])], r) for r in b]
    out: dict[str, dict[str, float]] = {}
    for key in ("grade", "headline_grade"):
        x = [int(p[key]) for p, _ in pairs]  # type: ignore[call-overload]
        y = [int(q[key]) for _, q in pairs]  # type: ignore[call-overload]
        out[key] = {
            "n": len(x),
            "kappa_quadratic": round(float(cohen_kappa_score(x, y, weights="quadratic")), 3),
            "kappa_linear": round(float(cohen_kappa_score(x, y, weights="linear")), 3),
            "kappa_binary": round(
                float(cohen_kappa_score([v >= 2 for v in x], [v >= 2 for v in y])), 3
            ),
            "exact": round(sum(i == j for i, j in zip(x, y, strict=True)) / len(x), 3),
        }
    sx = [p["sourcing"]["label"] for p, _ in pairs]  # type: ignore[index]
    sy = [q["sourcing"]["label"] for _, q in pairs]  # type: ignore[index]
    out["sourcing"] = {
        "n": len(sx),
        "kappa": round(float(cohen_kappa_score(sx, sy)), 3),
        "exact": round(sum(i == j for i, j in zip(sx, sy, strict=True)) / len(sx), 3),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m datasets.reference agreement`` prints the re-grading agreement as JSON;
    ``python -m datasets.reference sample [--corpora DIR]`` lists the ids of the sample the
    set was graded on."""
    import argparse
    import sys

    from datasets.corpora import corpora_root

    parser = argparse.ArgumentParser(prog="python -m datasets.reference")
    parser.add_argument("command", choices=("agreement", "sample"))
    parser.add_argument("--corpora", default=None, help="the corpora root")
    args = parser.parse_args(argv)
    if args.command == "agreement":
        sys.stdout.write(json.dumps(agreement(), indent=2) + "\n")
        return 0
    root = corpora_root(args.corpora)
    if root is None:
        parser.error("no corpora root: pass --corpora or set SENSATION_CORPORA")
    for a in sample_candidates(read_articles(root), SAMPLE_QUOTAS):
        sys.stdout.write(a.ref_id + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
