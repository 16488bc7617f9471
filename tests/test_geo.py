"""Geography: the reference (names, aliases, regions), places in location strings and title
qualifiers, and time-zone bands."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jobsift.pipelines.eligibility.places import scan_places
from jobsift.pipelines.eligibility.step import qualifier_evidence
from jobsift.pipelines.eligibility.timezones import band_from_offsets, band_from_text
from jobsift.pipelines.reference import geo
from jobsift.schemas import Region

from tests.test_eligibility import EU27, run


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("USA", "US"),
        ("U.S.", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("South Korea", "KR"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Hong Kong", "HK"),
        ("Taiwan", "TW"),
        ("Czechia", "CZ"),
        ("DE", "DE"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_country_code(name: str, code: str | None) -> None:
    assert geo.country_code(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Texas", "TX"),
        ("new york", "NY"),
        ("District of Columbia", "DC"),
        ("CA", "CA"),
        ("Ontario", None),
        ("Bavaria", None),
    ],
)
def test_state_code(name: str, code: str | None) -> None:
    assert geo.state_code(name) == code


@pytest.mark.parametrize(
    ("city", "country"),
    [
        ("Toronto", "CA"),
        ("Munich", "DE"),
        ("München", "DE"),
        ("Sao Paulo", "BR"),
        ("Dubai", "AE"),
        ("Palo Alto", "US"),
        ("Gotham", None),
    ],
)
def test_city_country(city: str, country: str | None) -> None:
    assert geo.city_country(city) == country


# Every word of the README "Regions" table, plus the qualified forms labellers keep.
REGION_WORDS = {
    Region.NORTH_AMERICA: ["NORTH AMERICA", "NORTHERN AMERICA", "NORAM", "NA"],
    Region.LATAM: [
        "LATAM",
        "LATIN AMERICA",
        "SOUTH AMERICA",
        "CENTRAL AMERICA",
        "CENTRAL AND SOUTH AMERICA",
        "LAC",
    ],
    Region.AMERICAS: ["AMERICAS", "THE AMERICAS", "AMER", "(AMER)"],
    Region.EUROPE: ["EUROPE", "EUROPEAN", "European timezones", "European Region"],
    Region.EU: ["EU", "EUROPEAN UNION"],
    Region.EEA: ["EEA", "EUROPEAN ECONOMIC AREA"],
    Region.EMEA: ["EMEA"],
    Region.APAC: ["APAC", "ASIA PACIFIC", "ASIA-PACIFIC", "APJ"],
    Region.ASIA: ["ASIA", "SOUTHEAST ASIA", "SOUTH ASIA", "EAST ASIA"],
    Region.AFRICA: ["AFRICA", "SUB-SAHARAN AFRICA"],
    Region.MIDDLE_EAST: ["MIDDLE EAST", "MENA", "GCC"],
    Region.OCEANIA: ["OCEANIA", "ANZ", "AUSTRALASIA"],
    Region.DACH: ["DACH", "DACH Region"],
    Region.NORDICS: ["NORDICS", "NORDIC", "NORDIC COUNTRIES", "SCANDINAVIA"],
    Region.CEE: [
        "CEE",
        "CENTRAL AND EASTERN EUROPE",
        "CENTRAL & EASTERN EUROPE",
        "EASTERN EUROPE",
        "CENTRAL EUROPE",
    ],
}


@pytest.mark.parametrize(
    ("word", "region"), [(w, r) for r, words in REGION_WORDS.items() for w in words]
)
def test_region_code_maps_the_vocabulary(word: str, region: Region) -> None:
    assert geo.region_code(word) == region


@pytest.mark.parametrize("word", ["Worldwide", "Anywhere", "East coast", "UK", "UK & Ireland", ""])
def test_words_outside_the_vocabulary_have_no_region(word: str) -> None:
    assert geo.region_code(word) is None


def test_every_region_has_valid_members() -> None:
    assert set(geo.REGION_MEMBERS) == set(Region)
    for region, members in geo.REGION_MEMBERS.items():
        assert members, region
        assert members <= geo.COUNTRY_CODES, region


@pytest.mark.parametrize(
    ("inner", "outer"),
    [
        (Region.EU, Region.EEA),
        (Region.EEA, Region.EUROPE),
        (Region.EUROPE, Region.EMEA),
        (Region.DACH, Region.EUROPE),
        (Region.NORDICS, Region.EUROPE),
        (Region.CEE, Region.EUROPE),
        (Region.MIDDLE_EAST, Region.EMEA),
        (Region.AFRICA, Region.EMEA),
        (Region.NORTH_AMERICA, Region.AMERICAS),
        (Region.LATAM, Region.AMERICAS),
    ],
)
def test_region_containment_of_the_readme(inner: Region, outer: Region) -> None:
    assert geo.region_members(inner) <= geo.region_members(outer)


def test_eu_has_the_27_members_the_readme_lists() -> None:
    listed = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
    assert geo.region_members(Region.EU) == frozenset(listed.split())
    assert geo.region_members(Region.EEA) - geo.region_members(Region.EU) == {"IS", "LI", "NO"}


@pytest.mark.parametrize(
    ("zone", "offset"),
    [
        ("CET", 1),
        ("PT", -8),
        ("EST", -5),
        ("IST", 5.5),
        ("Pacific Time", -8),
        ("Central European Time", 1),
        ("XYZ", None),
        ("cet", None),
    ],
)
def test_timezone_offset(zone: str, offset: float | None) -> None:
    assert geo.timezone_offset(zone) == offset


def test_source_profiles_follow_the_documented_meaning_of_location() -> None:
    assert geo.source_profile("remotive").eligibility
    assert geo.source_profile("Jobicy").eligibility
    assert geo.source_profile("himalayas").empty_means_worldwide
    assert "usa only" in geo.source_profile("weworkremotely").eligibility_values
    assert geo.source_profile("hackernews").header_line
    assert geo.source_profile("greenhouse") == geo.SourceProfile()
    assert geo.source_profile(None) == geo.SourceProfile()


# --- places in location strings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "countries", "regions"),
    [
        ("Palo Alto, CA (Open to US-based Remote)", {"US"}, set()),
        ("US, CA, Santa Clara", {"US"}, set()),
        ("Canada,  USA", {"CA", "US"}, set()),  # Jobicy's double-spaced jobGeo
        ("LATAM,  Canada,  USA", {"CA", "US"}, {"LATAM"}),
        ("Berlin, DE", {"DE"}, set()),
        ("Perth, WA", {"AU"}, set()),
        ("Atlanta, Georgia", {"US"}, set()),
        ("Georgia", {"GE"}, set()),
        ("Sandy, UT, United States", {"US"}, set()),
        ("São Paulo, State of São Paulo, Brazil", {"BR"}, set()),
        ("45 Boulevard Haussmann, 75009 Paris, France", {"FR"}, set()),
        (
            "Dubai, London, Paris, Hong Kong, Sydney, Toronto",
            {"AE", "GB", "FR", "HK", "AU", "CA"},
            set(),
        ),
        (
            "Northern America, Europe, UK, France, European timezones",
            {"GB", "FR"},
            {"NORTH_AMERICA", "EUROPE"},
        ),
        ("Toronto, ON", {"CA"}, set()),
        ("Germany/Remote", {"DE"}, set()),
        ("Remote", set(), set()),
    ],
)
def test_places_of_location_strings(location: str, countries: set[str], regions: set[str]) -> None:
    places = scan_places(location, codes=True)
    assert places.countries == countries
    assert {r.value for r in places.regions} == regions


def test_pronoun_us_and_lower_case_codes_are_not_places() -> None:
    assert not scan_places("let us know, ca. 3 days")


# --- time-zone bands ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Remote (UTC+3)", (3, 3)),
        ("USA, CST (UTC-6)", (-6, -6)),
        ("Candidates must be based between UTC-8 and UTC-5.", (-8, -5)),
        ("between UTC-2 and UTC+4", (-2, 4)),
        ("UTC-8 to -5", (-8, -5)),
        ("Remote (GMT+5:30)", (5.5, 5.5)),
        ("UTC±2", (-2, 2)),
        ("Remote within ±3 hours of CET.", (-2, 4)),
        ("Available 9am - 5pm UTC+1.", None),
        ("You must overlap 4 hours with UTC-5.", None),
        ("Our team is in UTC+2.", None),
        ("Fully remote working from anywhere in Eastern Time Zone!", None),
        ("8am - 10am PT for meetings", None),
        ("rotating night shift 12 a.m. to 9 a.m IST", None),
        ("", None),
    ],
)
def test_timezone_band_needs_explicit_offsets(text: str, band: tuple[float, float] | None) -> None:
    assert band_from_text(text) == band


@pytest.mark.parametrize(
    ("offsets", "band"),
    [
        ([2], (2, 2)),
        ([-10, -9, -8, -5, 14], (-10, -5)),
        ([-10, -3.5, 14], (-10, -3.5)),
        ([14], (14, 14)),
        (["x"], None),
        ([], None),
    ],
)
def test_timezone_restrictions_wrap_the_date_line(offsets: list[Any], band: Any) -> None:
    assert band_from_offsets(offsets) == band


# --- location qualifiers of titles ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "countries", "regions"),
    [
        ("Deal Desk Analyst | Fully Remote Poland and UK", {"PL", "GB"}, set()),
        ("Construction Project Manager (Los Angeles, CA)", {"US"}, set()),
        ("Support Engineer (AMER)", set(), {"AMERICAS"}),
        ("2026 Point72 Academy Insight Program – Japan", {"JP"}, set()),
        ("Forward Deployed Engineer - (East coast based)", set(), set()),
        ("Content Marketing Manager (SEO & AEO)", set(), set()),
        ("Technical Account Manager - DACH", set(), set()),
        ("Sales Engineer (Remote, EMEA)", set(), {"EMEA"}),
    ],
)
def test_title_location_qualifiers(title: str, countries: set[str], regions: set[str]) -> None:
    evidence = qualifier_evidence(title, "title")
    assert evidence.places.countries == countries
    assert {r.value for r in evidence.places.regions} == regions


# --- where the candidate may live: traps (gold/README.md) that must produce nothing ---------------------------------


@pytest.mark.parametrize(
    "description",
    [
        "<p>Headquarters: Delaware, USA</p><p>We build testing tools.</p>",
        "We are headquartered in Overland Park, KS, USA with delivery in India.",
        "Generous benefits for our U.S. employees.",
        "Health insurance for US-based team members.",
        "<p>For candidates located in California, New York, Washington, and Colorado, the "
        "starting base pay for this position ranges from $15 to $25 per hour.</p>",
        "California/Colorado/Hawaii/New Jersey/New York/Washington/DC pay range",
        "Most of our customers are based in North America.",
        "Support our growing EMEA customer base.",
        "We operate across Nigeria, Egypt, Senegal, and Côte d'Ivoire.",
        "Located in the heart of Berlin, we are an international business school.",
        "Our offices in London, Singapore and New York.",
    ],
)
def test_company_customer_and_pay_lists_scope_nothing(description: str) -> None:
    result = run(description)
    assert result.countries == [] and result.regions == [] and result.us_states == []


@pytest.mark.parametrize(
    "description",
    [
        "We are a worldwide distributed team.",
        "We offer: Work from anywhere options*, unlimited PTO.",
        "Perks: Work from home or anywhere with an internet connection.",
        "We serve customers all over the globe.",
        "Offices in 34 countries and millions of installations worldwide.",
    ],
)
def test_not_worldwide(description: str) -> None:
    assert run(description).worldwide is False


def test_from_anywhere_on_a_per_country_listing_is_not_worldwide() -> None:
    result = run(
        "<p><strong>Help Shape the Future of AI — From Anywhere</strong></p>",
        source="workingnomads",
        location="Australia",
    )
    assert (result.countries, result.worldwide, result.work_setting) == (["AU"], False, "remote")


def test_wwr_state_is_the_headquarters() -> None:
    result = run(
        "Headquarters: London", source="weworkremotely", location="Anywhere in the World | London"
    )
    assert (result.countries, result.worldwide) == ([], True)


def test_wwr_anywhere_is_contradicted_by_a_narrower_statement() -> None:
    result = run(
        "This is a North America-based role, requires regular travel.",
        source="weworkremotely",
        location="Anywhere in the World | Delaware",
    )
    assert (result.regions, result.worldwide, result.countries) == (["NORTH_AMERICA"], False, [])


# --- where the candidate may live: scope statements ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "countries", "regions"),
    [
        ("Although this is a remote position you must be based in Canada.", ["CA"], []),
        ("<li>Currently based in the UK, Ireland or Poland</li>", ["GB", "IE", "PL"], []),
        (
            "You must be located in the Americas, Europe, or Israel to apply.",
            ["IL"],
            ["AMERICAS", "EUROPE"],
        ),
        ("(Remote — Americas or Europe) At Nango we build.", [], ["AMERICAS", "EUROPE"]),
        ("Remote to US candidates only with existing work authorization.", ["US"], []),
        ("We are seeking remote Account Manager B2B Sales in South Africa.", ["ZA"], []),
        ("This role supports US-based remote work.", ["US"], []),
        ("Location: DACH Region", [], ["DACH"]),
        ("Locations: US, CA, EU, LATAM.", sorted(["US", "CA", *EU27]), ["EU", "LATAM"]),
        ("We're open to candidates from both the US and Canada.", ["CA", "US"], []),
        ("Open to Canadian residents only.", ["CA"], []),
        ("Available to participate in-person in our Tokyo offices.", ["JP"], []),
        ("<p>Location</p><p>India, Remote</p>", ["IN"], []),
    ],
)
def test_scope_sentences(description: str, countries: list[str], regions: list[str]) -> None:
    result = run(description)
    assert result.countries == countries
    assert result.regions == regions


def test_eligible_countries_add_region_members() -> None:
    result = run("", source="jobicy", location="DACH,  Canada")
    assert result.countries == ["CA"] and result.regions == ["DACH"]
    assert result.eligible_countries == ["AT", "CA", "CH", "DE"]


@pytest.mark.parametrize(
    ("location", "worldwide"),
    [
        ("Worldwide", True),
        ("Anywhere", True),
        ("Global", True),
        ("Anywhere in the World", True),
        ("USA", False),
        ("Remote", False),
    ],
)
def test_worldwide_from_an_eligibility_field(location: str, worldwide: bool) -> None:
    assert run("", source="remotive", location=location).worldwide is worldwide


@pytest.mark.parametrize(
    "description",
    [
        "You can be based anywhere, but you'll need to know the UK GCSE system.",
        "We welcome qualified applicants from around the world.",
        "This role is remote worldwide.",
    ],
)
def test_worldwide_from_text(description: str) -> None:
    assert run(description).worldwide is True


@pytest.mark.parametrize(
    ("description", "states"),
    [
        ("This position is open to residents of AZ, CO, TX.", ["AZ", "CO", "TX"]),
        ("We can hire in the following states: Arizona, Colorado and Texas.", ["AZ", "CO", "TX"]),
        ("This role can be based out of Denver - CO, Dallas - TX, or Houston - TX", []),
        ("May be performed remotely in most states within the US, with some exclusions", []),
    ],
)
def test_us_states_only_from_an_allowed_state_list(description: str, states: list[str]) -> None:
    assert run(description).us_states == states


def test_office_cities_give_no_us_states() -> None:
    assert run("", location="Palo Alto, CA | Seattle, WA").us_states == []


@given(st.text(max_size=60))
def test_lookups_never_raise(text: str) -> None:
    geo.country_code(text)
    geo.state_code(text)
    geo.city_country(text)
    geo.region_code(text)
    geo.timezone_offset(text)
