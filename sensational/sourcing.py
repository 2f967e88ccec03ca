"""Who an article's claims rest on: attributions, sources, hedges, single-source reliance.

One pass of compiled regexes finds the cues of attribution (reporting verbs such as "said"
or "told", stance verbs such as "praised", verbs of thinking or finding followed by a claim
such as "think the plan works" or "found that", "according to", "in a CNN poll") and the
hedges that carry a claim without a source ("reportedly", "is said to", "reports
suggest"). For each cue the source is read from the words around it: the subject before
the cue ("Pol Norman said", "A source close to the club told", "47 percent of voters say",
"Jo Sims, 63, a teacher, said"), the subject of the clause a participle hangs on ("Lee
defended the plan, saying"), the inverted subject after a quote ("...," said Norman), or
the phrase after "according to". A title naming its speaker ("Cruz: Trump Would ...") and
questions put by nobody named ("Asked about the plan, ...") count too; cues inside a
quotation, and stances inside a claim already reported ("Lee said he thinks ..."), do not.
Sources that name the same speaker are merged ("Pol Norman" / "Norman" / "he"; "Ukraine's
General Staff" / "the General Staff"), and each gets a kind: person, organisation,
document (a tweet, a blog, a report, a statement), or anonymous ("officials", "sources",
"an insider", "47 percent").

Cue words and their rates come from ``resources/sourcing_cues.tsv``; sentence boundaries
from :mod:`sensational.sentences`. Everything is loaded once per process.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from sensational.results import (
    AttributionInfo,
    HeadlineSupport,
    SourceInfo,
    SourcingResult,
    Span,
)
from sensational.sentences import split_sentences

CUES_FILE = "sourcing_cues.tsv"
SOURCE_TAG = "sourcing"

# An article with body text but no attribution and no hedge at all: its claims rest on
# nobody named, which is thin sourcing.
NO_ATTRIBUTION_SCORE = 0.8


def _trie_pattern(words: list[str]) -> str:
    """A regex matching exactly ``words``, with shared prefixes factored out."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return render(tree)


def _either_case(words: list[str]) -> list[str]:
    return words + [w[:1].upper() + w[1:] for w in words]


_CAP = r"(?:[A-Z][\w&\u2019'.-]*|[A-Z]\.)"
_CONNECT = r"(?:of|for|on|and|de|da|del|la|le|van|von|der|bin|al|the)"
# A name, with an optional party tag or age in brackets: "Sen. Ann Lee (D-Vt.)".
_PROPER = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+){{0,2}}{_CAP}){{0,5}}(?:\s+\([^()]{{1,12}}\))?"
_DET_WORDS = (
    "the a an one two three four several some many most other another his her "
    "their its our these those both senior top"
).split()
_DET = "(?:" + _trie_pattern(_DET_WORDS) + ")"
_DET_ANY = "(?:" + _trie_pattern(_either_case(_DET_WORDS)) + ")"
# Heads of common-noun sources. Anonymous, document, organisation and person heads are
# told apart later (``_classify``); here any of them can end a source phrase.
_ANON_HEADS = (
    "source sources insider insiders official officials aide aides adviser advisers advisor "
    "advisors people person someone diplomat diplomats ally allies friend friends associate "
    "associates staffer staffers member members figure observer observers "
    # Shares of people polled: "47 percent said", "a majority of voters say".
    "percent majority plurality minority half third quarter respondents"
).split()
_DOC_HEADS = (
    "tweet tweets post posts blog blogpost statement statements report reports study studies "
    "survey surveys poll polls letter letters memo memos document documents filing filings "
    "video email emails release website article articles editorial book data analysis "
    "research paper transcript transcripts footage message messages figures statistics"
).split()
_ORG_HEADS = (
    "government ministry department agency company firm campaign administration committee "
    "council police army military navy court club team party union league group network "
    "newspaper outlet office authorities authority board commission institute university "
    "bank school hospital organisation organization watchdog regulator staff prosecutors "
    "investigators officers spokesman spokeswoman spokesperson spokespeople maker operator "
    "airline retailer chain insurer broadcaster studio industry tournament charity "
    "manufacturer supermarket carmaker developer publisher utility"
).split()
_PERSON_HEADS = (
    "executive executives minister president senator lawyer attorney analyst analysts "
    "expert experts professor "
    "doctor doctors researcher researchers scientist scientists witness witnesses resident "
    "residents leader leaders author authors economist economists chief director manager "
    "blogger bloggers writer columnist journalist reporter podcaster influencer "
    "coach candidate governor mayor judge critic critics commentator commentators voter "
    "voters supporter supporters neighbour neighbours neighbor neighbors mother father wife "
    "husband son daughter sister brother owner worker workers teacher teachers official "
    # Political news: the speakers of PolNeAR's election coverage.
    "senators lawmaker lawmakers legislator legislators congressman congresswoman congressmen "
    "representative representatives delegate delegates candidates nominee nominees "
    "strategist strategists pollster pollsters operative operatives activist activists "
    "protester protesters demonstrators donor donors advocate advocates chairman chairwoman "
    "secretary businessman businesswoman billionaire host anchor pundit pundits prosecutor "
    "historian historians scholar scholars pastor speaker frontrunner front-runner rival "
    "rivals opponent opponents challenger incumbent surrogate surrogates backer backers fan "
    "fans citizens immigrants students parents women men veterans evangelicals republicans "
    "democrats conservatives liberals progressives independents contender contenders hopeful "
    "hopefuls governors mayors presidents ministers man woman"
).split()
_COMMON_HEADS = sorted(
    set(_ANON_HEADS + _DOC_HEADS + _ORG_HEADS + _PERSON_HEADS), key=len, reverse=True
)
_KNOWN_HEADS = frozenset(_COMMON_HEADS)
# The same as sets, for _classify.
_DOC_HEAD_SET = frozenset(_DOC_HEADS)
_ANON_HEAD_SET = frozenset(_ANON_HEADS)
_ORG_HEAD_SET = frozenset(_ORG_HEADS)
_PERSON_HEAD_SET = frozenset(_PERSON_HEADS)
# Case-insensitive so that a sentence can open with one ("Officials said", "People
# familiar with ...").
_HEAD = "(?:" + _trie_pattern(_either_case(_COMMON_HEADS)) + ")"
# Words that never sit inside a source phrase: prepositions, conjunctions, auxiliaries.
_NOT_IN_NAME = (
    "(?:"
    + _trie_pattern(
        (
            "in on at to that of for with by from as and but if when while after before had has "
            "have was were is are be been not would will could should may might can did does do "
            "said says told who which the a an it they he she"
        ).split()
    )
    + r")\b"
)
# Possessive quantifiers (++) where giving characters back can never lead to a match: the
# engine stops retrying shorter words on failing starts.
_MOD = rf"(?:(?!{_NOT_IN_NAME})[\w\u2019'.-]++\s++)"
_COMMON = rf"(?:{_DET_ANY}\s+)?(?:{_MOD}){{0,4}}{_HEAD}\b"
# Any noun after a determiner ("a Democratic strategist", "the retired surgeon") and the
# bare quantifiers ("some say", "others argue").
_GENERIC = (
    rf"(?:{_DET_ANY}\s+(?:{_MOD}){{0,4}}(?!{_NOT_IN_NAME})[A-Za-z][\w\u2019'-]*"
    r"|(?i:some|others|many|several|few|most|everyone|nobody|someone)\b)"
)
# "close to the family", "familiar with the talks", "for the ministry", "at the club".
_TAIL = (
    r"(?:\s+(?:close\s+to|familiar\s+with|with\s+knowledge\s+of|briefed\s+on|for|at|from|of|"
    r"in|on|inside|within|involved\s+in)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?"
    rf"(?:(?!{_NOT_IN_NAME})[\w\u2019'.-]++\s++){{0,3}}(?!{_NOT_IN_NAME})[\w\u2019'.-]+)?"
)
_TITLE_WORD = r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov)\.?"
_PRONOUN = r"(?:he|she|they|we|I|you|it|who|He|She|They|We|You|It|Who)"
# Shares of people polled: "47 percent of voters", "Sixty-six percent", "six in 10".
_NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|One|Two|Three|Four|Five|Six|Seven|Eight|Nine)"
)
_QUANT = (
    r"(?:(?i:about|around|nearly|almost|roughly|only|just|over|more\s+than|fewer\s+than"
    r"|less\s+than)\s+)?"
    r"(?:\d[\d.]*+\s*+(?:%|percent|per\s+cent)|(?:[A-Za-z]++-)?[A-Za-z]++\s+percent"
    rf"|{_NUMBER}\s+(?:in|out\s+of)\s+{_NUMBER}"
    r"|(?i:half|a\s+third|a\s+quarter|two-thirds|three-quarters|a\s+majority|a\s+plurality))"
    rf"(?:\s+of\s+(?:(?!{_NOT_IN_NAME})[\w\u2019'.-]++\s++){{0,3}}(?!{_NOT_IN_NAME})[\w\u2019'-]+)?"
)

# The subject before a cue, anchored at the cue: optional apposition (", a spokesman for
# the club,") and auxiliaries or adverbs between subject and verb.
_GAP = (
    r"(?:\s+(?:has|have|had|also|later|earlier|previously|then|once|again|recently|further|"
    r"would|will|may|might|could|should|must|can|cannot|was|were|is|are|did|does|do|not|never|"
    r"just|now|first|even|often|told\s+\w+|already|still|ever|soon|long|both|all|only|too|"
    r"himself|herself|themselves|itself|\w+ly|\w+n[\u2019']t|"
    # "had to explain", "wants to argue", "is going to say".
    r"(?:have|has|had|used|need|needs|needed|want|wants|wanted|plan|plans|planned|try|tries|"
    r"tried|trying|going|began|begin|begins|started|attempted|ought|able|likely|unlikely|"
    r"eager|set)\s+to|"
    r"on\s+\w+day|\w+day|yesterday|today|last\s+\w+))*"
)
# Bare plurals ("Abortion rights advocates", "Trump's opponents") and an owner in front.
_PLURAL = rf"(?:{_MOD}){{0,2}}(?!{_NOT_IN_NAME})[a-z][\w-]*[a-rt-z]s\b"
_THE_PROPER = rf"(?:(?i:the)\s+)?{_PROPER}"
_OWNER = rf"(?:{_PROPER}(?:\u2019s|'s)\s+)?"
_DASH = r"(?:[\u2014\u2013]|\s--?(?=\s))"
_SUBJECT = (
    rf"(?:{_COMMON}{_TAIL}|{_PRONOUN}\b|{_QUANT}|{_GENERIC}{_TAIL}|{_THE_PROPER}|{_PLURAL}{_TAIL})"
    rf"(?:[\u2019'](?:s|ve|d|ll|re))?(?:\s+{_PROPER})?)"
    # An apposition, after an age or not: ", 63, a voter from Miami," / " — a teacher —".
    rf"(?:(?:\s*,\s*\d{{1,3}})?\s*,\s*(?!and\b)(?P<app>[^,;:\"\u201c\u201d]{{1,150}}),"
    rf"|\s*{_DASH}\s*(?P<dash>[^\u2014\u2013;:\"\u201c\u201d]{{1,150}}?)\s*{_DASH})?{_GAP}\s*$"
)
_SUBJECT_BEFORE = re.compile(rf"(?<![\w\u2019'])(?P<src>{_OWNER}{_SUBJECT}")
# The same without the owner, for text with no "'s": trying the owner at every start (a
# name, then backing off letter by letter to find the "'s") is a third of the cost.
_SUBJECT_BEFORE_NO_OWNER = re.compile(rf"(?<![\w\u2019'])(?P<src>{_SUBJECT}")
_PROPER_ONLY = re.compile(rf"(?:{_TITLE_WORD}\s+)?{_PROPER}$")
_DET_START = re.compile(rf"{_DET_ANY}\b")
_ANTECEDENT = re.compile(rf"({_PROPER}|{_COMMON})\s*,?\s*$")
# The short look-behinds at a cue are written reversed and matched on the reversed text at
# the cue (see _ends_before): a search for "...$" in a window tries every start in it,
# while a reversed match is one attempt. The forward form is in each comment; for all of
# them at most one start can match, which the window check relies on.
# "\b(?i:the|a|an|his|her|their|its|our|this|that)\s+$": a noun, not a verb ("the claim").
_REV_NOUN = r"(?i:eht|a|na|sih|reh|rieht|sti|ruo|siht|taht)"
_NOUN_BEFORE = re.compile(rf"\s+{_REV_NOUN}\b")
# "\b(?:is|are|was|were|been|be|being|<noun words>)\s+$": a passive or a noun.
_PASSIVE_OR_NOUN_BEFORE = re.compile(rf"\s+(?:si|era|saw|erew|neeb|eb|gnieb|{_REV_NOUN})\b")
# "(?:\b(?:is|are|was|were|been|be|am)|['\u2019](?:s|re|m))\s+(?:\w+ly\s+)?$": "X is (now)
# saying", "she's saying".
_PROGRESSIVE_BEFORE = re.compile(
    r"\s+(?:yl\w+\s+)?(?:(?:si|era|saw|erew|neeb|eb|ma)\b|(?:s|er|m)['\u2019])"
)
# "(?<![\w\u2019'])(?P<src>[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I|[Yy]ou)(?:['\u2019](?:s|ve|d|ll|re))?
# (?:\s+(?:also|has|have|had|later|then|previously|repeatedly|once|again))*\s+$"
_PRONOUN_BEFORE = re.compile(
    r"\s+(?:(?:osla|sah|evah|dah|retal|neht|ylsuoiverp|yldetaeper|ecno|niaga)\s+)*"
    r"(?:(?:s|ev|d|ll|er)[\u2019'])?(?P<src>e[Hh]|eh[Ss]|yeh[Tt]|t[Ii]|e[Ww]|I|uo[Yy])(?![\w\u2019'])"
)
# "(,|\band|\bbut|\bby|\bbefore|...)\s+(?:(?:also|then|has|would|not|\w+ly|...)\s+){0,3}$" or a
# dash: a clause joined to the one before ("..., saying", "and has added", "by calling").
_CLAUSE_BEFORE = re.compile(
    r"\s+(?:(?:osla|neht|retal|sah|evah|dah|dluow|lliw|dluoc|yam|thgim|tsum|dluohs|nac|neve"
    r"|reven|ton|llits|netfo|ydaerla|yl\w+)\s+){0,3}"
    r"(,|dna\b|tub\b|yb\b|erofeb\b|retfa\b|elihw\b|nehw\b|ni\b|tuohtiw\b)|\s*([\u2014\u2013]|--)"
)
_SOURCE_AFTER = re.compile(
    rf"\s+(?P<src>(?:{_COMMON}(?:\s+{_PROPER})?|{_PROPER}|{_GENERIC}(?:\s+{_PROPER})?"
    rf"|(?:{_MOD}){{1,3}}{_PROPER}){_TAIL}"
    rf"|{_PRONOUN}\b)"
    # An inverted subject ends the clause: "said Lee." / "said Lee, a spokesman" /
    # "said a source on Monday".
    r"(?=\s*(?:[,.;:!?\u2014)]|$|\s(?:who|in\s+a|on\s+\w+day|\w+day|yesterday|today|last)\b))",
)
_ACCORDING_SOURCE = re.compile(
    rf"\s+(?P<src>(?:{_COMMON}(?:\s+{_PROPER})?|{_PROPER}|{_GENERIC}(?:\s+{_PROPER})?){_TAIL})"
)
# A closed quote or a comma right before the cue: "...," said Lee / ..., said Lee. Reversed
# like the patterns above, from "(?:[\"\u201d\u2019']\s*[,.!?\u2014-]?|[,.!?\u2014-]\s*
# [\"\u201d\u2019']|,)\s*$"; several starts can match, so it is matched with an end bound.
_QUOTE_CLOSE_BEFORE = re.compile(
    r"\s*(?:[,.!?\u2014-]?\s*[\"\u201d\u2019']|[\"\u201d\u2019']\s*[,.!?\u2014-]|,)"
)

_IN_POLL = re.compile(
    r"\s+(?P<src>(?:an?|the|[A-Z][\w\u2019'.-]*(?:\u2019s|'s|\u2019))\s+(?:[\w\u2019'./&-]+\s+){0,5}?"
    r"(?:poll|survey|study|surveys|studies))\b"
)
# The look-ahead on first letters lets the engine skip most word starts (a third faster).
_HEDGE = (
    r"(?=[aciprstuw])(?:reportedly|allegedly|purportedly|supposedly|apparently|rumou?red"
    r"|(?:is|are|was|were)\s+(?:said|understood|believed|thought|rumou?red|reported|alleged"
    r"|claimed|expected|feared)\s+to"
    r"|it\s+(?:is|was|has\s+been)\s+(?:claimed|reported|understood|alleged|said|rumou?red"
    r"|suggested|believed)"
    r"|(?:reports|rumou?rs|speculation|claims)\s+(?:suggest|suggested|say|said|claim|claimed"
    r"|indicate|indicated|have\s+it)"
    r"|(?:there\s+(?:are|were)\s+)?unconfirmed\s+reports(?:\s+(?:say|said|suggest|claim))?"
    r"|according\s+to\s+(?:reports|rumou?rs|media\s+reports|local\s+reports))\b"
)
_HEDGES = re.compile(rf"\b{_HEDGE}", re.IGNORECASE)
_MEDIUM = re.compile(
    r"\s*(?:,\s*)?(?:on|in|via)\s+(?:a|an|the|his|her|their|its)?\s*"
    r"(?:(?:\w+\s+){0,2})?(?P<medium>tweet|post|blog(?:\s*post)?|statement|interview|letter|"
    r"video|podcast|email|press\s+release|op-ed|column|memo|broadcast|message)s?\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"\u201c[^\u201c\u201d]{2,1500}\u201d|\"[^\"]{2,1500}\"")
_PARAGRAPH_QUOTE = re.compile(r"\u201c[^\u201c\u201d\n]{2,1500}\u201d|\"[^\"\n]{2,1500}\"")
_WORD = re.compile(r"[A-Za-z][\w\u2019'-]*")
# Words left in lower case in titles.
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to vs with".split()
)
_COLON_TITLE = re.compile(
    rf"[\"\u201c']?(?P<src>{_OWNER}(?:{_COMMON}|{_THE_PROPER}))\s*:[ \t]+"
    r"(?=[\"\u201c\u2018'A-Za-z])"
)
# Title labels that are no speaker: "The Latest: ...", "Video: ...".
_NOT_TITLE_SOURCES = frozenset(
    "latest update updates video watch exclusive breaking analysis opinion editorial review "
    "live photos transcript recap".split()
)

_PERSON_PRONOUNS = {"he", "she", "i"}
_FIRST_SECOND = {"i", "we", "you"}
_GROUP_PRONOUNS = {"they", "we", "it"}
_TITLES = set(
    (
        "mr mrs ms dr prof gen sen rep gov president senator minister judge lt col sgt capt "
        "sir lord lady dame rev chancellor prime secretary general "
    ).split()
)
_ORG_WORDS = set(_ORG_HEADS) | set(
    (
        "ministry times post news journal press reuters bbc cnn afp ap bloomberg guardian "
        "telegraph inc corp ltd plc association foundation federation house pentagon kremlin "
        "congress senate parliament fbi cia nhs un nato eu service services center centre "
        "trust guard forces fund society coalition alliance observatory "
    ).split()
)
_INDEFINITE = set(
    "a an one two three four five six seven eight nine ten some several many another other "
    "few most others everyone nobody someone".split()
)
_DROP_WORDS = {"the", "a", "an", "mr", "mrs", "ms", "dr", "prof", "his", "her", "their", "its"}
# The kind of a one-word source by its lower-case form, and by the forms it is written in.
_LOWER_WORD_KINDS = (
    dict.fromkeys(_INDEFINITE, "anonymous")
    | dict.fromkeys(_GROUP_PRONOUNS | {"who"}, "pronoun")
    | dict.fromkeys(_PERSON_PRONOUNS, "person")
)
_KNOWN_WORDS = _PERSON_PRONOUNS | _GROUP_PRONOUNS | _INDEFINITE
_WORD_KINDS = {
    form: kind
    for word, kind in _LOWER_WORD_KINDS.items()
    for form in (word, word.capitalize(), word.upper())
}
_HEDGE_WORDS = {"reportedly", "allegedly", "apparently", "supposedly", "purportedly", "claim"}
_STOP = set(
    (
        "the a an and or but of to in on at for with from by as is are was were be been has have "
        "had it its this that these those he she they we you i his her their our your not no "
        "will would could should may might can says said say after over into about than more "
        "new just what who why how when where which there here out up down off all any some"
    ).split()
)


@dataclass(frozen=True, slots=True)
class CueEntry:
    """One cue word form: ``cls`` is ``report``, ``document``, ``stance`` or ``clause``.

    ``clause`` forms ("think", "found") are cues only when a claim follows them.
    """

    form: str
    cls: str
    rate: float


@lru_cache(maxsize=1)
def load_cues() -> dict[str, CueEntry]:
    """Read ``resources/sourcing_cues.tsv`` once per process."""
    text = resources.files("sensational.resources").joinpath(CUES_FILE).read_text("utf-8")
    cues: dict[str, CueEntry] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 5 or parts[1] not in ("report", "document", "stance", "clause"):
            raise ValueError(f"{CUES_FILE}:{lineno}: expected form, class, rate, count, origin")
        cues[parts[0]] = CueEntry(parts[0], parts[1], float(parts[2]))
    return cues


# Characters that can stand right before a word: all of ASCII but letters, digits and "_",
# and the common others (no-break space, guillemets, dashes, curly quotes, ellipsis).
_SEPARATORS = (
    "\\x00-/:-@\\[-^`{-\\x7f\\xa0\\xab\\xbb\\u2013\\u2014\\u2018\\u2019\\u201c\\u201d\\u2026"
)
_OTHER_SEPARATOR = re.compile(rf"[^\w{_SEPARATORS}]")


@dataclass(frozen=True, slots=True)
class _WordPattern:
    """A pattern for words starting at a word boundary, compiled three ways.

    ``anywhere`` is ``\\b(?:body)``. The regex engine tries it at every character, while
    ``after_separator`` (``[separator](?:body)``) lets it skip to the separators, which is
    nearly twice as fast; ``at_start`` covers the text's first word. ``body`` names its groups.
    """

    anywhere: re.Pattern[str]
    after_separator: re.Pattern[str]
    at_start: re.Pattern[str]

    @classmethod
    def compile(cls, body: str, flags: int = 0) -> _WordPattern:
        return cls(
            re.compile(rf"\b(?:{body})", flags),
            re.compile(rf"[{_SEPARATORS}](?:{body})", flags),
            re.compile(rf"(?:{body})", flags),
        )

    def scan(self, text: str, separated: bool) -> list[re.Match[str]]:
        """The matches of ``anywhere`` in ``text``; pass ``separated`` if
        ``_OTHER_SEPARATOR`` is not in the text (ASCII text never has it). Spans are those
        of the named groups.
        """
        if not separated:
            return list(self.anywhere.finditer(text))
        first = self.at_start.match(text)
        if first is None:
            return list(self.after_separator.finditer(text))
        return [first, *self.after_separator.finditer(text, first.end())]


def _separated(text: str) -> bool:
    """Whether every non-word character in ``text`` is one of ``_SEPARATORS``."""
    return text.isascii() or _OTHER_SEPARATOR.search(text) is None


# _HEDGES for lower-cased text: without IGNORECASE it scans a third faster.
_HEDGES_LOWER = _WordPattern.compile(rf"(?P<hedge>{_HEDGE})")
_IN_WORD = _WordPattern.compile(r"(?P<inpoll>[Ii]n)(?=\s+[aAtT\u2019'A-Z])")


@lru_cache(maxsize=1)
def _cue_pattern() -> _WordPattern:
    # Case-sensitive: cue verbs are lower case, while "State" or "Post" name things. The
    # forms are folded into a prefix tree: a flat alternation of ~290 words costs ten
    # times more per article. "Asked about the plan, Lee said": a question put by nobody
    # named.
    return _WordPattern.compile(
        r"(?P<acc>[Aa]ccording\s+to)|(?P<asked>Asked)|(?P<cue>"
        + _trie_pattern(list(load_cues()))
        + r")(?!\w)"
    )


@dataclass(slots=True)
class Mention:
    """One attribution as found: character ranges into the analysed text.

    ``kind`` is the source kind, ``"pronoun"`` for an unresolved they/it/who,
    ``"hedge"`` for "according to reports"-like cues without a source and
    ``"continuation"`` for a quote that continues the previous speaker; ``key`` indexes
    the merged source, -1 until merged (or when nothing could be merged).
    """

    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    name: str
    kind: str
    cls: str
    medium: str | None = None
    content: tuple[int, int] | None = None
    key: int = -1
    source_name: str = ""


@dataclass(slots=True)
class _Source:
    name: str
    kind: str
    tokens: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    index: int = -1


class SourcingAnalyzer:
    """Find attributions, sources and hedges in an article and score its sourcing.

    The analyser holds no fitted state: resources are read once per process and shared,
    so it is cheap to construct and to pickle.

    Parameters
    ----------
    stance_cues
        Count stance verbs ("praised", "urged", "hopes") as attribution cues. They are
        part of attribution in annotated news (PolNeAR) but carry weaker evidence of
        where a factual claim comes from.
    support_overlap
        Share of the headline's content words a body sentence must contain to count as
        supporting the headline's claim.

    Examples
    --------
    >>> result = SourcingAnalyzer().analyze(
    ...     "Club to sack manager, insiders claim",
    ...     "The club will sack its manager this week, a source close to the board said.",
    ... )
    >>> [(s.name, s.kind) for s in result.sources]
    [('a source close to the board', 'anonymous')]
    """

    # Class-level defaults keep analysers pickled before a parameter existed working.
    stance_cues: bool = True
    support_overlap: float = 0.34

    def __init__(self, *, stance_cues: bool = True, support_overlap: float = 0.34) -> None:
        self.stance_cues = stance_cues
        self.support_overlap = support_overlap

    def analyze(
        self, headline: str, body: str, exclude: list[tuple[int, int]] | tuple[()] = ()
    ) -> SourcingResult:
        """Analyse one article.

        Parameters
        ----------
        headline, body
            The texts as sent; every span indexes them exactly.
        exclude
            ``(start, end)`` ranges of ``body`` that are page furniture, to be skipped.

        Returns
        -------
        SourcingResult
            ``score`` is None only when the body is empty or white space.
        """
        if not body or not body.strip():
            return SourcingResult(score=None)
        text = _blank(body, exclude)
        sentences = split_sentences(text)
        starts = [s for s, _ in sentences]
        separated = _separated(text)
        hedge_at = _hedge_spans(text, separated)
        hedges = [Span("body", a, b, body[a:b], "hedge", 1.0, SOURCE_TAG) for a, b in hedge_at]
        mentions = self._extract(text, sentences, separated)
        if hedge_at:
            # A cue inside a hedge ("reports suggest") is the hedge, not a second source.
            # Hedges do not overlap, so only the last one starting at or before a point
            # can hold it.
            hedge_starts = [a for a, _ in hedge_at]

            def in_hedge(r: tuple[int, int] | None) -> bool:
                if r is None:
                    return False
                i = bisect_right(hedge_starts, r[0]) - 1
                return i >= 0 and r[0] < hedge_at[i][1]

            mentions = [m for m in mentions if not in_hedge(m.cue) and not in_hedge(m.source)]
        mentions += _continuations(text, mentions, sentences, starts)
        mentions.sort(key=lambda m: (m.cue or m.content or (0, 0))[0])
        sources = _merge(mentions, text)
        result = _summarise(body, mentions, sources, hedges)
        result.headline_support = self._support(
            headline, body, sentences, mentions, hedges, sources
        )
        return result

    def extract(self, text: str, sentences: list[tuple[int, int]] | None = None) -> list[Mention]:
        """Return the attributions with a cue found in ``text``, in text order.

        Sources are resolved per mention (pronouns still unresolved); merging happens in
        :meth:`analyze`. Used directly by the evaluation against annotated corpora.
        """
        if sentences is None:
            sentences = split_sentences(text)
        return self._extract(text, sentences, _separated(text))

    def _extract(
        self, text: str, sentences: list[tuple[int, int]], separated: bool
    ) -> list[Mention]:
        starts = [s for s, _ in sentences]
        cues = load_cues()
        rev = text[::-1]
        quotes = _quotations(text)
        quote_starts = [a for a, _ in quotes]
        out: list[Mention] = []
        claim = (-1, 0)  # sentence index and start of the last claim reported in it
        for start, end, group, word in _cue_spans(text, separated):
            # A cue inside a quotation is the quoted speaker's own sourcing, which the
            # quotation's attribution already covers (PolNeAR annotates each token for one
            # attribution only; on its train split such cues were right a third of the time).
            q = bisect_right(quote_starts, start) - 1
            if q >= 0 and start < quotes[q][1]:
                continue
            i = bisect_right(starts, start) - 1
            sent_start, sent_end = sentences[i] if i >= 0 else (0, len(text))
            if group == "acc":
                mention = _according(text, start, end, sent_end)
            elif group == "asked":
                mention = Mention((start, end), None, "", "unsourced", "report")
            elif group == "inpoll":
                poll = _IN_POLL.match(text, end, sent_end)
                if poll is None:
                    continue
                src = poll.span("src")
                mention = Mention((start, end), src, text[src[0] : src[1]], "document", "report")
            else:
                entry = cues[word]
                if entry.cls == "stance" and not self.stance_cues:
                    continue
                if entry.cls == "clause" and not _COMPLEMENT_AFTER.match(text, end):
                    continue  # "found a job", "see you": no claim follows
                mention = None
                joined = _ends_before(_CLAUSE_BEFORE, rev, start, max(sent_start, start - 40))
                if joined:
                    # "Lee defended the plan, saying ..." / "Lee spoke and added ...": the
                    # clause's subject speaks.
                    joint = (joined.group(1) or joined.group(2))[::-1]
                    mention = _clause_subject(text, start, end, entry, sent_start, out, joint)
                if mention is None:
                    mention = _reporting(text, rev, start, end, entry, sent_start, sent_end)
            # "I think", "we said" sit inside quotes: the quoted speaker is already counted
            # (on PolNeAR train such mentions were wrong nine times in ten).
            if mention is None or mention.name.lower() in _FIRST_SECOND:
                continue
            src = mention.source
            if src is not None and mention.cls in ("report", "document") and src[1] <= start:
                # "Lee said (that) ...": what follows in the sentence is Lee's claim.
                claim = (i, mention.cue[1] if mention.cue else start)
            elif (
                src is not None
                and mention.cls in ("stance", "clause")
                and claim[0] == i
                and src[0] >= claim[1]
            ):
                # "Lee said he thinks ...": a stance inside a reported claim is part of
                # it (on PolNeAR train such mentions were wrong three times in four).
                continue
            out.append(mention)
        colon = _colon_title(text)
        if colon is not None:
            out.append(colon)
            out.sort(key=lambda m: m.cue[0] if m.cue else 0)
        return out

    def _support(
        self,
        headline: str,
        body: str,
        sentences: list[tuple[int, int]],
        mentions: list[Mention],
        hedges: list[Span],
        sources: list[_Source],
    ) -> HeadlineSupport | None:
        head_words = _content_words(headline)
        if len(head_words) < 2:
            return None
        need = max(2, round(self.support_overlap * len(head_words) + 0.49))
        scored = []
        body_low = body.lower()
        if len(body_low) != len(body) or "\u03a3" in body:
            # A letter whose lower case is longer or depends on its neighbours (sigma):
            # lower each sentence on its own instead.
            body_low = ""
        for start, end in sentences:
            low = body_low[start:end] if body_low else body[start:end].lower()
            # Substring pre-check: most sentences share too few words to be worth splitting.
            if sum(map(low.__contains__, head_words)) < need:
                continue
            shared = len(head_words & _content_words(body[start:end]))
            if shared >= need:
                scored.append((shared, -start, start, end))
        support = sorted(sorted(scored, reverse=True)[:3], key=lambda t: t[2])
        starts = [start for start, _ in sentences]
        hedged = bool(_HEDGES.search(headline))
        backing: dict[str, str] = {}
        spans = []
        last = -1
        for _, _, start, end in support:
            spans.append(Span("body", start, end, body[start:end], "support", 1.0, SOURCE_TAG))
            _add_backing(backing, mentions, sources, start, end)
            hedged = hedged or any(start <= h.start < end for h in hedges)
            last = max(last, bisect_right(starts, start) - 1)
        if spans and not backing:
            # A lede with no attribution of its own ("Fares will be frozen.") is backed
            # by the next two sentences ("..., the minister said."), else by the article.
            for start, end in sentences[last + 1 : last + 3]:
                _add_backing(backing, mentions, sources, start, end)
            if not backing:
                for s in sources:
                    backing.setdefault(s.name, s.kind)
        # "..., insiders claim" / "Minister says ...": the headline names its own source.
        # It counts as the body source whose name holds all its words, or on its own when
        # the body backs the claim with nobody.
        for m in self.extract(headline, [(0, len(headline))]):
            if m.kind in ("pronoun", "hedge") or m.name.lower() in _PERSON_PRONOUNS:
                continue
            words = _name_words(m.name)
            same = next((s for s in sources if words and words <= _name_words(s.name)), None)
            if same is not None:
                backing.setdefault(same.name, same.kind)
            elif not backing:
                backing[m.name] = m.kind
        identifiable = [name for name, kind in backing.items() if kind != "anonymous"]
        return HeadlineSupport(
            sources=list(backing),
            # At most one identifiable source behind the claim: one speaker, or only
            # anonymous sources and hedges.
            single_source=bool(backing or (spans and hedged)) and len(identifiable) <= 1,
            hedged=hedged,
            sentences=spans,
        )


def _add_backing(
    backing: dict[str, str], mentions: list[Mention], sources: list[_Source], start: int, end: int
) -> None:
    for m in mentions:
        at = (m.cue or m.content or (-1, -1))[0]
        if start <= at < end and m.key >= 0:
            backing.setdefault(sources[m.key].name, sources[m.key].kind)


def _name_words(name: str) -> set[str]:
    return {w.lower().removesuffix("'s").removesuffix("\u2019s") for w in _WORD.findall(name)} - (
        _DROP_WORDS
    )


def _cue_spans(text: str, separated: bool) -> list[tuple[int, int, str, str]]:
    """``(start, end, kind, words)`` of the cues in ``text``, in text order.

    ``kind`` is ``cue`` for a word of the lexicon, ``acc`` for "according to", ``asked``
    for "Asked" opening a sentence and ``inpoll`` for the "in" of "in a CNN poll".
    """
    pattern = _cue_pattern()
    out = []
    for m in pattern.scan(text, separated):
        group = m.lastgroup or ""
        out.append((m.start(group), m.end(), group, m.group(group)))
    extra = []
    title = _title_line(text)
    if title:
        # Cue words of a title are capitalised ("Sanders Says He Will Stay"): look for them
        # in the lower-cased title too.
        for m in pattern.anywhere.finditer(text[:title].lower()):
            group = m.lastgroup or ""
            if text[m.start()].isupper():
                extra.append((m.start(), m.end(), group, m.group(group)))
    # "In a CNN poll, 50 percent said": the poll is the source. Look for the "in" only in
    # a text naming a poll, a survey or a study.
    if "poll" in text or "survey" in text or "stud" in text:
        for m in _IN_WORD.scan(text, separated):
            extra.append((m.start("inpoll"), m.end(), "inpoll", m.group("inpoll")))
    if extra:
        out = sorted(out + extra)
    return out


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans of the direct quotations in ``text``, paired within each paragraph.

    A quotation running on into the next paragraph is left open there (news style), so
    pairing quote marks across line breaks would take the article's own text between two
    quotations for a quotation.
    """
    return [q.span() for q in _PARAGRAPH_QUOTE.finditer(text)]


def _title_line(text: str) -> int:
    """The end of the text's first line when it is written in title case, else 0."""
    end = text.find("\n")
    if end < 0:
        end = len(text)
    if end > 300:
        return 0
    words = [w for w in _WORD.findall(text, 0, end) if w.lower() not in _SMALL_WORDS]
    if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.8 * len(words):
        return 0
    return end if len(text[:end].lower()) == end else 0


def _colon_title(text: str) -> Mention | None:
    """ "Cruz: Trump Would Put Liberals On Court": a title naming its speaker before a colon."""
    end = text.find("\n")
    end = end if 0 <= end <= 300 else min(len(text), 300)
    if ":" not in text[:end]:
        return None
    m = _COLON_TITLE.match(text, 0, end)
    if m is None:
        return None
    src = _trim_source(text, *m.span("src"))
    name = text[src[0] : src[1]]
    words = _WORD.findall(name)
    if not words or words[-1].lower() in _NOT_TITLE_SOURCES or name.isupper():
        return None  # "The Latest: ...", "VIDEO: ...", "FIX IS IN: ..."
    kind = _classify(name)
    if not kind:
        return None
    colon = text.index(":", m.end("src"))
    return Mention((colon, colon + 1), src, name, kind, "report")


def _hedge_spans(text: str, separated: bool) -> list[tuple[int, int]]:
    """The spans of ``_HEDGES`` in ``text`` (``separated``: see :func:`_separated`)."""
    low = text.lower()
    # Lower-casing matches what IGNORECASE matches, but for two letters that fold to ASCII
    # without being lower-case forms of it, and for letters whose lower case is longer.
    if len(low) != len(text) or "\u0131" in text or "\u017f" in text:
        return [m.span() for m in _HEDGES.finditer(text)]
    return [m.span("hedge") for m in _HEDGES_LOWER.scan(low, separated)]


def _blank(text: str, ranges: list[tuple[int, int]] | tuple[()]) -> str:
    if not ranges:
        return text
    parts, pos = [], 0
    for start, end in sorted(ranges):
        if start < pos:
            start = pos
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\r\n]", " ", text[start:end]))
        pos = max(pos, end)
    parts.append(text[pos:])
    return "".join(parts)


def _according(text: str, start: int, end: int, sent_end: int) -> Mention | None:
    after = _ACCORDING_SOURCE.match(text, end, sent_end)
    if after is None:
        return Mention((start, end), None, "", "hedge", "report")
    src = _trim_source(text, *after.span("src"))
    name = text[src[0] : src[1]]
    return Mention((start, end), src, name, _classify(name), "report", _medium_after(text, src[1]))


def _medium_after(text: str, at: int) -> str | None:
    """The medium named right after ``at`` ("in a statement", "on Twitter"), if any."""
    # _MEDIUM starts with "on", "in" or "via" after white space and a comma: check that
    # on a short slice first (non-ASCII letters may fold to ASCII, so they go to the regex).
    rest = text[at : at + 24].lstrip()
    if rest[:1] == ",":
        rest = rest[1:].lstrip()
    head = rest[:3]
    if rest and head.isascii() and head[:2].lower() not in ("on", "in") and head.lower() != "via":
        return None
    medium = _MEDIUM.match(text, at)
    return medium.group("medium").lower() if medium else None


def _after_clause_mark(text: str, lo: int, hi: int) -> int:
    """Just after the last quote mark, colon, semicolon or dash in ``text[lo:hi]``, else lo."""
    rfind = text.rfind
    return 1 + max(
        lo - 1,
        rfind('"', lo, hi),
        rfind("\u201c", lo, hi),
        rfind("\u201d", lo, hi),
        rfind(":", lo, hi),
        rfind(";", lo, hi),
        rfind("\u2014", lo, hi),
    )


def _ends_before(pattern: re.Pattern[str], rev: str, at: int, lo: int) -> re.Match[str] | None:
    """Match a reversed pattern on the text ending at ``at``, starting no earlier than ``lo``.

    ``rev`` is the text reversed. No end bound is passed to the regex, so that look-arounds
    at the far end see the text beyond ``lo`` as the forward search did; the one possible
    match is then checked against ``lo``. Match spans index ``rev``.
    """
    n = len(rev)
    m = pattern.match(rev, n - at)
    return m if m is not None and m.end() <= n - lo else None


def _reporting(
    text: str, rev: str, start: int, end: int, entry: CueEntry, sent_start: int, sent_end: int
) -> Mention | None:
    n = len(text)
    # Cheap rejections first: they do not depend on the source, which is costly to find.
    bare_ing = False
    if entry.form.endswith("ing"):
        # "X is saying" speaks; "a heatwave warning" or "X, saying" (handled by the
        # clause subject) do not.
        if _ends_before(_NOUN_BEFORE, rev, start, max(0, start - 8)):
            return None
        bare_ing = not _ends_before(_PROGRESSIVE_BEFORE, rev, start, max(0, start - 12))
    elif _ends_before(_PASSIVE_OR_NOUN_BEFORE, rev, start, max(0, start - 8)):
        # "is said to", "was reported": a hedge or a passive, not a speaker; "the claim",
        # "his estimates": a noun, not a reporting verb. "She was asked" is asked by
        # nobody named.
        if entry.form in _UNSOURCED and not _ends_before(
            _NOUN_BEFORE, rev, start, max(0, start - 8)
        ):
            return Mention((start, end), None, "", "unsourced", entry.cls)
        return None
    if entry.form in _UNSOURCED and _ends_before(_WHEN_BEFORE, rev, start, max(0, start - 8)):
        return Mention((start, end), None, "", "unsourced", entry.cls)  # "when asked"
    # The subject follows any quote, colon or dash: start there, at most 120 characters back
    # (the regex search below is the analyser's main cost).
    lo = max(sent_start, start - 120)
    left_from = _after_clause_mark(text, lo, start)
    if text[left_from - 1 : left_from] == "\u2014" and _GAP_END.match(text, left_from, start):
        # "Jason Sims — a teacher — says": the dashes enclose an apposition.
        opening = text.rfind("\u2014", lo, left_from - 1)
        if opening >= 0:
            left_from = _after_clause_mark(text, lo, opening)
    # "he said", "they argued": a pronoun right before the verb is the subject; checking
    # that first skips the costly search for about a quarter of cues.
    pronoun = _ends_before(_PRONOUN_BEFORE, rev, start, max(left_from, start - 24))
    src: tuple[int, int] | None = None
    if pronoun is not None:
        src = (n - pronoun.end("src"), n - pronoun.start("src"))
    elif (before := _subject_before(text, left_from, start)) is not None:
        src = _trim_source(text, *before.span("src"))
        app = before.group("app")
        if app and _PROPER_ONLY.match(app.strip()) and _classify(text[src[0] : src[1]]) != "":
            # "A blogger, Jane Fox, claimed": the name in apposition is the source.
            a = before.start("app") + len(app) - len(app.lstrip())
            src = (a, a + len(app.strip()))
    # "...," said Norman / says a source close to the club: the subject follows the cue.
    if (
        src is None or _QUOTE_CLOSE_BEFORE.match(rev, n - start, n - max(sent_start, start - 6))
    ) and entry.form not in _NOT_INVERTED:
        after = _SOURCE_AFTER.match(text, end, sent_end)
        if after is not None and not _is_pronoun_object(text[after.start("src") : after.end()]):
            src = _trim_source(text, *after.span("src"))
    if src is None:
        return None
    if bare_ing and (
        src[1] > start or text[src[1] : start].strip() or not _participle_subject(text, src)
    ):
        return None
    name = text[src[0] : src[1]]
    if name.lower() in ("who", "which", "that"):
        name = _relative_antecedent(text, sent_start, src[0]) or name
    kind = _classify(name)
    if kind == "" or (entry.cls == "stance" and (kind == "document" or not _known(name))):
        return None  # "the pictures showed": stance verbs need a recognisable speaker
    medium = _medium_after(text, end)
    if entry.cls == "document" and medium is None:
        medium = _document_medium(entry.form)
    return Mention((start, end), src, name, kind, entry.cls, medium)


# A claim after a verb of thinking or finding: a quotation, a clause opened by "that" or a
# question word, an infinitive, or a subject with its auxiliary ("think the plan will work").
_COMPLEMENT_AFTER = re.compile(
    r"\s*(?:[:\"\u201c]|\s(?:that|whether|if|how|why|what|who|when|where|to)\b"
    r"|\s(?:the|a|an|he|she|they|it|we|i|you|his|her|their|this|there|[A-Z][\w\u2019'.-]*)\s+"
    r"(?:[\w\u2019'-]+\s+){0,4}?(?:is|are|was|were|will|would|has|have|had|can|could|should"
    r"|may|might|must|does|do|did|\w+n[\u2019']t)\b)"
)


def _participle_subject(text: str, src: tuple[int, int]) -> bool:
    """Whether the phrase right before a bare participle speaks through it.

    A name ("Mr. Netanyahu denouncing") or a phrase after "with" ("with three in 10
    saying") does; "a heatwave warning" does not.
    """
    if _PROPER_ONLY.fullmatch(text, *src) and not _DET_START.match(text, src[0]):
        return True
    return text[max(0, src[0] - 6) : src[0]].rstrip().endswith("with")


# "When asked", "she was asked about": asked by nobody named, still an attribution.
_UNSOURCED = frozenset({"asked"})


# "\b(?:when|if|after|before|as|once|while)\s+$", reversed (see _ends_before).
_WHEN_BEFORE = re.compile(r"\s+(?:nehw|fi|retfa|erofeb|sa|ecno|elihw)\b", re.IGNORECASE)


# Verbs whose object, not a subject, follows them: "told Lee", "asked the minister".
_NOT_INVERTED = frozenset(("told", "tell", "tells", "telling", "asked", "ask", "asks"))
_GAP_END = re.compile(rf"{_GAP}\s*$")
# Lower-case words no part of a subject or of _GAP can hold (tokens start after a character
# outside the token characters); pronouns among them may be a whole subject.
_BLOCKER = re.compile(
    r"(?<![\w&\u2019'.-])(?:that|by|as|but|if|when|while|after|before|be|been|said|says|which"
    r"|who|it|they|he|she)\b"
)
_BLOCKER_EXCEPT = ("'s", "\u2019s", "told", "last")
# The same for a relative pronoun's antecedent (a name or a common noun phrase, no tail).
_ANTECEDENT_BLOCKER = re.compile(
    r"(?<![\w&\u2019'.-])(?:in|at|to|that|with|by|from|as|but|if|when|while|after|before|had"
    r"|has|have|was|were|is|are|be|been|not|would|will|could|should|may|might|can|did|does|do"
    r"|said|says|told|who|which|a|an|it|they|he|she)\b"
)


def _subject_before(text: str, left_from: int, end: int) -> re.Match[str] | None:
    """``_SUBJECT_BEFORE.search(text, left_from, end)``, skipping starts that cannot match.

    A subject holds no comma (only a bracketed party tag could, and a dashed apposition
    any, so windows with brackets or dashes are searched whole), and a comma apposition
    with its age holds three, so a match starts after the last comma, or after the fourth
    last when an apposition can end at the last one. Failing starts are what make the
    search costly.
    """
    window = text[left_from:end]
    if "(" in window or "\u2014" in window or "\u2013" in window or "-" in window:
        return _SUBJECT_BEFORE.search(text, left_from, end)
    last = text.rfind(",", left_from, end)
    if last >= 0 and _GAP_END.match(text, last + 1, end) is not None:
        at = last
        for _ in range(3):
            at = text.rfind(",", left_from, at) if at >= 0 else -1
        return _SUBJECT_BEFORE.search(text, max(left_from, at + 1), end)
    # No apposition: subject and gap words run up to the cue, and no lower-case word of
    # _BLOCKER fits anywhere in them but as the whole subject ("who", "it"), unless it
    # follows an owner ("X's") or "told"/"last" (gap words take any word after them).
    left_from = _last_blocker(_BLOCKER, text, max(left_from, last + 1), end, _BLOCKER_EXCEPT)
    window = text[left_from:end]
    if "'s" in window or "\u2019s" in window:
        return _SUBJECT_BEFORE.search(text, left_from, end)
    return _SUBJECT_BEFORE_NO_OWNER.search(text, left_from, end)


def _last_blocker(
    pattern: re.Pattern[str], text: str, lo: int, hi: int, not_after: tuple[str, ...] = ()
) -> int:
    """Where the last match of ``pattern`` in ``text[lo:hi]`` starts, else ``lo``.

    A match right after one of ``not_after`` (white space between) does not count.
    """
    for at in reversed([b.start() for b in pattern.finditer(text, lo, hi)]):
        if not_after:
            prev = text[max(0, at - 12) : at].rstrip()
            if not prev or prev.endswith(not_after):
                continue
        return at
    return lo


def _known(name: str) -> bool:
    words = _WORD.findall(name)
    if not words:
        return name[:1].isdigit()  # "42% say"
    if any(w[0].isupper() for w in words):
        return True
    lower = [w.lower() for w in words]
    return (len(lower) == 1 and lower[0] in _KNOWN_WORDS) or _head(lower) in _KNOWN_HEADS


# The subject opening a sentence, after an optional opening phrase ("On Sunday, "), with its
# verb: "Lee defended the plan, saying", "Clinton, the nominee, was bracing and hoping".
_SENTENCE_SUBJECT = re.compile(
    rf"[\"\u201c\u2018'(]*(?:[^,;:\"\u201c\u201d\n]{{1,60}},\s*)?"
    rf"(?P<src>{_OWNER}(?:{_COMMON}{_TAIL}|{_PRONOUN}\b|{_QUANT}|{_GENERIC}{_TAIL}|{_THE_PROPER}"
    rf"|{_PLURAL}{_TAIL})(?:\s+{_PROPER})?)(?:\s*,[^,]{{1,120}},)?{_GAP}\s+[a-z]+\b"
)


def _clause_subject(
    text: str,
    start: int,
    end: int,
    entry: CueEntry,
    sent_start: int,
    found: list[Mention],
    joint: str,
) -> Mention | None:
    if joint not in ("and", "but") and not entry.form.endswith("ing"):
        return None  # only a participle hangs on a comma, a dash or "by"
    cue = (start, end)
    prev = found[-1] if found else None
    if prev is not None and prev.source and prev.source[0] >= sent_start:
        return Mention(cue, prev.source, prev.name, prev.kind, entry.cls)
    subject = _SENTENCE_SUBJECT.match(text, sent_start, start)
    if subject is None:
        return None
    src = _trim_source(text, *subject.span("src"))
    name = text[src[0] : src[1]]
    kind = _classify(name)
    return Mention(cue, src, name, kind, entry.cls) if kind else None


def _is_pronoun_object(phrase: str) -> bool:
    return phrase.split()[0].lower() in ("it", "them", "him", "her", "us", "me")


def _trim_source(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in ",.;:'\u2019 ":
        end -= 1
    if text[end - 2 : end] in ("'s", "\u2019s"):
        end -= 2
    return start, end


def _relative_antecedent(text: str, sent_start: int, at: int) -> str | None:
    lo = max(sent_start, at - 120)
    # As in _subject_before: the name holds no comma (unless bracketed) and no blocker
    # word, so only the text after them is searched.
    if "(" not in text[lo:at]:
        last = text.rfind(",", lo, at)
        if last >= 0 and not text[last + 1 : at].strip():
            last = text.rfind(",", lo, last)  # the comma ending the name: "X, who"
        lo = max(lo, last + 1)
        lo = _last_blocker(_ANTECEDENT_BLOCKER, text, lo, at)
    before = _ANTECEDENT.search(text, lo, at)
    return before.group(1) if before else None


def _document_medium(form: str) -> str:
    if form.startswith(("tweet", "retweet")):
        return "tweet"
    if form.startswith("blog"):
        return "blog"
    if form.startswith("post"):
        return "post"
    if form.startswith("email"):
        return "email"
    return "publication"


def _classify(name: str) -> str:
    """The kind of a source phrase: person, organisation, document or anonymous."""
    kind = _WORD_KINDS.get(name)
    if kind is not None:
        return kind  # "he", "they", "some": a quarter of all sources
    words = _WORD.findall(name)
    if not words:
        return "anonymous" if name[:1].isdigit() else ""  # "42% say"
    lower = [w.lower().replace("\u2019", "'") for w in words]
    first = lower[0]
    if len(lower) == 1:
        kind = _LOWER_WORD_KINDS.get(first)
        if kind is not None:
            return kind
    at = _head_index(lower)
    head = lower[at]
    if at > 0 and words[at][0].isupper():
        head = ""  # "The Washington Post": a name, not the common noun "post"
    if head in _DOC_HEAD_SET:
        return "document"
    if head in _ANON_HEAD_SET:
        # "officials", "a source close to the club": unnamed, whatever the modifiers.
        return "anonymous"
    if not _ORG_WORDS.isdisjoint(lower) or any(w.isupper() and len(w) > 1 for w in words):
        return "organisation"
    if head in _PERSON_HEAD_SET or any(
        w[0].isupper() and w.lower() not in _DROP_WORDS for w in words
    ):
        return "person"
    if head in _ORG_HEAD_SET:
        return "organisation"
    # An unnamed speaker: "a Democratic strategist", "some", "one user".
    return "anonymous" if first in _INDEFINITE else "person"


def _head_index(lower: list[str]) -> int:
    # The head of "a source close to the board" is "source": stop at the first tail word.
    for i, w in enumerate(lower):
        if i and w in ("close", "familiar", "with", "for", "at", "from", "of", "in", "on"):
            return i - 1
    return len(lower) - 1


def _head(lower: list[str]) -> str:
    return lower[_head_index(lower)]


def _refine_kind(name: str, kind: str, tokens: tuple[str, ...], text: str) -> str:
    """A lone capitalised name is a person only if a first name ever precedes it."""
    if kind != "person" or len(tokens) != 1 or not name[:1].isupper():
        return kind
    if name.lower() in _KNOWN_HEADS or name.endswith("s"):
        return kind  # "Critics", "Fans": common nouns opening a sentence
    if any(w.lower().rstrip(".") in _TITLES for w in _WORD.findall(name)):
        return kind
    return kind if name.split()[-1] in _after_capitalised(text) else "organisation"


# A capitalised word (not an article or determiner), then the next word, read without
# consuming it so that "Jane Lee Smith" yields both "Lee" and "Smith".
_AFTER_CAPITALISED = re.compile(
    r"\b(?!(?:The|A|An|This|That|Its|Their)\b)[A-Z][\w\u2019'-]*\.?\s+(?=([A-Z][\w\u2019'-]*)\b)"
)


@lru_cache(maxsize=8)
def _after_capitalised(text: str) -> frozenset[str]:
    """Words that follow a capitalised word somewhere in ``text`` (one scan per article).

    A word also counts cut before an apostrophe or hyphen ("Lee" in "Jane Lee's").
    """
    found: set[str] = set()
    for m in _AFTER_CAPITALISED.finditer(text):
        word = m.group(1)
        found.add(word)
        found.update(word[:i] for i, c in enumerate(word) if c in "'\u2019-")
    return frozenset(found)


def _tokens(name: str) -> tuple[str, ...]:
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(name)]
    # "Ukraine's General Staff" names the same body as "the General Staff": drop the owner.
    for i, w in enumerate(words):
        if w.endswith("'s") and i + 1 < len(words):
            words = words[i + 1 :]
            break
    return tuple(w.removesuffix("'s") for w in words if w not in _DROP_WORDS and w not in _TITLES)


def _same(source: _Source, kind: str, tokens: tuple[str, ...]) -> bool:
    if not tokens or not source.tokens:
        return False
    if kind == "person" and source.kind == "person":
        # "Pol Norman" / "Norman" / "Mr Norman": same surname, compatible first names.
        if tokens[-1] != source.tokens[-1]:
            return False
        return set(tokens[:-1]) <= set(source.tokens[:-1]) or set(source.tokens[:-1]) <= set(
            tokens[:-1]
        )
    if kind != source.kind:
        return False
    short, long_ = sorted((tokens, source.tokens), key=len)
    if kind == "anonymous":
        return short == long_ or (len(short) == 1 and short[0] in long_)
    return long_[-len(short) :] == short or (len(short) == 1 and short[0] in long_)


def _merge(mentions: list[Mention], text: str) -> list[_Source]:
    sources: list[_Source] = []
    last_person: _Source | None = None
    last_group: _Source | None = None
    last_target: _Source | None = None
    by_token: dict[str, list[int]] = {}  # word -> indices of the sources holding it
    for m in mentions:
        if m.source is None and m.kind != "continuation":
            continue
        target: _Source | None = None
        if m.kind == "continuation":
            target = last_target
        elif m.kind == "person" and m.name.lower() in _PERSON_PRONOUNS:
            if m.name.lower() == "i":
                continue  # first person inside a quote: the quoted speaker, already counted
            target = last_person
        elif m.kind == "pronoun":
            target = last_group or last_person
        else:
            tokens = _tokens(m.name)
            # Only sources sharing a word can be the same one: look those up, newest first.
            seen = {i for t in tokens for i in by_token.get(t, ())}
            target = next(
                (
                    sources[i]
                    for i in sorted(seen, reverse=True)
                    if _same(sources[i], m.kind, tokens)
                ),
                None,
            )
            if target is None:
                target = _Source(m.name, _refine_kind(m.name, m.kind, tokens, text), tokens)
                target.index = len(sources)
                sources.append(target)
            elif len(tokens) > len(target.tokens):
                target.name, target.tokens = m.name, tokens
            for t in tokens:
                holders = by_token.setdefault(t, [])
                if target.index not in holders:
                    holders.append(target.index)
        if target is None:
            continue
        target.mentions.append(m)
        last_target = target
        m.key = target.index
        if m.medium and m.medium not in target.media:
            target.media.append(m.medium)
        if target.kind == "person":
            last_person = target
        elif target.kind in ("organisation", "anonymous"):
            last_group = target
    for s in sources:
        for m in s.mentions:
            m.source_name = s.name
    return sources


def _continuations(
    text: str, mentions: list[Mention], sentences: list[tuple[int, int]], starts: list[int]
) -> list[Mention]:
    """Direct quotes with no cue of their own, continuing the speaker just before them."""
    if not mentions:
        return []
    cue_at = sorted(m.cue[0] for m in mentions if m.cue and m.source)
    out = []
    for q in _QUOTE.finditer(text):
        first = bisect_right(starts, q.start()) - 1
        last = bisect_right(starts, q.end() - 1) - 1
        lo = sentences[max(first, 0)][0]
        hi = sentences[max(last, 0)][1]
        if bisect_right(cue_at, hi) > bisect_right(cue_at, lo - 1):
            continue
        # Only a quote opening the sentence right after an attributed one continues it.
        prev = bisect_right(cue_at, lo - 1) - 1
        if prev < 0 or first < 1 or sentences[first - 1][0] > cue_at[prev]:
            continue
        if q.start() - lo > 2:
            continue
        out.append(Mention(None, None, "", "continuation", "quote", content=q.span()))
    return out


def _summarise(
    body: str, mentions: list[Mention], sources: list[_Source], hedges: list[Span]
) -> SourcingResult:
    n_attributed = n_hedged = 0
    for m in mentions:
        n_attributed += m.key >= 0
        n_hedged += m.kind == "hedge"
    unsourced_hedges = len(hedges) + n_hedged
    n_claims = n_attributed + unsourced_hedges
    # Spans are immutable: a mention's spans serve both its source and its record.
    spans_of = {id(m): _mention_spans(body, m) for m in mentions if m.key >= 0 or m.kind == "hedge"}
    infos = []
    for s in sources:
        spans = []
        for m in s.mentions:
            source, cue, content = spans_of[id(m)]
            if source:
                spans.append(source)
            if cue:
                spans.append(cue)
            if content:
                spans.append(content)
        infos.append(
            SourceInfo(
                name=s.name,
                kind=s.kind,
                attributions=len(s.mentions),
                share=len(s.mentions) / n_claims if n_claims else 0.0,
                spans=spans,
                media=list(s.media),
            )
        )
    infos.sort(key=lambda i: -i.attributions)
    records = [
        AttributionInfo(
            source=sources[m.key].name if m.key >= 0 else None,
            kind=sources[m.key].kind if m.key >= 0 else "hedge",
            cue=spans_of[id(m)][1],
            source_span=spans_of[id(m)][0],
            content=spans_of[id(m)][2],
            medium=m.medium,
        )
        for m in mentions
        if m.key >= 0 or m.kind == "hedge"
    ]
    if n_claims == 0:
        return SourcingResult(
            score=NO_ATTRIBUTION_SCORE, hedges=hedges, attributions=records, hedge_share=0.0
        )
    top = max((i.attributions for i in infos), default=0) / n_claims
    anonymous = sum(i.attributions for i in infos if i.kind == "anonymous") / n_claims
    hedge_share = unsourced_hedges / n_claims
    posts = sum(
        sum(1 for m in s.mentions if s.kind == "document" or m.medium in _POSTS) for s in sources
    )
    weak = min(1.0, anonymous + hedge_share + 0.7 * posts / n_claims)
    named = sum(1 for i in infos if i.kind != "anonymous")
    # Concentration on one source and weak (anonymous, hedged, single-post) sourcing each
    # raise the score; combined as independent risks so either alone can make it high.
    concentration = top if named <= 1 else top * (1 - 0.15 * min(named - 1, 4))
    risk = 1 - (1 - 0.6 * concentration) * (1 - 0.8 * weak)
    score = 0.1 + 0.85 * risk
    return SourcingResult(
        score=round(min(1.0, max(0.0, score)), 4),
        sources=infos,
        distinct_sources=len(infos),
        top_source_share=round(top, 4),
        anonymous_share=round(anonymous, 4),
        hedges=hedges,
        attributions=records,
        hedge_share=round(hedge_share, 4),
    )


_POSTS = {"tweet", "post", "blog", "email", "video", "podcast", "message"}


def _mention_spans(body: str, m: Mention) -> tuple[Span | None, Span | None, Span | None]:
    """The source, cue and content spans of a mention."""
    src, cue, content = m.source, m.cue, m.content
    return (
        None
        if src is None
        else Span("body", *src, body[src[0] : src[1]], "source", 1.0, SOURCE_TAG),
        None if cue is None else Span("body", *cue, body[cue[0] : cue[1]], "cue", 1.0, SOURCE_TAG),
        None
        if content is None
        else Span("body", *content, body[content[0] : content[1]], "content", 1.0, SOURCE_TAG),
    )


def _content_words(text: str) -> set[str]:
    # Suffix-stripped five-letter prefixes stand in for stems: "quits" and "quit" meet.
    out = set()
    for w in _WORD.findall(text):
        w = w.lower()
        if len(w) > 2 and w not in _STOP and w not in _HEDGE_WORDS:
            out.add(_stem(w)[:5])
    return out


def _stem(word: str) -> str:
    """``word`` without one suffix of "ing", "ed", "es" or "s"."""
    if word.endswith("ing"):
        return word[:-3]
    if word.endswith(("ed", "es")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word
