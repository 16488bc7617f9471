"""Working Nomads spider: the real capture served at `/api/exposed_jobs/` on 127.0.0.1.

Raw postings are checked against the gold `input` of the same postings, normalized ones (the
chain run in this process) against the gold labels.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes

SPIDER = "workingnomads"
PATH = "/api/exposed_jobs/"
OWN_JOBS = Path(__file__).resolve().parent / "fixtures" / SPIDER / "exposed_jobs_tag_shapes.json"
CAPTURE = "workingnomads/workingnomads_exposed_jobs_2026-07-10.json"
FETCHED_AT = "2026-07-11T00:00:00+00:00"

# Gold postings of the capture, with the UTC instant of their `pub_date` (ISO with offset).
GOLD_POSTED = {
    "workingnomads-bebonia-email-sms-global": datetime(2026, 7, 7, 16, 4, 59, tzinfo=UTC),
    "workingnomads-peroptyx-ai-content-australia": datetime(2026, 7, 10, 13, 24, 39, tzinfo=UTC),
}


def crawl(body: bytes | Path) -> Parsed:
    return parse_routes(SPIDER, {PATH: body}, settings={"JOBSIFT_FETCHED_AT": FETCHED_AT})


def job_url(job_id: int) -> str:
    return f"https://www.workingnomads.com/job/go/{job_id}/"


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Parsed:
    return crawl(real_fixtures / CAPTURE)


@pytest.fixture(scope="module")
def own_crawl() -> Parsed:
    return crawl(OWN_JOBS)


def test_capture_comes_through_whole_without_rejects(
    real_crawl: Parsed, real_fixtures: Path
) -> None:
    jobs = json.loads((real_fixtures / CAPTURE).read_text(encoding="utf-8"))
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert "jobsift/failures" not in real_crawl.log
    assert real_crawl.requests == [PATH]
    assert [item["url"] for item in real_crawl.items] == [job["url"] for job in jobs]
    assert all(item["source"] == SPIDER and item["title"] for item in real_crawl.items)
    for item in real_crawl.items:
        normalized(item)  # no posting of the real capture is rejected by the chain


@pytest.fixture(scope="module")
def gold_item(real_crawl: Parsed) -> ItemOf:
    return lambda record: real_crawl.one("url", gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = GOLD_POSTED
    LABELS = gold.AGGREGATOR_LABELS


@pytest.mark.parametrize(
    ("job_id", "tags", "category", "location"),
    [
        pytest.param(
            1719512,
            ["analyst", "english", "media", "researcher"],
            "Administration",
            "Australia",
            id="peroptyx-australia",
        ),
        pytest.param(
            1712616,
            ["english", "data analyst"],
            "Development",
            "Japan - Remote",
            id="peroptyx-japan",
        ),
        pytest.param(
            1713292,
            ["email marketing", "strategic marketing", "creative", "ab testing", "ecommerce"],
            "Marketing",
            "Global",
            id="bebonia",
        ),
    ],
)
def test_tags_category_location(
    job_id: int, tags: list[str], category: str, location: str, real_crawl: Parsed
) -> None:
    item = real_crawl.one("url", job_url(job_id))
    assert item["source_id"] == str(job_id)  # the number of /job/go/{id}/
    assert (item["tags"], item["category"], item["location"]) == (tags, category, location)


@pytest.mark.parametrize(
    ("job_id", "field", "expected"),
    [
        pytest.param(1720001, "tags", ["react", "typescript", "frontend"], id="tags-trimmed"),
        pytest.param(1720003, "tags", [], id="empty-tags"),
        pytest.param(1720003, "location", None, id="empty-location"),
        pytest.param(1720001, "posted", "2026-07-11T08:00:00+02:00", id="date-as-given"),
    ],
)
def test_own_fields(job_id: int, field: str, expected: Any, own_crawl: Parsed) -> None:
    assert len(own_crawl.items) == 2
    assert own_crawl.one("url", job_url(job_id)).get(field) == expected


def test_own_posted_at_is_utc(own_crawl: Parsed) -> None:
    posting = normalized(own_crawl.one("url", job_url(1720001)))
    assert posting.overview.posted_at == datetime(2026, 7, 11, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            b'[{"url": "https://www.workingnomads.com/job/go/1/", "ti',
            "not valid JSON",
            id="truncated",
        ),
        pytest.param(b'{"detail": "Not found."}', "expected a JSON array", id="error-object"),
    ],
)
def test_broken_body_becomes_a_reject(body: bytes, reason: str) -> None:
    result = crawl(body)
    assert result.returncode == 0
    assert len(result.items) == 1
    assert reason in result.items[0]["reason"]
    assert "'jobsift/failures': 1" in result.log
