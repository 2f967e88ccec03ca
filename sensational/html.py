"""Headline and body text of an article page, with the page furniture left out.

A browser extension can send the page's HTML instead of scraping the text itself. The
extracted strings are what gets scored, so span offsets refer to them; the API returns them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements that never hold article prose.
_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "dialog",
]
# class/id words of consent banners, newsletter boxes, share bars, related-link lists, ads.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|newsletter|subscribe|subscription|signup|"
    r"share|sharing|social|related|recommended|promo|advert|advertisement|ad|ads|sponsored|"
    r"banner|popup|modal|paywall|comments?|breadcrumbs?|byline-share|most-read|trending)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog"}
_BLOCKS = "p, h2, h3, h4, blockquote, li, pre"
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
# "Headline | Site", "Headline - Site", "Headline — Site": the site name is not part of it.
_TITLE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]{1,60}$")


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """Text taken from an article page.

    Attributes
    ----------
    headline
        From the article's ``<h1>``, else ``og:title``, else ``<title>`` without the site name.
    body
        The article's paragraphs, one per line, blank lines between them.
    """

    headline: str
    body: str


def extract_article(html: str) -> ExtractedArticle:
    """Extract the headline and body text of an article page.

    Parameters
    ----------
    html
        The page's HTML as the browser has it. Malformed markup is accepted, as browsers do.

    Returns
    -------
    ExtractedArticle
        Both strings are empty when the page has no headline or no prose.

    Examples
    --------
    >>> page = "<nav>Home</nav><article><h1>Storm hits</h1><p>Rain fell.</p></article>"
    >>> extract_article(page)
    ExtractedArticle(headline='Storm hits', body='Rain fell.')
    """
    tree = LexborHTMLParser(html)
    headline = _headline(tree)
    tree.strip_tags(_DROP_TAGS)
    for node in tree.css("[class], [id], [role], [aria-hidden]"):
        if _is_furniture(node):
            node.decompose()
    container = _container(tree)
    if container is None:
        return ExtractedArticle(headline, "")
    paragraphs = []
    for node in container.css(_BLOCKS):
        # A <p> inside a <li> or <blockquote> is reached twice; keep the innermost only.
        if any(inner.mem_id != node.mem_id for inner in node.css(_BLOCKS)):
            continue
        text = _clean(node.text(deep=True, separator=" "))
        if text and text != headline:
            paragraphs.append(text)
    if not paragraphs:
        for heading in container.css("h1"):
            heading.decompose()
        text = _clean(container.text(deep=True, separator=" "))
        paragraphs = [text] if text and text != headline else []
    return ExtractedArticle(headline, "\n\n".join(paragraphs))


def _headline(tree: LexborHTMLParser) -> str:
    for selector in ("article h1", "main h1", "h1"):
        node = tree.css_first(selector)
        if node is not None and (text := _clean(node.text(deep=True, separator=" "))):
            return text
    meta = tree.css_first('meta[property="og:title"], meta[name="twitter:title"]')
    if meta is not None and (text := _clean(meta.attributes.get("content") or "")):
        return text
    title = tree.css_first("title")
    if title is not None and (text := _clean(title.text(deep=True))):
        return _TITLE_SUFFIX.sub("", text)
    return ""


def _is_furniture(node: LexborNode) -> bool:
    attrs = node.attributes
    if node.tag in ("article", "main", "body", "html"):
        return False
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return True
    if (attrs.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(_FURNITURE.search(names))


def _container(tree: LexborHTMLParser) -> LexborNode | None:
    candidates = tree.css('[itemprop="articleBody"]') or tree.css("article") or tree.css("main")
    if candidates:
        return max(candidates, key=lambda n: len(n.text(deep=True)))
    return tree.body


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
