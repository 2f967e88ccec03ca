"""The criteria of ``docs/criteria.md``: their codes, and the span categories that evidence them.

Answers name criteria by these codes (``criteria``) and describe them in these words
(``reasons``); the reference set's grades list them too.
"""

from __future__ import annotations

CRITERIA: dict[str, str] = {
    "loaded": "Loaded, emotive or fear wording",
    "name_calling": "Name-calling and ridicule",
    "exaggeration": "Exaggeration, superlatives and intensifiers",
    "shouting": "Shouted emphasis",
    "label_prefix": "A hype label in front of the headline",
    "curiosity_gap": "Direct address and curiosity gaps",
    "speculation": "Speculative hype presented as news",
    "overstated_headline": "A headline that claims more than its body supports",
    "thin_sourcing": "The key claim rests on thin or hedged sourcing",
}

# Framing span categories and the criterion each is evidence of.
CATEGORY_CRITERION: dict[str, str] = {
    "fear": "loaded",
    "conflict": "loaded",
    "outrage": "loaded",
    "plight": "loaded",
    "loaded": "loaded",
    "name_calling": "name_calling",
    "hyperbole": "exaggeration",
    "clickbait": "curiosity_gap",
    "speculation": "speculation",
    "shouting": "shouting",
}

# Words that, written before a colon or bar at the start of a headline, label it as hype
# ("WATCH:", "REVEALED |"). Section names a site puts on every story ("Politics:",
# "Analysis:") are not among them.
HYPE_LABELS = frozenset(
    """watch watched revealed revealing shock shocking exclusive breaking pictured pics photos
    video horror terror fury outrage chaos revealed exposed caught leaked bombshell insane
    incredible amazing unbelievable wow omg must-see viral""".split()
)
