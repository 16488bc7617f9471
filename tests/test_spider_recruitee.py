"""Recruitee spider: the real offers capture and an own offer, crawled by real Scrapy."""

from __future__ import annotations

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

OWN = Path(__file__).resolve().parent / "fixtures" / "recruitee"
CAPTURE = "recruitee_api_offers_2026-08_sanitized.json"
# name: (guid, gold record id, posted_at in UTC)
GOLD_POSTINGS = {
    "acme-financial-accountant-note": (
        "e4u78",
        "recruitee-acme-financial-accountant",
        "2026-08-05T10:10:39+00:00",
    ),
    "acme-partner-dev-rep": (
        "b5c95",
        "recruitee-acme-partner-dev-rep",
        "2026-07-31T22:26:40+00:00",
    ),
}
RAW_FIELDS = (
    "url",
    "title",
    "company",
    "location",
    "description",
    "posted",
    "employment_type",
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


def crawl_company(company: str, body: Path, tmp_path: Path) -> tuple[CrawlOutcome, list[str]]:
    """The host carries the company; the setting here is a plain 127.0.0.1 base URL."""
    with FixtureServer() as server:
        server.add("/api/offers/", body)
        outcome = scrapy_crawl(
            "recruitee",
            tmp_path,
            args={"company": company},
            settings={"JOBSIFT_RECRUITEE_URL": server.url},
        )
        return outcome, list(server.requests)


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict[str, dict[str, Any]]:
    lines = (shared / "gold" / "dev.jsonl").read_text().splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


@pytest.fixture(scope="module")
def real_crawl(
    real_fixtures: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CrawlOutcome, list[str]]:
    capture = real_fixtures / "recruitee" / CAPTURE
    return crawl_company("acme", capture, tmp_path_factory.mktemp("acme"))


def crawled_posting(real_crawl: tuple[CrawlOutcome, list[str]], name: str) -> dict[str, Any]:
    guid = GOLD_POSTINGS[name][0]
    matches = [i for i in real_crawl[0].items if i.get("source_id") == guid]
    assert len(matches) == 1, f"offer {guid} came out {len(matches)} times"
    return matches[0]


def test_every_captured_offer_comes_through_without_rejects(
    real_crawl: tuple[CrawlOutcome, list[str]], real_fixtures: Path
) -> None:
    outcome, requests = real_crawl
    offers = json.loads((real_fixtures / "recruitee" / CAPTURE).read_text())["offers"]
    assert outcome.returncode == 0, outcome.log[-2000:]
    assert [i for i in outcome.items if is_reject(i)] == []
    assert sorted(i["source_id"] for i in outcome.items) == sorted(o["guid"] for o in offers)
    assert failure_count(outcome.log) == 0
    assert "/api/offers/" in requests


@pytest.mark.parametrize("field", RAW_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_posting_equals_gold_input(
    name: str, field: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    assert item.get(field) == gold[GOLD_POSTINGS[name][1]]["input"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_salary_object_as_given(
    name: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    assert item["salary"] == json.loads(gold[GOLD_POSTINGS[name][1]]["input"]["salary"])


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_remote_names_the_flag_that_is_set(
    name: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    """Gold writes the three flags as JSON; the spider passes the one that is true."""
    flags = json.loads(gold[GOLD_POSTINGS[name][1]]["input"]["remote"])
    assert flags == {"remote": False, "hybrid": True, "on_site": False}
    assert crawled_posting(real_crawl, name)["remote"] == "hybrid"


@pytest.mark.parametrize("field", NORMALIZED_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posting_matches_gold(
    name: str, field: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    assert normalized(item)[field] == gold[GOLD_POSTINGS[name][1]]["gold"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posted_at(name: str, real_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    item = crawled_posting(real_crawl, name)
    assert normalized(item)["posted_at"] == datetime.fromisoformat(GOLD_POSTINGS[name][2])


# --- own fixture: remote and on-site both allowed, a salary object without amounts ---


@pytest.fixture(scope="module")
def own_item(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    body = OWN / "offers_polderpost_remote_and_on_site.json"
    outcome, _ = crawl_company("polderpost", body, tmp_path_factory.mktemp("polderpost"))
    assert outcome.returncode == 0
    assert len(outcome.items) == 1
    return outcome.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param("source_id", "q7k2m", id="source_id"),
        # remote and on_site are both true: remote work is allowed, so the offer is remote.
        pytest.param("remote", "remote", id="remote"),
        pytest.param("salary", None, id="salary-without-amounts"),
        # The second location repeats the offer's own location; empty notes add nothing.
        pytest.param("location", "Utrecht, Utrecht, Netherlands | Utrecht HQ", id="location"),
        pytest.param("valid_through", "2026-09-30 21:59:59 UTC", id="valid_through"),
        pytest.param("tags", ["Go", "PostgreSQL"], id="tags"),
        pytest.param(
            "description",
            "<p><strong>About the job</strong></p><p>Polderpost delivers parcels by cargo bike. "
            "Work from home anywhere in the Netherlands, or from our Utrecht office.</p>"
            "<p><strong>What you bring</strong></p><ul><li><p>3+ years of Go</p></li></ul>",
            id="description",
        ),
    ],
)
def test_own_offer_raw(field: str, expected: Any, own_item: dict[str, Any]) -> None:
    assert own_item.get(field) == expected


OWN_NORMALIZED = {
    "title": "Backend Engineer (Go)",
    "company": "Polderpost",
    "countries": ["NL"],
    "work_setting": "remote",
    "salary": None,
    "posted_at": datetime.fromisoformat("2026-07-28T07:05:12+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_offer_normalized(field: str, own_item: dict[str, Any]) -> None:
    assert normalized(own_item)[field] == OWN_NORMALIZED[field]


def test_company_fills_the_host_template(tmp_path: Path) -> None:
    """The default base URL is `https://{company}.recruitee.com`; a template setting works too."""
    with FixtureServer() as server:
        server.add("/api/offers/", b'{"offers": []}')
        # 127.0.0.1 with the company as a path prefix stands in for the company's host.
        template = server.url + "/{company}"
        server.add("/polderpost/api/offers/", b'{"offers": []}')
        outcome = scrapy_crawl(
            "recruitee",
            tmp_path,
            args={"company": "polderpost"},
            settings={"JOBSIFT_RECRUITEE_URL": template},
        )
        assert "/polderpost/api/offers/" in server.requests
    assert outcome.returncode == 0
    assert failure_count(outcome.log) == 0


def test_missing_company_argument_is_a_clear_error(tmp_path: Path) -> None:
    with FixtureServer() as server:
        outcome = scrapy_crawl(
            "recruitee", tmp_path, settings={"JOBSIFT_RECRUITEE_URL": server.url}
        )
        assert server.requests == []
    assert outcome.returncode != 0
    assert "needs -a company=" in outcome.log
