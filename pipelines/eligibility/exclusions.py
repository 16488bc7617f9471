"""Countries a posting names as *not* eligible: "we cannot accept applicants from Russia, Belarus,
Iran ...", "open to all countries except Cuba and North Korea", "sauf la Russie".

They go to `eligibility.excluded_countries` and are removed from `countries` and
`eligible_countries` (an exclusion list is never a list of eligible countries). Each statement is
found from a literal cue (see `eligibility.view`) and read to the end of its list.
"""

from __future__ import annotations

import re

from jobsift.pipelines.eligibility.places import scan_places, starts_with_place
from jobsift.pipelines.eligibility.view import TextView

# "cannot accept / hire / consider (applications|candidates) from|in|based in ...".
_REFUSAL_BEFORE = re.compile(
    r"(?:cannot|can't|can not|unable to|not able to|do not|don't|will not|won't|are not|"
    r"is not|not)\s+(?:currently\s+|yet\s+|legally\s+)?(?:able to\s+)?$"
)
_REFUSED_OBJECT = re.compile(
    r"(?:accept|hir|consider|employ)\w{0,20}\s+"
    r"(?:(?:any\s+)?(?:applications?|applicants?|candidates?|people|talent|contractors?|"
    r"employees|anyone|residents?|individuals?|someone)\s+)?"
    r"(?:who\s+(?:are\s+|live\s+|reside\s+)?)?"
    r"(?:from|in|based in|located in|living in|residing in|residents of|citizens of)\s+"
    r"(?:the following countries\s*:?\s*)?"
)
# "except Cuba", "excluding Russia", "with the exception of", "sauf", "excepto", "außer".
_EXCEPT = re.compile(
    r"(?:except(?:ion\s+(?:of|de|d')|\s+for)?|excluding|other than|apart from|"
    r"sauf|à l'exception de|à l’exception de|excepto|exceto|außer|ausgenommen)\s+"
    r"(?:in\s+|from\s+|en\s+|em\s+|the following countries\s*:?\s*)?"
    r"(?:the\s+|la\s+|le\s+|les\s+|l'|el\s+|los\s+|o\s+|a\s+|die\s+|der\s+)?"
)
# "(not available|not eligible|not open) (to|for|in) (candidates|residents)? (from|in|of)".
_NOT_OPEN = re.compile(
    r"not\s+(?:available|eligible|open)\s+(?:to|for|in)\s+"
    r"(?:(?:applicants?|candidates?|residents?|people|anyone|those)\s+)?"
    r"(?:(?:from|in|of|based in|located in|living in)\s+)?"
)
_SANCTIONED = re.compile(
    r"(?:sanctioned|embargoed|restricted)\s+(?:countries|regions|territories)\s*"
    r"(?:\(|:|such as\s+|including\s+|like\s+)\s*"
)
_REFUSAL_CUES = ("accept", "hir", "consider", "employ")
# Every refusal above holds one of these (a substring test before the pattern search).
_REFUSAL_WORDS = ("not", "n't", "unable")
_EXCEPT_CUES = ("except", "excluding", "other than", "apart from", "sauf", "excepto", "exceto")
# Cues with non-ASCII letters, looked for only in text that has some.
_FOREIGN_EXCEPT_CUES = ("außer", "ausgenommen")


def _countries(view: TextView, position: int) -> set[str]:
    places = scan_places(view.list_span(position), codes=True)
    countries = set(places.countries)
    if places.states:
        countries.discard("US")  # "anywhere in the US except Alaska": states, not a country
    return countries


def excluded_countries(view: TextView) -> set[str]:
    """Countries named after a refusal, "except" or "sanctioned countries" cue."""
    low, found = view.low, set()
    for cue in _REFUSAL_CUES:
        if not view.has(cue):
            continue
        for at in view.hits(cue):
            if not view.word_start(at):
                continue
            before = view.before(at, 40)
            if not any(word in before for word in _REFUSAL_WORDS) or not _REFUSAL_BEFORE.search(
                before
            ):
                continue
            match = _REFUSED_OBJECT.match(low, at)
            if match and starts_with_place(view.span(match.end())):
                found |= _countries(view, match.end())
    for cue in _EXCEPT_CUES if low.isascii() else _EXCEPT_CUES + _FOREIGN_EXCEPT_CUES:
        if not view.has(cue):
            continue
        for at in view.hits(cue):
            match = _EXCEPT.match(low, at) if view.word_start(at) else None
            if match and starts_with_place(view.span(match.end())):
                found |= _countries(view, match.end())
    for cue in ("not available", "not eligible", "not open"):
        if not view.has(cue):
            continue
        for at in view.hits(cue):
            match = _NOT_OPEN.match(low, at)
            if match and starts_with_place(view.span(match.end())):
                found |= _countries(view, match.end())
    for cue in ("sanction", "embargo", "restricted"):
        if not view.has(cue):
            continue
        for at in view.hits(cue):
            if match := _SANCTIONED.match(low, at):
                found |= _countries(view, match.end())
    return found
