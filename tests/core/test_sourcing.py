import pickle
import re

import pytest

from sensational.results import SourcingResult
from sensational.sourcing import NO_ATTRIBUTION_SCORE, SourcingAnalyzer, mentions, patterns


@pytest.fixture(scope="module")
def analyzer() -> SourcingAnalyzer:
    return SourcingAnalyzer()


def sources(result: SourcingResult) -> dict[str, str]:
    return {s.name: s.kind for s in result.sources}


def cue_texts(result: SourcingResult) -> list[str]:
    return [a.cue.text for a in result.attributions if a.cue is not None]


def assert_offsets(result: SourcingResult, body: str) -> None:
    spans = list(result.hedges)
    for s in result.sources:
        spans += s.spans
    for a in result.attributions:
        spans += [x for x in (a.cue, a.source_span, a.content) if x is not None]
    for span in spans:
        assert span.field == "body"
        assert body[span.start : span.end] == span.text
        assert span.source == "sourcing"


# One body per construction in the issue: (body, cue, source name, source kind).
CONSTRUCTIONS = [
    # A person is shown by the full name, without the title.
    ("The bridge will reopen in May, Mayor Ada Kells said.", "said", "Ada Kells", "person"),
    ('"It will reopen in May," said Ada Kells.', "said", "Ada Kells", "person"),
    (
        "The bridge will reopen in May, according to the city council.",
        "according to",
        "the city council",
        "organisation",
    ),
    ("Ada Kells told the BBC that the bridge would reopen.", "told", "Ada Kells", "person"),
    ("Ada Kells wrote that the bridge would reopen in May.", "wrote", "Ada Kells", "person"),
    ("Ada Kells claimed in a tweet that the bridge was safe.", "claimed", "Ada Kells", "person"),
    (
        "Analysts at Brightwater Bank estimate that traffic will double.",
        "estimate",
        "Analysts at Brightwater Bank",
        "organisation",
    ),
    (
        "The Northern Courier reported that the bridge was unsafe.",
        "reported",
        "The Northern Courier",
        "organisation",
    ),
    (
        "In a statement, the ministry said the bridge was safe.",
        "said",
        "the ministry",
        "organisation",
    ),
]


@pytest.mark.parametrize(("body", "cue", "name", "kind"), CONSTRUCTIONS)
def test_each_reporting_construction_is_attributed(analyzer, body, cue, name, kind):
    result = analyzer.analyze("", body)
    assert cue in cue_texts(result)
    attribution = next(a for a in result.attributions if a.cue and a.cue.text == cue)
    assert attribution.source == name
    assert result.distinct_sources == 1
    assert_offsets(result, body)


def test_a_named_outlet_is_an_attributed_source(analyzer):
    result = analyzer.analyze("", "The bridge was unsafe, the BBC reported.")
    assert sources(result) == {"the BBC": "organisation"}


def test_medium_of_a_tweet_or_statement_is_recorded(analyzer):
    tweet = analyzer.analyze("", "Ada Kells claimed in a tweet that the bridge was safe.")
    statement = analyzer.analyze("", "In a statement, the ministry said the bridge was safe.")
    later = analyzer.analyze("", "The ministry said in a statement that the bridge was safe.")
    assert tweet.sources[0].media == ["tweet"]
    assert tweet.attributions[0].medium == "tweet"
    assert later.sources[0].media == ["statement"]
    assert statement.sources[0].kind == "organisation"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("The manager will be sacked, sources say.", "sources"),
        ("Insiders claim the manager will be sacked.", "Insiders"),
        ("A source close to the board said the manager would go.", "A source close to the board"),
        ("The talks have stalled, officials said.", "officials"),
        ("People familiar with the talks said they had stalled.", "People familiar with the talks"),
    ],
)
def test_anonymous_sourcing_is_flagged(analyzer, body, name):
    result = analyzer.analyze("", body)
    assert sources(result) == {name: "anonymous"}
    assert result.anonymous_share == 1.0


@pytest.mark.parametrize(
    "hedge",
    ["reportedly", "is said to", "are understood to", "it is claimed", "reports suggest"],
)
def test_hedged_unattributed_claims_are_found(analyzer, hedge):
    body = {
        "reportedly": "The singer has reportedly quit the show.",
        "is said to": "The singer is said to be furious.",
        "are understood to": "Producers are understood to be in talks.",
        "it is claimed": "The singer quit the show, it is claimed.",
        "reports suggest": "Reports suggest the singer quit the show.",
    }[hedge]
    result = analyzer.analyze("", body)
    assert [h.text.lower() for h in result.hedges] == [hedge]
    assert result.sources == []
    assert result.hedge_share == 1.0
    assert result.score is not None and result.score >= 0.75
    assert_offsets(result, body)


def test_a_passive_hedge_is_not_read_as_a_speaker(analyzer):
    result = analyzer.analyze("", "The minister is said to be furious.")
    assert result.sources == []


def test_short_and_full_names_merge(analyzer):
    body = (
        "Pol Norman, a military analyst, told the BBC the claim was plausible. "
        '"It matters," Norman said. Mr Norman added that supply lines were cut.'
    )
    result = analyzer.analyze("", body)
    assert sources(result) == {"Pol Norman": "person"}
    assert result.sources[0].attributions == 3
    assert result.top_source_share == 1.0


def test_organisation_with_owner_merges_with_its_short_form(analyzer):
    body = (
        "Ukraine's General Staff said its forces had destroyed a bridge. "
        "The General Staff wrote on Telegram that the crossing was used by armour."
    )
    result = analyzer.analyze("", body)
    assert sources(result) == {"Ukraine's General Staff": "organisation"}
    assert result.sources[0].attributions == 2


def test_pronoun_continues_the_last_speaker(analyzer):
    body = (
        "Forecaster Jo Allen told the BBC that gusts would peak overnight. "
        "The council closed the sea front. She said people should stay at home."
    )
    result = analyzer.analyze("", body)
    assert sources(result) == {"Jo Allen": "person"}
    assert result.sources[0].attributions == 2


def test_quote_after_an_attributed_sentence_continues_its_speaker(analyzer):
    body = '"It matters," Norman said. "Supply lines are cut." The army did not reply.'
    result = analyzer.analyze("", body)
    norman = next(s for s in result.sources if s.name == "Norman")
    assert [s.text for s in norman.spans if s.category == "content"] == ['"Supply lines are cut."']


def test_different_speakers_stay_apart(analyzer):
    body = (
        "Ada Kells said fares would be frozen. Tom Vire said the freeze was a stunt. "
        "The Rail Union said it welcomed the plan."
    )
    result = analyzer.analyze("", body)
    assert result.distinct_sources == 3
    assert result.top_source_share == pytest.approx(1 / 3, abs=1e-3)


def test_article_without_any_attribution_gets_a_high_score_and_no_sources(analyzer):
    body = "The library will open until 8pm on weekdays. The new hours start next month."
    result = analyzer.analyze("Library opening hours extended", body)
    assert result.score == NO_ATTRIBUTION_SCORE
    assert result.sources == []
    assert result.distinct_sources == 0
    assert result.hedges == []
    assert result.headline_support is not None
    assert result.headline_support.sources == []
    assert result.headline_support.single_source is False


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_no_body_means_no_score(analyzer, body):
    assert analyzer.analyze("Minister says fares frozen", body).score is None


def test_many_named_sources_score_lower_than_one_anonymous_source(analyzer):
    many = analyzer.analyze(
        "",
        "Ada Kells said the plan works. Tom Vire said it would fail. "
        "Sara Pike said it was too early to tell. Greg Hale said he backed it.",
    )
    anonymous = analyzer.analyze("", "The plan will fail, a source close to the mayor said.")
    one_post = analyzer.analyze("", "The plan will fail, blogger Max Dean claimed in a tweet.")
    assert many.score < 0.4
    assert anonymous.score > 0.8
    assert one_post.score > many.score


def test_headline_resting_on_one_blogger_is_single_source(analyzer):
    body = (
        "The film star Nia Grant will play the villain, according to a blogger. "
        "The blogger, Max Dean, wrote that filming starts in June."
    )
    result = analyzer.analyze("Film star Nia Grant to play villain", body)
    support = result.headline_support
    assert support is not None
    assert support.single_source is True
    assert support.sentences and support.sentences[0].text.startswith("The film star")
    assert_offsets(result, body)


def test_headline_resting_on_reportedly_is_hedged_and_single(analyzer):
    body = "The phone maker Pixa has reportedly delayed its flagship. Shares fell."
    support = analyzer.analyze("Pixa delays flagship phone", body).headline_support
    assert support is not None
    assert support.hedged is True
    assert support.single_source is True
    assert support.sources == []


def test_headline_backed_by_two_named_sources_is_not_single(analyzer):
    body = (
        "The council will close the bridge for repairs, engineer Ann Lee said. "
        "Mayor Rui Costa said the bridge repairs were overdue."
    )
    support = analyzer.analyze("Council to close bridge for repairs", body).headline_support
    assert support is not None
    assert support.single_source is False
    assert set(support.sources) == {"Ann Lee", "Rui Costa"}


def test_excluded_boilerplate_is_skipped_and_offsets_still_index_the_body(analyzer):
    promo = "Read more: officials said the app is great.\n"
    body = promo + "The bridge will reopen, Ada Kells said."
    result = analyzer.analyze("", body, exclude=[(0, len(promo) - 1)])
    assert sources(result) == {"Ada Kells": "person"}
    assert_offsets(result, body)


def test_offsets_survive_crlf_accents_and_emoji(analyzer):
    body = (
        "Caf\u00e9 owners \U0001f600 are angry.\r\n\r\n"
        "\u201cWe\u2019re done,\u201d Zo\u00eb Ruiz said."
    )
    result = analyzer.analyze("", body)
    assert sources(result) == {"Zo\u00eb Ruiz": "person"}
    assert_offsets(result, body)


def test_analyzer_is_picklable_and_answers_the_same(analyzer):
    body = "The talks have stalled, officials said. Ada Kells said she was hopeful."
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone.analyze("Talks stall", body) == analyzer.analyze("Talks stall", body)


def test_results_do_not_leak_between_calls(analyzer):
    first = analyzer.analyze("", "Ada Kells said the plan works.")
    analyzer.analyze("", "Tom Vire said the plan fails.")
    assert sources(first) == {"Ada Kells": "person"}


def found_mentions(analyzer: SourcingAnalyzer, text: str) -> list[tuple[str, str, str]]:
    """``(cue, source name, kind)`` of each attribution ``extract`` finds."""
    out = []
    for m in analyzer.extract(text):
        assert m.cue is not None
        out.append((text[m.cue[0] : m.cue[1]], m.name, m.kind))
    return out


# Constructions of attribution in election news (PolNeAR), one per body.
NEWS_CONSTRUCTIONS = [
    (
        "Around that time, 47 percent of voters said they would back her.",
        [("said", "47 percent of voters", "anonymous")],
    ),
    ("On economic issues, 42% say they are liberal.", [("say", "42%", "anonymous")]),
    (
        "Roxana Leon, 63, an independent voter raised in Chile, said she wanted change.",
        [("said", "Roxana Leon", "person")],
    ),
    (
        "Jason Sims \u2014 a teacher from Mount Pleasant \u2014 says he made a late decision.",
        [("says", "Jason Sims", "person")],
    ),
    ("Democrats largely echoed the line of criticism.", [("echoed", "Democrats", "person")]),
    ("Mostly, they've offered colorful language.", [("offered", "they", "pronoun")]),
    (
        "On Sunday, Carson shared a syllabus on his page, writing that he had taught it.",
        [("writing", "Carson", "person")],
    ),
    ("They think the plan will work.", [("think", "They", "pronoun")]),
    (
        "The survey found that most voters were undecided.",
        [("found", "The survey", "document")],
    ),
    ("He found a job in the city.", []),
    (
        "In a CNN poll released Monday, 50 percent said the economy mattered most.",
        [("In", "a CNN poll", "document"), ("said", "50 percent", "anonymous")],
    ),
    # A stance inside a reported claim is part of it, a cue inside a quotation the quoted
    # speaker's.
    ("Menendez said he does not think the calendar matters.", [("said", "Menendez", "person")]),
    ('"They told me it would work," Lee said.', [("said", "Lee", "person")]),
    # A quotation left open at the end of a paragraph hides nothing in the next one.
    (
        'Lee said: "We will win.\nThe mayor said the count was close.',
        [("said", "Lee", "person"), ("said", "The mayor", "person")],
    ),
    # Asked by nobody named.
    (
        "Asked about the plan, Lee said it was sound.",
        [("Asked", "", "unsourced"), ("said", "Lee", "person")],
    ),
    (
        "When asked about the plan, Lee said it was sound.",
        [("asked", "", "unsourced"), ("said", "Lee", "person")],
    ),
    # Titles: capitalised cue words, a speaker before a colon, labels that are no speaker.
    (
        "Sanders Says He Will Stay In The Race\nThe senator spoke on Monday.",
        [("Says", "Sanders", "person")],
    ),
    (
        "Cruz: Trump Would Put Liberals On Court\nThe senator spoke on Monday.",
        [(":", "Cruz", "person")],
    ),
    ("The Latest: Cruz Wins In Iowa\nThe senator spoke on Monday.", []),
]


@pytest.mark.parametrize(("text", "expected"), NEWS_CONSTRUCTIONS)
def test_news_constructions_are_extracted(analyzer, text, expected):
    assert found_mentions(analyzer, text) == expected


def test_a_question_put_by_nobody_is_no_source(analyzer):
    body = "Asked about the plan, Lee said it was sound."
    result = analyzer.analyze("", body)
    assert [a.cue.text for a in result.attributions if a.cue] == ["said"]
    assert result.distinct_sources == 1
    assert result.hedges == []
    assert_offsets(result, body)


@pytest.mark.parametrize(
    "text",
    [
        "Said the mayor: \u201cIt works.\u201d He said\u00a0so (she said) \u2014said\u2014 "
        "\u00absaid\u00bb said\u2026 said_x x_said 2said said2 \u2018said\u2019 \u00e9said said",
        "According to\nofficials, it said. \u00c9tat said; \u201caccording  to\u201d him",
        "According to officials, \u2603said \u2603 said",  # a separator outside the fast set
    ],
)
def test_fast_word_scan_finds_what_the_plain_scan_finds(text):
    pattern = patterns.cue_pattern()
    plain = [m.span(m.lastgroup) for m in pattern.anywhere.finditer(text)]
    fast = [m.span(m.lastgroup) for m in pattern.scan(text, patterns.is_separated(text))]
    assert fast == plain
    assert len(plain) >= 2


def test_subject_search_skips_only_starts_that_cannot_match():
    text = (
        "Pol Norman, 61, a retired officer who served abroad, said. Trump's aide said. "
        "Officials who asked not to be named said. The party (D-Vt.) said. Sims \u2014 a "
        "teacher \u2014 said. Critics, however, said. Six in 10 voters said. They said."
    )
    for cue in re.finditer(r"\bsaid\b", text):
        for left in range(max(0, cue.start() - 120), cue.start(), 7):
            fast = mentions.subject_before(text, left, cue.start())
            full = patterns.SUBJECT_BEFORE.search(text, left, cue.start())
            assert (fast and fast.span("src")) == (full and full.span("src")), (left, cue)


# The forward forms of the look-behinds that the analyser matches reversed.
FORWARD_LOOK_BEHINDS = {
    "PASSIVE_OR_NOUN_BEFORE": r"\b(?:(?:is|are|was|were|been|be|being)\s+(?:\w+ly|both|also"
    r"|all|not|never|first|later)|is|are|was|were|been|be|being"
    r"|(?i:the|a|an|his|her|their|its|our|this|that))\s+$",
    "PROGRESSIVE_BEFORE": r"(?:\b(?:is|are|was|were|been|be|am)|['\u2019](?:s|re|m))\s+"
    r"(?:\w+ly\s+)?$",
    "PRONOUN_BEFORE": r"(?<![\w\u2019'])(?P<src>[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I|[Yy]ou)"
    r"(?:['\u2019](?:s|ve|d|ll|re))?"
    r"(?:\s+(?:also|has|have|had|later|then|previously|repeatedly|once|again))*\s+$",
    "CLAUSE_BEFORE": r"(,|\band|\bbut|\bby|\bbefore|\bafter|\bwhile|\bwhen|\bin|\bwithout)\s+"
    r"(?:(?:also|then|later|has|have|had|would|will|could|may|might|must|should|can|even|never"
    r"|not|still|often|already|\w+ly)\s+){0,3}$|([\u2014\u2013]|--)\s*$",
}


@pytest.mark.parametrize("name", sorted(FORWARD_LOOK_BEHINDS))
def test_reversed_look_behinds_match_their_forward_form(name):
    text = (
        "Lee, who is now saying it, and they've long said so. She's quickly warning them, "
        "but he then repeatedly argued \u2014 said the claim was being denied; the stance "
        "was reported by this anxious man. It also had, and also then finally added it."
    )
    forward = re.compile(FORWARD_LOOK_BEHINDS[name])
    backward = getattr(patterns, name)
    rev, n = text[::-1], len(text)
    for at in range(n + 1):
        for lo in range(max(0, at - 40), at + 1, 3):
            f = forward.search(text, lo, at)
            r = mentions.ends_before(backward, rev, at, lo)
            assert (f is None) == (r is None), (name, text[lo:at])
            if f is not None and r is not None:
                assert f.end() - f.start() == r.end() - r.start(), (name, text[lo:at])


def test_reversed_blocker_search_finds_what_the_forward_one_finds():
    text = (
        "Pol Norman, who said that it was late, and they agreed as he left. Trump's aide, "
        "who told them, said she'd go; the last one which been there after before when "
        "while if but says."
    )
    # The window ends where a cue starts: after white space.
    for hi in [m.start() for m in re.finditer(r"(?<=\s)\w", text)]:
        for lo in range(max(0, hi - 120), hi + 1, 5):
            forward = mentions._last_blocker(
                patterns.BLOCKER, text, lo, hi, patterns.BLOCKER_EXCEPT
            )
            assert mentions._last_blocker_rev(text, lo, hi) == forward, (lo, hi)
