"""Places: cities from the gazetteer, US state codes after cities, words that are not places,
exclusion lists and long country lists."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from jobsift.pipelines.eligibility.places import scan_places
from jobsift.pipelines.reference import gazetteer, geo
from jobsift.pipelines.reference.gazetteer import build_city_meanings
from jobsift.schemas import Posting

from tests.support.eligibility import run, run_text

# --- the gazetteer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "country"),
    [
        ("San Francisco", "US"),
        ("Buenos Aires", "AR"),
        ("Espoo", "FI"),
        ("Shrewsbury", "GB"),
        ("Campinas", "BR"),
        ("Hanoi", "VN"),
        ("Bochum", "DE"),
        ("München", "DE"),
        ("Lisboa", "PT"),
        ("Wien", "AT"),
        ("香港", "HK"),
        ("London", "GB"),
        ("Reading", None),  # a word first: not read as a city
        ("Xyzzyville", None),
    ],
)
def test_cities_come_from_the_gazetteer(city: str, country: str | None) -> None:
    assert geo.city_country(city) == country


def _city(name: str, country: str, population: int, alternates: tuple[str, ...] = ()) -> dict:
    return {
        "name": name,
        "countrycode": country,
        "population": population,
        "alternatenames": list(alternates),
    }


@pytest.mark.parametrize(
    ("cities", "name", "meanings"),
    [
        # One country, or one clearly larger city: that country.
        ([_city("Espoo", "FI", 300_000)], "espoo", ("FI",)),
        ([_city("Lima", "PE", 9_000_000), _city("Lima", "US", 60_000)], "lima", ("PE", "US")),
        # Comparable cities in two countries: ambiguous, left out.
        ([_city("Cordova", "ES", 300_000), _city("Cordova", "AR", 200_000)], "cordova", None),
        # Too small, too short, an ordinary word, a country name: left out.
        ([_city("Smallville", "US", 20_000)], "smallville", None),
        ([_city("Ota", "JP", 700_000)], "ota", None),
        ([_city("Mobile", "US", 190_000)], "mobile", None),
        ([_city("Panama", "PA", 900_000)], "panama", None),
        # Local names of a large city, not its airport codes.
        ([_city("Munich", "DE", 1_500_000, ("München", "MUC", "Xyzburg"))], "munchen", ("DE",)),
        ([_city("Munich", "DE", 1_500_000, ("München", "MUC", "Xyzburg"))], "xyzburg", None),
    ],
)
def test_city_meanings_population_and_ambiguity_rules(
    cities: list[dict], name: str, meanings: tuple[str, ...] | None
) -> None:
    settings = {
        "min_population": 50_000,
        "alternate_min_population": 1_000_000,
        "dominance": 3.0,
        "not_places": ["Mobile"],
    }
    built = build_city_meanings(cities, geo.phrase_key, settings, frozenset({"panama"}))
    assert built.get(name) == meanings


def test_the_compact_map_is_cached_between_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[int] = []

    def cities() -> list[dict]:
        loads.append(1)
        return [_city("Espoo", "FI", 300_000)]

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(gazetteer, "_geonames_cities", cities)
    settings = {"min_population": 50_000}
    first = gazetteer.city_meanings(geo.phrase_key, settings, frozenset())
    second = gazetteer.city_meanings(geo.phrase_key, settings, frozenset())
    assert first == second == {"espoo": ("FI",)}
    assert loads == [1]
    assert list((tmp_path / "jobsift").glob("cities-*.json"))


# --- state codes after a US city ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "state"),
    [
        ("San Francisco, CA", "CA"),  # not Canada
        ("Boston, MA", "MA"),  # not Morocco
        ("Boulder, CO", "CO"),  # not Colombia
        ("St Paul, MN", "MN"),  # not Mongolia
        ("Arlington, VA", "VA"),  # not the Vatican
        ("Huntsville, AL", "AL"),  # not Albania
        ("Birmingham, AL", "AL"),  # also a city in GB: the state decides
        ("Paris, TX", "TX"),
    ],
)
def test_a_state_code_after_a_us_city_is_the_state(location: str, state: str) -> None:
    places = scan_places(location, codes=True)
    assert places.countries == {"US"}
    assert places.states == {state}


@pytest.mark.parametrize(
    ("location", "countries"),
    [
        ("Berlin, DE", {"DE"}),  # the city's own country code
        ("Paris, FR", {"FR"}),
        ("Birmingham", {"GB"}),
        ("Campinas - SP", {"BR"}),  # SP is a Brazilian state, not a US one
        ("Locations: US, CA, EU", {"US", "CA"}),
        ("US only", {"US"}),
        ("Remote - DE", {"DE"}),
    ],
)
def test_codes_among_places(location: str, countries: set[str]) -> None:
    assert scan_places(location, codes=True).countries == countries


def test_a_header_city_with_a_state_code_is_one_place() -> None:
    result = run_text("Acme | Engineer | San Francisco, CA | Full-time\n\nWe build things.")
    assert result.countries == ["US"]
    assert result.us_states == []  # an office city is not an allowed-state list


# --- state codes next to "US" and in lists of state codes ---------------------------------------


@pytest.mark.parametrize(
    ("location", "states"),
    [
        ("US, NC, Remote", {"NC"}),  # Workday's country-first form: not New Caledonia
        ("US, CA, Santa Clara", {"CA"}),
        ("US, TX, Austin", {"TX"}),
        ("US, VA, Reston | US, WA, Remote", {"VA", "WA"}),
        ("NC, US", {"NC"}),
        ("Remote, CA, USA", {"CA"}),
        ("United States, MD, Remote", {"MD"}),
        ("AZ, CO and TX", {"AZ", "CO", "TX"}),  # TX makes it a state list: CO is not Colombia
        ("Open to residents of AZ, CO and TX.", {"AZ", "CO", "TX"}),
        ("Locations: NY or NJ", {"NJ", "NY"}),
    ],
)
def test_a_state_code_next_to_us_or_other_states_is_a_state(
    location: str, states: set[str]
) -> None:
    places = scan_places(location, codes=True)
    assert (places.countries, places.states) == ({"US"}, states)


@pytest.mark.parametrize(
    ("location", "countries"),
    [
        ("Remote (US, CA)", {"US", "CA"}),  # two countries
        ("US, CA, EU", {"US", "CA"}),
        ("DE, AT, CH", {"DE", "AT", "CH"}),  # no US state code: countries
        ("AZ, CO", {"AZ", "CO"}),  # every code also a country, none only a state
        ("Perth, WA, AU", {"AU"}),  # WA after an Australian city is not Washington
    ],
)
def test_codes_that_stay_countries(location: str, countries: set[str]) -> None:
    places = scan_places(location, codes=True)
    assert (places.countries, places.states) == (countries, set())


@pytest.mark.parametrize(
    ("title", "countries"),
    [
        ("Reach truck Operators in Jessup, MD", ["US"]),  # a name after "in": not Moldova
        ("Engineer in Santa Clara, CA", ["US"]),
        ("Sales Rep, Boston, MA", ["US"]),  # not Morocco
        ("Analyst - Atlanta, GA", ["US"]),  # not Gabon
        ("Engineer, Berlin, DE", ["DE"]),
        ("Engineer, Remote, DE", ["DE"]),
        ("Engineer, US", ["US"]),
        # Codes among words that are no place: engineering disciplines, not Estonia/Montenegro.
        ("Associate - Patent Litigation (EE, CS, ME, Physics, Material Science) #2179", []),
        ("Account Executive, DE", []),
        ("Remote within AZ, CO, TX", ["US"]),  # the state list, not Colombia
    ],
)
def test_codes_split_off_a_title_are_read_in_their_context(
    title: str, countries: list[str]
) -> None:
    result = run("", title=title)
    assert (result.countries, result.us_states) == (countries, [])


def test_an_allowed_state_list_names_no_other_country() -> None:
    result = run("Location: Remote. Open to residents of AZ, CO and TX.")
    assert (result.countries, result.us_states) == (["US"], ["AZ", "CO", "TX"])


def test_a_country_first_location_field_gives_no_allowed_states() -> None:
    result = run("", location="US, NC, Durham | US, NC, Remote | US, CA, Remote")
    assert (result.countries, result.us_states) == (["US"], [])


# --- words that are not places -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "AI in healthcare",
        "IT support and operations",
        "IN person interviews",
        "ME and my team",
        "OR tools",
        "reading and writing",
        "Part-Time",
    ],
)
def test_words_that_are_not_places(text: str) -> None:
    assert not scan_places(text, codes=True)


def test_a_region_before_only_may_be_a_territory() -> None:
    result = run("Account Executive for DACH only.")
    assert (result.countries, result.regions) == ([], [])


def test_ai_in_a_location_label_is_not_anguilla() -> None:
    result = run_text("Location: Remote\nFocus: AI in healthcare")
    assert result.countries == []


# --- exclusion lists ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "excluded", "countries"),
    [
        (
            "Remote. We cannot accept applicants from Russia, Belarus, Iran or North Korea.",
            ["BY", "IR", "KP", "RU"],
            [],
        ),
        (
            "Open to candidates in Europe except Russia and Belarus.",
            ["BY", "RU"],
            [],
        ),
        (
            "We hire anywhere, with the exception of Cuba and Syria.",
            ["CU", "SY"],
            [],
        ),
        (
            "We are unable to hire in sanctioned countries (Iran, Cuba, Syria).",
            ["CU", "IR", "SY"],
            [],
        ),
        (
            "Must be based in Canada or Mexico. We do not accept applications from Brazil.",
            ["BR"],
            ["CA", "MX"],
        ),
        (
            "Poste ouvert en France et en Belgique, sauf la Suisse.",
            ["CH"],
            [],
        ),
    ],
)
def test_exclusion_lists_are_never_eligible_countries(
    description: str, excluded: list[str], countries: list[str]
) -> None:
    result = run(description)
    assert result.excluded_countries == excluded
    assert result.countries == countries
    assert not set(excluded) & set(result.eligible_countries)


def test_states_after_except_are_not_an_excluded_country() -> None:
    result = run("Remote anywhere in the US except Alaska and Hawaii.")
    assert result.excluded_countries == []


def test_excluded_countries_is_a_posting_field() -> None:
    assert "excluded_countries" in Posting.model_fields["eligibility"].annotation.model_fields


# --- long lists --------------------------------------------------------------------------------

_LONG_LIST = [c for c in pycountry.countries if "," not in c.name and "(" not in c.name][:57]


def test_a_57_country_list_is_read_to_the_end() -> None:
    names = [country.name for country in _LONG_LIST]
    text = f"We accept applicants from {', '.join(names[:-1])} and {names[-1]}."
    result = run(text + " Our customers are in Japan.")
    assert set(result.countries) == {country.alpha_2 for country in _LONG_LIST}


def test_a_long_sentence_is_not_read_past_its_list() -> None:
    text = (
        "You must be based in Germany, Austria, Switzerland, France, Spain, Italy, Portugal, "
        "Poland, Ireland, the Netherlands, Belgium or Denmark, and you will work closely with "
        "our enterprise customers across Japan, Brazil and Australia every day."
    )
    countries = set(run(text).countries)
    assert {"DE", "DK", "NL"} <= countries
    assert not {"JP", "BR", "AU"} & countries


# --- cities in text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Location: Espoo, Finland", ["FI"]),
        ("## Location\n\n- Hanoi, Vietnam\n- Hybrid 2 days in office", ["VN"]),
        ("Consultant\n\nShrewsbury\n\nFull time", ["GB"]),
        ("Director of Engineering\n\nUSA or Canada only.", ["CA", "US"]),
        ("Maine Office: Portland", ["US"]),
        ("Our team works from our main offices in Amsterdam.", ["NL"]),
        ("Du darfst gerne von unseren Standorten in Hamburg oder Bochum aus arbeiten.", ["DE"]),
        ("Vagas para trabalhar em Winnipeg e Calgary no Canadá.", ["CA"]),
        ("Nur für Menschen mit Wohnsitz in Deutschland.", ["DE"]),
        ("[Campinas] Back-End Developer", ["BR"]),
        ("工作地点：香港/远程", ["HK"]),
    ],
)
def test_places_in_text_only_postings(text: str, countries: list[str]) -> None:
    assert run_text(text).countries == countries


@pytest.mark.parametrize(
    "text",
    [
        "Headquarters: Austin, TX",
        "Founded in 2008, our home office is based in Edinburgh.",
        "We sell to customers in Germany and France.",
    ],
)
def test_headquarters_and_customers_are_not_places(text: str) -> None:
    assert run_text(text).countries == []
