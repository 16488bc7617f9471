"""Remotive spider: real captures served at `/api/remote-jobs` on 127.0.0.1, crawled with Scrapy.

Raw postings are checked against the gold `input` of the same postings, normalized ones (the
chain run in this process) against the gold labels.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from jobsift.crawlers.spiders.remotive import RemotiveSpider

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes

SPIDER = "remotive"
PATH = "/api/remote-jobs"
CAPTURE_AUG = "remotive/remotive_api_remote-jobs_2026-08_trimmed.json"
CAPTURE_JUL = "remotive/remotive_api_remote-jobs_2026-07-09_4jobs.json"
FETCHED_AT = "2026-08-05T00:00:00+00:00"

# Gold postings of the August capture; `publication_date` has no zone and is read as UTC.
GOLD_POSTED = {
    "remotive-lemon-designer-regions": datetime(2026, 7, 28, 14, 23, 5, tzinfo=UTC),
    "remotive-outsite-bdr-regions-countries": datetime(2026, 7, 23, 15, 39, 28, tzinfo=UTC),
    "remotive-ateam-independent-dev-hourly": datetime(2026, 7, 16, 10, 10, 51, tzinfo=UTC),
    "remotive-coalition-office-assistant-worldwide": datetime(2026, 7, 11, 20, 18, 11, tzinfo=UTC),
    "remotive-tribe-pet-health-utc-6": datetime(2026, 7, 9, 8, 1, 56, tzinfo=UTC),
}


def crawl(body: bytes | Path, args: dict[str, str] | None = None) -> Parsed:
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return parse_routes(SPIDER, {PATH: body}, args=args, settings=settings)


@pytest.fixture(scope="module")
def crawls(real_fixtures: Path) -> dict[str, Parsed]:
    return {capture: crawl(real_fixtures / capture) for capture in (CAPTURE_AUG, CAPTURE_JUL)}


@pytest.mark.parametrize("capture", [CAPTURE_AUG, CAPTURE_JUL])
def test_capture_comes_through_whole_without_rejects(
    capture: str, crawls: dict[str, Parsed], real_fixtures: Path
) -> None:
    result = crawls[capture]
    jobs = json.loads((real_fixtures / capture).read_text(encoding="utf-8"))["jobs"]
    assert result.returncode == 0, result.log[-2000:]
    assert "jobsift/failures" not in result.log
    assert result.requests == [PATH]  # one call: no paging, no filters by default
    assert [item["source_id"] for item in result.items] == [str(job["id"]) for job in jobs]
    assert all(item["source"] == SPIDER and item["title"] for item in result.items)
    for item in result.items:
        normalized(item)  # no posting of a real capture is rejected by the chain


@pytest.fixture(scope="module")
def gold_item(crawls: dict[str, Parsed]) -> ItemOf:
    return lambda record: crawls[CAPTURE_AUG].by_id(gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = GOLD_POSTED
    LABELS = gold.AGGREGATOR_LABELS


def test_gold_timezone_from_candidate_required_location(crawls: dict[str, Parsed]) -> None:
    record = gold.record("remotive-tribe-pet-health-utc-6")
    posting = normalized(crawls[CAPTURE_AUG].by_id("2091048"))
    timezone = posting.eligibility.timezone
    assert (timezone.model_dump() if timezone else None) == record["gold"]["timezone"]


@pytest.mark.parametrize(
    ("source_id", "field", "expected"),
    [
        pytest.param("2091047", "salary", None, id="empty-salary-is-none"),
        pytest.param("2091047", "employment_type", "part_time", id="job-type-raw"),
        pytest.param("2091047", "location", "Canada", id="candidate-required-location"),
        pytest.param("2086540", "salary", "OTE $25k - $35k", id="salary-text-as-given"),
        pytest.param("2086540", "category", "Sales", id="category-kept"),
        pytest.param(
            "2091047", "tags", ["go", "social media", "AI/ML", "research", "diversity"], id="tags"
        ),
    ],
)
def test_july_capture_fields(
    source_id: str, field: str, expected: Any, crawls: dict[str, Parsed]
) -> None:
    assert crawls[CAPTURE_JUL].by_id(source_id).get(field) == expected


def test_empty_job_type_is_none(crawls: dict[str, Parsed]) -> None:
    item = crawls[CAPTURE_AUG].by_id("2091072")
    assert item["employment_type"] is None
    assert item["salary"] is None


def test_filters_become_query_parameters(real_fixtures: Path) -> None:
    args = {
        "category": "software-dev",
        "company_name": "A.Team",
        "search": "python dev",
        "limit": "5",
    }
    result = crawl(real_fixtures / CAPTURE_JUL, args=args)
    assert len(result.requests) == 1
    request = urlsplit(result.requests[0])
    assert request.path == PATH
    assert {k: v[0] for k, v in parse_qs(request.query).items()} == args
    assert len(result.items) == 4


@pytest.mark.parametrize("limit", ["0", "-3", "ten"])
def test_bad_limit_is_a_clear_error(limit: str) -> None:
    with pytest.raises(ValueError, match="limit must be a positive integer"):
        RemotiveSpider(limit=limit)


def test_politeness_settings() -> None:
    # At most 2 requests a minute (terms); the scheduler skips runs closer than 6 h (~4 a day).
    assert RemotiveSpider.custom_settings["DOWNLOAD_DELAY"] == 30
    assert RemotiveSpider.custom_settings["JOBSIFT_MIN_INTERVAL"] == 6 * 3600


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b'{"job-count": 3, "jobs": [{"id": 1, "ti', "not valid JSON", id="truncated"),
        pytest.param(b'{"00-warning": "moved"}', "'jobs' list", id="no-jobs-key"),
    ],
)
def test_broken_body_becomes_a_reject(body: bytes, reason: str) -> None:
    result = crawl(body)
    assert result.returncode == 0
    assert len(result.items) == 1
    assert reason in result.items[0]["reason"]
    assert "'jobsift/failures': 1" in result.log


@pytest.mark.parametrize(
    ("envelope", "args", "partial"),
    [
        ({"job-count": 2, "total-job-count": 2}, None, []),
        ({"job-count": 2, "total-job-count": 40}, None, ["2 of 40 jobs listed"]),
        ({"job-count": 2, "total-job-count": 2}, {"limit": "2"}, ["limit=2 caps the listing"]),
        ({}, None, []),
    ],
    ids=["whole", "filtered", "limited", "no-counts"],
)
def test_a_capped_or_filtered_listing_is_partial(
    envelope: dict[str, int], args: dict[str, str] | None, partial: list[str]
) -> None:
    jobs = [{"id": n, "title": "Engineer", "url": f"https://remotive.com/j/{n}"} for n in (1, 2)]
    result = crawl(json.dumps({**envelope, "jobs": jobs}).encode(), args)
    assert len(result.items) == 2
    assert RemotiveSpider.complete_listing and result.spider.partial == partial
