"""The candidate's time-zone band from explicit UTC offsets.

Gold rule ("timezone"): only explicit offsets for where the candidate is count —
"Remote (UTC+3)" -> 3..3, "USA, CST (UTC-6)" -> -6..-6, "between UTC-8 and UTC-5" -> -8..-5, and
explicit bands such as "UTC±2" or "within ±3 hours of CET". Named zones alone ("Eastern Time
Zone") and working-hours or overlap rules ("8am - 10am PT", "overlap 4 hours with UTC-5") give
no band.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jobsift.pipelines.reference.geo import TIMEZONE_OFFSETS

_SIGN = r"[+\-−–]"
_NUMBER = r"\d{1,2}(?:[:.]\d{2})?"
_ZONE_NAMES = "|".join(
    sorted((re.escape(name) for name in TIMEZONE_OFFSETS if name.isupper()), key=len, reverse=True)
)
# "UTC+3", "GMT -05:00", "UTC−8"; the second group of a range may omit the prefix ("UTC-8 to -5").
_OFFSET = re.compile(rf"\b(?:UTC|GMT)\s?({_SIGN})\s?({_NUMBER})(?!\d)")
_RANGE_TAIL = re.compile(rf"\s*(?:to|and|through|-|–|—|/)\s*({_SIGN})\s?({_NUMBER})(?!\d)")
# "UTC±2", "GMT+1 +/- 3 hours", "CET ± 2h", "within +/- 3 hours of EST".
_PLUS_MINUS = r"(?:±|\+/-|\+-|plus or minus)"
_PLUS_MINUS_MARKS = ("±", "+/-", "+-", "plus or minus")
_BAND = re.compile(
    rf"\b(UTC|GMT|{_ZONE_NAMES})\s?(?:({_SIGN})\s?({_NUMBER}))?\s?{_PLUS_MINUS}\s?(\d{{1,2}})\b"
)
_WITHIN = re.compile(
    rf"\bwithin\s+{_PLUS_MINUS}?\s?(\d{{1,2}})\s*(?:h|hrs?|hours?)\s+(?:of\s+)?"
    rf"(UTC|GMT|{_ZONE_NAMES})(?:\s?({_SIGN})\s?({_NUMBER}))?\b"
)
# A sentence about working hours, meetings or overlap, or about the company's own team.
_NOT_CANDIDATE_ZONE = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s?[ap]\.?m\b|(?<![+\-−–])(?<![+\-−–]\s)\b\d{1,2}:\d{2}\b|overlap|working hours|business hours"
    r"|office hours|available (?:during|between|from)|shifts?\b|meetings?|stand-?ups?"
    r"|our team|team is|we are (?:based|located)|we're (?:based|located)|headquarter",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?;](?=\s|$)|\s\|\s")


def _hours(sign: str, number: str) -> float:
    hours, _, minutes = number.replace(".", ":").partition(":")
    value = int(hours) + (int(minutes) / 60 if minutes else 0)
    return -value if sign in "-−–" else value


def _sentences(text: str) -> Iterable[str]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield text[start : match.end()]
        start = match.end()
    yield text[start:]


def offsets_in(sentence: str) -> list[float]:
    """Every explicit offset a sentence gives for the candidate, ranges and bands spread into
    their two ends; [] for working-hours and overlap sentences."""
    # The offsets are read first, each pattern only when its literal is there (a band needs a
    # plus-minus, "within" its word, an offset UTC or GMT); the sentence test runs only when
    # there is something to discard.
    values: list[float] = []
    if any(mark in sentence for mark in _PLUS_MINUS_MARKS):
        for match in _BAND.finditer(sentence):
            zone, sign, number, spread = match.groups()
            center = _hours(sign, number) if sign else TIMEZONE_OFFSETS.get(zone, 0.0)
            values += [center - int(spread), center + int(spread)]
    if "within" in sentence:
        for match in _WITHIN.finditer(sentence):
            spread, zone, sign, number = match.groups()
            center = _hours(sign, number) if sign else TIMEZONE_OFFSETS.get(zone, 0.0)
            values += [center - int(spread), center + int(spread)]
    if not values and ("UTC" in sentence or "GMT" in sentence):
        for match in _OFFSET.finditer(sentence):
            values.append(_hours(*match.groups()))
            tail = _RANGE_TAIL.match(sentence, match.end())
            if tail:
                values.append(_hours(*tail.groups()))
    if values and _NOT_CANDIDATE_ZONE.search(sentence):
        return []
    return values


def band_from_text(text: str) -> tuple[float, float] | None:
    """The min..max of every candidate offset in `text` (a location, header or description)."""
    if not text or not (
        "UTC" in text or "GMT" in text or "±" in text or "+/-" in text or "hours of" in text
    ):
        return None
    values = [v for sentence in _sentences(text) for v in offsets_in(sentence)]
    return _band(values)


def band_from_offsets(offsets: Iterable[object]) -> tuple[float, float] | None:
    """A source's list of allowed offsets (`timezoneRestrictions` of an aggregator). Values past +12
    next to negative ones wrap around the date line (14 == -10)."""
    values: list[float] = []
    for offset in offsets:
        try:
            values.append(float(str(offset)))
        except ValueError:
            continue
    if any(v < 0 for v in values):
        values = [v - 24 if v > 12 else v for v in values]
    return _band(values)


def _band(values: list[float]) -> tuple[float, float] | None:
    values = [v for v in values if -12 <= v <= 14]
    if not values:
        return None
    return min(values), max(values)
