"""Breezy spider: the real `/json` arrays (a real board and Breezy's own trial board)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes

SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-10-05T12:00:00+00:00"}
CAPTURES = {
    "highlights-healthcare": "breezy_json_highlights-healthcare_2026-10-05_trimmed_plus-1-vanguard-ip-entry.json",
    "breezy": "breezy_json_breezy-trial-account_undated.json",
}
BCBA = "9b5dbab30b78"
REMOTE_BCBA = "4e5454ff973b"
VANGUARD = "703f893febaa"
TRIAL = "98323abf2296"
NO_LOCATIONS = "088ac6d52139"


@pytest.fixture(scope="module")
def boards(real_fixtures: Path) -> dict[str, Parsed]:
    real = real_fixtures / "breezy"
    return {
        company: parse_routes("breezy", {"/json": real / capture}, {"company": company}, SETTINGS)
        for company, capture in CAPTURES.items()
    }


NAMED: dict[tuple[str, str], dict[str, Any]] = {
    ("highlights-healthcare", BCBA): {
        "title": "BILINGUAL Board Certified Behavior Analyst (BCBA, LBA)",
        "company": "Highlights Healthcare",
        "countries": ["US"],
        "work_setting": None,  # is_remote false says nothing more
        "salary": {"min": 95000.0, "max": 115000.0, "currency": "USD", "period": "year"},
        "employment_type": "full_time",
        "posted_at": datetime.fromisoformat("2026-09-23T14:48:12.535000+00:00"),
    },
    ("highlights-healthcare", REMOTE_BCBA): {
        "countries": ["US"],
        "work_setting": "remote",  # is_remote true, "within chosen location(s)"
        "salary": {"min": 90000.0, "max": 95000.0, "currency": "USD", "period": "year"},
    },
    ("highlights-healthcare", VANGUARD): {
        "company": "Vanguard-IP",  # another company's entry in the same capture
        "salary": None,  # "" is no salary
        "posted_at": datetime.fromisoformat("2026-07-24T22:57:56.419000+00:00"),
    },
    ("breezy", TRIAL): {
        "title": "Employee #12",
        "company": "MS Breezy Trial",
        "countries": ["US"],
        "salary": None,  # "$0.05 – $0.06 / hour" is not a plausible pay
    },
}
CASES = [
    pytest.param(key, name, id=f"{key[0]}-{key[1]}-{name}")
    for key, fields in NAMED.items()
    for name in fields
]


@pytest.mark.parametrize(("key", "name"), CASES)
def test_named_postings_normalize(
    boards: dict[str, Parsed], key: tuple[str, str], name: str
) -> None:
    assert gold.field(normalized(boards[key[0]].by_id(key[1])), name) == NAMED[key][name]


@pytest.mark.parametrize(("company", "count"), [("highlights-healthcare", 4), ("breezy", 2)])
def test_every_position_comes_through(boards: dict[str, Parsed], company: str, count: int) -> None:
    board = boards[company]
    assert len(board.items) == count and board.rejects == [] and board.failure_count == 0


def test_remote_flag_and_details_as_given(boards: dict[str, Parsed]) -> None:
    remote = boards["highlights-healthcare"].by_id(REMOTE_BCBA)
    assert remote["remote"] is True
    assert remote["remote_details"] == "Fully remote, within chosen location(s)"
    assert remote["location"] == "Mooresville, NC, United States"
    assert remote["salary"] == "$90,000 – $95,000 / year"  # en dash, as given
    assert boards["highlights-healthcare"].by_id(BCBA)["remote"] is False


def test_location_without_flag_and_empty_locations(boards: dict[str, Parsed]) -> None:
    """The trial board's second position: no `is_remote` on its location, `locations` []."""
    position = boards["breezy"].by_id(NO_LOCATIONS)
    assert position["remote"] is None
    assert position["location"] == "New York, NY, United States"
    assert position["employment_type"] == "Contract"
    assert position["url"] == "https://breezy.breezy.hr/p/088ac6d52139-open-position"


def test_list_has_no_description(boards: dict[str, Parsed]) -> None:
    """The description is on the position page (JSON-LD, read by the `jobposting` spider)."""
    assert all("description" not in item for item in boards["highlights-healthcare"].items)
    assert boards["highlights-healthcare"].by_id(BCBA)["friendly_id"].startswith(BCBA + "-")
