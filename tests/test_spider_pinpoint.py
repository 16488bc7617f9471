"""Pinpoint spider: the real `postings.json` captures (one saved without its `data` envelope,
served here as the API answers)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes

SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-06-15T12:00:00+00:00"}
AAWDC = "pinpoint_postings_aawdc_2026-06_trimmed.json"
WORKWITHUS = "pinpoint_postings_workwithus_undated_data-array-only_text-truncated.json"


@pytest.fixture(scope="module")
def real(real_fixtures: Path) -> Path:
    return real_fixtures / "pinpoint"


@pytest.fixture(scope="module")
def boards(real: Path) -> dict[str, Parsed]:
    envelope = json.dumps({"data": json.loads((real / WORKWITHUS).read_text())})
    return {
        "aawdc": parse_routes(
            "pinpoint", {"/postings.json": real / AAWDC}, {"company": "aawdc"}, SETTINGS
        ),
        "workwithus": parse_routes(
            "pinpoint", {"/postings.json": envelope}, {"company": "workwithus"}, SETTINGS
        ),
    }


NAMED: dict[tuple[str, str], dict[str, Any]] = {
    ("aawdc", "515428"): {
        "title": "Warehouse/Fleet Manager",
        "countries": [],  # "North County" is a label, not a place
        "work_setting": "onsite",
        "salary": {"min": 80000.0, "max": 100000.0, "currency": "USD", "period": "year"},
        "employment_type": "full_time",
        "posted_at": None,  # the list has no posting date
        "valid_through": datetime.fromisoformat("2026-06-27T03:59:59+00:00"),
    },
    ("aawdc", "512061"): {
        "salary": {"min": 17.0, "max": 18.0, "currency": "USD", "period": "hour"},
        "employment_type": "contract",  # "Contract to hire"
    },
    ("workwithus", "559663"): {
        "title": "Founding Legal Counsel",
        "countries": ["GB"],
        "work_setting": "remote",  # workplace_type "remote"
        "salary": None,  # compensation_visible false
    },
    ("workwithus", "567495"): {
        "title": "Enterprise Implementation Manager",
        "countries": ["GB"],
        "work_setting": "remote",
        "salary": {"min": 70000.0, "max": 90000.0, "currency": "GBP", "period": "year"},
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


@pytest.mark.parametrize(("company", "count"), [("aawdc", 3), ("workwithus", 2)])
def test_every_posting_comes_through(boards: dict[str, Parsed], company: str, count: int) -> None:
    board = boards[company]
    assert len(board.items) == count and board.rejects == [] and board.failure_count == 0


def test_sections_under_the_employers_headers(boards: dict[str, Parsed]) -> None:
    counsel = boards["workwithus"].by_id("559663")
    description = counsel["description"]
    assert description.startswith("<div><!--block-->Hi")  # Trix HTML as given
    assert "<h3>What you'll do</h3>" in description
    assert "<h3>What you'll bring</h3>" in description
    assert "<h3>What we offer</h3>" in description
    assert "<!--block-->" not in normalized(counsel).overview.description_text


def test_fields_as_given(boards: dict[str, Parsed]) -> None:
    manager = boards["aawdc"].by_id("515428")
    assert manager["location"] == "North County"
    assert (manager["remote"], manager["workplace_type_text"]) == ("onsite", "Onsite")
    assert manager["requisition_id"] == "PIN-0679"
    assert (manager["department"], manager["division"]) == ("Transportation", "AAWDC")
    assert manager["valid_through"] == "2026-06-26T23:59:59-04:00"
    assert manager["salary"]["summary"] == "$80,000 - $100,000 / year"
    assert (
        manager["url"]
        == "https://aawdc.pinpointhq.com/en/postings/fca592d6-2561-4b2a-88b0-15d2b375971a"
    )
    pipeline = boards["aawdc"].by_id("217178")
    assert pipeline["location"] == "Partner Employment Opportunity | Varies by Listing, Maryland"
    assert boards["workwithus"].by_id("559663")["location"] == "Remote | London, London"


def test_a_body_without_the_data_envelope_is_a_reject(real: Path) -> None:
    board = parse_routes(
        "pinpoint", {"/postings.json": real / WORKWITHUS}, {"company": "x"}, SETTINGS
    )
    assert board.items[0]["reason"] == "expected a JSON object with a 'data' list, got list"
    assert board.failure_count == 1
