"""SemEval-2019 Task 4 hyperpartisan news, by-article training split: headline, body, label."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from datasets.corpora import Example

FOLDER = "hyperpartisan-semeval2019"
ARTICLES = "articles-training-byarticle-20181122.xml"
TRUTH = "ground-truth-training-byarticle-20181122.xml"

_PLACEHOLDER = re.compile(r"\{MID-\d+\}")
_SPACES = re.compile(r"[ \t]+")


def article_body(element: ET.Element) -> str:
    """The body as plain text: one paragraph per line, link text kept, placeholders dropped."""
    paragraphs = []
    for p in element.iter("p"):
        text = _SPACES.sub(" ", "".join(p.itertext())).strip()
        if text:
            paragraphs.append(_SPACES.sub(" ", html.unescape(_PLACEHOLDER.sub("", text))).strip())
    if not paragraphs:  # a few articles have no <p>: fall back to all their text
        paragraphs = [_SPACES.sub(" ", "".join(element.itertext())).strip()]
    return "\n".join(p for p in paragraphs if p)


def read_hyperpartisan(root: Path) -> Iterator[Example]:
    """Yield one Example per article: label 1.0 when hyperpartisan, 0.0 when not."""
    folder = root / FOLDER
    truth = {
        el.get("id"): el.get("hyperpartisan")
        for el in ET.parse(folder / TRUTH).getroot().iter("article")
    }
    for el in ET.parse(folder / ARTICLES).getroot().iter("article"):
        doc_id = el.get("id", "")
        verdict = truth.get(doc_id)
        if verdict not in ("true", "false"):
            raise ValueError(f"{folder / TRUTH}: article {doc_id} has no true/false label")
        yield Example(
            html.unescape(el.get("title", "")).strip(),
            article_body(el),
            1.0 if verdict == "true" else 0.0,
            f"{folder / ARTICLES}#{doc_id}",
        )
