"""Eligibility and work setting: extraction rules, the traps of gold/README.md, sources' fields."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.eligibility.places import scan_places
from jobsift.pipelines.eligibility.setting import setting_of_flag
from jobsift.pipelines.eligibility.step import qualifier_evidence, step
from jobsift.pipelines.eligibility.timezones import band_from_text
from jobsift.pipelines.prepare import prepare
from jobsift.pipelines.reference.geo import region_code, region_members
from jobsift.schemas import Region

EU27 = sorted(region_members(Region.EU))


@dataclass
class Result:
    eligibility: dict[str, Any]
    work_setting: str | None
    provenance: dict[str, str]
    events: list[str]

    def __getattr__(self, name: str) -> Any:
        return self.eligibility[name]


def run(description: str = "", **raw: Any) -> Result:
    """The step on one raw posting; plain `description` text becomes one paragraph."""
    if description and "<" not in description:
        description = f"<p>{description}</p>"
    payload = {"title": "Engineer", "description": description, **raw}
    draft = prepare(payload)
    assert isinstance(draft, Draft)
    events = list(step(draft))
    return Result(
        draft.posting["eligibility"],
        draft.posting["overview"]["work_setting"],
        draft.provenance,
        events,
    )


# --- words that are not a setting, territories that are not regions ---------------------------


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Forward Deployed Engineer", "We are looking for a hybrid technical expert."),
        ("Engineer, Hybrid Cloud", "Join the Hybrid Cloud team."),
        ("On-Premises SRE", "Run our on-premises clusters."),
        ("BDR", "Build target lists of remote-first and hybrid companies."),
        ("Engineer", "We offer: Work from anywhere options*."),
        ("Engineer", "Schedule on-site interviews with the team."),
    ],
)
def test_words_that_are_not_a_work_setting(title: str, description: str) -> None:
    assert run(description, title=title).work_setting is None


def test_sales_territory_in_a_title_is_no_region() -> None:
    for title in (
        "Account Executive - DACH",
        "Account Manager, Commercial, EMEA",
        "Customer Success Manager, LATAM",
    ):
        assert run("", title=title).regions == [], title


# --- time zone ----------------------------------------------------------------------------------


def test_himalayas_timezone_restrictions_come_first() -> None:
    result = run(
        "Remote (UTC+3)",
        source="himalayas",
        location="Canada | United States",
        timezone_restrictions=[-10, -9, -8, -3.5, 14],
    )
    assert result.timezone == {"min_utc_offset": -10, "max_utc_offset": -3.5}
    assert result.provenance["eligibility.timezone"] == "source:timezoneRestrictions"


# --- visa and work authorization -------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "visa"),
    [
        ("We are unable to sponsor visas for this role.", False),
        ("***This position is not eligible for immigration sponsorship", False),
        ("No visa sponsorship.", False),
        ("We are unable to provide relocation or visa sponsorship.", False),
        ("Candidates who do not require sponsorship now or in the future.", False),
        ("We sponsor visas for engineers.", True),
        ("We sponsor local meetups and conferences.", None),
        ("Must be authorized to work without sponsorship.", False),
        ("Visa possible for exceptional candidates", True),
        ("Visa sponsorship is available.", True),
        ("We offer relocation and visa support.", True),
        ("Will you now or in the future require visa sponsorship?", None),
        ("Ensure the provision of visa support to all registered students.", None),
        ("Driving the development of the school's visa support services.", None),
        ("Nothing about it.", None),
    ],
)
def test_visa_sponsorship(description: str, visa: bool | None) -> None:
    assert run(description).visa_sponsorship is visa


EVERIFY = (
    "<p>This employer participates in E-Verify and will provide the federal government "
    "with your Form I-9 information to confirm that you are authorized to work in the "
    "U.S.</p>"
)


@pytest.mark.parametrize(
    ("description", "countries"),
    [
        (
            "You must be legally authorized to work in Canada, Mexico or the United States.",
            ["CA", "MX", "US"],
        ),
        ("<li>fluent German and English, and eligible to work in Germany.</li>", ["DE"]),
        ("Remote to US candidates only with existing work authorization.", ["US"]),
        ("Right to work in the UK is required.", ["GB"]),
        (EVERIFY, []),
        ("This position is not eligible for immigration sponsorship" + EVERIFY, ["US"]),
        ("Are you authorized to work in the US?", []),
    ],
)
def test_work_authorization(description: str, countries: list[str]) -> None:
    assert run(description).work_authorization == countries


# --- work setting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "setting"),
    [
        ("remote", "remote"),
        ("hybrid", "hybrid"),
        ("on-site", "onsite"),
        ("unspecified", None),
        ("true", "remote"),
        ("false", None),
        (True, "remote"),
        (False, None),
        ("TELECOMMUTE", "remote"),
        ("Onsite", "onsite"),
        ("REMOTE | Onsite", "remote"),
        ("Remote", "remote"),
        ("on_site", "onsite"),
        ('{"remote":true,"hybrid":false}', "remote"),
        ('{"remote":false,"hybrid":true,"on_site":false}', "hybrid"),
        ('{"remote":false,"hybrid":false}', None),
        ("{broken", None),
        (None, None),
    ],
)
def test_setting_of_the_source_flag(value: Any, setting: str | None) -> None:
    found = setting_of_flag(value)
    assert (found.value if found else None) == setting


@pytest.mark.parametrize(
    ("raw", "setting", "origin"),
    [
        (
            {"remote": "hybrid", "location": "Palo Alto, CA | Seattle, WA"},
            "hybrid",
            "source:remote",
        ),
        (
            {"remote": "hybrid", "location": "Palo Alto, CA (Open to US-based Remote)"},
            "remote",
            "source:location",
        ),
        ({"remote": "true", "location": "London"}, "remote", "source:remote"),
        ({"source": "remotive", "location": "USA"}, "remote", "source:location"),
        ({"location": "Atlanta, GA | Remote, USA"}, "remote", "source:location"),
        ({"location": "Hybrid - London"}, "hybrid", "source:location"),
        ({"location": "Warsaw, Poland"}, None, None),
        ({"title": "Data Science Intern | Fully Remote US"}, "remote", "title"),
        ({"remote": "Remote", "facts": {"Work setting": "Hybrid"}}, "hybrid", "facts:Work setting"),
    ],
)
def test_work_setting_from_fields(
    raw: dict[str, Any], setting: str | None, origin: str | None
) -> None:
    result = run("About the role.", **raw)
    assert result.work_setting == setting
    assert result.provenance.get("overview.work_setting") == origin


@pytest.mark.parametrize(
    ("description", "setting"),
    [
        (
            "<p>If you're close to an office, spend time in-person. If not, remote is always an "
            "option.</p>",
            "remote",
        ),
        ("This is a remote position.", "remote"),
        ("Able to come into the office 2 days per week, or 3 when needed.", "hybrid"),
        ("Work two days a week in our Lyon or Bordeaux office.", "hybrid"),
        ("Remote-first, Berlin office minimum once a week", "hybrid"),
        ("Ein flexibles und hybrides Arbeitsmodell (ca. 3 Tage im Büro)", "hybrid"),
        ("Nous te proposons2 jours de TT/semaineTickets restaurant", "hybrid"),
        ("We offer a hybrid work model.", "hybrid"),
        ("The program will run in-person in Tokyo.", "onsite"),
        ("This is an on-site role.", "onsite"),
        ("This is not a remote position.", "onsite"),
        ("Candidates must be based in Los Angeles, CA to be considered.", "onsite"),
        ("Candidates must be based in Canada.", None),
    ],
)
def test_work_setting_from_text(description: str, setting: str | None) -> None:
    assert run(description).work_setting == setting


def test_specific_remote_statement_beats_a_hybrid_flag() -> None:
    result = run(
        "*This role supports US-based remote work, or Palo Alto, CA based hybrid in-office.",
        remote="hybrid",
        location="Palo Alto, CA",
    )
    assert result.work_setting == "remote"
    assert "eligibility/setting_overrides_flag" in result.events


def test_remote_note_in_a_location_beats_a_hybrid_flag() -> None:
    location = (
        "Berlin, Berlin, Germany | Berlin | We are ideally looking for someone in Berlin, "
        "Germany, but we are also open to hiring someone working remotely within the "
        "European Region."
    )
    result = run(
        "Able to come into the office 2 days per week.",
        source="recruitee",
        location=location,
        remote='{"remote":false,"hybrid":true,"on_site":false}',
    )
    assert (result.work_setting, result.countries, result.regions) == ("remote", ["DE"], ["EUROPE"])


# --- titles and headers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "setting", "countries", "regions"),
    [
        (
            "ResortPass | Senior Software Engineer, Frontend | New York, NY | Onsite | Full-time",
            "onsite",
            ["US"],
            [],
        ),
        ("Wave | On-Premises SRE | Remote (EMEA) | Permanent (Full-time)", "remote", [], ["EMEA"]),
        ("Zeitlabs | Senior Frontend Engineer | Remote (UTC+3) | Full time", "remote", [], []),
    ],
)
def test_hacker_news_header_line(
    header: str, setting: str, countries: list[str], regions: list[str]
) -> None:
    result = run(f"{header}<p>We build things.", source="hackernews", title=None)
    assert (result.work_setting, result.countries, result.regions) == (setting, countries, regions)


# --- the aggregator -----------------------------------------------------------------------------

NORTHWIND_NOTE = "Candidates must be based between UTC-8 and UTC-5."
NORTHWIND_TEXT = (
    "<h4>Location requirements</h4><ul><li>You must be legally authorized to work in Canada, "
    "Mexico or the United States.</li><li>We are unable to sponsor visas for this role.</li></ul>"
)


def test_northwind_aggregator_page() -> None:
    result = run(
        NORTHWIND_TEXT + NORTHWIND_NOTE,
        source="withmira",
        location="Canada | Mexico | USA",
        remote="Remote",
        facts={"Eligible countries": "3 accepted countries", "Work setting": "Remote"},
    )
    assert result.countries == ["CA", "MX", "US"]
    assert result.timezone == {"min_utc_offset": -8, "max_utc_offset": -5}
    assert result.visa_sponsorship is False
    assert result.work_authorization == ["CA", "MX", "US"]
    assert result.work_setting == "remote"
    assert result.events == []
    assert result.provenance["eligibility.countries"] == "source:location"


def test_instacart_aggregator_page() -> None:
    result = run(
        "<h4>About the Job</h4><ul><li>Lead and grow a team.</li></ul>",
        source="withmira",
        location="USA",
        remote="Remote",
        facts={"Eligible countries": "1 accepted country", "Work setting": "Remote"},
    )
    assert (result.countries, result.worldwide, result.events) == (["US"], False, [])


def test_declared_count_mismatch_is_an_event_and_a_note() -> None:
    result = run(
        "",
        source="withmira",
        location="Canada | USA",
        remote="Remote",
        facts={"Eligible countries": "3 accepted countries"},
    )
    assert result.events == ["eligibility/declared_count_mismatch"]
    assert result.provenance["eligibility.countries"] == "source:location; declared 3, parsed 2"


def test_location_text_is_kept() -> None:
    assert run("", location="Berlin | Remote").location_text == "Berlin | Remote"


# --- robustness and the gold set ----------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.text(max_size=60), st.one_of(st.none(), st.text(max_size=60)))
def test_step_never_raises(description: str, title: str, location: str | None) -> None:
    draft = prepare(
        {
            "title": title or "x",
            "description": description,
            "location": location,
            "remote": title,
            "facts": {"Eligible countries": title},
        }
    )
    if isinstance(draft, Draft):
        list(step(draft))
        assert draft.posting["overview"]["work_setting"] in (None, "remote", "hybrid", "onsite")


@given(st.text(max_size=200))
def test_readers_never_raise(text: str) -> None:
    scan_places(text, codes=True)
    band_from_text(text)
    setting_of_flag(text)
    qualifier_evidence(text, "title")


def _gold(shared: Path) -> list[dict[str, Any]]:
    path = shared / "gold" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("no gold set")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _mine(record: dict[str, Any]) -> dict[str, Any]:
    result = run(**{k: v for k, v in record["input"].items() if v is not None})
    regions = {region_code(word) for word in record["gold"]["regions"]}
    return {
        "work_setting": (result.work_setting, record["gold"]["work_setting"]),
        "countries": (set(result.countries), set(record["gold"]["countries"])),
        "regions": (set(result.regions), regions),
        "worldwide": (result.worldwide, record["gold"]["worldwide"]),
        "us_states": (result.us_states, record["gold"]["us_states"]),
        "timezone": (result.timezone, record["gold"]["timezone"]),
        "visa_sponsorship": (result.visa_sponsorship, record["gold"]["visa_sponsorship"]),
        "work_authorization": (
            set(result.work_authorization),
            set(record["gold"]["work_authorization_required"]),
        ),
    }


FLOORS = {
    "work_setting": 0.95,
    "countries": 0.9,
    "regions": 0.9,
    "worldwide": 0.9,
    "us_states": 0.95,
    "timezone": 0.9,
    "visa_sponsorship": 0.9,
    "work_authorization": 0.9,
}


def test_gold_floors_and_hallucinations(shared: Path) -> None:
    rows = [_mine(record) for record in _gold(shared)]
    for field, floor in FLOORS.items():
        right = sum(output == gold for row in rows for output, gold in [row[field]])
        assert right / len(rows) >= floor, field
    empty = [(o, g) for row in rows for o, g in row.values() if g in (None, False, [], set())]
    hallucinated = sum(o not in (None, False, [], set()) for o, _ in empty)
    assert hallucinated / len(empty) <= 0.05
