"""Greenhouse spider: real board captures and own pay-transparency fixtures through real Scrapy.

Raw postings are compared with the gold `input` of the same postings, normalized ones (through
`pipelines.chain.normalize_payload`, the functions the pipeline runs) with the gold labels.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pipelines.chain import normalize_payload
from pipelines.draft import Reject
from tests.support.crawl import CrawlOutcome, scrapy_crawl
from tests.support.server import FixtureServer

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
NORMALIZED_FIELDS = ("title", "company", "countries", "work_setting", "salary")


def is_reject(item: dict[str, Any]) -> bool:
    return {"reason", "raw"} <= item.keys()


def failure_count(log: str) -> int:
    found = re.search(r"'jobsift/failures': (\d+)", log)
    return int(found.group(1)) if found else 0


def normalized(item: dict[str, Any]) -> dict[str, Any]:
    """The normalized fields the gold set labels, in gold's shape."""
    result = normalize_payload(item)
    assert not isinstance(result, Reject), result.reason
    posting = result.model_dump()
    pay = posting["compensation"]
    return {
        "title": posting["overview"]["title"],
        "company": posting["overview"]["company"],
        "countries": posting["eligibility"]["countries"],
        "work_setting": posting["overview"]["work_setting"],
        "salary": pay and {key: pay[key] for key in ("min", "max", "currency", "period")},
        "posted_at": posting["overview"]["posted_at"],
    }


def crawl_board(
    routes: dict[str, bytes | Path], tmp_path: Path, args: dict[str, str]
) -> tuple[CrawlOutcome, list[str]]:
    with FixtureServer() as server:
        for path, body in routes.items():
            server.add(path, body)
        outcome = scrapy_crawl(
            "greenhouse", tmp_path, args=args, settings={"JOBSIFT_GREENHOUSE_URL": server.url}
        )
        return outcome, list(server.requests)


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict[str, dict[str, Any]]:
    lines = (shared / "gold" / "dev.jsonl").read_text().splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


@pytest.fixture(scope="module")
def real_crawls(
    real_fixtures: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, CrawlOutcome]:
    """Each captured board crawled once; Gong (a detail capture) through the detail endpoint."""
    outcomes = {}
    for board, capture in CAPTURES.items():
        routes = {f"/v1/boards/{board}/jobs": real_fixtures / "greenhouse" / capture}
        outcomes[board], _ = crawl_board(routes, tmp_path_factory.mktemp(board), {"board": board})
    detail = json.loads((real_fixtures / "greenhouse" / GONG_DETAIL).read_text())
    routes = {
        "/v1/boards/gongio/jobs": json.dumps({"jobs": [detail], "meta": {"total": 1}}).encode(),
        f"/v1/boards/gongio/jobs/{GONG_ID}": real_fixtures / "greenhouse" / GONG_DETAIL,
    }
    args = {"board": "gongio", "pay_transparency": "true"}
    outcomes["gongio"], _ = crawl_board(routes, tmp_path_factory.mktemp("gongio"), args)
    return outcomes


def crawled_posting(real_crawls: dict[str, CrawlOutcome], name: str) -> dict[str, Any]:
    board, job_id, _, _ = GOLD_POSTINGS[name]
    matches = [i for i in real_crawls[board].items if i.get("source_id") == job_id]
    assert len(matches) == 1, f"job {job_id} came out {len(matches)} times"
    return matches[0]


@pytest.mark.parametrize("board", [*CAPTURES, "gongio"])
def test_every_captured_job_comes_through_without_rejects(
    board: str, real_crawls: dict[str, CrawlOutcome], real_fixtures: Path
) -> None:
    outcome = real_crawls[board]
    if board == "gongio":
        expected = 1
    else:
        expected = len(
            json.loads((real_fixtures / "greenhouse" / CAPTURES[board]).read_text())["jobs"]
        )
    assert outcome.returncode == 0, outcome.log[-2000:]
    assert [i for i in outcome.items if is_reject(i)] == []
    assert len(outcome.items) == expected
    assert failure_count(outcome.log) == 0


@pytest.mark.parametrize("field", RAW_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_posting_equals_gold_input(
    name: str, field: str, real_crawls: dict[str, CrawlOutcome], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawls, name)
    expected = gold[GOLD_POSTINGS[name][2]]["input"][field]
    assert item.get(field) == expected


@pytest.mark.parametrize("field", NORMALIZED_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posting_matches_gold(
    name: str, field: str, real_crawls: dict[str, CrawlOutcome], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawls, name)
    assert normalized(item)[field] == gold[GOLD_POSTINGS[name][2]]["gold"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posted_at_is_first_published_in_utc(
    name: str, real_crawls: dict[str, CrawlOutcome]
) -> None:
    item = crawled_posting(real_crawls, name)
    assert normalized(item)["posted_at"] == datetime.fromisoformat(GOLD_POSTINGS[name][3])


@pytest.mark.parametrize("board", CAPTURES)
def test_content_is_unescaped_exactly_once(
    board: str, real_crawls: dict[str, CrawlOutcome], real_fixtures: Path
) -> None:
    jobs = json.loads((real_fixtures / "greenhouse" / CAPTURES[board]).read_text())["jobs"]
    contents = {str(job["id"]): job["content"] for job in jobs}
    for item in real_crawls[board].items:
        assert item["description"] == html.unescape(contents[item["source_id"]])
        assert item["description"].lstrip().startswith("<")  # markup, not escaped text


def test_doubly_escaped_entity_stays_an_entity(real_crawls: dict[str, CrawlOutcome]) -> None:
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


def own_routes(with_details: bool = True) -> dict[str, bytes | Path]:
    routes: dict[str, bytes | Path] = {f"/v1/boards/{OWN_BOARD}/jobs": OWN_LIST}
    if with_details:
        for job_id, path in OWN_DETAILS.items():
            routes[f"/v1/boards/{OWN_BOARD}/jobs/{job_id}"] = path
    return routes


@pytest.fixture(scope="module")
def pay_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlOutcome, list[str]]:
    args = {"board": OWN_BOARD, "pay_transparency": "true"}
    return crawl_board(own_routes(), tmp_path_factory.mktemp("pay"), args)


def test_pay_transparency_follows_each_detail(pay_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    outcome, requests = pay_crawl
    assert outcome.returncode == 0
    assert sorted(r for r in requests if "pay_transparency" in r) == [
        f"/v1/boards/{OWN_BOARD}/jobs/{job_id}?pay_transparency=true" for job_id in OWN_DETAILS
    ]
    assert sorted(i["source_id"] for i in outcome.items) == sorted(OWN_DETAILS)
    assert failure_count(outcome.log) == 0


def test_pay_input_ranges_pass_through_in_cents(pay_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    by_id = {i["source_id"]: i for i in pay_crawl[0].items}
    ranges = json.loads(OWN_DETAILS["7012345001"].read_text())["pay_input_ranges"]
    assert by_id["7012345001"]["salary"] == {"pay_input_ranges": ranges}
    assert by_id["7012345001"]["salary"]["pay_input_ranges"][0]["min_cents"] == 12000000
    assert by_id["7012345002"]["salary"] is None  # an empty list is no pay range


def test_own_detail_raw_fields(pay_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    item = {i["source_id"]: i for i in pay_crawl[0].items}["7012345001"]
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
def test_own_detail_normalized(field: str, pay_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    item = {i["source_id"]: i for i in pay_crawl[0].items}["7012345001"]
    assert normalized(item)[field] == OWN_NORMALIZED[field]


def test_list_only_without_pay_transparency(tmp_path: Path) -> None:
    outcome, requests = crawl_board(own_routes(), tmp_path, {"board": OWN_BOARD})
    assert [r for r in requests if r != "/robots.txt"] == [
        f"/v1/boards/{OWN_BOARD}/jobs?content=true"
    ]
    assert [i["salary"] for i in outcome.items] == [None, None]


def test_missing_detail_falls_back_to_the_listed_job(tmp_path: Path) -> None:
    args = {"board": OWN_BOARD, "pay_transparency": "true"}
    outcome, _ = crawl_board(own_routes(with_details=False), tmp_path, args)
    assert outcome.returncode == 0
    assert sorted(i["source_id"] for i in outcome.items) == sorted(OWN_DETAILS)
    assert all(i["salary"] is None and i["title"] for i in outcome.items)
    assert failure_count(outcome.log) == 2
    assert outcome.log.count("greenhouse: HTTP 404 at") == 2


def test_missing_board_argument_is_a_clear_error(tmp_path: Path) -> None:
    outcome, requests = crawl_board({}, tmp_path, {})
    assert outcome.returncode != 0
    assert "needs -a board=" in outcome.log
    assert requests == []
