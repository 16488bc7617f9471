"""Where the candidate may live: the traps of gold/README.md that must produce nothing, scope
statements, worldwide and the allowed US states."""

from __future__ import annotations

import pytest
from jobsift.pipelines.reference.geo import region_members
from jobsift.schemas import Region

from tests.support.eligibility import run

EU27 = sorted(region_members(Region.EU))


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
        ("Location: Remote. Open to residents of AZ, CO and TX.", ["AZ", "CO", "TX"]),
        ("We can hire in the following states: Arizona, Colorado and Texas.", ["AZ", "CO", "TX"]),
        ("This role can be based out of Denver - CO, Dallas - TX, or Houston - TX", []),
        ("May be performed remotely in most states within the US, with some exclusions", []),
    ],
)
def test_us_states_only_from_an_allowed_state_list(description: str, states: list[str]) -> None:
    assert run(description).us_states == states


def test_office_cities_give_no_us_states() -> None:
    assert run("", location="Palo Alto, CA | Seattle, WA").us_states == []
