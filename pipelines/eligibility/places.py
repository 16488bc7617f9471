"""Finding places in a short piece of text: a location field, a title qualifier, a scope sentence.

`scan_places` matches the longest known phrase at each word (countries, aliases, US states,
provinces, cities, region words, "worldwide" phrases) and resolves what context decides: a
two-letter code after a city is a US state ("Palo Alto, CA") unless it is that city's country
("Berlin, DE"); "Georgia" after a city is the state. Only short spans are scanned, never a whole
description, so the cost stays in microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobsift.pipelines.reference.geo import (
    COUNTRY_CODES,
    LOCATION_FILLER_WORDS,
    PHRASE_FIRST_WORDS,
    PHRASES,
    REGION_MEMBERS,
    REGIONS_EXPANDED_INTO_COUNTRIES,
    US_STATE_CODES,
    WORD,
    WORK_SETTING_WORDS,
    Place,
    fold,
    phrase_key,
)
from jobsift.schemas import Region

# Words that sit between places in location strings without being a place or an unknown name.
_FILLER_WORDS = frozenset(
    word
    for phrase in (
        *LOCATION_FILLER_WORDS,
        *WORK_SETTING_WORDS["remote_words"],
        *WORK_SETTING_WORDS["hybrid_words"],
        *WORK_SETTING_WORDS["onsite_words"],
    )
    for word in phrase_key(phrase).split()
)
# A two-letter code that is also a word in postings, or too rare to trust as a country code.
_UNTRUSTED_CODES = frozenset({"NA"})


@dataclass(slots=True)
class Places:
    """What a span names: countries (ISO alpha-2), regions, US states, worldwide."""

    countries: set[str] = field(default_factory=set)
    regions: set[Region] = field(default_factory=set)
    states: set[str] = field(default_factory=set)
    worldwide: bool = False
    named_city: bool = False  # a city (or "City, ST") was named, not only countries or regions

    def __bool__(self) -> bool:
        return bool(self.countries or self.regions or self.states or self.worldwide)

    def update(self, other: Places) -> None:
        self.countries |= other.countries
        self.regions |= other.regions
        self.states |= other.states
        self.worldwide = self.worldwide or other.worldwide
        self.named_city = self.named_city or other.named_city

    def scoped_countries(self) -> set[str]:
        """Countries plus the members of regions that the README expands (EU -> the 27)."""
        expanded = set(self.countries)
        for region in self.regions & REGIONS_EXPANDED_INTO_COUNTRIES:
            expanded |= REGION_MEMBERS[region]
        return expanded


@dataclass(slots=True)
class _Token:
    text: str
    key: str
    place: tuple[Place, ...] | None = None  # set on the first token of a matched phrase
    covered: bool = False  # inside a matched phrase


def _tokens(text: str) -> list[_Token]:
    return [_Token(word, fold(word)) for word in WORD.findall(text)]


def _match_phrases(tokens: list[_Token]) -> list[tuple[int, int, tuple[Place, ...]]]:
    """Greedy longest phrase match; returns (first token, end token, meanings)."""
    matches: list[tuple[int, int, tuple[Place, ...]]] = []
    i, n = 0, len(tokens)
    while i < n:
        longest = PHRASE_FIRST_WORDS.get(tokens[i].key, 0)
        for size in range(min(longest, n - i), 0, -1):
            window = tokens[i : i + size]
            places = PHRASES.get(" ".join(t.key for t in window))
            if not places:
                continue
            capitals = all(t.text.isupper() for t in window)
            places = tuple(p for p in places if capitals or not p.acronym)
            if places:
                matches.append((i, i + size, places))
                for t in window:
                    t.covered = True
                tokens[i].place = places
                i += size - 1
                break
        i += 1
    return matches


def _neighbour(tokens: list[_Token], index: int) -> str:
    """What the token at `index` is, for deciding codes: "none", "filler", "unknown", a city's
    country as "city:XX", or "place"."""
    if index < 0 or index >= len(tokens):
        return "none"
    token = tokens[index]
    if token.covered:
        start = index
        while start > 0 and tokens[start].place is None:
            start -= 1
        places = tokens[start].place or ()
        city = next((p for p in places if p.kind == "city"), None)
        return f"city:{city.code}" if city else "place"
    if token.key in _FILLER_WORDS or not token.text[:1].isupper():
        return "filler"
    return "unknown"


def _resolve_code(tokens: list[_Token], index: int, into: Places) -> None:
    """A bare two-letter capital code: US state after a US/unknown city, else a country code
    when it stands among other places ("Locations: US, CA, EU")."""
    code = tokens[index].text
    before, after = _neighbour(tokens, index - 1), _neighbour(tokens, index + 1)
    if before == f"city:{code}" and code in COUNTRY_CODES:
        into.countries.add(code)
        return
    after_city_or_name = before in ("unknown", "city:US") or (
        before in ("none", "place", "filler") and after in ("unknown", "city:US")
    )
    if after_city_or_name:
        if code in US_STATE_CODES:
            into.states.add(code)
            into.countries.add("US")
        return
    if before.startswith("city:"):
        return  # "Perth, WA": a code that is neither the city's country nor a US state
    if code in COUNTRY_CODES and code not in _UNTRUSTED_CODES:
        into.countries.add(code)


def scan_places(text: str, codes: bool = False) -> Places:
    """Places named in `text`. With `codes`, bare two-letter capitals count too (location
    fields and "Location:" lines, where "US, CA" are codes rather than words)."""
    found = Places()
    if not text:
        return found
    tokens = _tokens(text)
    matches = _match_phrases(tokens)
    for start, end, places in matches:
        kinds = {p.kind for p in places}
        if "state" in kinds and "country" in kinds:
            # "Atlanta, Georgia" / "Georgia, USA" is the state; "Georgia" alone the country.
            following = tokens[end].place if end < len(tokens) else None
            us_after = any(p.code == "US" for p in following or ())
            if _neighbour(tokens, start - 1) in ("unknown", "city:US") or us_after:
                places = tuple(p for p in places if p.kind == "state")
            else:
                places = tuple(p for p in places if p.kind == "country")
        place = places[0]
        if place.kind in ("country", "city", "province"):
            found.countries.add(place.code)
            found.named_city = found.named_city or place.kind == "city"
        elif place.kind == "state":
            found.states.add(place.code)
            found.countries.add("US")
        elif place.kind == "region":
            found.regions.add(Region(place.code))
        elif place.kind == "world":
            found.worldwide = True
    if codes:
        for index, token in enumerate(tokens):
            if not token.covered and len(token.text) == 2 and token.text.isupper():
                _resolve_code(tokens, index, found)
    return found


def is_location_phrase(text: str) -> bool:
    """Every word is a place, a two-letter code or a filler/setting word ("Fully Remote US",
    "Remote", "Los Angeles, CA"): a title qualifier or header segment that is only a location."""
    tokens = _tokens(text)
    if not tokens:
        return False
    _match_phrases(tokens)
    return all(
        t.covered or t.key in _FILLER_WORDS or (len(t.text) == 2 and t.text.isupper())
        for t in tokens
    )


def starts_with_place(text: str) -> bool:
    """The first word begins a place name or is a capital code ("North America)", "US only")."""
    tokens = _tokens(text)
    if not tokens:
        return False
    if len(tokens[0].text) == 2 and tokens[0].text.isupper():
        return True
    _match_phrases(tokens)
    return tokens[0].covered
