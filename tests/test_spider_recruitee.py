"""Recruitee spider: the real offers capture and an own offer, read by the spider's callbacks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import BASE_URL, Parsed, parse_routes

OWN = Path(__file__).resolve().parent / "fixtures" / "recruitee"
CAPTURE = "recruitee_api_offers_2026-08_sanitized.json"


def crawl_company(company: str, body: Path) -> Parsed:
    return parse_routes("recruitee", {"/api/offers/": body}, args={"company": company})


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Parsed:
    return crawl_company("acme", real_fixtures / "recruitee" / CAPTURE)


@pytest.fixture(scope="module")
def gold_item(real_crawl: Parsed) -> ItemOf:
    return lambda record: real_crawl.by_id(gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = {
        "recruitee-acme-financial-accountant": datetime.fromisoformat("2026-08-05T10:10:39+00:00"),
        "recruitee-acme-partner-dev-rep": datetime.fromisoformat("2026-07-31T22:26:40+00:00"),
    }


def test_every_captured_offer_comes_through_without_rejects(
    real_crawl: Parsed, real_fixtures: Path
) -> None:
    offers = json.loads((real_fixtures / "recruitee" / CAPTURE).read_text())["offers"]
    assert real_crawl.rejects == []
    assert sorted(i["source_id"] for i in real_crawl.items) == sorted(o["guid"] for o in offers)
    assert real_crawl.failure_count == 0
    assert real_crawl.requests == ["/api/offers/"]


# --- own fixture: remote and on-site both allowed, a salary object without amounts ---


@pytest.fixture(scope="module")
def own_item() -> dict[str, Any]:
    crawl = crawl_company("polderpost", OWN / "offers_polderpost_remote_and_on_site.json")
    assert len(crawl.items) == 1
    return crawl.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param("source_id", "q7k2m", id="source_id"),
        # The three flags as given; remote and on_site both true is remote for normalization.
        pytest.param("remote", '{"remote":true,"hybrid":false,"on_site":true}', id="remote"),
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


def test_company_fills_the_host_template() -> None:
    """The default base URL is `https://{company}.recruitee.com`; a template setting works too."""
    # A path prefix stands in for the company's host.
    template = BASE_URL + "/{company}"
    routes = {"/polderpost/api/offers/": b'{"offers": []}'}
    settings = {"JOBSIFT_RECRUITEE_URL": template}
    crawl = parse_routes("recruitee", routes, args={"company": "polderpost"}, settings=settings)
    assert crawl.requests == ["/polderpost/api/offers/"]
    assert crawl.failure_count == 0


def test_missing_company_argument_is_a_clear_error() -> None:
    crawl = parse_routes("recruitee", {})
    assert crawl.all_requests == []
    assert crawl.returncode != 0
    assert "needs -a company=" in crawl.log
