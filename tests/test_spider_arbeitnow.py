"""Arbeitnow spider: the real capture and own pages served at `/api/job-board-api` on 127.0.0.1.

Raw postings are checked against the gold `input` of the same postings, normalized ones (the
chain run in this process) against the gold labels. The capture holds only `data` (no `links`),
so `links.next` paging is covered by own pages whose links name the real host.
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
from tests.support.spiders import Answer, Crawl, crawl_routes

SPIDER = "arbeitnow"
PATH = "/api/job-board-api"
OWN_FIXTURES = Path(__file__).resolve().parent / "fixtures" / SPIDER
CAPTURE = "arbeitnow/arbeitnow_job-board-api_2026-02_trimmed.json"
FETCHED_AT = "2026-02-16T00:00:00+00:00"

# Gold postings of the capture, with the UTC instant of their `created_at` (epoch seconds).
GOLD_POSTED = {
    "arbeitnow-solaredge-tam-dach": datetime(2026, 2, 15, 12, 42, 10, tzinfo=UTC),
    "arbeitnow-sendcloud-ae-dach-german-hybrid": datetime(2026, 2, 15, 7, 45, 14, tzinfo=UTC),
}


def crawl(routes: dict[str, Answer]) -> Parsed:
    return parse_routes(SPIDER, routes, settings={"JOBSIFT_FETCHED_AT": FETCHED_AT})


def page(number: int) -> str:
    return f"{PATH}?page={number}"


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Parsed:
    return crawl({PATH: real_fixtures / CAPTURE})


@pytest.fixture(scope="module")
def paged_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """Paging through real Scrapy and HTTP (the other tests call the callbacks directly)."""
    routes: dict[str, Answer] = {
        PATH: OWN_FIXTURES / "page1.json",
        page(2): OWN_FIXTURES / "page2_last.json",
    }
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return crawl_routes(SPIDER, tmp_path_factory.mktemp("paged"), routes, settings=settings)


def test_capture_comes_through_whole_without_rejects(
    real_crawl: Parsed, real_fixtures: Path
) -> None:
    jobs = json.loads((real_fixtures / CAPTURE).read_text(encoding="utf-8"))["data"]
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert "jobsift/failures" not in real_crawl.log
    assert real_crawl.requests == [PATH]  # no `links.next`: one page
    assert [item["source_id"] for item in real_crawl.items] == [job["slug"] for job in jobs]
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
    ("slug", "remote", "employment_type"),
    [
        pytest.param(
            "recruiting-partner-projektbasis-remote-wutoschingen-469876",
            True,
            "geschäftsleitung",
            id="german-job-type",
        ),
        pytest.param(
            "teamlead-fundraising-zu-100-remote-im-ehrenamt-berlin-404665",
            True,
            "Side | teamleitung",
            id="job-types-joined",
        ),
        pytest.param(
            "chief-of-staff-executive-assistant-to-the-ceo-biesenthal-345765",
            False,
            "geschäftsleitung",
            id="on-site-flag",
        ),
        pytest.param("account-executive-dach-munich-38033", False, None, id="no-job-types"),
    ],
)
def test_remote_flag_and_job_types(
    slug: str, remote: bool, employment_type: str | None, real_crawl: Parsed
) -> None:
    item = real_crawl.by_id(slug)
    assert item["remote"] is remote  # the source's own boolean, as given
    assert item["employment_type"] == employment_type


def test_created_at_passes_as_epoch_seconds(real_crawl: Parsed) -> None:
    assert real_crawl.by_id("forward-deployed-engineer-berlin-234531")["posted"] == 1771027283


def test_links_next_is_followed_on_our_host(paged_crawl: Crawl) -> None:
    assert paged_crawl.returncode == 0
    assert "jobsift/failures" not in paged_crawl.log
    # `links.next` names www.arbeitnow.com; its path and query are fetched from the test server.
    assert paged_crawl.requests == [PATH, page(2)]  # page 2 has `next: null`: done
    assert [item["source_id"] for item in paged_crawl.items] == [
        "backend-entwickler-golang-leipzig-501001",
        "werkstudent-marketing-koln-501002",
        "devops-engineer-hamburg-501003",
    ]


@pytest.mark.parametrize(
    ("slug", "field", "expected"),
    [
        pytest.param(
            "backend-entwickler-golang-leipzig-501001",
            "employment_type",
            "Full time | berufserfahren",
            id="types-joined",
        ),
        pytest.param("werkstudent-marketing-koln-501002", "remote", False, id="remote-false"),
        pytest.param("werkstudent-marketing-koln-501002", "location", "Köln", id="location"),
        pytest.param("devops-engineer-hamburg-501003", "employment_type", None, id="no-types"),
    ],
)
def test_own_page_fields(slug: str, field: str, expected: Any, paged_crawl: Crawl) -> None:
    assert paged_crawl.by_id(slug).get(field) == expected


@pytest.mark.parametrize(
    ("slug", "posted_at", "countries"),
    [
        pytest.param(
            "backend-entwickler-golang-leipzig-501001",
            datetime(2026, 2, 16, 0, 0, tzinfo=UTC),
            ["DE"],
            id="leipzig",
        ),
        pytest.param(
            "werkstudent-marketing-koln-501002",
            datetime(2026, 2, 15, 21, 13, 20, tzinfo=UTC),
            ["DE"],
            id="koln",
        ),
    ],
)
def test_own_page_normalized(
    slug: str, posted_at: datetime, countries: list[str], paged_crawl: Crawl
) -> None:
    posting = normalized(paged_crawl.by_id(slug))
    assert posting.overview.posted_at == posted_at
    assert posting.eligibility.countries == countries


def test_empty_page_stops_even_with_a_next_link() -> None:
    routes = {
        PATH: OWN_FIXTURES / "page1.json",
        page(2): OWN_FIXTURES / "page2_more.json",
        page(3): OWN_FIXTURES / "page3_empty.json",
    }
    result = crawl(routes)
    assert result.requests == [PATH, page(2), page(3)]  # page 3 is empty: page 4 is not asked
    assert len(result.items) == 3
    assert "jobsift/failures" not in result.log


def test_broken_second_page_keeps_the_first() -> None:
    routes = {PATH: OWN_FIXTURES / "page1.json", page(2): b"<html>Too Many Requests</html>"}
    result = crawl(routes)
    postings = [item for item in result.items if "reason" not in item]
    rejects = [item for item in result.items if "reason" in item]
    assert len(postings) == 2
    assert len(rejects) == 1 and "not valid JSON" in rejects[0]["reason"]
    assert "'jobsift/failures': 1" in result.log
