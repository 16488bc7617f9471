"""Greenhouse spider: real board captures and own pay-transparency fixtures through real Scrapy.

Raw postings are compared with the gold `input` of the same postings, normalized ones (through
`pipelines.chain.normalize_payload`, the functions the pipeline runs) with the gold labels.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.spiders import Answer, failure_count, index_by

OWN = Path(__file__).resolve().parent / "fixtures" / "greenhouse"
CAPTURES = {  # board token: capture of `/v1/boards/{board}/jobs?content=true`
    "point72": "greenhouse_jobs_content_point72_2026-06_trimmed.json",
    "impiricus": "greenhouse_jobs_content_impiricus_2026-07_fields-reduced.json",
}
GONG_DETAIL = "greenhouse_job_detail_gongio_4679941006_2026-07.json"
GONG_ID = 4679941006

# name: (board, job id, gold record id, posted_at in UTC)
GOLD_POSTINGS = {
    "impiricus-qa-automation": (
        "impiricus",
        "4993696008",
        "greenhouse-impiricus-qa-automation",
        "2026-07-10T17:31:21+00:00",
    ),
    "point72-academy-japan": (
        "point72",
        "8491149002",
        "greenhouse-point72-academy-insight-japan",
        "2026-04-02T10:42:37+00:00",
    ),
    "point72-intern-warsaw": (
        "point72",
        "8406727002",
        "greenhouse-point72-swe-intern-warsaw",
        "2026-02-05T17:59:43+00:00",
    ),
    "point72-cubist-multicity": (
        "point72",
        "7318012002",
        "greenhouse-point72-cubist-quant-multicity",
        "2024-08-15T21:08:20+00:00",
    ),
    "gong-revenue-architect": (
        "gongio",
        "4679941006",
        "greenhouse-gong-revenue-architect-trimmed",
        "2026-05-07T18:53:31+00:00",
    ),
}
RAW_FIELDS = (
    "url",
    "title",
    "company",
    "location",
    "description",
    "posted",
    "salary",
    "employment_type",
    "remote",
)


def crawl_board(routes: dict[str, Answer], args: dict[str, str]) -> Parsed:
    return parse_routes("greenhouse", routes, args=args)


@pytest.fixture(scope="module")
def real_crawls(real_fixtures: Path) -> dict[str, Parsed]:
    """Each captured board crawled once; Gong (a detail capture) through the detail endpoint."""
    crawls = {}
    for board, capture in CAPTURES.items():
        board_path = f"/v1/boards/{board}/jobs"
        routes: dict[str, Answer] = {board_path: real_fixtures / "greenhouse" / capture}
        crawls[board] = crawl_board(routes, {"board": board})
    detail = json.loads((real_fixtures / "greenhouse" / GONG_DETAIL).read_text())
    routes = {
        "/v1/boards/gongio/jobs": json.dumps({"jobs": [detail], "meta": {"total": 1}}).encode(),
        f"/v1/boards/gongio/jobs/{GONG_ID}": real_fixtures / "greenhouse" / GONG_DETAIL,
    }
    args = {"board": "gongio", "pay_transparency": "true"}
    crawls["gongio"] = crawl_board(routes, args)
    return crawls


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


@pytest.mark.parametrize("board", [*CAPTURES, "gongio"])
def test_every_captured_job_comes_through_without_rejects(
    board: str, real_crawls: dict[str, Parsed], real_fixtures: Path
) -> None:
    crawl = real_crawls[board]
    if board == "gongio":
        expected = 1
    else:
        expected = len(
            json.loads((real_fixtures / "greenhouse" / CAPTURES[board]).read_text())["jobs"]
        )
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert crawl.rejects == []
    assert len(crawl.items) == expected
    assert failure_count(crawl.log) == 0


@pytest.mark.parametrize("board", CAPTURES)
def test_content_is_unescaped_exactly_once(
    board: str, real_crawls: dict[str, Parsed], real_fixtures: Path
) -> None:
    jobs = json.loads((real_fixtures / "greenhouse" / CAPTURES[board]).read_text())["jobs"]
    contents = {str(job["id"]): job["content"] for job in jobs}
    for item in real_crawls[board].items:
        assert item["description"] == html.unescape(contents[item["source_id"]])
        assert item["description"].lstrip().startswith("<")  # markup, not escaped text


def test_doubly_escaped_entity_stays_an_entity(real_crawls: dict[str, Parsed]) -> None:
    """Gong's `&amp;amp;` is one escaping of the entity `&amp;`: one unescape keeps the entity."""
    description = crawled_posting(real_crawls, "gong-revenue-architect")["description"]
    assert "Education &amp; learning stipend.&nbsp;" in description
    assert "&amp;amp;" not in description


# --- own fixtures: the detail endpoint with pay_transparency=true (no real capture exists) ---

OWN_BOARD = "northwindlabs"
OWN_LIST = OWN / "board_northwindlabs_jobs_content.json"
OWN_DETAILS = {
    "7012345001": OWN / "job_northwindlabs_7012345001_pay_transparency.json",
    "7012345002": OWN / "job_northwindlabs_7012345002_pay_transparency.json",
}


def own_routes(with_details: bool = True) -> dict[str, Answer]:
    routes: dict[str, Answer] = {f"/v1/boards/{OWN_BOARD}/jobs": OWN_LIST}
    if with_details:
        for job_id, path in OWN_DETAILS.items():
            routes[f"/v1/boards/{OWN_BOARD}/jobs/{job_id}"] = path
    return routes


@pytest.fixture(scope="module")
def pay_crawl() -> Parsed:
    args = {"board": OWN_BOARD, "pay_transparency": "true"}
    return crawl_board(own_routes(), args)


def test_pay_transparency_follows_each_detail(pay_crawl: Parsed) -> None:
    assert pay_crawl.returncode == 0
    assert sorted(r for r in pay_crawl.requests if "pay_transparency" in r) == [
        f"/v1/boards/{OWN_BOARD}/jobs/{job_id}?pay_transparency=true" for job_id in OWN_DETAILS
    ]
    assert sorted(i["source_id"] for i in pay_crawl.items) == sorted(OWN_DETAILS)
    assert failure_count(pay_crawl.log) == 0


def test_pay_input_ranges_pass_through_in_cents(pay_crawl: Parsed) -> None:
    by_id = index_by(pay_crawl.items, "source_id")
    ranges = json.loads(OWN_DETAILS["7012345001"].read_text())["pay_input_ranges"]
    assert by_id["7012345001"]["salary"] == {"pay_input_ranges": ranges}
    assert by_id["7012345001"]["salary"]["pay_input_ranges"][0]["min_cents"] == 12000000
    assert by_id["7012345002"]["salary"] is None  # an empty list is no pay range


def test_own_detail_raw_fields(pay_crawl: Parsed) -> None:
    item = index_by(pay_crawl.items, "source_id")["7012345001"]
    assert item["title"] == "Data Engineer"
    assert item["company"] == "Northwind Labs"
    assert item["location"] == "Remote - US | Remote (US)"
    assert item["employment_type"] == "Full Time"
    assert item["posted"] == "2026-07-01T09:15:00-04:00"
    assert item["facts"] == {"Time Type": "Full Time"}  # the null "Job Level" is left out
    assert item["description"].startswith("<p><strong>About the role</strong></p>")
    assert "We&rsquo;re an equal opportunity employer.&nbsp;" in item["description"]


OWN_NORMALIZED = {
    "title": "Data Engineer",
    "company": "Northwind Labs",
    "countries": ["US"],
    "work_setting": "remote",
    # One range; the blurb says "annual base salary" (pay_input_ranges carry no period).
    "salary": {"min": 120000, "max": 150000, "currency": "USD", "period": "year"},
    "posted_at": datetime.fromisoformat("2026-07-01T13:15:00+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_detail_normalized(field: str, pay_crawl: Parsed) -> None:
    item = index_by(pay_crawl.items, "source_id")["7012345001"]
    assert gold.field(normalized(item), field) == OWN_NORMALIZED[field]


def test_list_only_without_pay_transparency() -> None:
    crawl = crawl_board(own_routes(), {"board": OWN_BOARD})
    assert crawl.requests == [f"/v1/boards/{OWN_BOARD}/jobs?content=true"]
    assert [i["salary"] for i in crawl.items] == [None, None]


def test_missing_detail_falls_back_to_the_listed_job() -> None:
    args = {"board": OWN_BOARD, "pay_transparency": "true"}
    crawl = crawl_board(own_routes(with_details=False), args)
    assert crawl.returncode == 0
    assert sorted(i["source_id"] for i in crawl.items) == sorted(OWN_DETAILS)
    assert all(i["salary"] is None and i["title"] for i in crawl.items)
    assert failure_count(crawl.log) == 2
    assert crawl.log.count("greenhouse: HTTP 404 at") == 2


def test_missing_board_argument_is_a_clear_error() -> None:
    crawl = crawl_board({}, {})
    assert crawl.returncode != 0
    assert "needs -a board=" in crawl.log
    assert crawl.all_requests == []
