"""The page at ``/`` in headless Chromium, against the real app on a loopback port."""

from __future__ import annotations

import base64
import copy
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from datasets.corpora import REPO_ROOT
from tests.browser.conftest import MAX_BODY_CHARS, LiveServer

pytestmark = pytest.mark.browser

By = pytest.importorskip("selenium.webdriver.common.by", reason="selenium is not installed").By
ActionChains = pytest.importorskip("selenium.webdriver").ActionChains
Keys = pytest.importorskip("selenium.webdriver.common.keys").Keys
Select = pytest.importorskip("selenium.webdriver.support.select").Select
WebDriverWait = pytest.importorskip("selenium.webdriver.support.wait").WebDriverWait

# An emoji before a span shifts UTF-16 indices against the API's code points: a page that
# skipped the conversion would mark the wrong letters.
HEADLINE = "😱 Panic as terrifying storm nears the coast"
BODY = (
    "🌊🌊 Residents were trapped overnight, and officials said the damage was devastating.\n\n"
    "The coastguard said boats had been moved inland."
)

MARKS_JS = """
return [...document.querySelectorAll(arguments[0] + ' .hl')].map(m => ({
  text: m.textContent, category: m.dataset.category || null,
  categories: m.dataset.categories || '', classes: m.className, tip: m.dataset.tip,
  tag: m.tagName.toLowerCase()}));
"""


def open_page(driver: Any, server: LiveServer) -> None:
    driver.get(f"{server.url}/")
    driver.get_log("browser")  # start each test with an empty log
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-examples") == "ready"
    )


def paste(driver: Any, element_id: str, text: str) -> None:
    # chromedriver cannot type characters outside the BMP (the emoji), so paste the value the
    # way a clipboard paste lands: set it and fire `input`.
    driver.execute_script(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input', {bubbles: true}));",
        element_id,
        text,
    )


def wait_for_answer(driver: Any) -> str:
    """Wait until the page shows a score or an error; return which."""

    def settled(d: Any) -> str | bool:
        if d.find_element(By.ID, "error").is_displayed():
            return "error"
        if d.find_element(By.ID, "status").text.startswith("Scored"):
            return "scored"
        return False

    return WebDriverWait(driver, 30).until(settled)


def submit_with_keyboard(driver: Any) -> None:
    driver.find_element(By.ID, "headline").send_keys(Keys.ENTER)


def marks(driver: Any, where: str) -> list[dict[str, Any]]:
    return driver.execute_script(MARKS_JS, where)


def api_score(server: LiveServer, headline: str, body: str) -> dict[str, Any]:
    r = httpx.post(f"{server.url}/v1/score", json={"headline": headline, "body": body})
    r.raise_for_status()
    return r.json()


def effect_words(weight: float) -> str:
    """The page's words for a span weight (how likely such wording is used for effect)."""
    tenths = round(max(0.0, min(1.0, weight)) * 10)
    if tenths == 0:
        return "rarely used for effect"
    if tenths == 10:
        return "almost always used for effect"
    return f"used for effect about {tenths} times in 10"


def severe_log(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_pasted_article_gets_its_loaded_words_marked(chromium, live_server):
    open_page(chromium, live_server)
    paste(chromium, "headline", HEADLINE)
    paste(chromium, "body", BODY)
    submit_with_keyboard(chromium)
    assert wait_for_answer(chromium) == "scored"

    answer = api_score(live_server, HEADLINE, BODY)
    for field, where, text in (
        ("headline", "#marked-headline", HEADLINE),
        ("body", "#marked-body", BODY),
    ):
        spans = sorted(
            (s for s in answer["framing"]["spans"] if s["field"] == field),
            key=lambda s: s["start"],
        )
        shown = [m for m in marks(chromium, where) if m["tag"] == "mark"]
        assert [m["text"] for m in shown] == [s["text"] for s in spans]
        assert [m["text"] for m in shown] == [text[s["start"] : s["end"]] for s in spans]
        assert [m["category"] for m in shown] == [s["category"] for s in spans]
        # The whole text is shown, marked or not, in its order.
        assert chromium.find_element(By.CSS_SELECTOR, where).get_attribute("textContent") == text

    # A mark may take in the word a loaded adjective modifies ("terrifying storm").
    marked = [m["text"].lower().split() for m in marks(chromium, "#marked-headline")]
    assert {"panic", "terrifying"} <= {w for words in marked for w in words}
    assert not severe_log(chromium)


def test_tooltip_gives_category_and_weight_and_is_reachable_by_keyboard(chromium, live_server):
    open_page(chromium, live_server)
    paste(chromium, "headline", HEADLINE)
    paste(chromium, "body", BODY)
    submit_with_keyboard(chromium)
    assert wait_for_answer(chromium) == "scored"

    # From the last form control, Tab leads into the marked text.
    chromium.execute_script("document.getElementById('clear-button').focus()")
    for _ in range(10):
        ActionChains(chromium).send_keys(Keys.TAB).perform()
        active = chromium.switch_to.active_element
        if active.get_attribute("data-tip") is not None:
            break
    assert active.text == "Panic"
    tip = chromium.find_element(By.ID, "tip")
    assert tip.is_displayed()
    span = next(
        s
        for s in api_score(live_server, HEADLINE, BODY)["framing"]["spans"]
        if s["text"] == "Panic"
    )
    assert tip.text == f"{span['category'].capitalize()}: {effect_words(span['weight'])}"
    assert "weight" not in tip.text
    described = active.get_attribute("aria-describedby")
    note = chromium.find_element(By.ID, described).get_attribute("textContent")
    assert note == tip.text

    ActionChains(chromium).send_keys(Keys.ESCAPE).perform()
    assert not tip.is_displayed()


def _span(field: str, text: str, needle: str, **extra: Any) -> dict[str, Any]:
    # Offsets in code points, as the API gives them.
    start = text.index(needle)
    return {"field": field, "start": start, "end": start + len(needle), "text": needle, **extra}


SELECT_JS = """
const [where, needle] = arguments;
const walker = document.createTreeWalker(document.querySelector(where), NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.data.indexOf(needle);
  if (at >= 0) {
    const range = document.createRange();
    range.setStart(node, Math.max(0, at - 1));  // with the space before: trimmed by the page
    range.setEnd(node, at + needle.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
}
return false;
"""


def feedback_outcome(driver: Any, after: str | None = None) -> str:
    def settled(d: Any) -> str | bool:
        outcome = d.find_element(By.ID, "feedback-status").get_attribute("data-outcome")
        return outcome if outcome and outcome != after else False

    return WebDriverWait(driver, 20).until(settled)


def test_marks_can_be_reported_as_not_loaded_and_missed_words_as_missed(chromium, live_server):
    from feedback.store import FeedbackStore

    open_page(chromium, live_server)
    paste(chromium, "headline", HEADLINE)
    paste(chromium, "body", BODY)
    submit_with_keyboard(chromium)
    assert wait_for_answer(chromium) == "scored"
    button = chromium.find_element(By.ID, "not-loaded-button")
    assert not button.is_enabled()

    # "Not loaded?" on a highlight: a click chooses the mark, the button sends the report.
    panic = next(
        m
        for m in chromium.find_elements(By.CSS_SELECTOR, "#marked-headline mark")
        if "Panic" in m.text
    )
    panic.click()
    assert "hl-chosen" in panic.get_attribute("class")
    assert "Panic" in chromium.find_element(By.ID, "feedback-chosen").text
    button.click()
    assert feedback_outcome(chromium) == "201"
    assert "was recorded" in chromium.find_element(By.ID, "feedback-status").text
    # The same report again is recorded once.
    chromium.execute_script("delete document.getElementById('feedback-status').dataset.outcome")
    button.click()
    assert feedback_outcome(chromium) == "200"

    # "Missed a word?": the reader's selection in the body (after two emoji) is the span.
    assert chromium.execute_script(SELECT_JS, "#marked-body", "damage")
    chromium.find_element(By.ID, "missed-button").click()
    assert feedback_outcome(chromium, after="200") == "201"

    # Without a selection the page says what to do and sends nothing.
    chromium.execute_script("window.getSelection().removeAllRanges()")
    chromium.find_element(By.ID, "missed-button").click()
    assert feedback_outcome(chromium, after="201") == "no-selection"

    # By keyboard: Enter on a focused mark chooses it and moves to the button.
    chromium.execute_script("document.querySelector('#marked-body mark').focus()")
    ActionChains(chromium).send_keys(Keys.ENTER).perform()
    assert chromium.switch_to.active_element.get_attribute("id") == "not-loaded-button"

    store = FeedbackStore(live_server.settings.feedback_url)
    records = list(store.reports())
    store.dispose()
    answer = api_score(live_server, HEADLINE, BODY)
    shown = next(s for s in answer["framing"]["spans"] if "Panic" in s["text"])
    assert [(r["verdict"], r["span"]["text"]) for r in records] == [
        ("not_loaded", shown["text"]),
        ("missed", "damage"),
    ]
    wrong, missed = records
    assert (wrong["span"]["field"], wrong["span"]["start"]) == ("headline", shown["start"])
    # Offsets in code points, as the API counts them, not the page's UTF-16 units.
    assert (missed["span"]["field"], missed["span"]["start"]) == ("body", BODY.index("damage"))
    assert missed["model_version"] == answer["model"]["version"]
    assert missed["span"]["sentence"] == BODY.split("\n\n")[0]  # its sentence, not the article
    assert not severe_log(chromium)


def test_sources_hedges_and_overlaps_are_drawn_from_the_answer(chromium, live_server):
    """A crafted answer (served in place of the real one) exercises every part of the contract."""
    headline = "Killer bug sparks panic, hospitals could be overwhelmed"
    body = (
        "😷 A killer bug is reportedly spreading, sparking panic among parents, according to a "
        "source close to the health board. The insider said wards were full. "
        "Dr Ines Marek said two cases were confirmed."
    )
    answer = api_score(live_server, headline, body)
    anonymous = "a source close to the health board"
    hostile = '<img src=x onerror="window.pwned = 1">'
    answer = copy.deepcopy(answer)
    answer["framing"]["spans"] = [
        _span("body", body, "killer", category="fear", weight=0.7, source="lexicon"),
        _span("body", body, "sparking panic", category="hyperbole", weight=0.5, source="model"),
        _span("body", body, "panic", category="fear", weight=0.8, source="lexicon"),
        # Offsets that do not match the text sent: reported on the page, never drawn.
        {**_span("body", body, "killer", category="fear", weight=0.7), "text": "kilter"},
    ]
    answer["framing"]["categories"] = {"fear": 1.5, "hyperbole": 0.5}
    answer["sourcing"] = {
        "score": 0.8,
        "sources": [
            {
                "name": anonymous,
                "kind": "anonymous",
                "attributions": 2,
                "share": 2 / 3,
                "spans": [
                    _span(
                        "body", body, anonymous, category="anonymous", weight=1.0, source="sourcing"
                    )
                ],
            },
            {
                "name": hostile,
                "kind": "person",
                "attributions": 1,
                "share": 1 / 3,
                "spans": [
                    _span(
                        "body",
                        body,
                        "Dr Ines Marek",
                        category="named",
                        weight=1.0,
                        source="sourcing",
                    )
                ],
            },
        ],
        "distinct_sources": 2,
        "top_source_share": 2 / 3,
        "anonymous_share": 2 / 3,
        "hedges": [
            _span("body", body, "reportedly", category="hedge", weight=1.0, source="sourcing")
        ],
        "headline_support": {
            "sources": [anonymous],
            "single_source": True,
            "hedged": True,
            "sentences": [],
        },
    }

    open_page(chromium, live_server)
    chromium.execute_script(
        "const answer = arguments[0]; const realFetch = window.fetch;"
        "window.fetch = (url, init) => url === '/v1/score'"
        "  ? Promise.resolve(new Response(JSON.stringify(answer),"
        "      {status: 200, headers: {'Content-Type': 'application/json'}}))"
        "  : realFetch(url, init);",
        answer,
    )
    paste(chromium, "headline", headline)
    paste(chromium, "body", body)
    chromium.find_element(By.ID, "score-button").click()
    assert wait_for_answer(chromium) == "scored"

    shown = {m["text"]: m for m in marks(chromium, "#marked-body")}
    # Overlap: the heavier span colours "panic", the note lists both categories.
    assert shown["sparking "]["category"] == "hyperbole"
    assert shown["panic"]["category"] == "fear"
    assert shown["panic"]["categories"].split() == ["fear", "hyperbole"]
    assert shown["panic"]["tip"].splitlines() == [
        "Fear: used for effect about 8 times in 10",
        "Hyperbole: used for effect about 5 times in 10",
    ]
    assert "mark-hedge" in shown["reportedly"]["classes"]
    assert "mark-anonymous" in shown[anonymous]["classes"]
    assert shown[anonymous]["tip"] == f"Anonymous source: {anonymous}"
    assert "mark-attribution" in shown["Dr Ines Marek"]["classes"]

    rows = chromium.find_elements(By.CSS_SELECTOR, "#sources tr")
    cells = [[c.text for c in r.find_elements(By.CSS_SELECTOR, "th, td")] for r in rows]
    assert cells == [[anonymous, "Anonymous", "2", "67%"], [hostile, "Person", "1", "33%"]]
    # The hostile name is text, not markup.
    assert not chromium.find_elements(By.CSS_SELECTOR, "#results img")
    assert chromium.execute_script("return window.pwned === undefined")

    support = chromium.find_element(By.ID, "headline-support").text
    assert support == f"The headline claim rests on a single source: {anonymous}, and it is hedged."
    why = chromium.find_element(By.ID, "why").text
    assert "67% of the claims are attributed to anonymous sources." in why
    assert "“reportedly”" in why
    note = chromium.find_element(By.ID, "span-note")
    assert note.is_displayed()
    assert "1 marked span does not match the text sent" in note.text
    assert "“kilter”" in note.text


def test_the_sources_list_shows_what_the_api_found(chromium, live_server):
    open_page(chromium, live_server)
    Select(chromium.find_element(By.ID, "example")).select_by_value("wire")
    assert wait_for_answer(chromium) == "scored"

    headline = chromium.find_element(By.ID, "headline").get_attribute("value")
    body = chromium.find_element(By.ID, "body").get_attribute("value")
    sources = api_score(live_server, headline, body)["sourcing"]["sources"]
    rows = chromium.find_elements(By.CSS_SELECTOR, "#sources tr th")
    expected = [s["name"] for s in sorted(sources, key=lambda s: -s["share"])]
    assert [r.text for r in rows] == expected
    if sources:
        assert chromium.find_element(By.ID, "sources-table").is_displayed()
    else:
        assert chromium.find_element(By.ID, "no-sources").is_displayed()
    assert chromium.find_element(By.ID, "headline-support").text
    assert not severe_log(chromium)


def test_an_empty_article_shows_the_api_error(chromium, live_server):
    open_page(chromium, live_server)
    chromium.find_element(By.ID, "score-button").click()
    assert wait_for_answer(chromium) == "error"
    error = chromium.find_element(By.ID, "error")
    assert error.get_attribute("role") == "alert"
    assert "both empty" in error.text
    assert not chromium.find_element(By.ID, "results").is_displayed()


def test_a_too_long_article_shows_the_limit_and_marks_the_field(chromium, live_server):
    open_page(chromium, live_server)
    paste(chromium, "headline", "Council sets budget")
    paste(chromium, "body", "word " * (MAX_BODY_CHARS // 5 + 1))
    submit_with_keyboard(chromium)
    assert wait_for_answer(chromium) == "error"
    text = chromium.find_element(By.ID, "error").text
    assert text.startswith("The article is too long to score")
    assert str(MAX_BODY_CHARS) in text
    assert chromium.find_element(By.ID, "body").get_attribute("aria-invalid") == "true"
    assert chromium.find_element(By.ID, "headline").get_attribute("aria-invalid") is None


def test_every_example_scores_without_script_errors(chromium, live_server):
    open_page(chromium, live_server)
    select = Select(chromium.find_element(By.ID, "example"))
    values = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
    assert len(values) >= 3
    for value in values:
        chromium.execute_script("document.getElementById('status').textContent = ''")
        select.select_by_value(value)
        assert wait_for_answer(chromium) == "scored", value
        assert chromium.find_element(By.ID, "why").find_elements(By.TAG_NAME, "li")
    assert not severe_log(chromium)


def test_screenshot_of_a_scored_example(chromium, live_server, tmp_path):
    """Saved to $SENSATION_SCREENSHOT when set (for the README), else to the test's tmp dir."""
    chromium.set_window_size(1280, 1600)
    open_page(chromium, live_server)
    Select(chromium.find_element(By.ID, "example")).select_by_value("alarmist")
    assert wait_for_answer(chromium) == "scored"
    assert chromium.find_elements(By.CSS_SELECTOR, "#marked-body mark")
    # Nothing overflows sideways at a common desktop width.
    assert chromium.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    # Show one note, as a keyboard user would see it on the first loaded word of the headline.
    chromium.execute_script("window.scrollTo(0, 0)")
    chromium.execute_script("document.getElementById('clear-button').focus()")
    for _ in range(10):
        ActionChains(chromium).send_keys(Keys.TAB).perform()
        if chromium.switch_to.active_element.get_attribute("data-tip") is not None:
            break
    assert chromium.find_element(By.ID, "tip").is_displayed()

    target = os.environ.get("SENSATION_SCREENSHOT")
    path = Path(target) if target else tmp_path / "page.png"
    if not path.is_absolute():
        path = REPO_ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    # The whole page, not only the viewport, through the DevTools protocol.
    width, height = chromium.execute_script(
        "const d = document.documentElement; return [d.clientWidth, d.scrollHeight]"
    )
    shot = chromium.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


CONTRAST_JS = """
function channels(color) {
  const m = color.match(/rgba?\\(([^)]+)\\)/);
  const parts = m[1].split(',').map(Number);
  return {rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1};
}
function luminance(rgb) {
  const [r, g, b] = rgb.map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function background(node) {
  for (; node && node.nodeType === 1; node = node.parentElement) {
    const c = channels(getComputedStyle(node).backgroundColor);
    if (c.alpha === 1) return c.rgb;
  }
  return [255, 255, 255];
}
const worst = [];
for (const node of document.querySelectorAll('body *')) {
  const own = [...node.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !node.getClientRects().length) continue;
  const style = getComputedStyle(node);
  if (style.visibility === 'hidden') continue;
  const a = luminance(channels(style.color).rgb), b = luminance(background(node));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) worst.push(`${node.tagName}#${node.id}.${node.className}: ${ratio.toFixed(2)}`);
}
return worst;
"""


def test_every_visible_text_meets_wcag_aa_contrast(chromium, live_server):
    open_page(chromium, live_server)
    Select(chromium.find_element(By.ID, "example")).select_by_value("alarmist")
    assert wait_for_answer(chromium) == "scored"
    chromium.execute_script("document.querySelector('#marked-body .hl').focus()")
    assert chromium.find_element(By.ID, "tip").is_displayed()
    assert chromium.execute_script(CONTRAST_JS) == []
    chromium.find_element(By.ID, "clear-button").click()
    chromium.find_element(By.ID, "score-button").click()
    assert wait_for_answer(chromium) == "error"
    assert chromium.execute_script(CONTRAST_JS) == []
    # The check itself catches grey on white.
    chromium.execute_script(
        "const p = document.createElement('p'); p.id = 'probe'; p.textContent = 'faint';"
        "p.style.color = '#aaaaaa'; document.querySelector('main').appendChild(p);"
    )
    assert [w for w in chromium.execute_script(CONTRAST_JS) if "#probe" in w]


OVERFLOW_JS = """
const width = document.documentElement.clientWidth;
const wide = [...document.querySelectorAll('body *')]
  .filter(n => n.getClientRects().length && getComputedStyle(n).position !== 'absolute')
  .filter(n => n.getBoundingClientRect().right > width + 0.5)
  .map(n => `${n.tagName}#${n.id}.${n.className}: ${Math.round(n.getBoundingClientRect().right)}`);
return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_sideways_scroll_after_scoring(chromium, live_server, width):
    """At phone and desktop width the scored page, sources table included, fits the screen."""
    chromium.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    try:
        open_page(chromium, live_server)
        Select(chromium.find_element(By.ID, "example")).select_by_value("alarmist")
        assert wait_for_answer(chromium) == "scored"
        assert chromium.find_elements(By.CSS_SELECTOR, "#sources tr"), "the example has sources"
        # A source with a long name and several media, as real articles have.
        chromium.execute_script(
            "const row = document.querySelector('#sources tr');"
            "row.querySelector('th').textContent = 'the Department for Environment, Food and"
            " Rural Affairs spokesperson';"
            "row.querySelector('td').textContent = 'Organisation (statement, tweet, interview)';"
        )
        layout = chromium.execute_script(OVERFLOW_JS)
        assert chromium.execute_script("return window.innerWidth") == width
        assert layout["scroll"] <= layout["width"], layout["wide"]
        assert not layout["wide"]
        cells = chromium.find_elements(By.CSS_SELECTOR, "#sources tr:first-child td")
        labels = [
            chromium.execute_script(
                "return getComputedStyle(arguments[0], '::before').content", cell
            )
            for cell in cells
        ]
        if width < 600:
            # Stacked: each cell carries its column's name.
            assert labels == ['"Kind: "', '"Cited: "', '"Share of claims: "']
        else:
            assert chromium.find_element(By.CSS_SELECTOR, "#sources-table thead").is_displayed()
        assert not severe_log(chromium)
    finally:
        chromium.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_every_legend_category_is_explained_in_words(chromium, live_server):
    headline = "Officials slam the plan"
    body = "The council was slammed over a frenzy of spending, a source claimed."
    answer = copy.deepcopy(api_score(live_server, headline, body))
    answer["framing"]["spans"] = [
        _span("headline", headline, "slam", category="loaded", weight=0.62, source="learned"),
        _span("body", body, "frenzy", category="stampede", weight=0.3, source="lexicon"),
    ]
    answer["framing"]["categories"] = {"loaded": 0.62, "stampede": 0.3}
    open_page(chromium, live_server)
    chromium.execute_script(
        "const answer = arguments[0]; const realFetch = window.fetch;"
        "window.fetch = (url, init) => url === '/v1/score'"
        "  ? Promise.resolve(new Response(JSON.stringify(answer),"
        "      {status: 200, headers: {'Content-Type': 'application/json'}}))"
        "  : realFetch(url, init);",
        answer,
    )
    paste(chromium, "headline", headline)
    paste(chromium, "body", body)
    chromium.find_element(By.ID, "score-button").click()
    assert wait_for_answer(chromium) == "scored"
    items = [
        li.get_attribute("textContent")
        for li in chromium.find_elements(By.CSS_SELECTOR, "#legend li")
    ]
    assert items == [
        "Loaded wording that annotated news articles often use for effect, learned from them;"
        " 1 mark",
        "Stampede wording the model counts as loaded; 1 mark",
    ]
    for item in items:
        assert "weight" not in item
    shown = {m["text"]: m for m in marks(chromium, "#marked-headline")}
    assert shown["slam"]["tip"] == "Loaded: used for effect about 6 times in 10"


def test_the_api_documentation_works_offline(chromium, live_server):
    """/docs loads Swagger UI from the service itself: no request leaves the machine."""
    chromium.get(f"{live_server.url}/docs")
    WebDriverWait(chromium, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock")
    )
    resources = chromium.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources
    assert all(r.startswith(live_server.url) for r in resources), resources
    assert "/v1/score" in chromium.find_element(By.CSS_SELECTOR, ".swagger-ui").text
