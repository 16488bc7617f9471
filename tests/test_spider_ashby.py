"""Ashby spider: three real job-board captures (with compensation) crawled by real Scrapy."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.spiders import failure_count

BOARDS = ("Coder", "Nango", "Homebound")  # each captured as ashby_job-board_{board}_...json
# name: (board, job id, gold record id, posted_at in UTC)
GOLD_POSTINGS = {
    "coder-sales-engineer-tiers": (
        "Coder",
        "7f3b2fce-448e-44f6-9bf5-977c878ec1f5",
        "ashby-coder-sales-engineer-uk-ie-pl-tiers",
        "2025-09-10T13:45:28.557+00:00",
    ),
    "coder-eng-manager-us-tiers": (
        "Coder",
        "c6dc83c5-8360-49c3-a2c1-b1d3460173a5",
        "ashby-coder-eng-manager-us-ca-tiers",
        "2025-07-25T17:07:15.311+00:00",
    ),
    "coder-security-engineer-poland-first": (
        "Coder",
        "3cd864d5-80d4-4aa9-8422-878245d75e02",
        "ashby-coder-security-engineer-based-in",
        "2025-10-20T17:53:55.708+00:00",
    ),
    "nango-senior-backend-equity": (
        "Nango",
        "8f6da27a-07e1-4071-8310-0a4f432e34ea",
        "ashby-nango-senior-backend-americas-europe",
        "2025-10-24T08:17:24.173+00:00",
    ),
    "homebound-sdr-hourly": (
        "Homebound",
        "2556471e-a987-4ec3-a242-54e1edf25ebc",
        "ashby-homebound-sdr-hourly",
        "2025-10-20T15:39:17.076+00:00",
    ),
    "homebound-construction-pm-not-remote": (
        "Homebound",
        "a7207e17-03d5-40ea-a830-385f97ead34f",
        "ashby-homebound-construction-pm-la",
        "2025-10-23T19:16:26.059+00:00",
    ),
}
RAW_FIELDS = ("url", "title", "company", "location", "description", "posted", "employment_type")


def capture_file(board: str) -> str:
    return f"ashby_job-board_{board}_includeCompensation.json"


@pytest.fixture(scope="module")
def real_crawls(real_fixtures: Path) -> dict[str, Parsed]:
    return {
        board: parse_routes(
            "ashby",
            {f"/posting-api/job-board/{board}": real_fixtures / "ashby" / capture_file(board)},
            args={"board": board},
        )
        for board in BOARDS
    }


def crawled_posting(real_crawls: dict[str, Parsed], name: str) -> dict[str, Any]:
    board, job_id, _, _ = GOLD_POSTINGS[name]
    return real_crawls[board].by_id(job_id)


@pytest.fixture(scope="module")
def gold_item(real_crawls: dict[str, Parsed]) -> ItemOf:
    names = {value[2]: name for name, value in GOLD_POSTINGS.items()}
    return lambda record: crawled_posting(real_crawls, names[record["id"]])


class TestGold(GoldChecks):
    GOLD = {v[2]: datetime.fromisoformat(v[3]) for v in GOLD_POSTINGS.values()}
    RAW_FIELDS = RAW_FIELDS


@pytest.mark.parametrize("board", BOARDS)
def test_every_captured_job_comes_through_without_rejects(
    board: str, real_crawls: dict[str, Parsed], real_fixtures: Path
) -> None:
    crawl = real_crawls[board]
    capture = json.loads((real_fixtures / "ashby" / capture_file(board)).read_text())
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert crawl.rejects == []
    assert sorted(i["source_id"] for i in crawl.items) == sorted(j["id"] for j in capture["jobs"])
    assert failure_count(crawl.log) == 0
    assert f"/posting-api/job-board/{board}?includeCompensation=true" in crawl.requests


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_salary_is_the_salary_components_of_every_tier(
    name: str, real_crawls: dict[str, Parsed]
) -> None:
    """Equity/bonus components are left out; each Salary component keeps its tier title."""
    item = crawled_posting(real_crawls, name)
    assert item["salary"] == json.loads(gold.record(GOLD_POSTINGS[name][2])["input"]["salary"])


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_is_remote_flag_as_given(name: str, real_crawls: dict[str, Parsed]) -> None:
    """`isRemote` is true or null (null on "Hybrid" and on-site postings): never made false."""
    item = crawled_posting(real_crawls, name)
    given = gold.record(GOLD_POSTINGS[name][2])["input"]["remote"]
    assert item["remote"] is {"true": True, None: None}[given]


def test_unknown_board_404_is_a_failure_of_the_source() -> None:
    """Ashby answers an unknown board with 404: nothing comes out, the failure is recorded."""
    crawl = parse_routes("ashby", {}, args={"board": "NoSuchBoard"})
    assert crawl.returncode == 0
    assert crawl.items == []
    assert failure_count(crawl.log) == 1
    assert "ashby: HTTP 404 at" in crawl.log


def test_missing_board_argument_is_a_clear_error() -> None:
    crawl = parse_routes("ashby", {})
    assert crawl.all_requests == []
    assert crawl.returncode != 0
    assert "needs -a board=" in crawl.log
