"""Article extraction from page HTML: one small page of our own for each way extraction failed.

Each page in ``tests/pages`` is built around one cause (its ``cause`` in ``annotations.json``);
``with`` segments must be in the extracted body, ``without`` segments must not, and the
headline must be the story's, as in the evaluation set's metric.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sensational.html import assess, extract_article

PAGES = Path(__file__).resolve().parent.parent / "pages"
ANNOTATIONS = json.loads((PAGES / "annotations.json").read_text(encoding="utf-8"))


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(ANNOTATIONS))
def test_each_failure_cause_page_gives_the_story_and_nothing_else(name):
    expected = ANNOTATIONS[name]
    article = extract_article(page(name))
    missing = [s for s in expected["with"] if s not in article.body]
    kept = [s for s in expected["without"] if s in article.body]
    assert not missing, f"{expected['cause']}: article text lost"
    assert not kept, f"{expected['cause']}: furniture kept"
    assert article.headline == expected["headline"]
    assert article.headline not in article.body.split("\n\n")
    assert article.quality.status == "ok"


def test_furniture_words_in_a_wrapper_name_do_not_delete_the_article():
    # The article's own wrappers are named non-ad-column, Page-ad-margins, ad_body, paywall and
    # modal-enabled; the real ad box and the sign-up banner next to them still go.
    article = extract_article(page("furniture_classes"))
    assert len(article.body.split("\n\n")) == 7
    assert "Advertisement" not in article.body
    assert "Subscribe today" not in article.body


def test_a_page_inside_one_form_keeps_its_article_but_not_its_sign_up_box():
    body = extract_article(page("aspnet_form")).body
    assert body.startswith("The harbour authority has approved plans")
    assert "Sign up" not in body


def test_text_split_by_br_is_kept_when_the_page_also_has_paragraphs():
    body = extract_article(page("div_br_text")).body
    assert len(body.split("\n\n")) >= 5
    assert "Photograph: Valley Courier" not in body


def test_teaser_cards_are_not_taken_for_the_story():
    article = extract_article(page("teaser_articles"))
    assert article.body.startswith("Patients who started walking")
    assert "Clinic waiting lists" not in article.body


def test_paragraphs_are_separated_by_blank_lines_and_collapse_whitespace():
    body = extract_article(page("headline_logo")).body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 4
    assert all(p == " ".join(p.split()) for p in paragraphs)


@pytest.mark.parametrize(
    ("html", "headline"),
    [
        ('<meta property="og:title" content="From OG"><title>T | Site</title>', "From OG"),
        ("<title>Only the title - Some Site</title><p>x</p>", "Only the title"),
        ("<title>Site » Blog » The story's own title</title>", "The story's own title"),
        ("<h1> Spaced\n  out </h1>", "Spaced out"),
        ("<p>No headline anywhere</p>", ""),
        # A heading with a kicker: the declared title is the headline.
        (
            '<meta property="og:title" content="Rates rise again"><article><h1>'
            "<span>Economy</span> Rates rise again</h1></article>",
            "Rates rise again",
        ),
        # A title with the site's name: the page's heading is the headline.
        (
            '<meta property="og:site_name" content="Daily Example"><title>Rates rise again |'
            " Daily Example</title><h1>Rates rise again</h1>",
            "Rates rise again",
        ),
        # JSON-LD is what the publisher declares first.
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "From'
            ' JSON-LD"}</script><header><h1>Site name</h1></header><h2>From JSON-LD</h2>',
            "From JSON-LD",
        ),
    ],
)
def test_headline_is_the_page_heading_that_matches_the_declared_title(html, headline):
    assert extract_article(html).headline == headline


@pytest.mark.parametrize(
    "html", ["", "plain text", "<<<>>>", "<p", "\x00\x01", "<html></html>", "<?xml version='1.0'?>"]
)
def test_malformed_or_empty_html_does_not_raise(html):
    article = extract_article(html)
    assert isinstance(article.headline, str)
    assert isinstance(article.body, str)
    assert article.quality.status in ("ok", "doubtful")


def test_an_encoding_declaration_in_a_string_is_accepted():
    html = '<?xml version="1.0" encoding="iso-8859-1"?>' + page("headline_logo")
    assert extract_article(html).headline == "Farmers report best cherry harvest in a decade"


def _article(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>A story</title></head><body><article><h1>A story</h1>{body}"


SENTENCE = "The council met on Tuesday and agreed the budget for the coming year after a debate. "


def test_quality_ok_for_a_full_article():
    article = extract_article(page("most_popular"))
    assert article.quality.status == "ok"
    assert article.quality.reason is None


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (_article([SENTENCE * 6]), "teaser"),
        (_article(["Subscribe to read the rest of this story."]), "very_short"),
        (
            "<html><body><main><h1>Latest news</h1><ul>"
            + "".join(
                f'<li><h3><a href="/s{i}">Council story number {i} about roads and rates</a></h3>'
                f'<p><a href="/s{i}">Read the full story about item {i} here</a></p></li>'
                for i in range(30)
            )
            + "</ul></main></body></html>",
            "mostly_links",
        ),
        ("<html><body><nav>Home</nav></body></html>", "no_body"),
    ],
)
def test_quality_doubtful_names_the_reason(html, reason):
    quality = extract_article(html).quality
    assert quality.status == "doubtful"
    assert quality.reason == reason
    assert quality.detail


def test_assess_thresholds():
    full = "\n\n".join([SENTENCE * 3] * 4)
    assert assess("Headline", full).status == "ok"
    assert assess("", full).reason == "no_headline"
    assert assess("Headline", full, link_share=0.9).reason == "mostly_links"
    assert assess("Headline", "").reason == "no_body"
