"""Headline and body text of an article page, with the page furniture left out.

A browser extension can send the page's HTML instead of scraping the text itself. The
extracted strings are what gets scored, so span offsets refer to them; the API returns them
with a verdict on how far they can be trusted (``quality``).

The body comes from trafilatura (Apache-2.0), the best-measured open extractor, run on a tree
this module has prepared first (teaser cards of other stories and menus taken out, a page-wide
``<form>`` unwrapped); of what it finds, paragraphs that sit in small furniture boxes (ads,
sign-up, "most popular") are left out. The headline is chosen here: the page's heading that
matches what the publisher declared (JSON-LD, ``og:title``, ``<title>``), never a logo or a
sidebar heading. ``benchmarks/extraction.py`` measures it beside trafilatura alone.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura import bare_extraction
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from sensational.results import ExtractionQuality

# trafilatura logs every page it gives up on, with its address: not for the service's log.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# The main text only (no comments), tables kept. `fast` first: trafilatura's own rules, without
# the readability/jusText second opinions that cost a quarter of the time and change F1 on the
# evaluation pages by 0.002. When that finds little (a doubtful extraction), the second
# opinions are asked: they rescue news pages whose markup the rules miss.
_FAST = Extractor(output_format="python", fast=True, comments=False, tables=True)
_THOROUGH = Extractor(output_format="python", comments=False, tables=True)

_FRAGMENT_PARSER = HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# "Headline | Site", "Site » Section » Headline": the separators of a page's <title>.
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\u2013\u2014\u00bb\u00b7\u2022-]|::)\s+")
# class/id words of boxes that are never the article: ads, consent, sign-up and share boxes,
# lists of other stories. Matched by word, so "non-ad-column" and "paywall" match too: sites
# give such names to the article's own wrapper, so a box holding article prose is left alone.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|newsletter|subscribe|subscription|signup|"
    r"share|sharing|social|related|recommended|promo|advert|advertisement|ads?|sponsored|"
    r"banner|popup|modal|paywall|comments?|breadcrumbs?|most-?read|most-?popular|trending|"
    r"outbrain|taboola|read-?more|more-?stories)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A furniture box holds no paragraph this long and at most this share of the extracted text;
# more is the article's own wrapper.
_PROSE_CHARS = 250
_FURNITURE_MAX_SHARE = 0.25
_SITE_PART = re.compile(
    r"(?:^|[\s_-])(?:logo|brand|masthead|site-?(?:title|name|header)|navbar)",
    re.IGNORECASE,
)
_OUTSIDE_ARTICLE = {"nav", "footer", "aside"}
# A teaser card: an <article> whose heading links elsewhere and that holds little text.
_TEASER_MAX_CHARS = 1000
# trafilatura's block elements, each one paragraph of the body.
_BLOCKS = {"p", "head", "item", "quote", "cell", "list", "table", "row", "lb", "div"}
_JSON_LD_TYPES = re.compile(r"Article|Posting|Report|NewsArticle|WebPage", re.IGNORECASE)

# Quality thresholds, in words of the body.
_VERY_SHORT_WORDS = 50
_TEASER_WORDS = 150
_MOSTLY_LINKS = 0.5


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """Text taken from an article page.

    Attributes
    ----------
    headline
        The page's heading that matches the title the publisher declared; else that title.
    body
        The article's paragraphs, one per line, blank lines between them.
    quality
        ``ok``, or ``doubtful`` with the reason (very short, teaser-sized, mostly links, ...),
        so a client knows when to send the article text itself.
    """

    headline: str
    body: str
    quality: ExtractionQuality


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """Extract the headline and body text of an article page.

    Parameters
    ----------
    html
        The page's HTML as the browser has it. Malformed markup is accepted, as browsers do.
    url
        The page's address, when known; used to resolve the page's own links.

    Returns
    -------
    ExtractedArticle
        Both strings are empty when the page has no headline or no prose.

    Examples
    --------
    >>> page = "<nav>Home</nav><article><h1>Storm hits</h1><p>Rain fell.</p></article>"
    >>> article = extract_article(page)
    >>> article.headline, article.body
    ('Storm hits', 'Rain fell.')
    """
    tree = _parse(html)
    if tree is None:
        return ExtractedArticle("", "", assess("", ""))
    headline, heading = _headline(tree)
    body_node = tree.find("body")
    if body_node is None:
        return ExtractedArticle(headline, "", assess(headline, ""))
    _prepare(body_node, heading)
    links = {_clean(a.text_content()) for a in body_node.iter("a")}
    article = _extract(tree, body_node, headline, links, url, _FAST)
    if article.quality.status == "doubtful":
        # Little or no article found: worth trafilatura's second opinions before giving up.
        second = _extract(tree, body_node, headline, links, url, _THOROUGH)
        if second.quality.status == "ok":
            return second
    return article


def _extract(
    tree: HtmlElement,
    body_node: HtmlElement,
    headline: str,
    links: set[str],
    url: str | None,
    options: Extractor,
) -> ExtractedArticle:
    """The body trafilatura finds in the prepared tree, less the paragraphs of furniture boxes."""
    document = bare_extraction(tree, url=url, options=options)
    found = [
        text
        for text in (_paragraphs(document.body) if document is not None else ())
        if text != headline
    ]
    dropped = _furniture(body_node, found)
    paragraphs = [text for text in found if text not in dropped]
    body = "\n\n".join(paragraphs)
    linked = sum(len(text) for text in paragraphs if text in links)
    link_share = linked / len(body) if body else 0.0
    return ExtractedArticle(headline, body, assess(headline, body, link_share))


def assess(headline: str, body: str, link_share: float = 0.0) -> ExtractionQuality:
    """Say whether an extracted article can be trusted as the page's article.

    Parameters
    ----------
    headline, body
        The extracted texts.
    link_share
        Share of the body's characters that were link text on the page.
    """
    words = len(_WORD.findall(body))
    paragraphs = body.count("\n\n") + 1 if body else 0
    if not body:
        return ExtractionQuality.doubtful(
            "no_body", "no article text was found in the page; send the article text in `body`"
        )
    if link_share > _MOSTLY_LINKS:
        return ExtractionQuality.doubtful(
            "mostly_links",
            f"{link_share:.0%} of the extracted text is link text: the page looks like a list"
            " of stories, not one article",
        )
    if words < _VERY_SHORT_WORDS:
        return ExtractionQuality.doubtful(
            "very_short",
            f"the extracted body has {words} words: the page may be paywalled or load its"
            " text by script; send the article text in `body`",
        )
    if words < _TEASER_WORDS and paragraphs <= 2:
        return ExtractionQuality.doubtful(
            "teaser",
            f"the extracted body has {words} words in {paragraphs} paragraph(s): it may be a"
            " teaser or summary, not the full article",
        )
    if not headline:
        return ExtractionQuality.doubtful("no_headline", "no headline was found in the page")
    return ExtractionQuality.ok()


def _parse(html: str) -> HtmlElement | None:
    if not html or not html.strip():
        return None
    # trafilatura's loader repairs what libxml2 trips on (XHTML doctypes, <html/>) but takes
    # whole documents only; a fragment is parsed as the body of one.
    tree = load_html(html)
    if tree is not None and tree.tag == "html":
        return tree
    try:
        return document_fromstring(html, parser=_FRAGMENT_PARSER)
    except ValueError:
        # A string that declares its own encoding (<?xml ... encoding=...?>): parse the bytes.
        return document_fromstring(html.encode("utf-8", "replace"), parser=_FRAGMENT_PARSER)
    except etree.ParserError:
        return None


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _text(node: HtmlElement) -> str:
    return _clean(node.text_content())


def _tokens(node: HtmlElement) -> str:
    return f"{node.get('class') or ''} {node.get('id') or ''}"


# ---------------------------------------------------------------------------------- headline


def _headline(tree: HtmlElement) -> tuple[str, HtmlElement | None]:
    """The headline and the heading element it came from (None when from metadata).

    The page's own heading wins when it matches a title the page declares; of the two, the
    shorter is the headline (a heading may carry a kicker, a title the site's name).
    """
    site = _site_name(tree)
    meta, title = _declared_titles(tree)
    named = [t for t in (_without_site(t, site) for t in meta) if _key(t) != _key(site)]
    # Of a <title>'s parts ("Story | Section | Site"), the longest is the story's.
    parts = sorted(
        (p for p in _TITLE_SEPARATOR.split(title) if _key(p) and _key(p) != _key(site)),
        key=len,
        reverse=True,
    )
    declared = [*named, *([title] if title else []), *parts]
    headings = [(h, _text(h)) for h in tree.iter("h1", "h2") if not _is_site_heading(h, site)]
    headings = [(h, text) for h, text in headings if text]
    for candidate in declared:
        key = _key(candidate)
        for heading, text in headings:
            if _same_title(_key(text), key):
                return (text, heading) if len(text) <= len(candidate) else (candidate, heading)
    h1 = next((h for h, _ in headings if h.tag == "h1"), None)
    if h1 is not None and (_in_article(h1) or not declared):
        return _text(h1), h1
    if named or parts:
        return (named or parts)[0], None
    return (_text(h1), h1) if h1 is not None else ("", None)


def _declared_titles(tree: HtmlElement) -> tuple[list[str], str]:
    """Titles the page declares in its metadata, most trusted first, and its <title>."""
    titles: list[str] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            titles.extend(_json_ld_headlines(script.text))
    for name in ("og:title", "twitter:title"):
        for meta in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]'):
            if text := _clean(meta.get("content") or ""):
                titles.append(text)
    title = next((_clean(t.text_content()) for t in tree.iter("title")), "")
    return titles, title


def _json_ld_headlines(text: str) -> Iterator[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            headline = item.get("headline")
            if isinstance(headline, str) and any(
                isinstance(k, str) and _JSON_LD_TYPES.search(k) for k in kinds
            ):
                if text := _clean(headline):
                    yield text
            if isinstance(item.get("@graph"), list):
                stack.extend(reversed(item["@graph"]))


def _site_name(tree: HtmlElement) -> str:
    for meta in tree.xpath('//meta[@property="og:site_name"]'):
        if text := _clean(meta.get("content") or ""):
            return text
    return ""


def _is_site_heading(heading: HtmlElement, site: str) -> bool:
    """A logo, a site title or a heading of the page's header, menus, sidebar or footer."""
    if site and _key(_text(heading)) == _key(site):
        return True
    ancestors = list(heading.iterancestors())
    in_article = any(a.tag in ("article", "main") for a in ancestors)
    for node in (heading, *ancestors):
        if node.tag in ("article", "main"):
            break
        if node.tag in _OUTSIDE_ARTICLE or _SITE_PART.search(_tokens(node)):
            return True
        # <article><header><h1> is the article's own header; a page-level one is the site's.
        if node.tag == "header" and not in_article:
            return True
    # A heading that is nothing but a link home is the site's name.
    links = heading.xpath(".//a[@href]")
    return len(links) == 1 and (links[0].get("href") or "").rstrip("/") in ("", ".")


def _without_site(title: str, site: str) -> str:
    """``Headline - Site`` or ``Site | Headline`` without the site's name."""
    if not site:
        return title
    parts = _TITLE_SEPARATOR.split(title)
    kept = [p for p in parts if _key(p) != _key(site)]
    return " - ".join(kept) if kept and len(kept) < len(parts) else title


def _in_article(node: HtmlElement) -> bool:
    return any(a.tag in ("article", "main") for a in node.iterancestors())


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _same_title(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 0.6 * len(longer) and shorter in longer


# ------------------------------------------------------------------------------ preparation


def _prepare(body: HtmlElement, heading: HtmlElement | None) -> None:
    """Take out what trafilatura would mistake for the article, keep what it would drop."""
    # Scripts and styles only inflate text lengths (the JSON-LD title is already read).
    etree.strip_elements(body, "script", "style", "template", with_tail=False)
    total = len(body.text_content()) or 1
    # ASP.NET and similar sites put the whole page in one <form>: keep its content.
    for form in list(body.iter("form")):
        if len(form.text_content()) > 0.5 * total:
            form.drop_tag()
    keep = set(heading.iterancestors()) if heading is not None else set()
    # trafilatura's cleaning drops menus, but its fallbacks for short pages read the raw tree.
    # A <nav> left unclosed can hold the whole page: one that holds most of the page's text,
    # and prose rather than links, stays.
    for nav in list(body.iter("nav")):
        if nav in keep:
            continue
        text = len(nav.text_content())
        linked = sum(len(a.text_content()) for a in nav.iter("a"))
        if text < max(0.5 * total, _PROSE_CHARS) or linked >= 0.5 * text:
            nav.drop_tree()
    _drop_teasers(body, keep)


def _drop_teasers(body: HtmlElement, keep: set[HtmlElement]) -> None:
    """Teaser cards of other stories, when the page has several <article>s.

    trafilatura takes the first <article> for the story; on a page whose story is in a <div>
    and whose "more stories" are <article> cards, that is a card.
    """
    articles = [a for a in body.iter("article") if next(a.iterancestors("article"), None) is None]
    if len(articles) < 2:
        return
    for article in articles:
        if article in keep:
            continue
        headings = article.xpath(
            ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
        )
        linked = any(h.xpath(".//a[@href] | ancestor::a[@href]") for h in headings)
        if linked and len(article.text_content()) < _TEASER_MAX_CHARS:
            article.drop_tree()


def _furniture(body: HtmlElement, paragraphs: list[str]) -> set[str]:
    """Extracted paragraphs that sit in a furniture box (ads, sign-up, share, other stories).

    A box named like furniture that holds article prose is the article's own wrapper
    (``non-ad-column``, ``ad_body``, ``paywall``, ``modal-enabled``): its paragraphs stay.
    """
    dropped: set[str] = set()
    total = sum(map(len, paragraphs))
    for node in body.iter("div", "section", "aside", "ul", "ol", "span", "p", "figure"):
        names = _tokens(node)
        if not names.strip() or not _FURNITURE.search(names):
            continue
        text = _text(node)
        inside = [p for p in paragraphs if p in text]
        if not inside:
            continue
        longest, held = max(map(len, inside)), sum(map(len, inside))
        if longest < _PROSE_CHARS and held < _FURNITURE_MAX_SHARE * total:
            dropped.update(inside)
    return dropped


# ------------------------------------------------------------------------------- paragraphs


def _paragraphs(body: etree._Element) -> Iterator[str]:
    """Each block of trafilatura's output tree as one paragraph."""
    pieces: list[str] = []

    def flush() -> Iterator[str]:
        if text := _clean("".join(pieces)):
            yield text
        pieces.clear()

    def walk(node: etree._Element) -> Iterator[str]:
        block = node.tag in _BLOCKS
        if block:
            yield from flush()
        if node.text:
            pieces.append(node.text)
        for child in node:
            yield from walk(child)
        if block:
            yield from flush()
        if node.tail:
            pieces.append(node.tail)

    for child in body:
        yield from walk(child)
    yield from flush()
