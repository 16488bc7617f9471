"""Finding places in a short piece of text: a location field, a title qualifier, a scope sentence.

`scan_places` matches the longest known phrase at each word (countries, aliases, US states,
provinces, cities, region words, "worldwide" phrases) and resolves what context decides: a
two-letter code after a city is a US state ("Palo Alto, CA") unless it is that city's country
("Berlin, DE"), and so is one next to "US" ("US, NC, Remote") or in a list of state codes
("AZ, CO and TX"); "Georgia" after a city is the state. Only short spans are scanned, never a whole
description, so the cost stays in microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jobsift.pipelines.reference.geo import (
    COUNTRY_CODES,
    LOCATION_FILLER_WORDS,
    PLACE_PREPOSITIONS,
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
# US state codes that are no country code (TX, NY): in a list of codes they make it a state list.
_STATE_ONLY_CODES = US_STATE_CODES - COUNTRY_CODES


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

    def add_state(self, code: str) -> None:
        self.states.add(code)
        self.countries.add("US")

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
    return all(t.covered or t.key in _FILLER_WORDS or _is_code(t) for t in tokens[index + 1 :])


def _places_at(tokens: list[_Token], index: int) -> tuple[Place, ...]:
    """Meanings of the phrase covering the token at `index` (none if it is not in a phrase)."""
    if index < 0 or index >= len(tokens) or not tokens[index].covered:
        return ()
    start = index
    while start > 0 and tokens[start].place is None:
        start -= 1
    return tokens[start].place or ()


def _city_codes(tokens: list[_Token], index: int) -> tuple[str, ...]:
    """Countries of the city phrase covering the token at `index` (none if it is not a city)."""
    return tuple(p.code for p in _places_at(tokens, index) if p.kind == "city")


def _is_us(tokens: list[_Token], index: int) -> bool:
    """The token at `index` is part of "US", "USA", "United States"."""
    return any(p.kind == "country" and p.code == "US" for p in _places_at(tokens, index))


def _is_code(token: _Token) -> bool:  # a bare two-letter capital code
    return not token.covered and len(token.text) == 2 and token.text.isupper()


def _state_list_codes(tokens: list[_Token]) -> set[int]:
    """Codes in a run of US state codes ("AZ, CO and TX") holding one that is no country code
    (TX): the whole run is states, not countries (CO is not Colombia there)."""
    found: set[int] = set()
    run: list[int] = []
    for index, token in enumerate([*tokens, None]):
        if token is not None and _is_code(token):
            run.append(index)
        elif token is None or token.covered or token.key not in _FILLER_WORDS:
            texts = {tokens[i].text for i in run}
            if len(run) > 1 and texts <= US_STATE_CODES and texts & _STATE_ONLY_CODES:
                found.update(run)
            run = []
    return found


def _us_state_by_country(tokens: list[_Token], index: int, before: str, after: str) -> bool:
    """A US state code next to "US" in the country-first or state-first order of a location
    field: "US, NC, Remote", "US, CA, Santa Clara", "NC, US", "Remote, CA, USA". A code at the
    end of "US, CA" or among other countries ("US, CA, EU") stays a country."""
    if _is_us(tokens, index - 1):
        return after in ("filler", "word", "unknown") or after.startswith("city:")
    if _is_us(tokens, index + 1):
        return before in ("none", "filler")
    return False


def _resolve_code(tokens: list[_Token], index: int, into: Places) -> None:
    """A bare two-letter capital code: US state after a US/unknown city, else a country code
    when it stands among other places ("Locations: US, CA, EU")."""
    code = tokens[index].text
    before, after = _neighbour(tokens, index - 1), _neighbour(tokens, index + 1)
    city_codes = _city_codes(tokens, index - 1)
    if code in city_codes and code in COUNTRY_CODES:
        into.countries.add(code)  # "Berlin, DE"
        return
    if code in US_STATE_CODES and (
        "US" in city_codes or _us_state_by_country(tokens, index, before, after)
    ):
        into.add_state(code)  # "Birmingham, AL" (the city was already read as the US one)
        return
    after_city_or_name = before in ("unknown", "city:US") or (
        before in ("none", "place", "filler", "word") and after in ("unknown", "city:US")
    )
    if after_city_or_name:
        if code in US_STATE_CODES:
            into.add_state(code)
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
_CONTEXT_CHARS = 60  # the words before a split piece that are read with it
_PIECES = re.compile(r"[,/]")


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
            found.add_state(place.code)
        elif place.kind == "region":
            found.regions.add(Region(place.code))
        elif place.kind == "world":
            found.worldwide = True
    if codes:
        state_list = _state_list_codes(tokens)
        for index, token in enumerate(tokens):
            if index in state_list:
                found.add_state(token.text)
            elif _is_code(token):
                _resolve_code(tokens, index, found)
    return found


def scan_split_piece(before: str, piece: str) -> Places:
    """A piece cut from a title or header segment at a comma or slash, read with the words
    `before` it. A lone two-letter code is a place only in a location context: after a place or
    a filler word ("Engineer, Remote, DE"), a city ("Boston, MA", "Berlin, DE"), a name after
    "in"/"at" ("Operators in Jessup, MD"), or ending a list of US states ("AZ, CO, TX"). After
    other words it is not a country ("(EE, CS, ME, Physics)", "Account Executive, DE")."""
    code = piece.strip()
    if not (len(code) == 2 and code.isupper()):
        return scan_places(piece, codes=True)
    tokens = _tokens(f"{before[-_CONTEXT_CHARS:]}, {code}")
    _match_phrases(tokens)
    index = len(tokens) - 1
    if tokens[index].covered:  # "US", "UK", "EU"
        return scan_places(piece, codes=True)
    found = Places()
    if index in _state_list_codes(tokens):
        found.add_state(code)
    elif _neighbour(tokens, index - 1) != "code" and is_location_phrase(
        _PIECES.split(before.rstrip(", /"))[-1]
    ):
        _resolve_code(tokens, index, found)  # "Boston, MA", "Remote, DE", "Berlin, DE"
    elif code in US_STATE_CODES:
        start = index  # back over the name ("in Santa Clara, CA"), at most three words
        while index - start < 3 and _neighbour(tokens, start - 1) in ("unknown", "city:US"):
            start -= 1
        if 0 < start < index and tokens[start - 1].key in PLACE_PREPOSITIONS:
            found.add_state(code)
    return found


@lru_cache(maxsize=_CACHED_SPANS)
def is_location_phrase(text: str) -> bool:
    """Every word is a place, a two-letter code or a filler/setting word ("Fully Remote US",
    "Remote", "Los Angeles, CA"): a title qualifier or header segment that is only a location."""
    tokens = _tokens(text)
    if not tokens:
        return False
    _match_phrases(tokens)
    return all(t.covered or t.key in _FILLER_WORDS or _is_code(t) for t in tokens)


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
