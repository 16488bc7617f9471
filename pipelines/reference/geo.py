"""Geography reference: countries, US states, regions, cities, time zones and source conventions.

Everything is built once (from pycountry, the GeoNames gazetteer and `geo.toml`; the cities on
first use) into plain dicts, so lookups in the hot path are dict hits. Names are matched as *phrase keys*: words lower-cased, accents folded,
punctuation dropped ("U.S." -> "u s", "Côte d'Ivoire" -> "cote d ivoire").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pycountry
from jobsift.pipelines.reference import gazetteer, sources
from jobsift.schemas import Region

_DATA: dict[str, Any] = tomllib.loads(Path(__file__).with_name("geo.toml").read_text("utf-8"))

WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """One word, lower-cased with accents removed ("München" -> "munchen")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ł", "l")


def phrase_key(text: str) -> str:
    return " ".join(fold(word) for word in WORD.findall(text))


def _is_acronym(spelling: str) -> bool:
    """Written in capitals and short ("USA", "U.S.", "EMEA"): only capitals may match it."""
    letters = [ch for ch in spelling if ch.isalpha()]
    return 0 < len(letters) <= 4 and all(ch.isupper() for ch in letters)


@dataclass(frozen=True, slots=True)
class Place:
    """One meaning of a phrase: kind is country | state | province | city | region | world."""

    kind: str
    code: str  # ISO alpha-2 (country, city's country), USPS (state), Region value, "" (world)
    acronym: bool = False  # match only when written in capitals


# --- Countries ---------------------------------------------------------------------------------

COUNTRY_CODES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
COUNTRY_BY_NAME: dict[str, str] = {}
for _country in pycountry.countries:
    for _attr in ("name", "official_name", "common_name"):
        _name = getattr(_country, _attr, None)
        if _name:
            COUNTRY_BY_NAME[phrase_key(_name)] = _country.alpha_2
_ACRONYM_COUNTRY_NAMES: set[str] = set()
for _alias, _code in _DATA["country_aliases"].items():
    COUNTRY_BY_NAME[phrase_key(_alias)] = _code
    if _is_acronym(_alias):
        _ACRONYM_COUNTRY_NAMES.add(phrase_key(_alias))
DEMONYMS: dict[str, str] = {phrase_key(k): v for k, v in _DATA["demonyms"].items()}

# --- US states and other first-level subdivisions ---------------------------------------------

US_STATE_BY_NAME: dict[str, str] = {}
for _sub in pycountry.subdivisions.get(country_code="US"):
    if _sub.type in ("State", "District"):
        US_STATE_BY_NAME[phrase_key(_sub.name)] = _sub.code.removeprefix("US-")
US_STATE_CODES: frozenset[str] = frozenset(US_STATE_BY_NAME.values())
# Provinces of countries whose postings often write "City, Province" (Toronto, Ontario).
_PROVINCE_COUNTRY: dict[str, str] = {
    phrase_key(sub.name): country
    for country in ("CA", "AU")
    for sub in pycountry.subdivisions.get(country_code=country)
    if sub.name != "Victoria"  # also a city in Canada and a common name
}

# --- Regions -----------------------------------------------------------------------------------

REGION_BY_WORD: dict[str, Region] = {
    phrase_key(word): Region(code) for word, code in _DATA["region_words"].items()
}
_ACRONYM_REGION_WORDS = {phrase_key(w) for w in _DATA["region_words"] if _is_acronym(w)}
_UNSCANNED_REGION_WORDS = {phrase_key(w) for w in _DATA["regions"]["not_scanned"]}


def _members(code: str) -> frozenset[str]:
    members: set[str] = set()
    for entry in _DATA["region_members"][code]:
        members |= _members(entry[1:]) if entry.startswith("@") else {entry}
    return frozenset(members)


REGION_MEMBERS: dict[Region, frozenset[str]] = {
    Region(code): _members(code) for code in _DATA["region_members"]
}
REGIONS_EXPANDED_INTO_COUNTRIES: frozenset[Region] = frozenset(
    Region(code) for code in _DATA["regions"]["expanded_into_countries"]
)
WORLD_PHRASES: frozenset[str] = frozenset(phrase_key(p) for p in _DATA["regions"]["world_phrases"])
LOCATION_FILLER_WORDS: tuple[str, ...] = tuple(_DATA["regions"]["location_filler_words"])
PLACE_PREPOSITIONS: frozenset[str] = frozenset(_DATA["regions"]["place_prepositions"])
# Qualifiers a labeller drops from a region word ("European timezones", "DACH Region").
_REGION_QUALIFIERS = frozenset(
    {"timezone", "timezones", "time", "zone", "zones", "region", "regions", "only", "based"}
)

# --- Time zones --------------------------------------------------------------------------------

TIMEZONE_OFFSETS: dict[str, float] = {
    (name if name.isupper() else phrase_key(name)): float(offset)
    for name, offset in _DATA["timezone_offsets"].items()
}

# --- Phrase index for scanning text ------------------------------------------------------------

# Nicknames and districts the gazetteer does not carry as cities ("NYC", "Bay Area").
_CITY_ALIASES: dict[str, str] = {
    phrase_key(city): country
    for country, cities in _DATA["city_aliases"].items()
    for city in cities
}


def _reserved_keys() -> frozenset[str]:
    """Keys that are a country, state, province, region or world phrase: never a city."""
    return frozenset(
        {*COUNTRY_BY_NAME, *US_STATE_BY_NAME, *_PROVINCE_COUNTRY, *REGION_BY_WORD, *WORLD_PHRASES}
    )


@cache
def city_meanings() -> dict[str, tuple[str, ...]]:
    """City phrase key -> country codes (default first), from the gazetteer plus the aliases."""
    meanings = gazetteer.city_meanings(phrase_key, _DATA["gazetteer"], _reserved_keys())
    meanings.update({key: (code,) for key, code in _CITY_ALIASES.items()})
    return meanings


def _build_phrase_index() -> dict[str, tuple[Place, ...]]:
    index: dict[str, list[Place]] = {}

    def add(key: str, place: Place) -> None:
        if key and place not in index.setdefault(key, []):
            index[key].append(place)

    # Order matters: the first meaning is the default when context does not decide.
    for key, codes in city_meanings().items():
        for code in codes:
            add(key, Place("city", code))
    for key, code in COUNTRY_BY_NAME.items():
        add(key, Place("country", code, key in _ACRONYM_COUNTRY_NAMES))
    for key, code in US_STATE_BY_NAME.items():
        add(key, Place("state", code))
    for key, code in _PROVINCE_COUNTRY.items():
        add(key, Place("province", code))
    for key, region in REGION_BY_WORD.items():
        if key not in _UNSCANNED_REGION_WORDS:
            add(key, Place("region", region.value, key in _ACRONYM_REGION_WORDS))
    for key in WORLD_PHRASES:
        add(key, Place("world", ""))
    return {key: tuple(places) for key, places in index.items()}


@cache
def phrase_index() -> tuple[dict[str, tuple[Place, ...]], dict[str, int]]:
    """Every place phrase with its meanings, and first word -> most words of a phrase starting
    with it. Built on first use (the gazetteer load), then shared."""
    phrases = _build_phrase_index()
    first_words: dict[str, int] = {}
    for key in phrases:
        first, size = key.split(" ", 1)[0], key.count(" ") + 1
        first_words[first] = max(size, first_words.get(first, 0))
    return phrases, first_words


def __getattr__(name: str) -> Any:
    # `geo.PHRASES` for readers that look phrases up directly (built lazily, see phrase_index).
    if name == "PHRASES":
        return phrase_index()[0]
    raise AttributeError(name)


WORK_SETTING_WORDS: dict[str, tuple[str, ...]] = {
    name: tuple(words) for name, words in _DATA["work_setting"].items()
}
TEXT_LABEL_WORDS: dict[str, tuple[str, ...]] = {
    name: tuple(words) for name, words in _DATA["text_labels"].items()
}
TEXT_LABELS: dict[str, frozenset[str]] = {
    name: frozenset(phrase_key(word) or word for word in words)
    for name, words in _DATA["text_labels"].items()
}
WORK_SETTING_PHRASES: dict[str, tuple[str, ...]] = {
    name: tuple(words) for name, words in _DATA["work_setting_phrases"].items()
}

# --- Sources -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """What a source's fields mean for eligibility (`[<source>.eligibility]` in sources.toml)."""

    eligibility: bool = False
    empty_means_worldwide: bool = False
    eligibility_values: frozenset[str] = frozenset()  # phrase keys; empty = every part counts
    header_line: bool = False
    timezone_offsets_extra: str | None = None
    # The source's own values of its remote field (casefolded) -> "remote", "hybrid", "onsite",
    # or "" for a value that says nothing; read before the common flag values.
    remote_values: dict[str, str] = field(default_factory=dict)


_DEFAULT_PROFILE = SourceProfile()
_SETTING_NAMES = ("remote", "hybrid", "onsite", "")


def _remote_values(source: str | None, spec: dict[str, Any]) -> dict[str, str]:
    values = {str(k).strip().casefold(): str(v) for k, v in spec.get("remote_values", {}).items()}
    wrong = sorted(v for v in values.values() if v not in _SETTING_NAMES)
    if wrong:
        raise ValueError(f"sources.toml [{source}.eligibility] remote_values: unknown {wrong}")
    return values


@cache
def source_profile(source: str | None) -> SourceProfile:
    spec = sources.conventions((source or "").casefold()).get("eligibility", {})
    if not spec:
        return _DEFAULT_PROFILE
    return SourceProfile(
        eligibility=bool(spec.get("location_is_eligibility", False)),
        empty_means_worldwide=bool(spec.get("empty_location_means_worldwide", False)),
        eligibility_values=frozenset(phrase_key(v) for v in spec.get("eligibility_values", ())),
        header_line=bool(spec.get("header_line", False)),
        timezone_offsets_extra=spec.get("timezone_offsets_extra"),
        remote_values=_remote_values(source, spec),
    )


# --- Lookups -----------------------------------------------------------------------------------


def country_code(name: str) -> str | None:
    """ISO alpha-2 of a country name, alias or code ("Deutschland" -> "DE", "U.S." -> "US")."""
    stripped = name.strip()
    if len(stripped) == 2 and stripped.isupper() and stripped in COUNTRY_CODES:
        return stripped
    return COUNTRY_BY_NAME.get(phrase_key(stripped))


def state_code(name: str) -> str | None:
    """USPS code of a US state name or code ("Texas" -> "TX", "DC" -> "DC")."""
    stripped = name.strip()
    if stripped.upper() in US_STATE_CODES and len(stripped) == 2:
        return stripped.upper()
    return US_STATE_BY_NAME.get(phrase_key(stripped))


def city_country(name: str) -> str | None:
    """Country of a city name ("Espoo" -> "FI"); None for unknown or ambiguous names."""
    codes = city_meanings().get(phrase_key(name))
    return codes[0] if codes else None


def region_code(word: str) -> Region | None:
    """Region code of a region word as a labeller writes it ("LATIN AMERICA", "(AMER)",
    "European timezones", "DACH Region"); None for words outside the vocabulary."""
    words = phrase_key(word.replace("&", " and ")).split()
    if " ".join(words) in REGION_BY_WORD:
        return REGION_BY_WORD[" ".join(words)]
    while words and words[-1] in _REGION_QUALIFIERS:
        words.pop()
    while words and words[0] in _REGION_QUALIFIERS:
        words.pop(0)
    return REGION_BY_WORD.get(" ".join(words))


def region_members(region: Region | str) -> frozenset[str]:
    return REGION_MEMBERS.get(Region(region), frozenset())


def timezone_offset(name: str) -> float | None:
    """UTC offset (hours) of a zone abbreviation or name ("CET" -> 1, "Pacific Time" -> -8)."""
    stripped = name.strip()
    if stripped.isupper():
        return TIMEZONE_OFFSETS.get(stripped)
    return TIMEZONE_OFFSETS.get(phrase_key(stripped))
