"""The employer named in a posting's text, and agency posts for an unnamed client.

Used by the classification step: Lever and Ashby postings carry no company field, so the
employer is read where postings name it ("About Coder", "At Nango,", "Homebound is on a
mission", "Outreach, founded in 2014"); the gold labels' "company" rule wants null for an agency
posting for an unnamed client ("Our client is ...").
"""

from __future__ import annotations

import re
from collections import Counter

from jobsift.pipelines.reference import terms

# One to three capitalised words: "Coder", "A.Team", "Point72", "Beyond Cloud Consulting".
_NAME = r"(?P<name>[A-Z][\w.&'’-]*(?:\s[A-Z][\w.&'’-]*){0,2})"
# Case-sensitive on purpose: the name is capitalised and the cues start with literal words,
# which keeps each scan a fast literal search.
_BEFORE = [re.compile(cue.replace("{name}", _NAME, 1)) for cue in terms.EMPLOYER_BEFORE_CUES]
# One pattern per cue: a literal start per pattern scans ~10x faster than their alternation.
_AFTER = [re.compile(cue) for cue in terms.EMPLOYER_AFTER_CUES]
_NAME_BEFORE = re.compile(r"([A-Z][\w.&'’-]*)(?:\s([A-Z][\w.&'’-]*))?\s?$")
_POSSESSIVE = re.compile(r"['’]s$")
_AGENCY = re.compile("|".join(terms.AGENCY_CUES))  # on lower-cased text: IGNORECASE is slow
_LOOK_BACK = 40  # characters before an after-cue searched for the name


def _add(found: Counter[str], name: str) -> None:
    """A cue's name and its shorter leading forms ("About Wealthfront Engineering")."""
    words = _POSSESSIVE.sub("", name).split()
    while words and words[-1].lower() in terms.EMPLOYER_STOPWORDS:
        words.pop()
    if words and words[0].lower() not in terms.EMPLOYER_STOPWORDS:
        for size in range(1, len(words) + 1):
            found[" ".join(words[:size])] += 1


def _names(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for pattern in _BEFORE:
        for match in pattern.finditer(text):
            _add(found, match["name"])
    for pattern in _AFTER:
        for match in pattern.finditer(text):
            start = match.start()
            before = _NAME_BEFORE.search(text, max(0, start - _LOOK_BACK), start)
            if before:
                _add(found, before[2] or before[1])  # the word right before the cue
    return found


def employer_in_text(text: str) -> str | None:
    """The employer the text names, or None: the cue name mentioned most often in the text."""
    if not text:
        return None
    best, best_mentions = None, 0
    for name in _names(text):
        mentions = text.count(name)
        if mentions > best_mentions or (
            mentions == best_mentions and best and len(name) < len(best)
        ):
            best, best_mentions = name, mentions
    return best if best_mentions >= terms.EMPLOYER_MIN_MENTIONS else None


def is_agency_post(text: str) -> bool:
    """An agency or recruiter posting for a client it does not name ("Our client is ...")."""
    opening = text[: terms.AGENCY_OPENING_CHARS]
    return "lient" in opening and _AGENCY.search(opening.lower()) is not None  # (C|c)lient
