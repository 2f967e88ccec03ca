"""Who an article's claims rest on: attributions, sources, hedges, single-source reliance.

One pass of compiled regexes finds the cues of attribution (reporting verbs such as "said"
or "told", stance verbs such as "praised", "according to", "in a statement") and the hedges
that carry a claim without a source ("reportedly", "is said to", "reports suggest"). For
each cue the source is read from the words around it: the subject before the cue ("Pol
Norman said", "A source close to the club told"), the inverted subject after a quote
("...," said Norman), or the phrase after "according to". Sources that name the same
speaker are merged ("Pol Norman" / "Norman" / "he"; "Ukraine's General Staff" / "the
General Staff"), and each gets a kind: person, organisation, document (a tweet, a blog, a
report, a statement), or anonymous ("officials", "sources", "an insider").

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
    "associates staffer staffers member members figure observer observers"
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
    "husband son daughter sister brother owner worker workers teacher teachers official"
).split()
_COMMON_HEADS = sorted(
    set(_ANON_HEADS + _DOC_HEADS + _ORG_HEADS + _PERSON_HEADS), key=len, reverse=True
)
_KNOWN_HEADS = frozenset(_COMMON_HEADS)
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
_MOD = rf"(?:(?!{_NOT_IN_NAME})[\w\u2019'.-]+\s+)"
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
    rf"(?:(?!{_NOT_IN_NAME})[\w\u2019'.-]+\s+){{0,3}}(?!{_NOT_IN_NAME})[\w\u2019'.-]+)?"
)
_TITLE_WORD = r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov)\.?"
_PRONOUN = r"(?:he|she|they|we|I|you|it|who|He|She|They|We|You|It|Who)"
_SOURCE = rf"(?:{_PRONOUN}\b|{_COMMON}|{_GENERIC}|{_PROPER})"

# The subject before a cue, anchored at the cue: optional apposition (", a spokesman for
# the club,") and auxiliaries or adverbs between subject and verb.
_GAP = (
    r"(?:\s+(?:has|have|had|also|later|earlier|previously|then|once|again|recently|further|"
    r"would|will|may|might|could|was|were|is|are|did|does|do|not|never|just|now|first|"
    r"repeatedly|publicly|privately|reportedly|allegedly|even|often|told\s+\w+|"
    r"already|initially|still|ever|generally|quickly|immediately|eventually|finally|"
    r"himself|herself|themselves|itself|"
    r"on\s+\w+day|\w+day|yesterday|today|last\s+\w+))*"
)
# Bare plurals ("Abortion rights advocates", "Trump's opponents") and an owner in front.
_PLURAL = rf"(?:{_MOD}){{0,2}}(?!{_NOT_IN_NAME})[a-z][\w-]*[a-rt-z]s\b"
_THE_PROPER = rf"(?:(?i:the)\s+)?{_PROPER}"
_OWNER = rf"(?:{_PROPER}(?:\u2019s|'s)\s+)?"
_SUBJECT_BEFORE = re.compile(
    rf"(?<![\w\u2019'])(?P<src>{_OWNER}"
    rf"(?:{_COMMON}{_TAIL}|{_PRONOUN}\b|{_GENERIC}{_TAIL}|{_THE_PROPER}|{_PLURAL}{_TAIL})"
    rf"(?:\u2019s|'s)?(?:\s+{_PROPER})?)"
    rf"(?:\s*,\s*(?!and\b)(?P<app>[^,;:\"\u201c\u201d]{{1,90}}),)?{_GAP}\s*$"
)
_PROPER_ONLY = re.compile(rf"(?:{_TITLE_WORD}\s+)?{_PROPER}$")
_NOUN_BEFORE = re.compile(r"\b(?i:the|a|an|his|her|their|its|our|this|that)\s+$")
_ANTECEDENT = re.compile(rf"({_PROPER}|{_COMMON})\s*,?\s*$")
_PRONOUN_BEFORE = re.compile(
    r"(?<![\w\u2019'])(?P<src>[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I|[Yy]ou)(?P<app>)"
    r"(?:\s+(?:also|has|have|had|later|then|previously|repeatedly|once|again))*\s+$"
)
_CLAUSE_MARKS = '"\u201c\u201d:;\u2014'
_PROGRESSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|be|am)\s+(?:\w+ly\s+)?$")
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|be|being)\s+$")
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
# A closed quote or a comma right before the cue: "...," said Lee / ..., said Lee.
_QUOTE_CLOSE_BEFORE = re.compile(
    r"(?:[\"\u201d\u2019']\s*[,.!?\u2014-]?|[,.!?\u2014-]\s*[\"\u201d\u2019']|,)\s*$"
)

_HEDGES = re.compile(
    # The look-ahead on first letters lets the engine skip most word starts (a third faster).
    r"\b(?=[aciprstuw])(?:reportedly|allegedly|purportedly|supposedly|apparently|rumou?red"
    r"|(?:is|are|was|were)\s+(?:said|understood|believed|thought|rumou?red|reported|alleged"
    r"|claimed|expected|feared)\s+to"
    r"|it\s+(?:is|was|has\s+been)\s+(?:claimed|reported|understood|alleged|said|rumou?red"
    r"|suggested|believed)"
    r"|(?:reports|rumou?rs|speculation|claims)\s+(?:suggest|suggested|say|said|claim|claimed"
    r"|indicate|indicated|have\s+it)"
    r"|(?:there\s+(?:are|were)\s+)?unconfirmed\s+reports(?:\s+(?:say|said|suggest|claim))?"
    r"|according\s+to\s+(?:reports|rumou?rs|media\s+reports|local\s+reports))\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\b")
_MEDIUM = re.compile(
    r"\s*(?:,\s*)?(?:on|in|via)\s+(?:a|an|the|his|her|their|its)?\s*"
    r"(?:(?:\w+\s+){0,2})?(?P<medium>tweet|post|blog(?:\s*post)?|statement|interview|letter|"
    r"video|podcast|email|press\s+release|op-ed|column|memo|broadcast|message)s?\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"\u201c[^\u201c\u201d]{2,1500}\u201d|\"[^\"]{2,1500}\"")
_WORD = re.compile(r"[A-Za-z][\w\u2019'-]*")

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
    "a an one two three four some several many another other few most others everyone "
    "nobody someone".split()
)
_DROP_WORDS = {"the", "a", "an", "mr", "mrs", "ms", "dr", "prof", "his", "her", "their", "its"}
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
    """One cue word form: ``cls`` is ``report``, ``document`` or ``stance``."""

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
        if len(parts) != 5 or parts[1] not in ("report", "document", "stance"):
            raise ValueError(f"{CUES_FILE}:{lineno}: expected form, class, rate, count, origin")
        cues[parts[0]] = CueEntry(parts[0], parts[1], float(parts[2]))
    return cues


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    # Case-sensitive: cue verbs are lower case, while "State" or "Post" name things. The
    # forms are folded into a prefix tree: a flat alternation of ~290 words costs ten
    # times more per article.
    return re.compile(
        r"\b(?:(?P<acc>[Aa]ccording\s+to)|(?P<cue>" + _trie_pattern(list(load_cues())) + r"))\b"
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
        hedges = [
            Span("body", m.start(), m.end(), body[m.start() : m.end()], "hedge", 1.0, SOURCE_TAG)
            for m in _HEDGES.finditer(text)
        ]
        # A cue inside a hedge ("reports suggest") is the hedge, not a second source.
        hedge_at = [(h.start, h.end) for h in hedges]
        mentions = [
            m
            for m in self.extract(text, sentences)
            if not hedge_at
            or not any(
                r is not None and a <= r[0] < b for r in (m.cue, m.source) for a, b in hedge_at
            )
        ]
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
        starts = [s for s, _ in sentences]
        cues = load_cues()
        out: list[Mention] = []
        for m in _cue_pattern().finditer(text):
            i = bisect_right(starts, m.start()) - 1
            sent_start, sent_end = sentences[i] if i >= 0 else (0, len(text))
            if m.group("acc"):
                mention = _according(text, m, sent_end)
            else:
                entry = cues[m.group("cue").lower()]
                if entry.cls == "stance" and not self.stance_cues:
                    continue
                mention = None
                joined = _CLAUSE_BEFORE.search(text, max(sent_start, m.start() - 12), m.start())
                if joined:
                    # "Lee defended the plan, saying ..." / "Lee spoke and added ...": the
                    # clause's subject speaks.
                    mention = _clause_subject(text, m, entry, sent_start, out, joined.group(1))
                if mention is None:
                    mention = _reporting(text, m, entry, sent_start, sent_end)
            # "I think", "we said" sit inside quotes: the quoted speaker is already counted
            # (on PolNeAR train such mentions were wrong nine times in ten).
            if mention is not None and mention.name.lower() not in _FIRST_SECOND:
                out.append(mention)
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
        for start, end in sentences:
            chunk = body[start:end]
            low = chunk.lower()
            # Substring pre-check: most sentences share too few words to be worth splitting.
            if sum(1 for w in head_words if w in low) < need:
                continue
            shared = len(head_words & _content_words(chunk))
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


def _according(text: str, m: re.Match[str], sent_end: int) -> Mention | None:
    after = _ACCORDING_SOURCE.match(text, m.end(), sent_end)
    if after is None:
        return Mention((m.start(), m.end()), None, "", "hedge", "report")
    src = _trim_source(text, *after.span("src"))
    name = text[src[0] : src[1]]
    medium = _MEDIUM.match(text, src[1])
    return Mention(
        (m.start(), m.end()),
        src,
        name,
        _classify(name),
        "report",
        medium.group("medium").lower() if medium else None,
    )


def _reporting(
    text: str, m: re.Match[str], entry: CueEntry, sent_start: int, sent_end: int
) -> Mention | None:
    cue = (m.start(), m.end())
    medium_m = _MEDIUM.match(text, m.end())
    medium = medium_m.group("medium").lower() if medium_m else None
    if entry.cls == "document" and medium is None:
        medium = _document_medium(entry.form)
    # The subject follows any quote, colon or dash: start there, at most 120 characters back
    # (the regex search below is the analyser's main cost).
    left_from = max(sent_start, m.start() - 120)
    left_from = max(left_from, *(text.rfind(c, left_from, m.start()) + 1 for c in _CLAUSE_MARKS))
    # "he said", "they argued": a pronoun right before the verb is the subject; checking
    # that first skips the costly search for about a quarter of cues.
    before = _PRONOUN_BEFORE.search(text, max(left_from, m.start() - 24), m.start())
    if before is None:
        before = _SUBJECT_BEFORE.search(text, left_from, m.start())
    src: tuple[int, int] | None = None
    if before is not None:
        src = _trim_source(text, *before.span("src"))
        app = before.group("app")
        if app and _PROPER_ONLY.match(app.strip()) and _classify(text[src[0] : src[1]]) != "":
            # "A blogger, Jane Fox, claimed": the name in apposition is the source.
            a = before.start("app") + len(app) - len(app.lstrip())
            src = (a, a + len(app.strip()))
    # "...," said Norman / says a source close to the club: the subject follows the cue.
    inverted = entry.form not in ("told", "tell", "tells", "telling", "asked", "ask", "asks")
    closed = _QUOTE_CLOSE_BEFORE.search(text, max(sent_start, m.start() - 6), m.start())
    if (src is None or closed) and inverted:
        after = _SOURCE_AFTER.match(text, m.end(), sent_end)
        if after is not None and not _is_pronoun_object(text[after.start("src") : after.end()]):
            src = _trim_source(text, *after.span("src"))
    if src is None:
        return None
    if entry.form.endswith("ing"):
        # "X is saying" speaks; "a heatwave warning" or "X, saying" (handled by the
        # clause subject) do not.
        if not _PROGRESSIVE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            return None
    elif _PASSIVE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return None  # "is said to", "was reported": a hedge or a passive, not a speaker
    if _NOUN_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return None  # "the claim", "his estimates": a noun, not a reporting verb
    name = text[src[0] : src[1]]
    if name.lower() in ("who", "which", "that"):
        name = _relative_antecedent(text, sent_start, src[0]) or name
    kind = _classify(name)
    if kind == "" or (entry.cls == "stance" and (kind == "document" or not _known(name))):
        return None  # "the pictures showed": stance verbs need a recognisable speaker
    return Mention(cue, src, name, kind, entry.cls, medium)


def _known(name: str) -> bool:
    words = _WORD.findall(name)
    lower = [w.lower() for w in words]
    return (
        any(w[0].isupper() for w in words)
        or (len(lower) == 1 and lower[0] in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _INDEFINITE)
        or _head(lower) in _KNOWN_HEADS
    )


_CLAUSE_BEFORE = re.compile(r"(,|\band|\bbut)\s+(?:(?:also|then|later)\s+)?$")
_SENTENCE_SUBJECT = re.compile(
    rf"[\"\u201c\u2018'(]*(?:(?:[A-Z]\w*\s+){{1,3}}\w+,\s*)?(?P<src>{_COMMON}|{_PRONOUN}\b|{_PROPER})"
    rf"(?:\s*,[^,]{{1,90}},)?\s+(?:\w+ly\s+)?(?:has\s+|had\s+|have\s+)?[a-z]+(?:ed|s)\b"
)


def _clause_subject(
    text: str,
    m: re.Match[str],
    entry: CueEntry,
    sent_start: int,
    found: list[Mention],
    joint: str,
) -> Mention | None:
    if joint == "," and not m.group("cue").endswith("ing"):
        return None
    cue = (m.start(), m.end())
    prev = found[-1] if found else None
    if prev is not None and prev.source and prev.source[0] >= sent_start:
        return Mention(cue, prev.source, prev.name, prev.kind, entry.cls)
    subject = _SENTENCE_SUBJECT.match(text, sent_start, m.start())
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
    before = _ANTECEDENT.search(text, max(sent_start, at - 120), at)
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
    words = _WORD.findall(name)
    if not words:
        return ""
    lower = [w.lower().replace("\u2019", "'") for w in words]
    first = lower[0]
    if len(lower) == 1 and first in _PERSON_PRONOUNS:
        return "person"
    if len(lower) == 1 and first in _GROUP_PRONOUNS | {"who"}:
        return "pronoun"
    if len(lower) == 1 and first in _INDEFINITE:
        return "anonymous"  # "Some say", "Nobody expected"
    at = _head_index(lower)
    head = lower[at]
    capitals = [w for w in words if w[0].isupper() and w.lower() not in _DROP_WORDS]
    if at > 0 and words[at][0].isupper():
        head = ""  # "The Washington Post": a name, not the common noun "post"
    if head in _DOC_HEADS:
        return "document"
    if head in _ANON_HEADS:
        # "officials", "a source close to the club": unnamed, whatever the modifiers.
        return "anonymous"
    if any(w in _ORG_WORDS for w in lower) or any(w.isupper() and len(w) > 1 for w in words):
        return "organisation"
    if head in _PERSON_HEADS or capitals:
        return "person"
    if head in _ORG_HEADS:
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
    surname = re.escape(name.split()[-1])
    if re.search(
        rf"\b(?!(?:The|A|An|This|That|Its|Their)\b)[A-Z][\w\u2019'-]*\.?\s+{surname}\b", text
    ):
        return kind
    return "organisation"


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
    by_token: dict[str, list[_Source]] = {}
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
            seen = {s.index: s for t in tokens for s in by_token.get(t, ())}
            target = next(
                (seen[i] for i in sorted(seen, reverse=True) if _same(seen[i], m.kind, tokens)),
                None,
            )
            if target is None:
                target = _Source(m.name, _refine_kind(m.name, m.kind, tokens, text), tokens)
                target.index = len(sources)
                sources.append(target)
            elif len(tokens) > len(target.tokens):
                target.name, target.tokens = m.name, tokens
            for t in tokens:
                if target not in by_token.setdefault(t, []):
                    by_token[t].append(target)
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
    attributed = [m for m in mentions if m.key >= 0]
    unsourced_hedges = len(hedges) + sum(1 for m in mentions if m.kind == "hedge")
    n_claims = len(attributed) + unsourced_hedges
    infos = []
    for s in sources:
        spans = []
        for m in s.mentions:
            if m.source:
                a, b = m.source
                spans.append(Span("body", a, b, body[a:b], "source", 1.0, SOURCE_TAG))
            if m.cue:
                a, b = m.cue
                spans.append(Span("body", a, b, body[a:b], "cue", 1.0, SOURCE_TAG))
            if m.content:
                a, b = m.content
                spans.append(Span("body", a, b, body[a:b], "content", 1.0, SOURCE_TAG))
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
    records = [_record(body, m, sources) for m in mentions if m.key >= 0 or m.kind == "hedge"]
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


def _record(body: str, m: Mention, sources: list[_Source]) -> AttributionInfo:
    def span(r: tuple[int, int] | None, category: str) -> Span | None:
        return (
            None
            if r is None
            else Span("body", r[0], r[1], body[r[0] : r[1]], category, 1.0, SOURCE_TAG)
        )

    return AttributionInfo(
        source=sources[m.key].name if m.key >= 0 else None,
        kind=sources[m.key].kind if m.key >= 0 else "hedge",
        cue=span(m.cue, "cue"),
        source_span=span(m.source, "source"),
        content=span(m.content, "content"),
        medium=m.medium,
    )


_SUFFIX = re.compile(r"(?:ing|ed|es|s)$")


def _content_words(text: str) -> set[str]:
    # Suffix-stripped five-letter prefixes stand in for stems: "quits" and "quit" meet.
    words = (w.lower() for w in _WORD.findall(text))
    return {
        _SUFFIX.sub("", w)[:5]
        for w in words
        if w not in _STOP and w not in _HEDGE_WORDS and len(w) > 2
    }
