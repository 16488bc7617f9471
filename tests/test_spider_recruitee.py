"""Recruitee spider: the real offers capture and an own offer, crawled by real Scrapy."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.server import FixtureServer
from tests.support.spiders import Crawl, crawl_routes, crawl_source, failure_count

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


def crawl_company(company: str, body: Path, tmp_path: Path) -> Crawl:
    """The host carries the company; the setting here is a plain 127.0.0.1 base URL."""
    routes = {"/api/offers/": body}
    return crawl_routes("recruitee", tmp_path, routes, args={"company": company})


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    capture = real_fixtures / "recruitee" / CAPTURE
    return crawl_company("acme", capture, tmp_path_factory.mktemp("acme"))


def crawled_posting(real_crawl: Crawl, name: str) -> dict[str, Any]:
    return real_crawl.by_id(GOLD_POSTINGS[name][0])


def test_every_captured_offer_comes_through_without_rejects(
    real_crawl: Crawl, real_fixtures: Path
) -> None:
    offers = json.loads((real_fixtures / "recruitee" / CAPTURE).read_text())["offers"]
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert real_crawl.rejects == []
    assert sorted(i["source_id"] for i in real_crawl.items) == sorted(o["guid"] for o in offers)
    assert failure_count(real_crawl.log) == 0
    assert "/api/offers/" in real_crawl.requests


@pytest.mark.parametrize("field", RAW_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_posting_equals_gold_input(name: str, field: str, real_crawl: Crawl) -> None:
    item = crawled_posting(real_crawl, name)
    assert item.get(field) == gold.record(GOLD_POSTINGS[name][1])["input"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_salary_object_as_given(name: str, real_crawl: Crawl) -> None:
    item = crawled_posting(real_crawl, name)
    assert item["salary"] == json.loads(gold.record(GOLD_POSTINGS[name][1])["input"]["salary"])


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_remote_names_the_flag_that_is_set(name: str, real_crawl: Crawl) -> None:
    """Gold writes the three flags as JSON; the spider passes the one that is true."""
    flags = json.loads(gold.record(GOLD_POSTINGS[name][1])["input"]["remote"])
    assert flags == {"remote": False, "hybrid": True, "on_site": False}
    assert crawled_posting(real_crawl, name)["remote"] == "hybrid"


@pytest.mark.parametrize("field", gold.CORE_LABELS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posting_matches_gold(name: str, field: str, real_crawl: Crawl) -> None:
    item = crawled_posting(real_crawl, name)
    assert gold.field(normalized(item), field) == gold.record(GOLD_POSTINGS[name][1])["gold"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posted_at(name: str, real_crawl: Crawl) -> None:
    item = crawled_posting(real_crawl, name)
    assert normalized(item).overview.posted_at == datetime.fromisoformat(GOLD_POSTINGS[name][2])


# --- own fixture: remote and on-site both allowed, a salary object without amounts ---


@pytest.fixture(scope="module")
def own_item(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    body = OWN / "offers_polderpost_remote_and_on_site.json"
    crawl = crawl_company("polderpost", body, tmp_path_factory.mktemp("polderpost"))
    assert crawl.returncode == 0
    assert len(crawl.items) == 1
    return crawl.items[0]


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
    assert gold.field(normalized(own_item), field) == OWN_NORMALIZED[field]


def test_company_fills_the_host_template(tmp_path: Path) -> None:
    """The default base URL is `https://{company}.recruitee.com`; a template setting works too."""
    with FixtureServer() as server:
        server.add("/api/offers/", b'{"offers": []}')
        # 127.0.0.1 with the company as a path prefix stands in for the company's host.
        template = server.url + "/{company}"
        server.add("/polderpost/api/offers/", b'{"offers": []}')
        outcome = crawl_source(
            "recruitee",
            server,
            tmp_path,
            args={"company": "polderpost"},
            settings={"JOBSIFT_RECRUITEE_URL": template},
        )
        assert "/polderpost/api/offers/" in server.requests
    assert outcome.returncode == 0
    assert failure_count(outcome.log) == 0


def test_missing_company_argument_is_a_clear_error(tmp_path: Path) -> None:
    crawl = crawl_routes("recruitee", tmp_path, {})
    assert crawl.all_requests == []
    assert crawl.returncode != 0
    assert "needs -a company=" in crawl.log
