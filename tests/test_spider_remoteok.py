"""RemoteOK spider: real captures served at `/api` on 127.0.0.1, crawled with real Scrapy.

Raw postings are checked against the gold `input` of the same postings, normalized ones (the
chain run in this process) against the gold labels.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jobsift.crawlers.spiders.remoteok import RemoteokSpider

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.server import Route
from tests.support.spiders import Answer

SPIDER = "remoteok"
OWN_FIXTURES = Path(__file__).resolve().parent / "fixtures" / SPIDER
CAPTURE_2024 = "remoteok/remoteok_api_2024-12-04_trimmed.json"
CAPTURE_2026 = "remoteok/remoteok_api_2026-07-10_4jobs.json"
MOJIBAKE = OWN_FIXTURES / "api_mojibake_and_partial_salary.json"
FETCHED_AT = "2026-08-01T00:00:00+00:00"

# Gold postings of the 2024 capture, with the UTC instant their `date` names.
GOLD_POSTED = {
    "remoteok-1840-account-manager-za-agency": datetime(2024, 12, 3, 20, 0, 11, tzinfo=UTC),
    "remoteok-beyondcloud-principal-canada": datetime(2024, 12, 3, 20, 0, 2, tzinfo=UTC),
    "remoteok-spaceback-csm-us-auth": datetime(2024, 12, 3, 15, 0, 8, tzinfo=UTC),
    "remoteok-dock-fullstack-india": datetime(2024, 12, 2, 23, 46, 29, tzinfo=UTC),
}


def crawl(body: Answer) -> Parsed:
    return parse_routes(SPIDER, {"/api": body}, settings={"JOBSIFT_FETCHED_AT": FETCHED_AT})


@pytest.fixture(scope="module")
def crawl_2024(real_fixtures: Path) -> Parsed:
    return crawl(real_fixtures / CAPTURE_2024)


@pytest.fixture(scope="module")
def crawl_2026(real_fixtures: Path) -> Parsed:
    return crawl(real_fixtures / CAPTURE_2026)


@pytest.fixture(scope="module")
def crawl_own() -> Parsed:
    return crawl(MOJIBAKE)


@pytest.fixture(scope="module")
def crawls(crawl_2024: Parsed, crawl_2026: Parsed) -> dict[str, Parsed]:
    return {CAPTURE_2024: crawl_2024, CAPTURE_2026: crawl_2026}


@pytest.mark.parametrize("capture", [CAPTURE_2024, CAPTURE_2026])
def test_capture_comes_through_whole_without_rejects(
    capture: str, crawls: dict[str, Parsed], real_fixtures: Path
) -> None:
    result = crawls[capture]
    body = json.loads((real_fixtures / capture).read_text(encoding="utf-8"))
    jobs = [element for element in body if "legal" not in element]
    assert "legal" in body[0] and len(jobs) == len(body) - 1  # the notice is element 0 only
    assert result.returncode == 0, result.log[-2000:]
    assert "jobsift/failures" not in result.log
    assert result.requests == ["/api"]
    assert [item.get("source_id") for item in result.items] == [job["id"] for job in jobs]
    assert all(item["source"] == SPIDER and item["title"] for item in result.items)
    for item in result.items:
        normalized(item)  # no posting of a real capture is rejected by the chain


@pytest.fixture(scope="module")
def gold_item(crawl_2024: Parsed) -> ItemOf:
    return lambda record: crawl_2024.by_id(gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = GOLD_POSTED
    LABELS = gold.AGGREGATOR_LABELS

    def expected_input(self, record: gold.Record) -> dict[str, Any]:
        expected = gold.input_of(record)
        # The spider unescapes entities in company names ("1840 &amp; Company"); gold keeps them raw.
        expected["company"] = html.unescape(expected["company"]) if expected["company"] else None
        return expected


def test_company_entities_are_unescaped(crawl_2024: Parsed) -> None:
    item = crawl_2024.by_id("1059247")
    assert item["company"] == "CI&T"
    assert normalized(item).overview.company == "CI&T"


def test_duplicate_tags_are_dropped_in_order(crawl_2024: Parsed) -> None:
    assert crawl_2024.by_id("1059249")["tags"] == ["golang", "senior", "engineer", "backend"]


def test_empty_location_is_none(crawl_2024: Parsed) -> None:
    assert crawl_2024.by_id("1059249")["location"] is None


@pytest.mark.parametrize("source_id", ["1134698", "1134650", "1134651", "1134648"])
def test_zero_salary_means_no_salary(source_id: str, crawl_2026: Parsed) -> None:
    item = crawl_2026.by_id(source_id)
    assert item["salary"] is None
    assert normalized(item).compensation is None


def test_2026_posting_fields(crawl_2026: Parsed) -> None:
    item = crawl_2026.by_id("1134698")
    assert item["title"] == "Australian English Voice Actor Adelaide"
    assert item["company"] == "OpsArmy Careers"
    assert item["location"] == "Adelaide, Adelaide, South Australia, Australia"
    assert item["posted"] == "2026-07-10T02:20:45+00:00"
    assert item["fetched_at"] == FETCHED_AT
    posting = normalized(item)
    assert posting.overview.posted_at == datetime(2026, 7, 10, 2, 20, 45, tzinfo=UTC)
    assert posting.eligibility.countries == ["AU"]


@pytest.mark.parametrize(
    ("source_id", "location", "salary", "countries"),
    [
        pytest.param(
            "1134702",
            "Florianópolis, Santa Catarina, Brazil",
            {"salary_max": 120000},
            ["BR"],
            id="mojibake-repaired-min-zero-dropped",
        ),
        pytest.param("1134703", "Zürich, Switzerland", None, ["CH"], id="latin-text-intact"),
    ],
)
def test_own_fixture_location_and_salary(
    source_id: str,
    location: str,
    salary: dict[str, int] | None,
    countries: list[str],
    crawl_own: Parsed,
) -> None:
    item = crawl_own.by_id(source_id)
    assert len(crawl_own.items) == 2
    assert item["location"] == location
    assert item["salary"] == salary
    assert normalized(item).eligibility.countries == countries


def test_own_fixture_company_entity_and_tags(crawl_own: Parsed) -> None:
    assert crawl_own.by_id("1134703")["company"] == "Alpen&Byte AG"
    assert crawl_own.by_id("1134702")["tags"] == ["data", "python", "senior", "engineer"]


def test_html_body_becomes_a_reject_and_a_failure() -> None:
    result = crawl(b"<html><body>Rate limited</body></html>")
    assert result.returncode == 0
    assert len(result.items) == 1
    assert result.items[0]["source"] == SPIDER
    assert "not valid JSON" in result.items[0]["reason"]
    assert "'jobsift/failures': 1" in result.log


def test_odd_entry_becomes_a_reject_and_the_rest_come_through(real_fixtures: Path) -> None:
    body = json.loads((real_fixtures / CAPTURE_2026).read_text(encoding="utf-8"))
    body.insert(2, "Sponsored: post a job on Remote OK")  # not a job object
    result = crawl(json.dumps(body).encode())
    postings = [item for item in result.items if "reason" not in item]
    rejects = [item for item in result.items if "reason" in item]
    assert [item["source_id"] for item in postings] == ["1134698", "1134650", "1134651", "1134648"]
    assert len(rejects) == 1 and rejects[0]["raw"] == "Sponsored: post a job on Remote OK"
    assert "'jobsift/failures': 1" in result.log


def test_http_error_is_recorded_not_fatal() -> None:
    result = crawl(Route(b"busy", 503))
    assert result.returncode == 0
    assert result.items == []
    assert "HTTP 503" in result.log


def test_polls_at_most_hourly() -> None:
    assert RemoteokSpider.custom_settings["JOBSIFT_MIN_INTERVAL"] == 3600
