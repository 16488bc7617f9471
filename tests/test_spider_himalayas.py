"""Himalayas spider: real capture and own pages served at `/jobs/api` on 127.0.0.1, real Scrapy.

Raw postings are checked against the gold `input` of the same postings, normalized ones (the
chain run in this process) against the gold labels. Paging (offset/limit until totalCount, at
most 20 per call) and millisecond dates are not in the capture: own fixtures cover them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jobsift.crawlers.spiders.himalayas import HimalayasSpider

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.spiders import Answer, Crawl, crawl_routes

SPIDER = "himalayas"
PATH = "/jobs/api"
OWN_FIXTURES = Path(__file__).resolve().parent / "fixtures" / SPIDER
CAPTURE = "himalayas/himalayas_jobs_api_limit5_2026-07-10.json"
FETCHED_AT = "2026-07-11T00:00:00+00:00"


def page(offset: int) -> str:
    return f"{PATH}?limit=20&offset={offset}"


# Gold postings of the capture, with the UTC instant of their `pubDate` (epoch seconds).
GOLD_POSTED = {
    "himalayas-mindrift-ai-trainer-hourly": datetime(2026, 7, 11, 0, 56, 30, tzinfo=UTC),
    "himalayas-nvidia-system-sw-us-ca": datetime(2026, 7, 11, 0, 56, 22, tzinfo=UTC),
    "himalayas-binance-pm-hk-sg-tw": datetime(2026, 7, 11, 0, 58, 36, tzinfo=UTC),
}
OWN_POSTED = datetime.fromtimestamp(1783700000, UTC)
OWN_EXPIRES = datetime.fromtimestamp(1788884000, UTC)


def crawl(routes: dict[str, Answer], args: dict[str, str] | None = None) -> Parsed:
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return parse_routes(SPIDER, routes, args=args, settings=settings)


def guid(company: str, slug: str) -> str:
    return f"https://himalayas.app/companies/{company}/jobs/{slug}"


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Parsed:
    # The capture says totalCount 100371: our own empty page at the next offset ends the crawl.
    routes = {page(0): real_fixtures / CAPTURE, page(4): OWN_FIXTURES / "empty_page_offset4.json"}
    return crawl(routes)


@pytest.fixture(scope="module")
def paged_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """Paging through real Scrapy and HTTP (the other tests call the callbacks directly)."""
    routes: dict[str, Answer] = {
        page(0): OWN_FIXTURES / "page_offset0.json",
        page(3): OWN_FIXTURES / "page_offset3.json",
    }
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return crawl_routes(SPIDER, tmp_path_factory.mktemp("paged"), routes, settings=settings)


def test_capture_comes_through_whole_without_rejects(
    real_crawl: Parsed, real_fixtures: Path
) -> None:
    jobs = json.loads((real_fixtures / CAPTURE).read_text(encoding="utf-8"))["jobs"]
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert "jobsift/failures" not in real_crawl.log
    # The next offset is the previous one plus the jobs actually returned (4, not the limit).
    assert real_crawl.requests == [page(0), page(4)]
    assert [item["source_id"] for item in real_crawl.items] == [job["guid"] for job in jobs]
    assert all(item["source"] == SPIDER and item["title"] for item in real_crawl.items)
    for item in real_crawl.items:
        normalized(item)  # no posting of the real capture is rejected by the chain


@pytest.fixture(scope="module")
def gold_item(real_crawl: Parsed) -> ItemOf:
    return lambda record: real_crawl.by_id(gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = GOLD_POSTED
    LABELS = gold.AGGREGATOR_LABELS


@pytest.mark.parametrize(
    ("source_id", "timezones"),
    [
        pytest.param(
            guid("nvidia", "senior-system-software-engineer-nvsci"),
            [-10, -9, -8, -7, -6, -5, -4, -3.5, 14],
            id="nvidia-fractional-and-14",
        ),
        pytest.param(guid("binance", "product-manager-web3-defi"), [8], id="binance"),
    ],
)
def test_timezone_restrictions_kept_as_extra(
    source_id: str, timezones: list[float], real_crawl: Parsed
) -> None:
    assert real_crawl.by_id(source_id)["timezone_restrictions"] == timezones


def test_no_amount_means_no_salary(real_crawl: Parsed) -> None:
    # Ceragon: salaryPeriod "annual" but minSalary/maxSalary null and currency null.
    item = real_crawl.by_id(guid("ceragon-networks", "content-marcom-specialist"))
    assert item["salary"] is None
    assert normalized(item).compensation is None


def test_expiry_date_is_valid_through(real_crawl: Parsed) -> None:
    item = real_crawl.by_id(guid("nvidia", "senior-system-software-engineer-nvsci"))
    assert item["valid_through"] == 1788915380
    expected = datetime(2026, 9, 9, 0, 56, 20, tzinfo=UTC)
    assert normalized(item).overview.valid_through == expected


def test_paging_follows_offsets_until_total_count(paged_crawl: Crawl) -> None:
    assert paged_crawl.returncode == 0
    assert "jobsift/failures" not in paged_crawl.log
    assert paged_crawl.requests == [page(0), page(3)]  # 3 + 2 = totalCount 5: no third call
    assert len(paged_crawl.items) == 5


@pytest.mark.parametrize(
    ("source_id", "raw_posted", "raw_expiry"),
    [
        pytest.param(guid("tidewave", "backend-engineer-go"), 1783700000, 1788884000, id="seconds"),
        pytest.param(
            guid("orbitly", "support-lead"), 1783700000000, 1788884000000, id="milliseconds"
        ),
    ],
)
def test_dates_pass_as_given_and_normalize_alike(
    source_id: str, raw_posted: int, raw_expiry: int, paged_crawl: Crawl
) -> None:
    item = paged_crawl.by_id(source_id)
    assert (item["posted"], item["valid_through"]) == (raw_posted, raw_expiry)
    posting = normalized(item)
    assert (posting.overview.posted_at, posting.overview.valid_through) == (OWN_POSTED, OWN_EXPIRES)


@pytest.mark.parametrize(
    ("source_id", "location", "salary", "countries"),
    [
        pytest.param(
            guid("tidewave", "backend-engineer-go"),
            "Germany | Netherlands",
            {"minSalary": 70000, "maxSalary": 90000, "currency": "EUR", "salaryPeriod": "annual"},
            ["DE", "NL"],
            id="two-countries-eur",
        ),
        pytest.param(
            guid("brightlane", "qa-analyst"),
            "Canada",
            {"minSalary": 35, "maxSalary": None, "currency": "CAD", "salaryPeriod": "hourly"},
            ["CA"],
            id="min-only-hourly",
        ),
        pytest.param(guid("orbitly", "support-lead"), None, None, [], id="no-restrictions"),
    ],
)
def test_own_page_locations_and_salaries(
    source_id: str,
    location: str | None,
    salary: dict[str, Any] | None,
    countries: list[str],
    paged_crawl: Crawl,
) -> None:
    item = paged_crawl.by_id(source_id)
    assert (item["location"], item["salary"]) == (location, salary)
    assert normalized(item).eligibility.countries == countries


def test_max_pages_caps_the_crawl() -> None:
    routes = {
        page(0): OWN_FIXTURES / "page_offset0.json",
        page(3): OWN_FIXTURES / "page_offset3.json",
    }
    result = crawl(routes, args={"max_pages": "1"})
    assert result.requests == [page(0)]
    assert len(result.items) == 3


def test_next_cursor_is_followed_when_given() -> None:
    cursor = "eyJwdWJEYXRlIjoxNzgzNzAwMDAwfQ=="
    routes = {
        page(0): OWN_FIXTURES / "cursor_page1.json",
        f"{PATH}?limit=20&cursor={quote(cursor, safe='')}": OWN_FIXTURES / "cursor_page2.json",
    }
    result = crawl(routes)
    assert result.requests == list(routes)  # page 2 has `nextCursor: null`: done
    assert len(result.items) == 5
    assert "jobsift/failures" not in result.log


def test_server_ignoring_offset_does_not_loop(real_fixtures: Path) -> None:
    # Every offset answers the same page (route on the path alone): stop after one repeat.
    result = crawl({PATH: real_fixtures / CAPTURE})
    assert result.requests == [page(0), page(4)]
    assert len(result.items) == 4
    assert "jobsift/failures" not in result.log


def test_broken_second_page_keeps_the_first() -> None:
    routes = {page(0): OWN_FIXTURES / "page_offset0.json", page(3): b'{"jobs": [{"title": "Da'}
    result = crawl(routes)
    postings = [item for item in result.items if "reason" not in item]
    rejects = [item for item in result.items if "reason" in item]
    assert len(postings) == 3
    assert len(rejects) == 1 and "not valid JSON" in rejects[0]["reason"]
    assert "'jobsift/failures': 1" in result.log


@pytest.mark.parametrize("max_pages", ["0", "many"])
def test_bad_max_pages_is_a_clear_error(max_pages: str) -> None:
    with pytest.raises(ValueError, match="max_pages must be a positive integer"):
        HimalayasSpider(max_pages=max_pages)
