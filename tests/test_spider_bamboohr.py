"""BambooHR spider: real careers lists and details; an unknown company's redirect, an empty
board and a missing detail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes
from tests.support.server import Route
from tests.support.spiders import Answer, crawl_routes, failure_count

SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-07-18T12:00:00+00:00"}
# company: (list capture, {id: detail capture}, openings listed)
BOARDS = {
    "curtinmaritime": (
        "bamboohr_careers-list_curtinmaritime_2026-07-18.json",
        {"201": "bamboohr_careers-detail_curtinmaritime_201_2026-07-18.json"},
        21,
    ),
    "giatecscientific": (
        "bamboohr_careers-list_giatecscientific_2026-07-18.json",
        {"167": "bamboohr_careers-detail_giatecscientific_167_2026-07-18.json"},
        5,
    ),
    "aca": ("bamboohr_careers-list_aca_2026-06_2of3.json", {}, 2),
}
NOT_FOUND = "bamboohr_careers-detail_404-body_giatecscientific_2026-07-18.json"


@pytest.fixture(scope="module")
def real(real_fixtures: Path) -> Path:
    return real_fixtures / "bamboohr"


def routes_of(real: Path, company: str) -> dict[str, Answer]:
    capture, details, _ = BOARDS[company]
    routes: dict[str, Answer] = {"/careers/list": real / capture}
    for job_id, detail in details.items():
        routes[f"/careers/{job_id}/detail"] = real / detail
    return routes


@pytest.fixture(scope="module")
def boards(real: Path) -> dict[str, Parsed]:
    return {
        company: parse_routes("bamboohr", routes_of(real, company), {"company": company}, SETTINGS)
        for company in BOARDS
    }


NAMED: dict[tuple[str, str], dict[str, Any]] = {
    ("curtinmaritime", "201"): {
        "title": "Vessel Chef",
        "countries": ["US"],
        "work_setting": None,
        # `compensation`, free text: the first figures are a day rate.
        "salary": {"min": 300.0, "max": 425.0, "currency": "USD", "period": "day"},
        "posted_at": datetime.fromisoformat("2025-04-22T00:00:00+00:00"),
    },
    ("giatecscientific", "167"): {
        "title": "Talent Community @ Giatec",
        "company": "Giatec",  # from the text: the API names no company
        "countries": ["CA"],
        "salary": None,
        "posted_at": datetime.fromisoformat("2022-12-14T00:00:00+00:00"),
    },
    ("aca", "41"): {
        "title": "Advanced Care Paramedic - Flights",
        "countries": ["CA"],
        "work_setting": None,  # locationType "1" on a flight paramedic is not read as remote
        "posted_at": None,  # the list has no date and the detail was not captured
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
    item = boards[key[0]].by_id(key[1])
    assert gold.field(normalized(item), name) == NAMED[key][name]


def test_detail_fields_as_given(boards: dict[str, Parsed]) -> None:
    chef = boards["curtinmaritime"].by_id("201")
    assert chef["url"] == "https://curtinmaritime.bamboohr.com/careers/201"  # `\/` read
    assert chef["location"] == "Long Beach, California, United States"
    assert chef["salary"] == "$300 - $425/Day ($21.43 - $30.35 per hour)"
    assert (chef["posted"], chef["employment_type"]) == ("2025-04-22", "Full-Time")
    assert (chef["department"], chef["minimum_experience"]) == (
        "Marine Transportation",
        "Experienced",
    )
    assert chef["description"].startswith("<p>")
    assert chef["board"] == "curtinmaritime"


def test_list_fields_without_a_detail(boards: dict[str, Parsed]) -> None:
    medic = boards["aca"].by_id("41")
    assert medic["location"] == "Edmonton, Alberta, Canada"  # atsLocation; `location` is empty
    assert (medic["location_type"], medic["remote"]) == ("1", None)  # isRemote is always null
    assert medic["description"] is None and medic["posted"] is None
    crane = boards["curtinmaritime"].by_id("238")
    assert crane["title"] == "Crane Operator "  # as given; normalization trims
    assert crane["url"].endswith("/careers/238")


@pytest.mark.parametrize("company", BOARDS)
def test_every_opening_comes_through(boards: dict[str, Parsed], company: str) -> None:
    _, details, listed = BOARDS[company]
    board = boards[company]
    assert len(board.items) == listed and board.rejects == []
    # Each opening is fetched in detail; those not captured answer 404 and are kept as listed.
    assert board.requests[0] == "/careers/list"
    assert len(board.requests) == 1 + listed
    assert board.failure_count == listed - len(details)


def test_unknown_opening_body_keeps_the_listed_opening(real: Path) -> None:
    routes = routes_of(real, "giatecscientific")
    routes["/careers/196/detail"] = Route((real / NOT_FOUND).read_bytes(), status=404)
    board = parse_routes("bamboohr", routes, {"company": "giatecscientific"}, SETTINGS)
    assert board.by_id("196")["title"] == "Student Talent Community @ Giatec"
    assert "HTTP 404 at http://127.0.0.1:8000/careers/196/detail" in board.failures


def test_empty_board_is_no_failure(real: Path) -> None:
    routes = {"/careers/list": real / "bamboohr_careers-list_empty-board_zapier_2026-07-18.json"}
    board = parse_routes("bamboohr", routes, {"company": "zapier"}, SETTINGS)
    assert board.items == [] and board.failures == []
    assert board.requests == ["/careers/list"]


def test_unknown_company_redirect_is_a_clear_failure(tmp_path: Path) -> None:
    """A real crawl: the redirect to bamboohr.com is not followed into its home page."""
    home = Route(b"", status=302, headers={"Location": "https://www.bamboohr.com"})
    crawl = crawl_routes("bamboohr", tmp_path, {"/careers/list": home}, args={"company": "nobody"})
    assert crawl.requests == ["/careers/list"]
    assert crawl.items == []
    assert failure_count(crawl.log) == 1
    assert (
        "no BambooHR careers site 'nobody': " in crawl.log
        and "redirects to https://www.bamboohr.com" in crawl.log
    )


def test_html_instead_of_json_is_a_reject() -> None:
    page = Route(b"<html><body>BambooHR</body></html>", content_type="text/html")
    board = parse_routes("bamboohr", {"/careers/list": page}, {"company": "x"}, SETTINGS)
    assert [r["reason"][:26] for r in board.rejects] == ["body is not valid JSON (te"]
