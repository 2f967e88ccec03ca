"""What a report is, and how much of the article it keeps.

The article is needed only as far as it makes a report usable for training. By default
(``sentence``) a span report keeps the sentence around the span, a score report the headline,
and both the SHA-256 of the article, never the rest of it; ``none`` keeps only the span's own
words and the hash; ``article`` keeps headline and body.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from sensational.sentences import split_sentences

Verdict = Literal["not_loaded", "missed", "score_too_high", "score_too_low", "source_wrong"]
VERDICTS: tuple[str, ...] = (
    "not_loaded",
    "missed",
    "score_too_high",
    "score_too_low",
    "source_wrong",
)
# A report with one of these verdicts is about a piece of the text, and must say which.
SPAN_VERDICTS = frozenset({"not_loaded", "missed", "source_wrong"})
SCORE_VERDICTS = frozenset({"score_too_high", "score_too_low"})
TextPolicy = Literal["none", "sentence", "article"]
TEXT_POLICIES: tuple[str, ...] = ("none", "sentence", "article")
STATUSES: tuple[str, ...] = ("pending", "accepted", "rejected")
MAX_COMMENT_CHARS = 1_000
# A report is about a word or a phrase, not a paragraph.
MAX_SPAN_CHARS = 300
# Most characters of a sentence kept on either side of a span (a "sentence" without stops).
CONTEXT_CHARS = 400


def article_sha256(headline: str, body: str) -> str:
    """SHA-256 (hex) of the UTF-8 headline, a NUL character and the body, as they were scored."""
    return hashlib.sha256(f"{headline}\0{body}".encode()).hexdigest()


def client_key(secret: str, address: str) -> str:
    """A keyed hash of the client's address: the same reader gets the same key, and without
    the store's secret the address cannot be recovered by trying every IPv4 address."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def context_range(text: str, start: int, end: int, side: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The sentences of ``text`` that ``[start, end)`` overlaps, at most ``side`` characters
    on each side of it (cut at a space), as a range of ``text``."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    # Sentences are looked for in a window of the paragraph: a paragraph may be any length.
    lo, hi = max(lo, start - 4 * side), min(hi, end + 4 * side)
    a, b = start, end
    for s, e in split_sentences(text[lo:hi]):
        if lo + s < end and start < lo + e:
            a, b = min(a, lo + s), max(b, lo + e)
    if a < start - side:
        a = start - side
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b > end + side:
        b = end + side
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    return a, b


def public_url(url: str | None) -> str | None:
    """The page's address without its query and fragment, which may identify the reader."""
    if not url:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@dataclass(frozen=True, slots=True)
class SpanRef:
    """The piece of text a report is about: code-point offsets into ``field`` as scored."""

    field: Literal["headline", "body"]
    start: int
    end: int
    text: str
    category: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class NewReport:
    """A report as it is stored (see :func:`build_report`)."""

    verdict: str
    client: str
    article_sha256: str
    dedupe_key: str
    stored_text: str
    model_version: str | None = None
    url: str | None = None
    comment: str | None = None
    span: SpanRef | None = None
    context: str | None = None
    context_start: int | None = None
    headline: str | None = None
    body: str | None = None


def build_report(
    *,
    verdict: str,
    headline: str,
    body: str,
    span: SpanRef | None,
    client: str,
    policy: str = "sentence",
    model_version: str | None = None,
    url: str | None = None,
    comment: str | None = None,
) -> NewReport:
    """What is stored of a checked report under the text ``policy`` (see the module doc).

    ``span`` must already match its field (``text == field[start:end]``). The dedupe key is
    the same for the same client, article, verdict and span, so a report sent twice is kept
    once.
    """
    if policy not in TEXT_POLICIES:
        raise ValueError(f"unknown text policy {policy!r}; one of {', '.join(TEXT_POLICIES)}")
    digest = article_sha256(headline, body)
    where = (span.field, str(span.start), str(span.end)) if span else ("", "", "")
    dedupe = hashlib.sha256("\x1f".join((client, digest, verdict, *where)).encode()).hexdigest()
    context = context_start = None
    kept_headline = kept_body = None
    if policy == "article":
        kept_headline, kept_body = headline, body
    if span is not None and policy != "none":
        text = headline if span.field == "headline" else body
        a, b = context_range(text, span.start, span.end)
        context, context_start = text[a:b], a
    elif span is None and policy == "sentence" and verdict in SCORE_VERDICTS:
        kept_headline = headline or None
    return NewReport(
        verdict=verdict,
        client=client,
        article_sha256=digest,
        dedupe_key=dedupe,
        stored_text=policy,
        model_version=model_version,
        url=public_url(url) if policy != "none" else None,
        comment=comment or None,
        span=span,
        context=context,
        context_start=context_start,
        headline=kept_headline,
        body=kept_body,
    )
