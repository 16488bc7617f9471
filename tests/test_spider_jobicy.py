"""Jobicy spider: every real capture served at its own filtered URL on 127.0.0.1, real Scrapy.

Each capture is routed only at the exact query it was recorded with, so crawling it with the same
filters as spider arguments also proves the filters reach the URL. Raw postings are checked
against the gold `input`, normalized ones (the chain run in this process) against gold labels.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from jobsift.crawlers.spiders.jobicy import JobicySpider

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes

SPIDER = "jobicy"
PATH = "/api/v2/remote-jobs"
FETCHED_AT = "2026-07-11T00:00:00+00:00"

# Each capture and the filters of the request that produced it (fixtures/real/SOURCES.md).
CAPTURES: dict[str, dict[str, str]] = {
    "jobicy/jobicy_v2_count10_industry-supporting_2024-12-08.json": {
        "count": "10",
        "industry": "supporting",
    },
    "jobicy/jobicy_v2_count15_geo-canada_2024-12-08.json": {"count": "15", "geo": "canada"},
    "jobicy/jobicy_v2_count20_geo-usa_industry-marketing_tag-seo_2024-12-05.json": {
        "count": "20",
        "geo": "usa",
        "industry": "marketing",
        "tag": "seo",
    },
    "jobicy/jobicy_v2_count20_tag-python_2024-12-08.json": {"count": "20", "tag": "python"},
    "jobicy/jobicy_v2_count30_geo-usa_industry-copywriting_2024-12-08.json": {
        "count": "30",
        "geo": "usa",
        "industry": "copywriting",
    },
    "jobicy/jobicy_v2_count5_2026-07-10_apiv2.2.14.json": {"count": "5"},
}
CANADA = "jobicy/jobicy_v2_count15_geo-canada_2024-12-08.json"
COPYWRITING = "jobicy/jobicy_v2_count30_geo-usa_industry-copywriting_2024-12-08.json"
MARKETING = "jobicy/jobicy_v2_count20_geo-usa_industry-marketing_tag-seo_2024-12-05.json"
API_2026 = "jobicy/jobicy_v2_count5_2026-07-10_apiv2.2.14.json"

# Gold postings: 2024 `pubDate` has no zone and is UTC per Jobicy's docs; 2026 is ISO with offset.
GOLD_POSTED = {
    "jobicy-gitlab-support-amer": datetime(2024, 12, 7, 4, 16, 6, tzinfo=UTC),
    "jobicy-storyteller-junior-copywriter-cad": datetime(2024, 11, 9, 4, 50, 37, tzinfo=UTC),
    "jobicy-confidential-chat-support-agency": datetime(2024, 12, 7, 15, 33, 17, tzinfo=UTC),
    "jobicy-wpromote-paid-search-no-sponsorship": datetime(2024, 11, 13, 4, 40, 39, tzinfo=UTC),
    "jobicy-revenuecat-content-salarymin": datetime(2026, 7, 10, 19, 25, 2, tzinfo=UTC),
}


def crawl(route: str, body: bytes | Path, args: dict[str, str] | None = None) -> Parsed:
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return parse_routes(SPIDER, {route: body}, args=args, settings=settings)


@pytest.fixture(scope="module")
def crawls(real_fixtures: Path) -> dict[str, Parsed]:
    # Six child processes: run them side by side (each has its own server and output folder).
    with ThreadPoolExecutor(max_workers=len(CAPTURES)) as pool:
        futures = {
            capture: pool.submit(
                crawl,
                f"{PATH}?{urlencode(args)}",
                real_fixtures / capture,
                args=args,
            )
            for capture, args in CAPTURES.items()
        }
        return {capture: future.result() for capture, future in futures.items()}


def crawled(crawls: dict[str, Parsed], record: dict[str, Any]) -> dict[str, Any]:
    capture = record["fixture"].removeprefix("real/")
    return crawls[capture].by_id(gold.posting_key(record))


@pytest.mark.parametrize("capture", list(CAPTURES))
def test_capture_comes_through_whole_without_rejects(
    capture: str, crawls: dict[str, Parsed], real_fixtures: Path
) -> None:
    result = crawls[capture]
    jobs = json.loads((real_fixtures / capture).read_text(encoding="utf-8"))["jobs"]
    assert result.returncode == 0, result.log[-2000:]
    assert "jobsift/failures" not in result.log
    assert result.requests == [f"{PATH}?{urlencode(CAPTURES[capture])}"]  # filters in the URL
    assert [item["source_id"] for item in result.items] == [str(job["id"]) for job in jobs]
    assert all(item["source"] == SPIDER and item["title"] for item in result.items)
    for item in result.items:
        normalized(item)  # no posting of a real capture is rejected by the chain


@pytest.fixture(scope="module")
def gold_item(crawls: dict[str, Parsed]) -> ItemOf:
    return lambda record: crawled(crawls, record)


class TestGold(GoldChecks):
    GOLD = GOLD_POSTED
    LABELS = gold.AGGREGATOR_LABELS


@pytest.mark.parametrize(
    ("capture", "source_id", "field", "expected"),
    [
        pytest.param(
            CANADA,
            "110411",
            "salary",
            {"annualSalaryMin": "72800", "annualSalaryMax": "156000", "salaryCurrency": "USD"},
            id="2024-salary",
        ),
        pytest.param(
            API_2026,
            "146002",
            "salary",
            {"salaryMin": 151000, "salaryCurrency": "USD", "salaryPeriod": "yearly"},
            id="2026-salary-min-only",
        ),
        pytest.param(API_2026, "145880", "salary", None, id="2026-no-salary"),
        pytest.param(CANADA, "110411", "location", "LATAM,  Canada,  USA", id="geo-intact"),
        pytest.param(CANADA, "110411", "posted", "2024-12-07 04:16:06", id="2024-date-as-given"),
        pytest.param(
            API_2026, "145880", "posted", "2026-07-10T20:00:05+00:00", id="2026-date-as-given"
        ),
        pytest.param(
            COPYWRITING, "88418", "employment_type", "contract | part-time", id="job-types-joined"
        ),
        pytest.param(API_2026, "145880", "employment_type", "Contract", id="job-type-raw"),
        pytest.param(CANADA, "112235", "category", "HR & Recruiting", id="industry-unescaped"),
        pytest.param(API_2026, "145885", "job_level", "Director", id="job-level-extra"),
    ],
)
def test_fields_of_both_formats(
    capture: str, source_id: str, field: str, expected: Any, crawls: dict[str, Parsed]
) -> None:
    assert crawls[capture].by_id(source_id).get(field) == expected


@pytest.mark.parametrize(
    ("capture", "source_id", "expected"),
    [
        pytest.param(API_2026, "145880", datetime(2026, 7, 10, 20, 0, 5, tzinfo=UTC), id="2026"),
        pytest.param(MARKETING, "111984", datetime(2024, 12, 1, 4, 10, 21, tzinfo=UTC), id="2024"),
    ],
)
def test_both_date_formats_normalize(
    capture: str, source_id: str, expected: datetime, crawls: dict[str, Parsed]
) -> None:
    assert normalized(crawls[capture].by_id(source_id)).overview.posted_at == expected


def test_no_filters_means_a_bare_url(real_fixtures: Path) -> None:
    result = crawl(PATH, real_fixtures / API_2026)
    assert result.requests == [PATH]
    assert len(result.items) == 4


@pytest.mark.parametrize("count", ["0", "101", "all"])
def test_bad_count_is_a_clear_error(count: str) -> None:
    with pytest.raises(ValueError, match="count must be an integer from 1 to 100"):
        JobicySpider(count=count)


def test_polls_at_most_hourly() -> None:
    assert JobicySpider.custom_settings == {"JOBSIFT_MIN_INTERVAL": 3600}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            b"<!DOCTYPE html><title>Just a moment...</title>", "not valid JSON", id="challenge-page"
        ),
        pytest.param(
            b'{"success": false, "error": "rate limited"}', "'jobs' list", id="error-object"
        ),
    ],
)
def test_broken_body_becomes_a_reject(body: bytes, reason: str) -> None:
    result = crawl(PATH, body)
    assert result.returncode == 0
    assert len(result.items) == 1
    assert reason in result.items[0]["reason"]
    assert "'jobsift/failures': 1" in result.log
