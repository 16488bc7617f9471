"""jobposting spider on ATS job pages: Breezy's (a WebSite block before the JobPosting) and
Jobvite's (`identifier` a bare string, full place names, a `baseSalary` of empty strings)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import BASE_URL, Parsed, parse_routes
from tests.support.server import Route

FETCHED_AT = "2026-10-06T12:00:00+00:00"
BREEZY = "breezy_posting-page_jobposting_ldjson_highlights-healthcare_2026-10-05_reduced.html"
JOBVITE = "jobvite_jobposting_ldjson_ftmyers-accessioning-technician_posted-2025-11-06_reduced.html"
BREEZY_PATH = (
    "/p/9b5dbab30b78-bilingual-board-certified-behavior-analyst-bcba-lba-sign-on-relocation-ral"
)
JOBVITE_PATH = "/example/job/oiiRyfwJ"


@pytest.fixture(scope="module")
def pages(real_fixtures: Path) -> dict[str, Parsed]:
    found = {}
    for name, capture, path in (
        ("breezy", BREEZY, BREEZY_PATH),
        ("jobvite", JOBVITE, JOBVITE_PATH),
    ):
        body = (real_fixtures / "jsonld" / capture).read_bytes()
        routes = {path: Route(body, content_type="text/html; charset=utf-8")}
        found[name] = parse_routes(
            "jobposting", routes, {"urls": BASE_URL + path}, {"JOBSIFT_FETCHED_AT": FETCHED_AT}
        )
    return found


NAMED: dict[str, dict[str, Any]] = {
    "breezy": {
        "title": "BILINGUAL Board Certified Behavior Analyst (BCBA, LBA)",
        "company": "Highlights Healthcare",
        "countries": ["US"],
        "salary": {"min": 95000.0, "max": 115000.0, "currency": "USD", "period": "year"},
        "employment_type": "full_time",
        # The page's datePosted (date only), older than the list's published_date.
        "posted_at": datetime.fromisoformat("2023-06-14T00:00:00+00:00"),
    },
    "jobvite": {
        "title": "Accessioning Technician I (Temp), Evenings",
        "countries": ["US"],  # "Ft Myers", "Florida", "United States": full names
        "salary": None,  # a baseSalary of empty strings is no salary
        "posted_at": datetime.fromisoformat("2025-11-06T00:00:00+00:00"),
    },
}
CASES = [pytest.param(k, n, id=f"{k}-{n}") for k, fields in NAMED.items() for n in fields]


@pytest.mark.parametrize(("page", "name"), CASES)
def test_named_pages_normalize(pages: dict[str, Parsed], page: str, name: str) -> None:
    (item,) = pages[page].items
    assert gold.field(normalized(item), name) == NAMED[page][name]


@pytest.mark.parametrize("page", NAMED)
def test_one_posting_per_page_and_no_failure(pages: dict[str, Parsed], page: str) -> None:
    assert len(pages[page].items) == 1
    assert pages[page].rejects == [] and pages[page].failure_count == 0


def test_breezy_website_block_is_not_a_posting(pages: dict[str, Parsed]) -> None:
    (item,) = pages["breezy"].items
    assert item["title"].startswith("BILINGUAL Board Certified Behavior Analyst")
    assert item["company"] == "Highlights Healthcare"  # not "Breezy HR" of the WebSite block
    assert item["description"].startswith("<p>Highlights Healthcare ABA is now hiring")


def test_jobvite_identifier_and_empty_salary(pages: dict[str, Parsed]) -> None:
    (item,) = pages["jobvite"].items
    assert item["source_id"] == "127.0.0.1:oiiRyfwJ"  # the bare-string identifier, per host
    assert item["location"] == "Ft Myers, Florida, United States"
    assert item["salary"]["currency"] == ""  # kept as given; normalization reads no pay in it
    assert normalized(item).compensation is None
