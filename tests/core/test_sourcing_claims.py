"""What counts as an attribution and a source, one source per speaker, and the headline's
claim traced to who makes it (docs/criteria.md, sourcing rubric). People and places are
invented."""

import pytest

from sensational.results import SourcingResult
from sensational.sourcing import FEATURE_NAMES, SourcingAnalyzer, SourcingFeatures
from sensational.sourcing.mentions import trim_source


@pytest.fixture(scope="module")
def analyzer() -> SourcingAnalyzer:
    return SourcingAnalyzer()


def sources(result: SourcingResult) -> dict[str, tuple[str, int]]:
    return {s.name: (s.kind, s.attributions) for s in result.sources}


def cues(analyzer: SourcingAnalyzer, text: str) -> list[tuple[str, str]]:
    return [(text[m.cue[0] : m.cue[1]], m.name) for m in analyzer.extract(text) if m.cue]


# --- Actions are not attributions -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Veldonian leader ordered a partial mobilisation last month.",
        "He sought to blame his defence minister for the losses.",
        "Mayor Ann Lee signed the decree on Monday.",
        "The army launched an offensive in the south.",
        "The ministry issued an order closing the border.",
        "The club declined to sign the striker.",
        "The mayor appeared nervous before the vote.",
        "The council agreed to pay for the repairs.",
        "Prosecutors filed charges against the driver.",
        "The union pushed for a pay rise.",
    ],
)
def test_actions_are_not_attributions(analyzer, text):
    assert cues(analyzer, text) == []


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        ("The ministry issued a statement denying the report.", "issued", "The ministry"),
        ("The club declined to comment on the transfer.", "declined", "The club"),
        ("The council agreed that the bridge was unsafe.", "agreed", "The council"),
        ("Lee continued: \u201cWe will not give up.\u201d", "continued", "Lee"),
        ("Ann Lee released a video calling for calm.", "released", "Ann Lee"),
    ],
)
def test_the_same_verbs_attribute_a_claim(analyzer, text, cue, name):
    assert (cue, name) in cues(analyzer, text)


# --- Source phrases that can speak -----------------------------------------------------------


def test_clause_openers_adverbs_and_time_words_are_not_part_of_a_source():
    for phrase, name in [
        ("Although representatives of the Fenwick family", "representatives of the Fenwick family"),
        ("A review of surveillance video allegedly", "A review of surveillance video"),
        ("Hedra Action on Wednesday", "Hedra Action"),
        ("Wednesday and Mirren", "Mirren"),
        ("But Ann Lee", "Ann Lee"),
        ("Despite", ""),
    ]:
        start, end = trim_source(phrase, 0, len(phrase))
        assert phrase[start:end] == name


def test_things_that_cannot_speak_are_no_source(analyzer):
    body = (
        "The security breakdown suggested the prison was understaffed. "
        "The trip shows how far the talks have come. "
        "A review of surveillance video allegedly showed guards asleep."
    )
    result = analyzer.analyze("", body)
    assert result.sources == []


def test_party_tags_stay_with_their_senator(analyzer):
    body = (
        "Sen. Ben Sasse (R-Neb.) said the trial was a farce. Sasse added that he would ask "
        '"hard questions." "It is a disgrace," said Sen. Ben Sasse, R-Neb., who sits on '
        "the committee."
    )
    result = analyzer.analyze("", body)
    assert sources(result) == {"Ben Sasse": ("person", 3)}


def test_a_capital_standing_for_its_government_is_one_source(analyzer):
    body = (
        "Washington said the talks would go on. Officials in Ostrava disagreed. "
        "Washington warned on Friday that sanctions would follow."
    )
    result = analyzer.analyze("", body)
    assert sources(result)["Washington"] == ("organisation", 2)
    assert [s.name for s in result.sources].count("Washington") == 1


# --- One source per real-world speaker -------------------------------------------------------


def test_names_titles_roles_and_pronouns_of_one_person_merge(analyzer):
    body = (
        "President Arkady Korvan of Veldonia said on Monday that the front was holding. "
        "Korvan told state television the army would not retreat. "
        "Mr Korvan added that reinforcements were on the way. "
        "The Veldonian leader also claimed that the offensive had failed. "
        "He said the West was to blame."
    )
    result = analyzer.analyze("", body)
    assert sources(result) == {"Arkady Korvan": ("person", 5)}


def test_a_definite_description_takes_up_the_person_just_introduced(analyzer):
    text = (
        "Generals are said to be furious, according to a Veldonian blogger. The blogger said"
        " on his channel that two commanders refused orders. A diplomat said talks had"
        " stalled. The Veldonian blogger added that more would follow."
    )
    found = sources(analyzer.analyze("Generals furious", text))
    assert found["a Veldonian blogger"] == ("person", 3)
    assert "The blogger" not in found and "The Veldonian blogger" not in found
    assert found["A diplomat"][1] == 1  # another head noun is someone else


def test_the_president_merges_only_when_the_article_says_whose(analyzer):
    one = (
        "Ostrian President Lena Marsh said the border would reopen. "
        "The president added that trade would resume in May."
    )
    two = (
        "Ostrian President Lena Marsh said the border would reopen. "
        "Veldonian President Arkady Korvan said it would stay shut. "
        "The president added that trade would resume in May."
    )
    assert sources(analyzer.analyze("", one)) == {"Lena Marsh": ("person", 2)}
    names = sources(analyzer.analyze("", two))
    assert names["Lena Marsh"] == ("person", 1) and names["Arkady Korvan"] == ("person", 1)
    assert "the president" in {n.lower() for n in names}


def test_a_role_matches_the_person_of_the_same_place(analyzer):
    body = (
        "Ostrian President Lena Marsh said the border would reopen. "
        "Arkady Korvan, the Veldonian president, said it would stay shut. "
        "The Veldonian leader later claimed the shelling had stopped."
    )
    names = sources(analyzer.analyze("", body))
    assert names == {"Lena Marsh": ("person", 1), "Arkady Korvan": ("person", 2)}


def test_organisations_keep_their_owner(analyzer):
    body = (
        "Veldonia's foreign ministry said the claims were false. "
        "The Ostrian foreign ministry said it had proof. "
        "The foreign ministry in Ostrava later repeated that it had proof."
    )
    names = sources(analyzer.analyze("", body))
    assert len([n for n in names if "foreign ministry" in n.lower()]) >= 2
    assert names["Veldonia's foreign ministry"] == ("organisation", 1)


def test_an_owned_body_merges_with_its_short_form(analyzer):
    body = (
        "Veldonia's foreign ministry said the claims were false. "
        "The foreign ministry added that talks would continue."
    )
    assert sources(analyzer.analyze("", body)) == {
        "Veldonia's foreign ministry": ("organisation", 2)
    }


def test_people_sharing_a_surname_stay_apart(analyzer):
    body = "Tom Vire said fares would rise. Ann Vire said they would fall. Vire also argued it."
    names = sources(analyzer.analyze("", body))
    assert set(names) == {"Tom Vire", "Ann Vire"}


# --- Recall where it is cheap ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        (
            'Kremlin watcher Pol Norman wrote: "The generals are close to revolt."',
            "wrote",
            "Kremlin watcher Pol Norman",
        ),
        (
            "The result did not surprise pollster Dara Shawn: \u201cLesser-known candidates "
            "always gain late.\u201d",
            ":",
            "Dara Shawn",
        ),
        ("TAPPER: What did you mean?\nKORVAN: I meant every word.", ":", "KORVAN"),
        (
            "The bridge is unsafe, according to engineer Tom Fox.",
            "according to",
            "engineer Tom Fox",
        ),
        ("Ann Lee tweeted that the bridge was safe.", "tweeted", "Ann Lee"),
        (
            "\u201cWe will rebuild the bridge.\u201d \u2014 Ann Lee (@annlee) May 5, 2026",
            "\u2014",
            "Ann Lee",
        ),
        ("The plan was sharply criticised by Mayor Ann Lee.", "criticised", "Mayor Ann Lee"),
        ("Polls show Kells leading in the north.", "show", "Polls"),
        (
            "A survey by the charity Clear Air found that vaping had doubled.",
            "found",
            "A survey by the charity Clear Air",
        ),
    ],
)
def test_cheap_constructions_are_attributed(analyzer, text, cue, name):
    assert (cue, name) in cues(analyzer, text)


def test_a_quote_continued_across_paragraphs_stays_with_its_speaker(analyzer):
    body = (
        "Pol Norman said the generals were angry.\n"
        "\u201cThey will not obey another order,\u201d he said.\n"
        "\u201cThe army has had enough.\u201d\n"
        "The ministry did not reply."
    )
    result = analyzer.analyze("", body)
    norman = next(s for s in result.sources if s.name == "Pol Norman")
    assert norman.attributions == 3
    assert "\u201cThe army has had enough.\u201d" in [
        s.text for s in norman.spans if s.category == "content"
    ]


# --- The headline's claim traced -------------------------------------------------------------

# Built like the founding article: the claim carried by hedged sentences, backed later only by
# one blogger's post, while an agency, the government and an army estimate speak of other things.
FOUNDING = (
    "Korvan faces mutiny from top generals as frontline collapses",
    "President Arkady Korvan of Veldonia is facing a mutiny from his top generals, it has "
    "been reported.\n"
    "Senior commanders are reportedly furious with the Veldonian leader after a string of "
    "defeats in the south.\n"
    "The Veldonian leader ordered a partial mobilisation last month, and he sought to blame "
    "his defence minister for the losses.\n"
    "The state news agency Veltass said on Tuesday that new recruits had arrived at the front.\n"
    "The government in Ostrava said the offensive was going to plan.\n"
    "An estimate by the Rosmark army put Veldonian losses at 40,000 men.\n"
    'Kremlin watcher Pol Norman wrote on his blog: "The generals are close to open revolt. '
    'Korvan has lost the army."\n'
    "Norman added that two commanders had refused orders.",
)

FOUNDING_CLUB = (
    "Manager Rico Dalle faces dressing-room revolt at Harwick",
    "Harwick manager Rico Dalle is said to be facing a revolt in the dressing room after a "
    "fourth straight defeat.\n"
    "The club said in a statement that ticket prices would be frozen next season.\n"
    "League officials confirmed that the fixture list would be published in June.\n"
    "Figures from the data firm Statline show Harwick have run less than any other side.\n"
    'Fan podcaster Jo Marr posted on Sunday: "The players have stopped listening to Dalle. '
    'There is open mutiny in that dressing room."',
)


@pytest.mark.parametrize("article", [FOUNDING, FOUNDING_CLUB], ids=["war", "football"])
def test_an_article_built_like_the_founding_one_rests_on_one_blogger(analyzer, article):
    headline, body = article
    result = analyzer.analyze(headline, body)
    support = result.headline_support
    assert support is not None
    assert support.independent_sources == 1
    assert "named" in support.kinds
    assert "anonymous" in support.kinds and "hedged" in support.kinds
    assert support.hedged
    assert support.single_source_reliance is True
    assert support.label == "single"
    assert result.score is not None and result.score >= 0.6
    # The sentences carrying the claim are the hedged ones and the post, not the others.
    carried = " ".join(s.text for s in support.sentences)
    assert "mutiny" in carried or "revolt" in carried
    for other in ("Veltass", "Ostrava", "Rosmark", "ticket prices", "fixture", "Statline"):
        assert other not in carried
    # The blogger is the only named source behind it.
    named = [n for n in support.sources if n in {s.name for s in result.sources}]
    assert len(named) == 1 and named[0] in ("Pol Norman", "Jo Marr")


def test_actions_of_the_leader_are_no_source_in_the_founding_article(analyzer):
    result = analyzer.analyze(*FOUNDING)
    names = {s.name for s in result.sources}
    assert not any("leader" in n.lower() or "minister" in n.lower() for n in names)
    assert {"Pol Norman", "The state news agency Veltass"} <= names


def test_a_claim_backed_by_two_independent_named_sources_is_not_thin(analyzer):
    headline = "Harwick council to close Mill Bridge for repairs"
    body = (
        "Harwick council will close Mill Bridge for repairs next month, council leader "
        "Ann Lee said on Monday.\n"
        "Engineer Tom Fox, who inspected Mill Bridge for the council, said the repairs to the "
        "bridge could not wait.\n"
        "Local shops said they feared a fall in trade."
    )
    result = analyzer.analyze(headline, body)
    support = result.headline_support
    assert support is not None
    assert support.label == "several_named"
    assert support.independent_sources == 2
    assert support.single_source_reliance is False
    assert result.score is not None
    founding = analyzer.analyze(*FOUNDING)
    assert founding.score is not None and result.score < founding.score
    assert result.score < 0.5


def test_an_agency_relaying_a_blogger_is_the_blogger(analyzer):
    headline = "Veldonian generals close to revolt"
    body = (
        "The state news agency Veltass, citing Pol Norman, said the generals were close to "
        "revolt.\n"
        "Pol Norman wrote on his blog that the generals were close to open revolt."
    )
    support = analyzer.analyze(headline, body).headline_support
    assert support is not None
    assert support.independent_sources == 1
    assert support.label == "single"


def test_a_claim_nobody_makes_is_unattributed(analyzer):
    headline = "Harwick to close Mill Bridge"
    body = "Harwick will close Mill Bridge in May. The bridge opened in 1902."
    support = analyzer.analyze(headline, body).headline_support
    assert support is not None and support.label == "unattributed"
    assert support.single_source_reliance is False and support.kinds == []


def test_a_claim_resting_on_officials_only_is_anonymous(analyzer):
    headline = "Harwick to close Mill Bridge, officials say"
    body = "Harwick will close Mill Bridge in May, officials said."
    support = analyzer.analyze(headline, body).headline_support
    assert support is not None and support.label == "anonymous_hedged"
    assert support.kinds == ["anonymous"] and support.independent_sources == 0


# --- Features of the fitted score ------------------------------------------------------------


def test_features_describe_what_the_claim_rests_on(analyzer):
    feats = analyzer.features(*FOUNDING)
    assert isinstance(feats, SourcingFeatures) and feats._fields == FEATURE_NAMES
    assert feats.claim_traced == 1.0
    assert feats.independent_named == 1.0
    assert feats.claim_hedged == 1.0 and feats.claim_anonymous == 1.0
    assert feats.claim_posts_only == 1.0
    assert analyzer.features("Headline", "  ") is None


def test_a_fitted_head_gives_the_score(analyzer):
    class Half:
        def proba(self, x):
            assert len(x) == len(FEATURE_NAMES)
            return 0.5

    fitted = SourcingAnalyzer(head=Half())
    assert fitted.analyze(*FOUNDING).score == 0.5
    assert analyzer.analyze(*FOUNDING).score != 0.5
