"""The grammar of attribution: word lists, cue lexicon, hedges and the regexes built on them.

Cue words and their rates come from ``resources/sourcing_cues.tsv``; the word lists (heads of
source phrases, titles, determiners, ...) from ``resources/sourcing_words.toml``. Both are read
once per process, when this module is imported. Everything here is data: the code that walks a
text with these patterns is in :mod:`sensational.sourcing.mentions`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

CUES_FILE = "sourcing_cues.tsv"
WORDS_FILE = "sourcing_words.toml"
# The ``source`` of every span the analyser returns.
SOURCE_TAG = "sourcing"


def _read_words() -> dict:
    raw = tomllib.loads(
        resources.files("sensational.resources").joinpath(WORDS_FILE).read_text("utf-8")
    )

    def split(value: object, sep: str | None = None) -> object:
        if isinstance(value, dict):
            return {k: split(v, sep) for k, v in value.items()}
        if isinstance(value, str):
            return [w.strip() for w in value.split(sep) if w.strip()]
        raise ValueError(f"{WORDS_FILE}: expected strings of words, got {type(value).__name__}")

    # Role groups hold phrases ("prime minister"), one per comma; every other list words.
    roles = raw.pop("roles", {})
    return split(raw) | {"roles": split(roles, ",")}  # type: ignore[operator]


# The word lists, by the names used in resources/sourcing_words.toml.
WORDS: dict = _read_words()


def trie_pattern(words: list[str]) -> str:
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


def either_case(words: list[str]) -> list[str]:
    return words + [w[:1].upper() + w[1:] for w in words]


CAP = r"(?:[A-Z][\w&\u2019'.-]*|[A-Z]\.)"
CONNECT = r"(?:of|for|on|and|de|da|del|la|le|van|von|der|bin|al|the)"
# A name, with an optional party tag or age in brackets: "Sen. Ann Lee (D-Vt.)".
PROPER = rf"{CAP}(?:\s+(?:{CONNECT}\s+){{0,2}}{CAP}){{0,5}}(?:\s+\([^()]{{1,12}}\))?"
DET_WORDS = WORDS["determiners"]
DET = "(?:" + trie_pattern(DET_WORDS) + ")"
DET_ANY = "(?:" + trie_pattern(either_case(DET_WORDS)) + ")"
# Heads of common-noun sources, by the kind of source they name; any of them can end a source
# phrase (the kind is told later, in sources.py).
ANON_HEADS = WORDS["heads"]["anonymous"]
DOC_HEADS = WORDS["heads"]["document"]
ORG_HEADS = WORDS["heads"]["organisation"]
PERSON_HEADS = WORDS["heads"]["person"]
COMMON_HEADS = sorted(set(ANON_HEADS + DOC_HEADS + ORG_HEADS + PERSON_HEADS), key=len, reverse=True)
KNOWN_HEADS = frozenset(COMMON_HEADS)
# The same as sets, for classify.
DOC_HEAD_SET = frozenset(DOC_HEADS)
ANON_HEAD_SET = frozenset(ANON_HEADS)
ORG_HEAD_SET = frozenset(ORG_HEADS)
PERSON_HEAD_SET = frozenset(PERSON_HEADS)
# Case-insensitive so that a sentence can open with one ("Officials said", "People
# familiar with ...").
HEAD = "(?:" + trie_pattern(either_case(COMMON_HEADS)) + ")"
# Words that never sit inside a source phrase: prepositions, conjunctions, auxiliaries.
NOT_IN_NAME = "(?:" + trie_pattern(WORDS["not_in_name"]) + r")\b"
# Possessive quantifiers (++) where giving characters back can never lead to a match: the
# engine stops retrying shorter words on failing starts.
MOD = rf"(?:(?!{NOT_IN_NAME})[\w\u2019'.&/-]++\s++)"
COMMON = rf"(?:{DET_ANY}\s+)?(?:{MOD}){{0,4}}{HEAD}\b"
# Any noun after a determiner ("a Democratic strategist", "the retired surgeon") and the
# bare quantifiers ("some say", "others argue").
GENERIC = (
    rf"(?:{DET_ANY}\s+(?:{MOD}){{0,4}}(?!{NOT_IN_NAME})[A-Za-z0-9][\w\u2019'-]*"
    r"|(?i:some|others|many|several|few|most|everyone|nobody|someone)\b)"
)
# "close to the family", "familiar with the talks", "for the ministry", "at the club".
TAIL = (
    r"(?:\s+(?:close\s+to|familiar\s+with|with\s+knowledge\s+of|briefed\s+on|for|at|from|of|by|"
    r"in|on|inside|within|involved\s+in)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?"
    rf"(?:(?!{NOT_IN_NAME})[\w\u2019'.-]++\s++){{0,3}}(?!{NOT_IN_NAME})[\w\u2019'.-]+)?"
)
TITLE_WORD = r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov)\.?"
PRONOUN = r"(?:he|she|they|we|I|you|it|who|He|She|They|We|You|It|Who)"
# Shares of people polled: "47 percent of voters", "Sixty-six percent", "six in 10".
NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|One|Two|Three|Four|Five|Six|Seven|Eight|Nine)"
)
QUANT = (
    r"(?:(?i:about|around|nearly|almost|roughly|only|just|over|more\s+than|fewer\s+than"
    r"|less\s+than)\s+)?"
    r"(?:\d[\d.]*+\s*+(?:%|percent|per\s+cent)|(?:[A-Za-z]++-)?[A-Za-z]++\s+percent"
    rf"|{NUMBER}\s+(?:in|out\s+of)\s+{NUMBER}"
    r"|(?i:half|a\s+third|a\s+quarter|two-thirds|three-quarters|a\s+majority|a\s+plurality))"
    rf"(?:\s+of\s+(?:(?!{NOT_IN_NAME})[\w\u2019'.-]++\s++){{0,3}}(?!{NOT_IN_NAME})[\w\u2019'-]+)?"
)

# The subject before a cue, anchored at the cue: optional apposition (", a spokesman for
# the club,") and auxiliaries or adverbs between subject and verb.
GAP = (
    r"(?:\s+(?:has|have|had|also|later|earlier|previously|then|once|again|recently|further|"
    r"would|will|may|might|could|should|must|can|cannot|was|were|is|are|did|does|do|not|never|"
    r"just|now|first|even|often|told\s+\w+|already|still|ever|soon|long|both|all|only|too|"
    r"himself|herself|themselves|itself|\w+ly|\w+n[\u2019']t|"
    # "had to explain", "wants to argue", "is going to say".
    r"(?:have|has|had|used|need|needs|needed|want|wants|wanted|plan|plans|planned|try|tries|"
    r"tried|trying|going|began|begin|begins|started|attempted|ought|able|likely|unlikely|"
    r"eager|set|continued|continues|moved|rushed|was\s+quick|were\s+quick|went\s+on"
    r"|went\s+so\s+far\s+as|took\s+to\s+\w+|takes\s+to\s+\w+|goes\s+on|go\s+on)\s+to|"
    r"on\s+\w+day|\w+day|yesterday|today|last\s+\w+))*"
)
# Bare plurals ("Abortion rights advocates", "Trump's opponents") and an owner in front.
PLURAL = rf"(?:{MOD}){{0,2}}(?!{NOT_IN_NAME})[a-z][\w-]*[a-rt-z]s\b"
THE_PROPER = rf"(?:(?i:the)\s+)?{PROPER}"
OWNER = rf"(?:{PROPER}(?:\u2019s|'s)\s+)?"
DASH = r"(?:[\u2014\u2013]|\s--?(?=\s))"
SUBJECT = (
    rf"(?:{COMMON}{TAIL}|{PRONOUN}\b|{QUANT}|{GENERIC}{TAIL}|{THE_PROPER}|{PLURAL}{TAIL})"
    rf"(?:[\u2019'](?:s|ve|d|ll|re))?(?:\s+{PROPER})?)"
    # An apposition, after an age or not: ", 63, a voter from Miami," / " — a teacher —".
    rf"(?:(?:\s*,\s*\d{{1,3}})?\s*,\s*(?!and\b)(?P<app>[^,;:\"\u201c\u201d]{{1,150}}),"
    rf"|\s*{DASH}\s*(?P<dash>[^\u2014\u2013;:\"\u201c\u201d]{{1,150}}?)\s*{DASH})?{GAP}\s*$"
)
SUBJECT_BEFORE = re.compile(rf"(?<![\w\u2019'])(?P<src>{OWNER}{SUBJECT}")
# The same without the owner, for text with no "'s": trying the owner at every start (a
# name, then backing off letter by letter to find the "'s") is a third of the cost.
SUBJECT_BEFORE_NO_OWNER = re.compile(rf"(?<![\w\u2019'])(?P<src>{SUBJECT}")
PROPER_ONLY = re.compile(rf"(?:{TITLE_WORD}\s+)?{PROPER}$")
DET_START = re.compile(rf"{DET_ANY}\b")
ANTECEDENT = re.compile(rf"({PROPER}|{COMMON})\s*,?\s*$")
# The short look-behinds at a cue are written reversed and matched on the reversed text at
# the cue (see ends_before): a search for "...$" in a window tries every start in it,
# while a reversed match is one attempt. The forward form is in each comment; for all of
# them at most one start can match, which the window check relies on.
# "\b(?i:the|a|an|his|her|their|its|our|this|that)\s+$": a noun, not a verb ("the claim").
REV_NOUN = r"(?i:eht|a|na|sih|reh|rieht|sti|ruo|siht|taht)"
NOUN_BEFORE = re.compile(rf"\s+{REV_NOUN}\b")
# "\b(?:is|are|was|were|been|be|being|<noun words>)\s+$": a passive or a noun.
# Also with an adverb between: "was hotly criticized" ("\b(?:is|...|being)\s+(?:\w+ly|both|
# also|all|not|never|first|later)\s+$").
PASSIVE_OR_NOUN_BEFORE = re.compile(
    r"\s+(?:(?:yl\w+|htob|osla|lla|ton|reven|tsrif|retal)\s+(?:si|era|saw|erew|neeb|eb|gnieb)"
    rf"|si|era|saw|erew|neeb|eb|gnieb|{REV_NOUN})\b"
)
# The characters that end the clause before a subject: quote marks, colon, semicolon, dash.
CLAUSE_MARK = re.compile('["\u201c\u201d:;\u2014]')
# "(?:\b(?:is|are|was|were|been|be|am)|['\u2019](?:s|re|m))\s+(?:\w+ly\s+)?$": "X is (now)
# saying", "she's saying".
PROGRESSIVE_BEFORE = re.compile(
    r"\s+(?:yl\w+\s+)?(?:(?:si|era|saw|erew|neeb|eb|ma)\b|(?:s|er|m)['\u2019])"
)
# "(?<![\w\u2019'])(?P<src>[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I|[Yy]ou)(?:['\u2019](?:s|ve|d|ll|re))?
# (?:\s+(?:also|has|have|had|later|then|previously|repeatedly|once|again))*\s+$"
PRONOUN_BEFORE = re.compile(
    r"\s+(?:(?:osla|sah|evah|dah|retal|neht|ylsuoiverp|yldetaeper|ecno|niaga)\s+)*"
    r"(?:(?:s|ev|d|ll|er)[\u2019'])?(?P<src>e[Hh]|eh[Ss]|yeh[Tt]|t[Ii]|e[Ww]|I|uo[Yy])(?![\w\u2019'])"
)
# "(,|\band|\bbut|\bby|\bbefore|...)\s+(?:(?:also|then|has|would|not|\w+ly|...)\s+){0,3}$" or a
# dash: a clause joined to the one before ("..., saying", "and has added", "by calling").
CLAUSE_BEFORE = re.compile(
    r"\s+(?:(?:osla|neht|retal|sah|evah|dah|dluow|lliw|dluoc|yam|thgim|tsum|dluohs|nac|neve"
    r"|reven|ton|llits|netfo|ydaerla|yl\w+)\s+){0,3}"
    r"(,|dna\b|tub\b|yb\b|erofeb\b|retfa\b|elihw\b|nehw\b|ni\b|tuohtiw\b)|\s*([\u2014\u2013]|--)"
)
SOURCE_AFTER = re.compile(
    rf"\s+(?P<src>(?:{COMMON}(?:\s+{PROPER})?|{PROPER}|{GENERIC}(?:\s+{PROPER})?"
    rf"|(?:{MOD}){{1,3}}{PROPER}){TAIL}"
    rf"|{PRONOUN}\b)"
    # An inverted subject ends the clause: "said Lee." / "said Lee, a spokesman" /
    # "said a source on Monday".
    r"(?=\s*(?:[,.;:!?\u2014)]|$|\s(?:who|in\s+a|on\s+\w+day|\w+day|yesterday|today|last)\b))",
)
ACCORDING_SOURCE = re.compile(
    rf"\s+(?P<src>(?:{COMMON}(?:\s+{PROPER})?|{PROPER}|{GENERIC}(?:\s+{PROPER})?"
    rf"|(?:{MOD}){{1,3}}{PROPER}){TAIL})"
)
# The agent of a passive cue: "was echoed by Gov. Ann Lee", "deemed insufficient by
# Democrats", "has been attacked on the speeches by Sanders".
BY_AGENT = re.compile(r"(?:\s+(?!by\b)[a-z][\w\u2019'-]*+){0,4}?\s+by" + ACCORDING_SOURCE.pattern)
# Agents that are a channel, not a speaker: "said by phone".
NOT_AGENTS = frozenset("phone telephone email e-mail text mail letter video far".split())
# A closed quote or a comma right before the cue: "...," said Lee / ..., said Lee. Reversed
# like the patterns above, from "(?:[\"\u201d\u2019']\s*[,.!?\u2014-]?|[,.!?\u2014-]\s*
# [\"\u201d\u2019']|,)\s*$"; several starts can match, so it is matched with an end bound.
QUOTE_CLOSE_BEFORE = re.compile(
    r"\s*(?:[,.!?\u2014-]?\s*[\"\u201d\u2019']|[\"\u201d\u2019']\s*[,.!?\u2014-]|,)"
)

IN_POLL = re.compile(
    r"\s+(?P<src>(?:an?|the|[A-Z][\w\u2019'.-]*(?:\u2019s|'s|\u2019))\s+(?:[\w\u2019'./&-]+\s+){0,5}?"
    r"(?:poll|survey|study|surveys|studies))\b"
)
# The look-ahead on first letters lets the engine skip most word starts (a third faster).
# Hedges: a claim credited to nobody named. "allegedly", "apparently" and "supposedly" are
# not among them: the first is the wording the law requires in court reporting
# (docs/criteria.md), the others the writer's own doubt rather than somebody's report.
HEDGE = (
    r"(?=[aciprstuw])(?:reportedly|purportedly|rumou?red"
    r"|(?:is|are|was|were)\s+(?:said|understood|believed|thought|rumou?red|reported|alleged"
    r"|claimed|expected|feared)\s+to"
    r"|it\s+(?:is|was|has\s+been)\s+(?:claimed|reported|understood|alleged|said|rumou?red"
    r"|suggested|believed)"
    r"|(?:reports|rumou?rs|speculation|claims)\s+(?:suggest|suggested|say|said|claim|claimed"
    r"|indicate|indicated|have\s+it)"
    r"|(?:there\s+(?:are|were)\s+)?unconfirmed\s+reports(?:\s+(?:say|said|suggest|claim))?"
    r"|according\s+to\s+(?:reports|rumou?rs|media\s+reports|local\s+reports))\b"
)
HEDGES = re.compile(rf"\b{HEDGE}", re.IGNORECASE)
MEDIUM = re.compile(
    r"\s*(?:,\s*)?(?:on|in|via)\s+(?:a|an|the|his|her|their|its)?\s*"
    r"(?:(?:\w+\s+){0,2})?(?P<medium>tweet|post|blog(?:\s*post)?|statement|interview|letter|"
    r"video|podcast|email|press\s+release|op-ed|column|memo|broadcast|message)s?\b",
    re.IGNORECASE,
)
QUOTE = re.compile(r"\u201c[^\u201c\u201d]{2,1500}\u201d|\"[^\"]{2,1500}\"")
PARAGRAPH_QUOTE = re.compile(r"\u201c[^\u201c\u201d\n]{2,1500}\u201d|\"[^\"\n]{2,1500}\"")
WORD = re.compile(r"[A-Za-z][\w\u2019'-]*")
# A word of a source phrase as trimmed: letters, digits and the marks inside names.
SOURCE_WORD = re.compile(r"[\w\u2019'&/.%-]+")
SMALL_WORDS = frozenset(WORDS["small_words"])
COLON_TITLE = re.compile(
    rf"[\"\u201c']?(?P<src>{OWNER}(?:{COMMON}|{THE_PROPER}))\s*:[ \t]+"
    r"(?=[\"\u201c\u2018'A-Za-z])"
)
NOT_TITLE_SOURCES = frozenset(WORDS["not_title_sources"])
NOT_NAME_OPENERS = frozenset(WORDS["not_name_openers"])
# Place words (countries and their adjectives) -> the place they name.
PLACE_OF = {word: place for place, words in WORDS["places"].items() for word in (place, *words)}
# Role phrases -> the group of phrases naming the same office.
ROLE_GROUP = {phrase: tuple(group) for group in WORDS["roles"].values() for phrase in group}
# Words of role phrases that may stand as a title before a name ("Prime Minister Ann Lee").
ROLE_WORDS = frozenset(
    w.rstrip(".")
    for group in WORDS["roles"].values()
    for phrase in group
    for w in phrase.split()
    if w not in ("of", "state", "staff", "head")
)
TIME_WORDS = frozenset(WORDS["time_words"])
# A party and state tag: "(R-Neb.)", "D-Vt.": part of a name, never a source of its own.
PARTY_TAG = re.compile(r"\(?[RDI]-[A-Z][A-Za-z.]{1,6}\)?")
NOT_SPEAKER_LABELS = NOT_TITLE_SOURCES | frozenset(WORDS["not_speaker_labels"])
# A transcript's speaker label at a line start: "TAPPER:", "JAKE TAPPER:", "MR. TRUMP:".
SPEAKER_LABEL = re.compile(
    r"[ \t]*(?P<src>(?:[A-Z][A-Z.\u2019'-]*\s+){0,3}[A-Z][A-Z.\u2019'-]+)[ \t]*:[ \t]+(?=\S)"
)
# A name right before a colon that opens a quotation: "... pollster Daron Shaw: \u201cIt ...".
NAME_BEFORE_COLON = re.compile(rf"(?<![\w\u2019'])(?:{TITLE_WORD}\s+)?{PROPER}\s*$")
QUOTE_OPENS = re.compile(r"[ \t]*[\"\u201c\u2018]")
# A signature after a quotation or a post: "\u201d \u2014 Paul Ryan (@SpeakerRyan)".
DASH_SIGNATURE = re.compile(
    rf"(?P<cue>[\u2014\u2013]|--)[ \t]*(?P<src>{PROPER})"
    r"(?=[ \t]*\(@\w+\)|[ \t]*(?:[,.]|\n|$))"
)

PERSON_PRONOUNS = {"he", "she", "i"}
FIRST_SECOND = {"i", "we", "you"}
GROUP_PRONOUNS = {"they", "we", "it"}
TITLES = frozenset(WORDS["titles"])
ORG_WORDS = frozenset(ORG_HEADS) | frozenset(WORDS["organisation_words"])
INDEFINITE = frozenset(WORDS["indefinite"])
DROP_WORDS = frozenset(WORDS["drop_words"])
# The kind of a one-word source by its lower-case form, and by the forms it is written in.
LOWER_WORD_KINDS = (
    dict.fromkeys(INDEFINITE, "anonymous")
    | dict.fromkeys(GROUP_PRONOUNS | {"who"}, "pronoun")
    | dict.fromkeys(PERSON_PRONOUNS, "person")
)
KNOWN_WORDS = PERSON_PRONOUNS | GROUP_PRONOUNS | INDEFINITE
WORD_KINDS = {
    form: kind
    for word, kind in LOWER_WORD_KINDS.items()
    for form in (word, word.capitalize(), word.upper())
}


@dataclass(frozen=True, slots=True)
class CueEntry:
    """One word form of the cue lexicon.

    ``cls`` is ``report``, ``document``, ``stance`` or ``clause`` for cues, ``action`` or
    ``evidential`` for forms that are never cues (kept to record the decision). ``clause``
    forms ("think", "found") are cues only when a claim follows them; ``needs`` names a
    further condition on what follows (:data:`CUE_CONDITIONS`), empty for none.
    """

    form: str
    cls: str
    rate: float
    needs: str = ""

    @property
    def is_cue(self) -> bool:
        return self.cls in CUE_CLASSES


CUE_CLASSES = frozenset({"report", "document", "stance", "clause"})
# Verbs of finding that a document may take with a plain object: "polls show Clinton leading".
EVIDENCE_FORMS = frozenset(
    "show shows showed showing shown found finds indicated indicates".split()
)
NOT_CUE_CLASSES = frozenset({"action", "evidential"})
# What must follow a conditional cue form: "issued a statement" (not "issued an order"),
# "declined to comment" (not "declined to run"), "agreed that" (not "agreed to pay"),
# "charged that" (not "charged him with").
_STATEMENT_NOUNS = (
    r"statement|report|warning|poll|survey|study|letter|memo|video|ad|advertisement|speech"
    r"|remarks|comment|response|apology|rebuttal|explanation|assessment|analysis|estimate"
    r"|forecast|praise|criticism|condolences|endorsement|defen[cs]e|opinion|view|prediction"
    r"|reassurance|denial|clarification|tweet|post|message|email|op-ed|editorial|column"
    r"|transcript|findings|data|figures|guidance|advice|ultimatum|threat|plea|appeal|challenge"
    r"|ruling|verdict|judgment|account|version|timeline|list|note|notice|bulletin|update"
    r"|language|words|rhetoric|thoughts|insight|reaction|feedback|testimony|argument|case"
    r"|reasons|evidence|details|information|answer|reply|retort|quip|joke|tribute|thanks"
)
_SPEECH_VERBS = (
    r"comment|say|answer|discuss|respond|elaborate|speculate|confirm|deny|specify|disclose"
    r"|talk|reveal|address|explain|describe|give|provide|offer|be\s+interviewed|release|name"
    r"|identify|argue|insist|note|call|criticize|criticise|attack|warn|praise|defend|express"
    r"|speak|claim|stress|press|urge|question|predict|suggest|add"
)
# A cue in the position of an aside, after a quotation or a clause: "\u201c...,\u201d Kelly
# charged." / "..., Fox found." Its claim is what came before, so the conditions on what
# follows a cue do not apply.
AFTER_QUOTE_OR_CLAUSE = re.compile(r"(?:[\u201d\"]\s*,?|,)\s+(?:[\w\u2019'.&-]+\s+){1,5}$")
ASIDE_END = re.compile(r"\s*(?:[.,;!?]|$)")
CUE_CONDITIONS = {
    "statement": re.compile(
        r"\s+(?:[\w\u2019'-]+\s+){0,3}?(?:" + _STATEMENT_NOUNS + r")s?\b", re.IGNORECASE
    ),
    "speech": re.compile(
        r"(?:\s*[,:\"\u201c.;!?]|\s+(?:to\s+(?:" + _SPEECH_VERBS + r")\b|(?:further\s+)?comment"
        r"|an?\s+interview|requests?\s+for\s+comment|interview\s+requests?))"
    ),
    "no_to": re.compile(r"(?!\s+to\s)"),
    "that": re.compile(r"\s*[:\"\u201c]|\s+that\b|,\s*[\"\u201c]"),
}


@lru_cache(maxsize=1)
def load_cues() -> dict[str, CueEntry]:
    """Read ``resources/sourcing_cues.tsv`` once per process, cues and non-cues alike.

    Raises
    ------
    ValueError
        When a row has the wrong number of columns, an unknown class or an unknown
        condition; the message names the line.
    """
    text = resources.files("sensational.resources").joinpath(CUES_FILE).read_text("utf-8")
    cues: dict[str, CueEntry] = {}
    classes = CUE_CLASSES | NOT_CUE_CLASSES
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) not in (5, 6) or parts[1] not in classes:
            raise ValueError(
                f"{CUES_FILE}:{lineno}: expected form, class, rate, count, origin[, condition]"
            )
        needs = parts[5] if len(parts) == 6 else ""
        if needs and needs not in CUE_CONDITIONS:
            raise ValueError(f"{CUES_FILE}:{lineno}: unknown condition {needs!r}")
        cues[parts[0]] = CueEntry(parts[0], parts[1], float(parts[2]), needs)
    return cues


# Characters that can stand right before a word: all of ASCII but letters, digits and "_",
# and the common others (no-break space, guillemets, dashes, curly quotes, ellipsis).
SEPARATORS = (
    "\\x00-/:-@\\[-^`{-\\x7f\\xa0\\xab\\xbb\\u2013\\u2014\\u2018\\u2019\\u201c\\u201d\\u2026"
)
OTHER_SEPARATOR = re.compile(rf"[^\w{SEPARATORS}]")


@dataclass(frozen=True, slots=True)
class WordPattern:
    """A pattern for words starting at a word boundary, compiled three ways.

    ``anywhere`` is ``\\b(?:body)``. The regex engine tries it at every character, while
    ``after_separator`` (``[separator](?:body)``) lets it skip to the separators, which is
    nearly twice as fast; ``at_start`` covers the text's first word. ``body`` names its groups.
    """

    anywhere: re.Pattern[str]
    after_separator: re.Pattern[str]
    at_start: re.Pattern[str]

    @classmethod
    def compile(cls, body: str, flags: int = 0) -> WordPattern:
        return cls(
            re.compile(rf"\b(?:{body})", flags),
            re.compile(rf"[{SEPARATORS}](?:{body})", flags),
            re.compile(rf"(?:{body})", flags),
        )

    def scan(self, text: str, separated: bool) -> list[re.Match[str]]:
        """The matches of ``anywhere`` in ``text``; pass ``separated`` if
        ``OTHER_SEPARATOR`` is not in the text (ASCII text never has it). Spans are those
        of the named groups.
        """
        if not separated:
            return list(self.anywhere.finditer(text))
        first = self.at_start.match(text)
        if first is None:
            return list(self.after_separator.finditer(text))
        return [first, *self.after_separator.finditer(text, first.end())]


def is_separated(text: str) -> bool:
    """Whether every non-word character in ``text`` is one of ``SEPARATORS``."""
    return text.isascii() or OTHER_SEPARATOR.search(text) is None


# HEDGES for lower-cased text: without IGNORECASE it scans a third faster.
HEDGES_LOWER = WordPattern.compile(rf"(?P<hedge>{HEDGE})")
IN_WORD = WordPattern.compile(r"(?P<inpoll>[Ii]n)(?=\s+[aAtT\u2019'A-Z])")


@lru_cache(maxsize=1)
def cue_pattern() -> WordPattern:
    # Case-sensitive: cue verbs are lower case, while "State" or "Post" name things. The
    # forms are folded into a prefix tree: a flat alternation of ~290 words costs ten
    # times more per article. "Asked about the plan, Lee said": a question put by nobody
    # named.
    return WordPattern.compile(
        r"(?P<acc>[Aa]ccording\s+to)|(?P<asked>Asked)|(?P<cue>"
        + trie_pattern([form for form, entry in load_cues().items() if entry.is_cue])
        + r")(?!\w)"
    )


COMPLEMENT_AFTER = re.compile(
    # An aside may come first: "believes, for example, that".
    r"\s*(?:,[^,\n]{1,30},)?(?:[:\"\u201c]|\s(?:that|whether|if|how|why|what|who|when|where|to)\b"
    r"|\s(?:the|a|an|he|she|they|it|we|i|you|his|her|their|this|there|[A-Z][\w\u2019'.-]*)\s+"
    r"(?:[\w\u2019'-]+\s+){0,4}?(?:is|are|was|were|will|would|has|have|had|can|could|should"
    r"|may|might|must|does|do|did|\w+n[\u2019']t)\b)"
)


# "When asked", "she was asked about": asked by nobody named, still an attribution.
UNSOURCED = frozenset({"asked"})


# "\b(?:when|if|after|before|as|once|while)\s+$", reversed (see ends_before).
WHEN_BEFORE = re.compile(r"\s+(?:nehw|fi|retfa|erofeb|sa|ecno|elihw)\b", re.IGNORECASE)


# Verbs whose object, not a subject, follows them: "told Lee", "asked the minister".
NOT_INVERTED = frozenset(("told", "tell", "tells", "telling", "asked", "ask", "asks"))
GAP_END = re.compile(rf"{GAP}\s*$")
# Lower-case words no part of a subject or of GAP can hold (tokens start after a character
# outside the token characters); pronouns among them may be a whole subject.
BLOCKER = re.compile(
    r"(?<![\w&\u2019'.-])(?:that|as|but|if|when|while|after|before|be|been|said|says|which"
    r"|who|it|they|he|she)\b"
)
BLOCKER_EXCEPT = ("'s", "\u2019s", "told", "last")
# BLOCKER reversed, for the reversed text: its first match there is the last one in the text,
# and a pattern opening with its words scans far faster than one opening with a look-behind.
BLOCKER_REV = re.compile(
    r"\b(?:taht|sa|tub|fi|nehw|elihw|retfa|erofeb|eb|neeb|dias|syas|hcihw|ohw|ti|yeht|eh|ehs)"
    r"(?![\w&\u2019'.-])"
)
# The same for a relative pronoun's antecedent (a name or a common noun phrase, no tail).
ANTECEDENT_BLOCKER = re.compile(
    r"(?<![\w&\u2019'.-])(?:in|at|to|that|with|by|from|as|but|if|when|while|after|before|had"
    r"|has|have|was|were|is|are|be|been|not|would|will|could|should|may|might|can|did|does|do"
    r"|said|says|told|who|which|a|an|it|they|he|she)\b"
)

SENTENCE_SUBJECT = re.compile(
    rf"[\"\u201c\u2018'(]*(?:[^,;:\"\u201c\u201d\n]{{1,60}},\s*)?"
    rf"(?P<src>{OWNER}(?:{COMMON}{TAIL}|{PRONOUN}\b|{QUANT}|{GENERIC}{TAIL}|{THE_PROPER}"
    rf"|{PLURAL}{TAIL})(?:\s+{PROPER})?)(?:\s*,[^,]{{1,120}},)?{GAP}\s+[a-z]+\b"
)

AFTER_CAPITALISED = re.compile(
    r"\b(?!(?:The|A|An|This|That|Its|Their)\b)[A-Z][\w\u2019'-]*\.?\s+(?=([A-Z][\w\u2019'-]*)\b)"
)
