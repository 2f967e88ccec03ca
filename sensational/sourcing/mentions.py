"""Finding attributions: each cue in a text with the phrase that names its source.

One pass of compiled regexes finds the cues of attribution (reporting verbs such as "said"
or "told", stance verbs such as "praised", verbs of thinking or finding followed by a claim
such as "think the plan works" or "found that", "according to", "in a CNN poll"). For each
cue the source is read from the words around it: the subject before the cue ("Pol Norman
said", "A source close to the club told", "47 percent of voters say", "Jo Sims, 63, a
teacher, said"), the subject of the clause a participle hangs on ("Lee defended the plan,
saying"), the inverted subject after a quote ("...," said Norman), or the phrase after
"according to". A title naming its speaker ("Cruz: Trump Would ...") and questions put by
nobody named ("Asked about the plan, ...") count too; cues inside a quotation, and stances
inside a claim already reported ("Lee said he thinks ..."), do not.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from sensational.sourcing.patterns import (
    ACCORDING_SOURCE,
    AFTER_QUOTE_OR_CLAUSE,
    ANTECEDENT,
    ANTECEDENT_BLOCKER,
    ASIDE_END,
    BLOCKER_EXCEPT,
    BLOCKER_REV,
    BY_AGENT,
    CLAUSE_BEFORE,
    CLAUSE_MARK,
    COLON_TITLE,
    COMPLEMENT_AFTER,
    CUE_CONDITIONS,
    DASH_SIGNATURE,
    DET_START,
    DET_WORDS,
    EVIDENCE_FORMS,
    FIRST_SECOND,
    GAP_END,
    HEDGES,
    HEDGES_LOWER,
    IN_POLL,
    IN_WORD,
    KNOWN_HEADS,
    KNOWN_WORDS,
    MEDIUM,
    NAME_BEFORE_COLON,
    NOT_AGENTS,
    NOT_INVERTED,
    NOT_NAME_OPENERS,
    NOT_SPEAKER_LABELS,
    NOT_TITLE_SOURCES,
    NOUN_BEFORE,
    PARAGRAPH_QUOTE,
    PARTY_TAG,
    PASSIVE_OR_NOUN_BEFORE,
    PROGRESSIVE_BEFORE,
    PRONOUN_BEFORE,
    PROPER_ONLY,
    QUOTE,
    QUOTE_CLOSE_BEFORE,
    QUOTE_OPENS,
    SENTENCE_SUBJECT,
    SMALL_WORDS,
    SOURCE_AFTER,
    SPEAKER_LABEL,
    SUBJECT_BEFORE,
    SUBJECT_BEFORE_NO_OWNER,
    TIME_WORDS,
    UNSOURCED,
    WHEN_BEFORE,
    WORD,
    CueEntry,
    cue_pattern,
    load_cues,
)
from sensational.sourcing.sources import classify, head_word


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


def cue_spans(text: str, separated: bool) -> list[tuple[int, int, str, str]]:
    """``(start, end, kind, words)`` of the cues in ``text``, in text order.

    ``kind`` is ``cue`` for a word of the lexicon, ``acc`` for "according to", ``asked``
    for "Asked" opening a sentence and ``inpoll`` for the "in" of "in a CNN poll".
    """
    pattern = cue_pattern()
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
        for m in IN_WORD.scan(text, separated):
            extra.append((m.start("inpoll"), m.end(), "inpoll", m.group("inpoll")))
    if extra:
        out = sorted(out + extra)
    return out


def quotations(text: str) -> list[tuple[int, int]]:
    """Spans of the direct quotations in ``text``, paired within each paragraph.

    A quotation running on into the next paragraph is left open there (news style), so
    pairing quote marks across line breaks would take the article's own text between two
    quotations for a quotation.
    """
    return [q.span() for q in PARAGRAPH_QUOTE.finditer(text)]


def _title_line(text: str) -> int:
    """The end of the text's first line when it is written in title case, else 0."""
    end = text.find("\n")
    if end < 0:
        end = len(text)
    if end > 300:
        return 0
    words = [w for w in WORD.findall(text, 0, end) if w.lower() not in SMALL_WORDS]
    if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.8 * len(words):
        return 0
    return end if len(text[:end].lower()) == end else 0


def colon_title(text: str) -> Mention | None:
    """ "Cruz: Trump Would Put Liberals On Court": a title naming its speaker before a colon."""
    end = text.find("\n")
    end = end if 0 <= end <= 300 else min(len(text), 300)
    if ":" not in text[:end]:
        return None
    m = COLON_TITLE.match(text, 0, end)
    if m is None:
        return None
    src = trim_source(text, *m.span("src"))
    name = text[src[0] : src[1]]
    words = WORD.findall(name)
    if not words or words[-1].lower() in NOT_TITLE_SOURCES or name.isupper():
        return None  # "The Latest: ...", "VIDEO: ...", "FIX IS IN: ..."
    kind = classify(name)
    if not kind:
        return None
    colon = text.index(":", m.end("src"))
    return Mention((colon, colon + 1), src, name, kind, "report")


def mark_mentions(text: str, quotes: list[tuple[int, int]]) -> list[Mention]:
    """Attributions made by punctuation: a speaker label ("TAPPER: ..."), a name before a
    colon that opens a quotation ("pollster Daron Shaw: \u201c..."), a signature after a
    quotation or a post ("\u201d \u2014 Paul Ryan (@SpeakerRyan)"). The title's own colon is
    :func:`colon_title`'s.
    """
    out: list[Mention] = []
    quote_starts = [a for a, _ in quotes]

    def quoted(at: int) -> bool:
        q = bisect_right(quote_starts, at) - 1
        return q >= 0 and at < quotes[q][1]

    pos = text.find(":")
    while pos >= 0:
        if not quoted(pos):
            line = text.rfind("\n", 0, pos) + 1
            label = SPEAKER_LABEL.match(text, line)
            if label is not None and label.end("src") <= pos:
                src = label.span("src")
                if _speaker(text, src) is not None:
                    out.append(_speaker(text, src, (pos, pos + 1)))  # type: ignore[arg-type]
            elif QUOTE_OPENS.match(text, pos + 1):
                name = NAME_BEFORE_COLON.search(text, max(line, pos - 80), pos)
                if name is not None:
                    mention = _speaker(text, trim_source(text, *name.span()), (pos, pos + 1))
                    if mention is not None:
                        out.append(mention)
        pos = text.find(":", pos + 1)
    dash = _dash_starts(text)
    for at in dash:
        sig = DASH_SIGNATURE.match(text, at)
        if sig is None or quoted(at):
            continue
        handle = "(@" in text[sig.end() : sig.end() + 3]
        if not handle and not text[max(0, at - 3) : at].rstrip().endswith(("\u201d", '"')):
            continue  # "Lee \u2014 a teacher": a dash inside a sentence
        mention = _speaker(text, trim_source(text, *sig.span("src")), sig.span("cue"))
        if mention is not None:
            out.append(mention)
    return out


def _dash_starts(text: str) -> list[int]:
    out = []
    for mark in ("\u2014", "\u2013", "--"):
        at = text.find(mark)
        while at >= 0:
            out.append(at)
            at = text.find(mark, at + len(mark))
    return sorted(out)


def _speaker(text: str, src: tuple[int, int], cue: tuple[int, int] | None = None) -> Mention | None:
    """A mention of the speaker named at ``src``, if it names one (person or organisation)."""
    name = text[src[0] : src[1]]
    words = WORD.findall(name)
    if not words or any(w.lower().rstrip(".") in NOT_SPEAKER_LABELS for w in words):
        return None
    kind = classify(name)
    if kind not in ("person", "organisation"):
        return None
    return Mention(cue, src, name, kind, "report")


def hedge_spans(text: str, separated: bool) -> list[tuple[int, int]]:
    """The spans of ``HEDGES`` in ``text`` (``separated``: see :func:`separated`)."""
    low = text.lower()
    # Lower-casing matches what IGNORECASE matches, but for two letters that fold to ASCII
    # without being lower-case forms of it, and for letters whose lower case is longer.
    if len(low) != len(text) or "\u0131" in text or "\u017f" in text:
        return [m.span() for m in HEDGES.finditer(text)]
    return [m.span("hedge") for m in HEDGES_LOWER.scan(low, separated)]


def blank(text: str, ranges: list[tuple[int, int]] | tuple[()]) -> str:
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
    after = ACCORDING_SOURCE.match(text, end, sent_end)
    if after is None:
        return Mention((start, end), None, "", "hedge", "report")
    src = trim_source(text, *after.span("src"))
    name = text[src[0] : src[1]]
    kind = classify(name)
    if not kind:
        return Mention((start, end), None, "", "hedge", "report")
    return Mention((start, end), src, name, kind, "report", _medium_after(text, src[1]))


def _medium_after(text: str, at: int) -> str | None:
    """The medium named right after ``at`` ("in a statement", "on Twitter"), if any."""
    # MEDIUM starts with "on", "in" or "via" after white space and a comma: check that
    # on a short slice first (non-ASCII letters may fold to ASCII, so they go to the regex).
    rest = text[at : at + 24].lstrip()
    if rest[:1] == ",":
        rest = rest[1:].lstrip()
    head = rest[:3]
    if rest and head.isascii() and head[:2].lower() not in ("on", "in") and head.lower() != "via":
        return None
    medium = MEDIUM.match(text, at)
    return medium.group("medium").lower() if medium else None


def _after_clause_mark(rev: str, lo: int, hi: int) -> int:
    """Just after the last quote mark, colon, semicolon or dash in the text's ``[lo, hi)``,
    else ``lo`` (``rev`` is the text reversed: one search finds the last mark)."""
    n = len(rev)
    m = CLAUSE_MARK.search(rev, n - hi, n - lo)
    return lo if m is None else n - m.start()


def ends_before(pattern: re.Pattern[str], rev: str, at: int, lo: int) -> re.Match[str] | None:
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
    """The attribution of a reporting cue: its subject before it, or after it when inverted."""
    stop, early, bare_ing = _before_cue(text, rev, start, end, entry, sent_end)
    if stop:
        return early
    src = _subject(text, rev, start, end, entry, sent_start, sent_end)
    if src is None:
        return None
    if bare_ing and (
        src[1] > start or text[src[1] : start].strip() or not _participle_subject(text, src)
    ):
        return None
    name = text[src[0] : src[1]]
    if name.lower() in ("who", "which", "that"):
        name = _relative_antecedent(text, sent_start, src[0]) or name
    kind = classify(name)
    if kind == "" or (
        (entry.cls in ("stance", "clause") or entry.form.startswith(INANIMATE_PREFIXES))
        and (kind == "document" and entry.cls == "stance" or not known(name))
    ):
        return None  # "the trip suggests", "the pictures showed": no speaker
    medium = _medium_after(text, end)
    if entry.cls == "document" and medium is None:
        medium = _document_medium(entry.form)
    return Mention((start, end), src, name, kind, entry.cls, medium)


def _before_cue(
    text: str, rev: str, start: int, end: int, entry: CueEntry, sent_end: int
) -> tuple[bool, Mention | None, bool]:
    """Cheap decisions from the words right around a cue, before its source is looked for
    (that search is the costly part): ``(stop, mention, bare_ing)``; when ``stop`` the cue's
    answer is ``mention`` (None for no attribution)."""
    if entry.form.endswith("ing"):
        # "X is saying" speaks; "a heatwave warning" or "X, saying" (handled by the
        # clause subject) do not.
        if ends_before(NOUN_BEFORE, rev, start, max(0, start - 8)):
            return True, None, False
        return False, None, not ends_before(PROGRESSIVE_BEFORE, rev, start, max(0, start - 12))
    if ends_before(PASSIVE_OR_NOUN_BEFORE, rev, start, max(0, start - 30)):
        # "is said to", "was reported": a hedge or a passive, not a speaker unless an agent
        # follows ("was criticized by Lee"); "the claim", "his estimates": a noun, not a
        # reporting verb. "She was asked" is asked by nobody named.
        if ends_before(NOUN_BEFORE, rev, start, max(0, start - 8)):
            return True, None, False
        agent = _by_agent(text, start, end, entry, sent_end)
        if agent is None and entry.form in UNSOURCED:
            agent = Mention((start, end), None, "", "unsourced", entry.cls)
        return True, agent, False
    if text.startswith(" by ", end):
        # "a plan, endorsed by Lee,": a passive without its auxiliary
        agent = _by_agent(text, start, end, entry, sent_end, reduced=True)
        if agent is not None:
            return True, agent, False
    if entry.form in UNSOURCED and ends_before(WHEN_BEFORE, rev, start, max(0, start - 8)):
        return True, Mention((start, end), None, "", "unsourced", entry.cls), False  # "when asked"
    return False, None, False


def _subject(
    text: str, rev: str, start: int, end: int, entry: CueEntry, sent_start: int, sent_end: int
) -> tuple[int, int] | None:
    """The span naming a reporting cue's speaker: a pronoun or a subject before it, or the
    inverted subject after it ("...," said Norman)."""
    n = len(text)
    # The subject follows any quote, colon or dash: start there, at most 120 characters back
    # (the regex search below is the analyser's main cost).
    lo = max(sent_start, start - 120)
    left_from = _after_clause_mark(rev, lo, start)
    if text[left_from - 1 : left_from] == "\u2014" and GAP_END.match(text, left_from, start):
        # "Jason Sims — a teacher — says": the dashes enclose an apposition.
        opening = text.rfind("\u2014", lo, left_from - 1)
        if opening >= 0:
            left_from = _after_clause_mark(rev, lo, opening)
    # "he said", "they argued": a pronoun right before the verb is the subject; checking
    # that first skips the costly search for about a quarter of cues.
    pronoun = ends_before(PRONOUN_BEFORE, rev, start, max(left_from, start - 24))
    src: tuple[int, int] | None = None
    if pronoun is not None:
        src = (n - pronoun.end("src"), n - pronoun.start("src"))
    elif (before := subject_before(text, left_from, start)) is not None:
        src = trim_source(text, *before.span("src"))
        app = before.group("app")
        if app and PROPER_ONLY.match(app.strip()) and classify(text[src[0] : src[1]]) != "":
            # "A blogger, Jane Fox, claimed": the name in apposition is the source.
            a = before.start("app") + len(app) - len(app.lstrip())
            src = (a, a + len(app.strip()))
    # "...," said Norman / says a source close to the club: the subject follows the cue.
    # Only right after a quotation or a comma: "he sought to blame his minister" has no
    # inverted subject.
    if (
        entry.cls != "stance"
        and entry.form not in NOT_INVERTED
        and QUOTE_CLOSE_BEFORE.match(rev, n - start, n - max(sent_start, start - 6))
    ):
        after = SOURCE_AFTER.match(text, end, sent_end)
        if after is not None and not _is_pronoun_object(text[after.start("src") : after.end()]):
            src = trim_source(text, *after.span("src"))
    return src


def _aside(text: str, start: int, end: int, sent_start: int) -> bool:
    """Whether the cue at ``[start, end)`` closes its clause after a quotation or a clause
    with a short subject between ("\u201c...,\u201d Kelly charged.", "..., Fox found.")."""
    return bool(ASIDE_END.match(text, end)) and bool(
        AFTER_QUOTE_OR_CLAUSE.search(text, max(sent_start, start - 60), start)
    )


def _by_agent(
    text: str, start: int, end: int, entry: CueEntry, sent_end: int, *, reduced: bool = False
) -> Mention | None:
    """The agent of a passive cue ("was criticized by Lee"), if the sentence names one.

    ``reduced``: no auxiliary before the cue, so "by" must follow it right away ("endorsed
    by Lee"), or an active verb would take its object for an agent.
    """
    if reduced:
        agent = ACCORDING_SOURCE.match(text, end + 3, sent_end)
    else:
        agent = BY_AGENT.match(text, end, sent_end)
    if agent is None:
        return None
    src = trim_source(text, *agent.span("src"))
    name = text[src[0] : src[1]]
    if name.lower() in NOT_AGENTS or not known(name):
        return None
    kind = classify(name)
    if not kind or (entry.cls == "stance" and kind == "document"):
        return None
    return Mention((start, end), src, name, kind, entry.cls, _medium_after(text, end))


# A claim after a verb of thinking or finding: a quotation, a clause opened by "that" or a
# question word, an infinitive, or a subject with its auxiliary ("think the plan will work").
def _participle_subject(text: str, src: tuple[int, int]) -> bool:
    """Whether the phrase right before a bare participle speaks through it.

    A name ("Mr. Netanyahu denouncing") or a phrase after "with" ("with three in 10
    saying") does; "a heatwave warning" does not.
    """
    if PROPER_ONLY.fullmatch(text, *src) and not DET_START.match(text, src[0]):
        return True
    return text[max(0, src[0] - 6) : src[0]].rstrip().endswith("with")


def subject_before(text: str, left_from: int, end: int) -> re.Match[str] | None:
    """``SUBJECT_BEFORE.search(text, left_from, end)``, skipping starts that cannot match.

    A subject holds no comma (only a bracketed party tag could, and a dashed apposition
    any, so windows with brackets or dashes are searched whole), and a comma apposition
    with its age holds three, so a match starts after the last comma, or after the fourth
    last when an apposition can end at the last one. Failing starts are what make the
    search costly.
    """
    window = text[left_from:end]
    if "(" in window or "\u2014" in window or "\u2013" in window or "-" in window:
        return SUBJECT_BEFORE.search(text, left_from, end)
    last = text.rfind(",", left_from, end)
    if last >= 0 and GAP_END.match(text, last + 1, end) is not None:
        at = last
        for _ in range(3):
            at = text.rfind(",", left_from, at) if at >= 0 else -1
        return SUBJECT_BEFORE.search(text, max(left_from, at + 1), end)
    # No apposition: subject and gap words run up to the cue, and no lower-case word of
    # BLOCKER fits anywhere in them but as the whole subject ("who", "it"), unless it
    # follows an owner ("X's") or "told"/"last" (gap words take any word after them).
    left_from = _last_blocker_rev(text, max(left_from, last + 1), end)
    window = text[left_from:end]
    if "'s" in window or "\u2019s" in window:
        return SUBJECT_BEFORE.search(text, left_from, end)
    return SUBJECT_BEFORE_NO_OWNER.search(text, left_from, end)


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


def _last_blocker_rev(text: str, lo: int, hi: int) -> int:
    """``_last_blocker(BLOCKER, text, lo, hi, BLOCKER_EXCEPT)``, found on the reversed text;
    ``hi`` is the start of a word (a cue's), as for the forward search."""
    rev = _reversed(text)
    n = len(rev)
    for m in BLOCKER_REV.finditer(rev, n - hi, n - lo):
        at = n - m.end()
        prev = text[max(0, at - 12) : at].rstrip()
        if not prev or prev.endswith(BLOCKER_EXCEPT):
            continue
        return at
    return lo


@lru_cache(maxsize=4)
def _reversed(text: str) -> str:
    return text[::-1]


# Reporting verbs that also take a subject that cannot speak: "the trip suggests", "the
# moment revealed". Their subject must be a known speaker (:func:`known`).
INANIMATE_PREFIXES = ("suggest", "reveal", "indicat", "show", "explain", "confirm", "mean")


def known(name: str) -> bool:
    """Whether ``name`` can speak: a name, a pronoun, a share of people or a phrase with a
    known head ("the minister", "officials"); not "the trip" or "his perspective"."""
    words = WORD.findall(name)
    if not words:
        return name[:1].isdigit()  # "42% say"
    lower = [w.lower() for w in words]
    if any(w[0].isupper() and low not in DET_WORDS for w, low in zip(words, lower, strict=True)):
        return True
    return (len(lower) == 1 and lower[0] in KNOWN_WORDS) or head_word(lower) in KNOWN_HEADS


# The subject opening a sentence, after an optional opening phrase ("On Sunday, "), with its
# verb: "Lee defended the plan, saying", "Clinton, the nominee, was bracing and hoping".


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
    subject = SENTENCE_SUBJECT.match(text, sent_start, start)
    if subject is None:
        return None
    src = trim_source(text, *subject.span("src"))
    if src[0] == src[1]:
        # "Then he cut into Bush, calling ...": the opener is no subject, the next phrase is.
        subject = SENTENCE_SUBJECT.match(text, subject.end("src"), start)
        if subject is None:
            return None
        src = trim_source(text, *subject.span("src"))
    name = text[src[0] : src[1]]
    kind = classify(name)
    return Mention(cue, src, name, kind, entry.cls) if kind else None


def _is_pronoun_object(phrase: str) -> bool:
    return phrase.split()[0].lower() in ("it", "them", "him", "her", "us", "me")


# Adverbs that may follow a subject before its verb: "the ministry later said".
TRAILING_ADVERBS = frozenset("later earlier again also then now still too first".split())
# Words in -ly that are no adverb: "the elderly", "a rally".
NOT_ADVERBS = frozenset(
    "elderly early likely unlikely only family daily weekly monthly yearly quarterly friendly"
    " ally assembly supply holy lonely ugly silly rally tally folly anomaly monopoly".split()
)


def trim_source(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to the words that name the source.

    Drops trailing punctuation and a possessive, words that open a clause rather than a
    name ("Although representatives of ..."), adverbs at the end ("... video allegedly")
    and time phrases at either end ("CREDO Action on Wednesday", "Wednesday and Kasich").
    The range is empty when nothing names a source.
    """
    while True:
        while end > start and text[end - 1] in ",.;:'\u2019 ":
            end -= 1
        if text[end - 2 : end] in ("'s", "\u2019s"):
            end -= 2
        phrase = text[start:end]
        words = phrase.split()
        if not words:
            return start, start
        first = words[0].lower()
        # Most phrases need nothing more: check their two ends on plain strings first.
        if len(words) > 1 and (
            first in NOT_NAME_OPENERS or (first in TIME_WORDS and words[1] == "and")
        ):
            skip = 2 if words[1] == "and" and len(words) > 2 else 1
            at = 0
            for w in words[:skip]:
                at = phrase.index(w, at) + len(w)
            start += len(phrase) - len(phrase[at:].lstrip())
            continue
        if len(words) == 1 and first.rstrip(",.") in NOT_NAME_OPENERS:
            return start, start
        tail = words[-1].lower()
        if len(words) > 1 and (
            (tail.endswith("ly") and words[-1][0].islower() and tail not in NOT_ADVERBS)
            or tail in TRAILING_ADVERBS
            or (tail in TIME_WORDS and words[-2].lower() in ("on", "last", "this", "late"))
        ):
            cut = phrase.rindex(words[-1])
            if tail in TIME_WORDS:  # "on Wednesday": the preposition goes too
                cut = phrase.rindex(words[-2], 0, cut)
            end = start + len(phrase[:cut].rstrip())
            continue
        return start, end


def _relative_antecedent(text: str, sent_start: int, at: int) -> str | None:
    lo = max(sent_start, at - 120)
    # As in subject_before: the name holds no comma (unless bracketed) and no blocker
    # word, so only the text after them is searched.
    if "(" not in text[lo:at]:
        last = text.rfind(",", lo, at)
        if last >= 0 and not text[last + 1 : at].strip():
            last = text.rfind(",", lo, last)  # the comma ending the name: "X, who"
        lo = max(lo, last + 1)
        lo = _last_blocker(ANTECEDENT_BLOCKER, text, lo, at)
    before = ANTECEDENT.search(text, lo, at)
    if before is not None and PARTY_TAG.fullmatch(before.group(1).strip()):
        # "Sen. Ben Sasse, R-Neb., who": the tag belongs to the name before it.
        return _relative_antecedent(text, sent_start, before.start(1))
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


def continuations(
    text: str, mentions: list[Mention], sentences: list[tuple[int, int]], starts: list[int]
) -> list[Mention]:
    """Direct quotes with no cue of their own, continuing the speaker just before them."""
    if not mentions:
        return []
    cue_at = sorted(m.cue[0] for m in mentions if m.cue and m.source)
    out = []
    for q in QUOTE.finditer(text):
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


def extract_mentions(
    text: str,
    sentences: list[tuple[int, int]],
    separated: bool,
    *,
    stance_cues: bool = True,
    quotes: list[tuple[int, int]] | None = None,
) -> list[Mention]:
    """The attributions with a cue in ``text``, in text order (pronouns unresolved).

    ``sentences`` are the sentence bounds of ``text``; ``separated`` tells whether the fast
    word scan applies (:func:`~sensational.sourcing.patterns.is_separated`); ``quotes``
    are :func:`quotations` of ``text`` when already known.
    """
    found = cue_spans(text, separated)
    if not found and not any(mark in text for mark in (":", "\u2014", "\u2013", "--")):
        return []  # most headlines: nothing to attribute
    starts = [s for s, _ in sentences]
    rev = _reversed(text)
    if quotes is None:
        quotes = quotations(text)
    quote_starts = [a for a, _ in quotes]
    out: list[Mention] = []
    claim = (-1, 0)  # sentence index and start of the last claim reported in it
    for start, end, group, word in found:
        # A cue inside a quotation is the quoted speaker's own sourcing, which the
        # quotation's attribution already covers (PolNeAR annotates each token for one
        # attribution only; on its train split such cues were right a third of the time).
        q = bisect_right(quote_starts, start) - 1
        if q >= 0 and start < quotes[q][1]:
            continue
        i = bisect_right(starts, start) - 1
        sentence = sentences[i] if i >= 0 else (0, len(text))
        mention = _cue_mention(text, rev, (start, end), group, word, sentence, out, stance_cues)
        # "I think", "we said" sit inside quotes: the quoted speaker is already counted
        # (on PolNeAR train such mentions were wrong nine times in ten).
        if mention is None or mention.name.lower() in FIRST_SECOND:
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
    return _with_marks(text, out, quotes, sentences, starts)


def _cue_mention(
    text: str,
    rev: str,
    cue: tuple[int, int],
    group: str,
    word: str,
    sentence: tuple[int, int],
    found: list[Mention],
    stance_cues: bool,
) -> Mention | None:
    """The attribution made by one cue of :func:`cue_spans`, if it makes one."""
    start, end = cue
    sent_start, sent_end = sentence
    if group == "acc":
        return _according(text, start, end, sent_end)
    if group == "asked":
        return Mention(cue, None, "", "unsourced", "report")
    if group == "inpoll":
        poll = IN_POLL.match(text, end, sent_end)
        if poll is None:
            return None
        src = poll.span("src")
        return Mention(cue, src, text[src[0] : src[1]], "document", "report")
    entry = load_cues()[word]
    if entry.cls == "stance" and not stance_cues:
        return None
    needs_document = False
    if (entry.cls == "clause" and not COMPLEMENT_AFTER.match(text, end)) or (
        entry.needs and not CUE_CONDITIONS[entry.needs].match(text, end)
    ):
        if _aside(text, start, end, sent_start):
            pass  # "..., Fox found." / "\u201c...,\u201d Kelly charged."
        elif entry.cls == "clause" and not entry.needs and entry.form in EVIDENCE_FORMS:
            needs_document = True  # "polls show Clinton leading": a document's
        else:
            return None  # "found a job", "declined to run": no claim follows
    mention = None
    joined = ends_before(CLAUSE_BEFORE, rev, start, max(sent_start, start - 40))
    if joined:
        # "Lee defended the plan, saying ..." / "Lee spoke and added ...": the clause's
        # subject speaks.
        joint = (joined.group(1) or joined.group(2))[::-1]
        mention = _clause_subject(text, start, end, entry, sent_start, found, joint)
    if mention is None:
        mention = _reporting(text, rev, start, end, entry, sent_start, sent_end)
    if needs_document and mention is not None and mention.kind != "document":
        return None
    return mention


def _with_marks(
    text: str,
    out: list[Mention],
    quotes: list[tuple[int, int]],
    sentences: list[tuple[int, int]],
    starts: list[int],
) -> list[Mention]:
    """``out`` with the title's colon and the attributions made by punctuation added."""
    colon = colon_title(text)
    if colon is not None:
        out.append(colon)
    marks = mark_mentions(text, quotes)
    if marks:
        # A colon after a cue of its own sentence is that cue's ("Lee told voters: ...").
        cue_at = sorted(m.cue[0] for m in out if m.cue)
        for m in marks:
            at = m.cue[0] if m.cue else 0
            i = bisect_right(starts, at) - 1
            lo = sentences[i][0] if i >= 0 else 0
            if bisect_right(cue_at, at) == bisect_right(cue_at, lo - 1):
                out.append(m)
    if colon is not None or marks:
        out.sort(key=lambda m: m.cue[0] if m.cue else 0)
    return out
