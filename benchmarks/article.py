"""A deterministic news article for the speed benchmarks, built from the project's own sentences.

The speed figures must not depend on a corpus being present, and must be reproducible, so
the article is assembled here: a headline plus a body with quotes, named and anonymous
attributions, hedges and some loaded words, in the proportions of ordinary news copy.
"""

from __future__ import annotations

import random
import re

_WORD = re.compile(r"\w+")

HEADLINES = (
    "Council approves {place} flood plan after shocking storm damage",
    "{name} warns of chaos as {place} transit strike enters second week",
    "Officials say {place} water supply is safe despite alarming test results",
    "{place} hospital waiting times soar to record high, report finds",
)

# Templates: {name}, {role}, {place}, {org}, {num} and {day} are filled from the tables below.
SENTENCES = (
    "The {org} said on {day} that it had approved a budget of {num} million for the work.",
    '"We are doing everything we can to keep residents safe," {name}, the {role}, told reporters.',
    "According to a statement from the {org}, repairs will begin within {num} days.",
    "Residents described the damage as devastating, and several streets remain closed.",
    "A source familiar with the talks, who asked not to be named, said a deal was close.",
    "The plan was reportedly drafted in a hurry after the first storm hit {place}.",
    "Critics called the decision a disaster and accused the council of a shameful delay.",
    '"This is an outrageous waste of public money," said {name}, a local {role}.',
    "Figures published by the {org} show {num} households were affected last month.",
    "Officials in {place} are said to be considering emergency measures.",
    "The {role} posted on social media that the situation was under control.",
    "Independent engineers who inspected the site said the bridge was structurally sound.",
    "Some experts warned that the crisis could spiral out of control without urgent action.",
    "The meeting on {day} lasted more than {num} hours and ended without a vote.",
    "Shops along the high street reported a sharp fall in trade during the closures.",
    '"We were terrified, the water came up so fast," one resident told the {org}.',
    "It is understood that the contract will be reviewed before the end of the year.",
    "{name} denied the claims, calling them misleading and politically motivated.",
    "The {org} has not responded to a request for comment.",
    "Volunteers handed out sandbags and hot meals at the community centre in {place}.",
)

NAMES = ("Maria Lopez", "James Okafor", "Priya Nair", "Tom Becker", "Anna Kowalski")
ROLES = ("mayor", "council spokesperson", "shop owner", "union leader", "city engineer")
PLACES = ("Riverton", "Eastfield", "Northbridge", "Lakeside", "Old Harbour")
ORGS = ("city council", "water authority", "regional health board", "transport agency")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def word_count(text: str) -> int:
    """Words as the scorer counts them: runs of word characters."""
    return len(_WORD.findall(text))


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        name=rng.choice(NAMES),
        role=rng.choice(ROLES),
        place=rng.choice(PLACES),
        org=rng.choice(ORGS),
        day=rng.choice(DAYS),
        num=rng.randint(2, 90),
    )


def make_body(n_words: int, *, seed: int = 0, sentences_per_paragraph: int = 4) -> str:
    """Return a body of at least ``n_words`` words (and under one sentence more).

    Parameters
    ----------
    n_words
        Target length in words (``word_count``); must be positive.
    seed
        The same seed always gives the same text.
    sentences_per_paragraph
        Paragraphs are separated by a newline, as scraped article text is.
    """
    if n_words <= 0:
        raise ValueError(f"n_words must be positive, got {n_words}")
    if sentences_per_paragraph <= 0:
        raise ValueError(f"sentences_per_paragraph must be positive, got {sentences_per_paragraph}")
    rng = random.Random(seed)
    paragraphs: list[str] = []
    current: list[str] = []
    words = 0
    order: list[str] = []
    while words < n_words:
        if not order:  # each template once per round, shuffled, so no sentence dominates
            order = list(SENTENCES)
            rng.shuffle(order)
        sentence = _fill(order.pop(), rng)
        current.append(sentence)
        words += word_count(sentence)
        if len(current) == sentences_per_paragraph:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


def make_headline(*, seed: int = 0) -> str:
    rng = random.Random(seed)
    return _fill(rng.choice(HEADLINES), rng)


def make_article(n_words: int = 600, *, seed: int = 0) -> tuple[str, str]:
    """Return ``(headline, body)``: the benchmark article (about 600 words by default)."""
    return make_headline(seed=seed), make_body(n_words, seed=seed)
