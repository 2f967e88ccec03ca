"""Article HTML in, headline and body out, page furniture left out; offsets index the extract."""

from __future__ import annotations

import pytest

from sensational.html import extract_article

PAGE = """<!doctype html><html><head>
<title>Storm batters the coast | Daily Example</title>
<meta property="og:title" content="Storm batters the coast">
<style>p { color: red }</style><script>var tracking = "Shocking panic";</script>
</head><body>
<header><nav><a href="/">Home</a><a href="/world">World</a></nav></header>
<div class="cookie-consent"><p>We use cookies to improve your experience.</p></div>
<main><article>
  <h1>Storm  batters the <em>coast</em></h1>
  <div class="social-share"><ul><li>Share on X</li><li>Share by email</li></ul></div>
  <p>Winds reached 100 km/h on Tuesday, the weather service said.</p>
  <blockquote><p>"It was terrifying," one resident told reporters.</p></blockquote>
  <ul><li>Power was cut to 3,000 homes</li></ul>
  <div id="newsletter-box"><p>Sign up to our newsletter</p><form><input name=e></form></div>
  <aside><p>Related: ten storms that shocked the nation</p></aside>
  <p>Repairs will take a week, officials said.</p>
</article></main>
<div role="dialog"><p>Subscribe now for full access</p></div>
<footer><p>Copyright 2026 Daily Example</p></footer>
</body></html>"""


def test_extracts_headline_and_paragraphs_without_furniture():
    article = extract_article(PAGE)
    assert article.headline == "Storm batters the coast"
    assert article.body.split("\n\n") == [
        "Winds reached 100 km/h on Tuesday, the weather service said.",
        '"It was terrifying," one resident told reporters.',
        "Power was cut to 3,000 homes",
        "Repairs will take a week, officials said.",
    ]
    for furniture in ("Home", "cookies", "Share", "newsletter", "Related", "Subscribe", "Copy"):
        assert furniture not in article.body
    assert "tracking" not in article.body


@pytest.mark.parametrize(
    ("html", "headline"),
    [
        ('<meta property="og:title" content="From OG"><title>T | Site</title>', "From OG"),
        ("<title>Only the title - Some Site</title><p>x</p>", "Only the title"),
        ("<h1> Spaced\n  out </h1>", "Spaced out"),
        ("<p>No headline anywhere</p>", ""),
    ],
)
def test_headline_sources_in_order(html, headline):
    assert extract_article(html).headline == headline


def test_page_without_article_tag_uses_the_page_paragraphs():
    html = "<body><nav>Menu</nav><div><p>First para.</p><p>Second para.</p></div></body>"
    assert extract_article(html).body == "First para.\n\nSecond para."


@pytest.mark.parametrize("html", ["", "plain text", "<<<>>>", "<p", "\x00\x01", "<html></html>"])
def test_malformed_or_empty_html_does_not_raise(html):
    article = extract_article(html)
    assert isinstance(article.headline, str)
    assert isinstance(article.body, str)


def test_api_scores_the_extracted_text_and_returns_it(client):
    r = client.post("/v1/score", json={"html": PAGE})
    assert r.status_code == 200
    answer = r.json()
    extracted = answer["extracted"]
    assert extracted["headline"] == "Storm batters the coast"
    assert extracted["body"].startswith("Winds reached")
    for span in answer["framing"]["spans"]:
        assert extracted[span["field"]][span["start"] : span["end"]] == span["text"]
    direct = client.post("/v1/score", json=extracted).json()
    assert direct["score"] == answer["score"]


def test_sent_text_fields_win_over_the_extract(client):
    r = client.post("/v1/score", json={"html": PAGE, "headline": "My own headline"})
    assert r.status_code == 200
    assert r.json()["extracted"]["headline"] == "My own headline"
    assert r.json()["extracted"]["body"].startswith("Winds reached")


def test_html_in_a_batch(client):
    r = client.post(
        "/v1/score/batch", json={"items": [{"html": PAGE}, {"headline": "Council sets budget"}]}
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert results[0]["extracted"]["headline"] == "Storm batters the coast"
    assert results[1]["extracted"] is None
