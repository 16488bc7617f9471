"""Finding places in a short piece of text: a location field, a title qualifier, a scope sentence.

`scan_places` matches the longest known phrase at each word (countries, aliases, US states,
provinces, cities, region words, "worldwide" phrases) and resolves what context decides: a
two-letter code after a city is a US state ("Palo Alto, CA") unless it is that city's country
("Berlin, DE"); "Georgia" after a city is the state. Only short spans are scanned, never a whole
description, so the cost stays in microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from jobsift.pipelines.reference.geo import (
    COUNTRY_CODES,
    LOCATION_FILLER_WORDS,
    REGION_MEMBERS,
    REGIONS_EXPANDED_INTO_COUNTRIES,
    US_STATE_CODES,
    WORD,
    WORK_SETTING_WORDS,
    Place,
    fold,
    phrase_index,
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
    """Greedy longest phrase match; returns (first token, end token, meanings). Acronyms match
    only in capitals ("US", not "us"), cities only capitalised ("Reading", not "reading")."""
    phrases, first_words = phrase_index()
    matches: list[tuple[int, int, tuple[Place, ...]]] = []
    i, n = 0, len(tokens)
    while i < n:
        longest = first_words.get(tokens[i].key, 0)
        for size in range(min(longest, n - i), 0, -1):
            window = tokens[i : i + size]
            places = phrases.get(" ".join(t.key for t in window))
            if not places:
                continue
            capitals = all(t.text.isupper() for t in window)
            capitalised = not window[0].text[:1].islower()
            places = tuple(
                p
                for p in places
                if (capitals or not p.acronym) and (capitalised or p.kind != "city")
            )
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
    if len(token.text) == 2 and token.text.isupper():
        return "code"
    if token.key in _FILLER_WORDS:
        return "filler"
    if not token.text[:1].isupper():
        return "word"
    return "unknown"


def _only_fillers_after(tokens: list[_Token], index: int) -> bool:
    """Every word after `index` is a filler, a place or a code ("US only", "DE or remote")."""
    return all(
        t.covered or t.key in _FILLER_WORDS or (len(t.text) == 2 and t.text.isupper())
        for t in tokens[index + 1 :]
    )


def _city_codes(tokens: list[_Token], index: int) -> tuple[str, ...]:
    """Countries of the city phrase covering the token at `index` (none if it is not a city)."""
    if index < 0 or not tokens[index].covered:
        return ()
    start = index
    while start > 0 and tokens[start].place is None:
        start -= 1
    return tuple(p.code for p in tokens[start].place or () if p.kind == "city")


def _resolve_code(tokens: list[_Token], index: int, into: Places) -> None:
    """A bare two-letter capital code: US state after a US/unknown city, else a country code
    when it stands among other places ("Locations: US, CA, EU")."""
    code = tokens[index].text
    before, after = _neighbour(tokens, index - 1), _neighbour(tokens, index + 1)
    city_codes = _city_codes(tokens, index - 1)
    if code in city_codes and code in COUNTRY_CODES:
        into.countries.add(code)  # "Berlin, DE"
        return
    if "US" in city_codes and code in US_STATE_CODES:
        into.states.add(code)  # "Birmingham, AL" (the city was already read as the US one)
        into.countries.add("US")
        return
    after_city_or_name = before in ("unknown", "city:US") or (
        before in ("none", "place", "filler", "word") and after in ("unknown", "city:US")
    )
    if after_city_or_name:
        if code in US_STATE_CODES:
            into.states.add(code)
            into.countries.add("US")
        return
    if before.startswith("city:"):
        return  # "Perth, WA": a code that is neither the city's country nor a US state
    if code in _UNTRUSTED_CODES or code not in COUNTRY_CODES:
        return
    # A code counts as a country only among places ("US, CA, EU", "US only", "Remote - DE"),
    # never before a word that is not a place ("AI in healthcare", "IT support").
    among_places = after in ("none", "place", "code") or after.startswith("city:")
    if among_places or (after == "filler" and _only_fillers_after(tokens, index)):
        into.countries.add(code)


def _city_in_context(tokens: list[_Token], end: int, places: tuple[Place, ...]) -> Place:
    """A city name shared with a US city is the US one when a US state follows ("Birmingham,
    AL", "Paris, Texas"), unless what follows is the default city's own country code."""
    default = places[0]
    us_city = next((p for p in places if p.kind == "city" and p.code == "US"), None)
    if us_city is None or end >= len(tokens):
        return default
    following = tokens[end]
    if following.text == default.code:
        return default
    phrases = phrase_index()[0]
    if (len(following.text) == 2 and following.text in US_STATE_CODES) or any(
        p.kind == "state" for p in phrases.get(following.key, ())
    ):
        return us_city
    return default


def _other_country_follows(tokens: list[_Token], end: int, code: str) -> bool:
    """The next word starts a country (and not also a city, like "Hong Kong") other than the
    city's: "Córdoba, Spain", "Florianópolis, Santa Catarina, Brazil"."""
    following = tokens[end].place if end < len(tokens) else None
    if not following or any(p.kind == "city" for p in following):
        return False
    countries = {p.code for p in following if p.kind == "country"}
    if not countries or code in countries:
        return False
    after = end + 1
    while after < len(tokens) and tokens[after].covered and tokens[after].place is None:
        after += 1
    # In a list of places ("Paris, Hong Kong, Sydney") the city stands on its own.
    return after >= len(tokens) or tokens[after].place is None


# Short spans repeat across postings ("Remote", "New York, NY"): results are cached, frozen,
# and copied out (callers update the Places they get).
_CACHED_SPANS = 16384
_MAX_CACHED_CHARS = 400


def scan_places(text: str, codes: bool = False) -> Places:
    """Places named in `text`. With `codes`, bare two-letter capitals count too (location
    fields and "Location:" lines, where "US, CA" are codes rather than words)."""
    if not text:
        return Places()
    if len(text) > _MAX_CACHED_CHARS:
        return _scan_places(text, codes)
    countries, regions, states, worldwide, named_city = _scan_frozen(text, codes)
    return Places(set(countries), set(regions), set(states), worldwide, named_city)


@lru_cache(maxsize=_CACHED_SPANS)
def _scan_frozen(
    text: str, codes: bool
) -> tuple[frozenset[str], frozenset[Region], frozenset[str], bool, bool]:
    found = _scan_places(text, codes)
    return (
        frozenset(found.countries),
        frozenset(found.regions),
        frozenset(found.states),
        found.worldwide,
        found.named_city,
    )


def _scan_places(text: str, codes: bool) -> Places:
    found = Places()
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
        if place.kind == "city" and len(places) > 1:
            place = _city_in_context(tokens, end, places)
        if place.kind == "city" and _other_country_follows(tokens, end, place.code):
            continue  # "Florianópolis, Santa Catarina, Brazil": a region named like a city
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


@lru_cache(maxsize=_CACHED_SPANS)
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


@lru_cache(maxsize=_CACHED_SPANS)
def starts_with_place(text: str, fillers: bool = False) -> bool:
    """The first word begins a place name or is a capital code ("North America)", "US only");
    with `fillers`, a filler or setting word also counts ("Remote, USA", "Only in Canada").
    Cheap: only the first word is looked up."""
    match = WORD.search(text)
    if not match:
        return False
    word = match.group()
    if len(word) == 2 and word.isupper():
        return True
    key = fold(word)
    if fillers and key in _FILLER_WORDS:
        return True
    if key not in phrase_index()[1]:
        return False
    tokens = _tokens(text[match.start() : match.start() + 80])
    _match_phrases(tokens)
    return tokens[0].covered
