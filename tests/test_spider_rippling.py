"""Rippling spider: the real board lists (one entry per job and location), the real detail, the
real 404 bodies, and an own detail with a pay range (no real one is non-empty)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jobsift.crawlers.spiders.rippling import merge_by_uuid

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes
from tests.support.server import Route
from tests.support.spiders import Answer

SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-07-18T12:00:00+00:00"}
PYTHIAN_LIST = "rippling_board_jobs_pythian_2026-07-18.json"
ELEVENFS_LIST = "rippling_board_jobs_11fs-group-ltd_2026-06_2jobs.json"
DEVOPS = "144f31c4-38a4-4666-97b4-2c88a3f123da"
DEVOPS_DETAIL = "rippling_board_job_detail_pythian_144f31c4_2026-07-18.json"
DIRECTOR = "480c597a-867b-4f9f-b7e4-693b27cc6e9a"
SRE_INDIA = "8c21bc18-1087-4b72-8648-a7fb709921c0"
LIST = "/platform/api/ats/v1/board/{board}/jobs"


@pytest.fixture(scope="module")
def real(real_fixtures: Path) -> Path:
    return real_fixtures / "rippling"


def crawl(routes: dict[str, Answer], board: str, **args: str) -> Parsed:
    return parse_routes("rippling", routes, {"board": board, **args}, SETTINGS)


@pytest.fixture(scope="module")
def boards(real: Path) -> dict[str, Parsed]:
    pythian = {
        LIST.format(board="pythian"): real / PYTHIAN_LIST,
        LIST.format(board="pythian") + f"/{DEVOPS}": real / DEVOPS_DETAIL,
    }
    return {
        "pythian": crawl(pythian, "pythian"),
        "11fs": crawl(
            {LIST.format(board="11fs-group-ltd"): real / ELEVENFS_LIST}, "11fs-group-ltd"
        ),
    }


NAMED: dict[tuple[str, str], dict[str, Any]] = {
    ("pythian", DEVOPS): {
        "title": "DevOps Engineer",
        "company": "Pythian",  # the detail's companyName
        "countries": ["ES", "GB", "IN", "PL", "RO"],
        "work_setting": "remote",  # from the description
        "salary": None,  # payRangeDetails is []
        "employment_type": "full_time",  # "Employee (Full-Time)"
        "posted_at": datetime.fromisoformat("2026-06-25T16:07:41.686000+00:00"),  # microseconds
    },
    ("pythian", SRE_INDIA): {
        "title": "Site Reliability Engineer",
        "countries": ["IN"],
        "work_setting": "remote",  # "India - Remote"
        "posted_at": None,  # the list has no date
    },
    ("11fs", DIRECTOR): {
        "title": "Director, Strategic Solutions",
        "countries": ["US"],
        "work_setting": "remote",  # "Remote (United States)"
        "salary": None,
    },
}
CASES = [
    pytest.param(key, name, id=f"{key[0]}-{key[1][:8]}-{name}")
    for key, fields in NAMED.items()
    for name in fields
]


@pytest.mark.parametrize(("key", "name"), CASES)
def test_named_postings_normalize(
    boards: dict[str, Parsed], key: tuple[str, str], name: str
) -> None:
    item = boards[key[0]].by_id(key[1])
    assert gold.field(normalized(item), name) == NAMED[key][name]


def test_one_posting_per_uuid_with_every_location(boards: dict[str, Parsed], real: Path) -> None:
    entries = json.loads((real / PYTHIAN_LIST).read_text())
    assert len(entries) == 33
    pythian = boards["pythian"]
    assert len(pythian.items) == len({e["uuid"] for e in entries}) == 12
    assert pythian.rejects == []
    sre = pythian.by_id(SRE_INDIA)
    assert sre["location"] == "Hyderabad, India | India - Remote"  # two entries, one posting
    # Jobs without a captured detail are kept as listed (their 404 recorded).
    assert pythian.failure_count == 11


def test_merge_keeps_list_order_and_drops_repeats() -> None:
    entries = [
        {"uuid": "a", "name": "A", "workLocation": {"label": "Poland", "id": "Poland"}},
        {"uuid": "b", "name": "B", "workLocation": {"label": "India", "id": "India"}},
        {"uuid": "a", "name": "A", "workLocation": {"label": "Spain", "id": "Spain"}},
        {"uuid": "a", "name": "A", "workLocation": {"label": "Poland", "id": "Poland"}},
        {"name": "no uuid"},
    ]
    jobs, odd = merge_by_uuid(entries)
    assert [(j["uuid"], j["workLocations"]) for j in jobs] == [
        ("a", ["Poland", "Spain"]),
        ("b", ["India"]),
    ]
    assert odd == [{"name": "no uuid"}]


def test_detail_fields_as_given(boards: dict[str, Parsed]) -> None:
    devops = boards["pythian"].by_id(DEVOPS)
    assert devops["location"] == "India | United Kingdom | Poland | Spain | Romania"
    assert devops["posted"] == "2026-06-25T09:07:41.686000-07:00"
    assert (devops["employment_type"], devops["employment_code"]) == (
        "Employee (Full-Time)",
        "SALARIED_FT",
    )
    assert (devops["department"], devops["base_department"]) == ("SRE", "Managed Services")
    assert devops["description"].startswith("<meta><p")  # the role first, then the company
    assert devops["url"] == f"https://ats.rippling.com/pythian/jobs/{DEVOPS}"


def test_list_only(real: Path) -> None:
    result = crawl({LIST.format(board="x"): real / PYTHIAN_LIST}, "x", details="false")
    assert result.requests == [LIST.format(board="x")]
    assert len(result.items) == 12 and result.failure_count == 0


def test_unknown_board_is_a_failure(real: Path) -> None:
    body = Route(
        (real / "rippling_board_jobs_404-body_unknown-board_2026-07-18.json").read_bytes(), 404
    )
    result = crawl({LIST.format(board="nope"): body}, "nope")
    assert result.items == []
    assert result.failures == [
        "HTTP 404 at http://127.0.0.1:8000/platform/api/ats/v1/board/nope/jobs"
    ]


def test_unknown_uuid_keeps_the_listed_job(real: Path) -> None:
    missing = Route(
        (real / "rippling_board_job_detail_404-body_unknown-uuid_2026-07-18.json").read_bytes(), 404
    )
    board = "11fs-group-ltd"
    routes: dict[str, Answer] = {LIST.format(board=board): real / ELEVENFS_LIST}
    routes[LIST.format(board=board) + f"/{DIRECTOR}"] = missing
    result = crawl(routes, board)
    assert result.by_id(DIRECTOR)["location"] == "Remote (United States)"
    assert result.failure_count == 2


def test_pay_range_passes_through(real: Path) -> None:
    """Own detail: the real one with a pay range in the documented shape."""
    detail = json.loads((real / DEVOPS_DETAIL).read_text())
    ranges = [
        {
            "location": "Poland",
            "currency": "EUR",
            "frequency": "YEAR",
            "rangeStart": 60000,
            "rangeEnd": 80000,
            "isRemote": True,
        }
    ]
    detail["payRangeDetails"] = ranges
    routes: dict[str, Answer] = {
        LIST.format(board="pythian"): real / PYTHIAN_LIST,
        LIST.format(board="pythian") + f"/{DEVOPS}": json.dumps(detail).encode(),
    }
    item = crawl(routes, "pythian").by_id(DEVOPS)
    assert item["salary"] == {"payRangeDetails": ranges}  # an object, as the raw schema wants
