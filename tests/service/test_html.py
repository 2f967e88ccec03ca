"""Pages in, scores out: what an extension sends (`html`, or its own text with the URL) and what
it gets back (`extracted` with its quality; offsets into the extracted texts)."""

from __future__ import annotations

import json
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "pages"


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


# An article about web pages: it quotes tags in its text, as such articles do.
MARKUP_ARTICLE = (
    "Why the humble <p> tag still matters\n\n"
    "Browsers wrap loose text in a <p> element when they can, and a page built from <div>"
    " elements alone reads badly in a screen reader. The guide says to use <h1> for the title,"
    " <article> around the story and <a> for links.\n\n"
    'Older pages still start with "<!DOCTYPE html>" on their first line, which the guide says'
    " is harmless."
)


def test_api_scores_the_extracted_text_and_returns_it(client):
    r = client.post("/v1/score", json={"html": page("furniture_classes")})
    assert r.status_code == 200
    answer = r.json()
    extracted = answer["extracted"]
    assert extracted["headline"] == "Bridge repairs will close the river crossing for six weeks"
    assert extracted["body"].startswith("Drivers face a diversion")
    assert extracted["quality"] == {"status": "ok", "reason": None, "detail": None}
    for span in answer["framing"]["spans"]:
        assert extracted[span["field"]][span["start"] : span["end"]] == span["text"]
    for source in answer["sourcing"]["sources"]:
        for span in source["spans"]:
            assert extracted[span["field"]][span["start"] : span["end"]] == span["text"]
    direct = client.post(
        "/v1/score", json={"headline": extracted["headline"], "body": extracted["body"]}
    ).json()
    assert direct["score"] == answer["score"]
    assert direct["extracted"] is None


def test_a_doubtful_extraction_says_why(client):
    teaser = (
        "<html><head><title>Storm hits the coast</title></head><body><article>"
        "<h1>Storm hits the coast</h1><p>Winds reached 100 km/h on Tuesday and cut power to"
        " 3,000 homes, the weather service said.</p><p>Subscribe to read more.</p></article>"
    )
    r = client.post("/v1/score", json={"html": teaser})
    assert r.status_code == 200
    quality = r.json()["extracted"]["quality"]
    assert quality["status"] == "doubtful"
    assert quality["reason"] == "very_short"
    assert "`body`" in quality["detail"]


def test_an_extension_may_send_its_own_text_with_the_url(client):
    payload = {
        "headline": "Bridge repairs will close the river crossing for six weeks",
        "body": "The Mill Lane bridge will close to traffic from Monday, the council said.",
        "url": "https://news.example/bridge-repairs",
    }
    r = client.post("/v1/score", json=payload)
    assert r.status_code == 200
    assert r.json()["extracted"] is None
    r = client.post("/v1/score", json={**payload, "url": "javascript:alert(1)"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "url"


def test_sent_text_fields_win_over_the_extract(client):
    r = client.post("/v1/score", json={"html": page("most_popular"), "headline": "My headline"})
    assert r.status_code == 200
    assert r.json()["extracted"]["headline"] == "My headline"
    assert r.json()["extracted"]["body"].startswith("Trains between the city")


def test_an_article_that_quotes_markup_is_text(client):
    headline, body = MARKUP_ARTICLE.split("\n\n", 1)
    r = client.post("/v1/score", json={"headline": headline, "body": body})
    assert r.status_code == 200, r.text
    for span in r.json()["framing"]["spans"]:
        text = headline if span["field"] == "headline" else body
        assert text[span["start"] : span["end"]] == span["text"]


def test_a_page_sent_as_body_is_refused_and_the_error_says_where_to_send_it(client):
    r = client.post("/v1/score", json={"body": page("headline_logo")})
    assert r.status_code == 422
    answer = r.json()
    assert answer["code"] == "html_in_text"
    assert "send the page in `html`" in answer["detail"]
    assert answer["errors"][0]["field"] == "body"


def test_what_html_extracted_is_never_refused_as_markup(client):
    # The page's own text quotes a doctype and many tags: extracted, it is scored.
    tags = " ".join(f"<{t}>" for t in ("div", "p", "span", "a", "h1", "body", "head") * 4)
    html = (
        "<html><head><title>A guide to markup</title></head><body><article>"
        "<h1>A guide to markup</h1>"
        f"<p>{MARKUP_ARTICLE.replace('<', '&lt;').replace(chr(10), ' ')}</p>"
        f"<p>The tags in this guide are {tags.replace('<', '&lt;')}.</p>"
        "<p>Each of them has a job, and a page that uses them well is easier to read for"
        " everyone, including people who listen to the page rather than look at it.</p>"
        "</article></body></html>"
    )
    r = client.post("/v1/score", json={"html": html})
    assert r.status_code == 200, r.text
    assert "<!DOCTYPE html>" in r.json()["extracted"]["body"]
    assert "<body>" in r.json()["extracted"]["body"]


def test_html_with_nothing_to_score_is_a_clear_422(client):
    r = client.post("/v1/score", json={"html": "<html><body><nav>Home</nav></body></html>"})
    assert r.status_code == 422
    assert r.json()["code"] == "nothing_to_score"
    assert r.json()["detail"] == (
        "nothing to score: no headline or article text was found in html; send the article's"
        " text in `headline` and `body`"
    )


def test_html_in_a_batch(client):
    r = client.post(
        "/v1/score/batch",
        json={"items": [{"html": page("teaser_articles")}, {"headline": "Council sets budget"}]},
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert results[0]["extracted"]["headline"].startswith("Hospital trial finds shorter stays")
    assert results[1]["extracted"] is None


def test_a_batch_of_64_typical_pages_fits_the_default_limits(client):
    # A typical page is about 186 KB of JSON, most of it scripts and styles (the mean of the
    # 150 pages of the extraction benchmark).
    article = page("furniture_classes")
    padding = "<script>var state = " + '"' + "x" * 180_000 + '";</script>'
    typical = article.replace("</head>", padding + "</head>")
    items = [{"html": typical.replace("Mill Lane", f"Mill Lane {i}")} for i in range(64)]
    payload = json.dumps({"items": items}).encode()
    assert len(payload) > 64 * 180_000
    r = client.post(
        "/v1/score/batch", content=payload, headers={"content-type": "application/json"}
    )
    assert r.status_code == 200, r.text[:300]
    results = r.json()["results"]
    assert len(results) == 64
    assert results[5]["extracted"]["body"].count("Mill Lane 5") >= 1
