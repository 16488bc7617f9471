"""Workable spider: the real widget capture and an own multi-location account, read by the
spider's callbacks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.spiders import failure_count, index_by

OWN = Path(__file__).resolve().parent / "fixtures" / "workable"
CAPTURE = "workable_widget_accounts_crewai_details_2026-07.json"
# name: (shortcode, gold record id, posted_at in UTC from the date-only published_on)
GOLD_POSTINGS = {
    "crewai-csm-latam": ("3862836931", "workable-crewai-csm-latam", "2026-06-30T00:00:00+00:00"),
    "crewai-fde-east-coast": (
        "96051E9EDE",
        "workable-crewai-fde-east-coast",
        "2026-04-09T00:00:00+00:00",
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
)


def crawl_account(account: str, body: Path) -> Parsed:
    routes = {f"/api/v1/widget/accounts/{account}": body}
    return parse_routes("workable", routes, args={"account": account})


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Parsed:
    capture = real_fixtures / "workable" / CAPTURE
    return crawl_account("crewai", capture)


def crawled_posting(real_crawl: Parsed, name: str) -> dict[str, Any]:
    return real_crawl.by_id(GOLD_POSTINGS[name][0])


@pytest.fixture(scope="module")
def gold_item(real_crawl: Parsed) -> ItemOf:
    return lambda record: real_crawl.by_id(gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = {v[1]: datetime.fromisoformat(v[2]) for v in GOLD_POSTINGS.values()}
    RAW_FIELDS = RAW_FIELDS


def test_every_captured_job_comes_through_without_rejects(
    real_crawl: Parsed, real_fixtures: Path
) -> None:
    capture = json.loads((real_fixtures / "workable" / CAPTURE).read_text())
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert real_crawl.rejects == []
    assert sorted(i["source_id"] for i in real_crawl.items) == sorted(
        j["shortcode"] for j in capture["jobs"]
    )
    assert failure_count(real_crawl.log) == 0
    assert "/api/v1/widget/accounts/crewai?details=true" in real_crawl.requests


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_telecommuting_flag_as_given(name: str, real_crawl: Parsed) -> None:
    item = crawled_posting(real_crawl, name)
    assert item["remote"] is True
    assert gold.record(GOLD_POSTINGS[name][1])["input"]["remote"] == "true"


def test_on_site_job_keeps_its_false_flag(real_crawl: Parsed) -> None:
    by_id = index_by(real_crawl.items, "source_id")
    assert by_id["0AB5665160"]["remote"] is False
    assert by_id["0AB5665160"]["location"] == "San Francisco, California, United States"


# --- own fixture: several locations, one of them hidden, and a part-time role ---


@pytest.fixture(scope="module")
def own_item() -> dict[str, Any]:
    body = OWN / "account_harborfinch_details_multi_location.json"
    crawl = crawl_account("harborfinch", body)
    assert crawl.returncode == 0
    assert len(crawl.items) == 1
    return crawl.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param("source_id", "7C1D2E3F4A", id="source_id"),
        pytest.param("company", "Harbor & Finch", id="company"),
        # Hidden locations are not shown on the posting, so they are not passed on.
        pytest.param("location", "Lisbon, Lisbon, Portugal | Spain", id="location"),
        pytest.param("country_codes", ["PT", "ES", "IE"], id="country_codes"),
        pytest.param("posted", "2026-07-21", id="posted"),
        pytest.param("employment_type", "Part-time", id="employment_type"),
        pytest.param("remote", True, id="remote"),
        pytest.param("apply_url", "https://apply.workable.com/j/7C1D2E3F4A/apply", id="apply_url"),
    ],
)
def test_own_account_raw(field: str, expected: Any, own_item: dict[str, Any]) -> None:
    assert own_item.get(field) == expected


OWN_NORMALIZED = {
    "title": "Customer Support Specialist",
    "company": "Harbor & Finch",
    "countries": ["ES", "PT"],
    "work_setting": "remote",
    "salary": None,
    "posted_at": datetime.fromisoformat("2026-07-21T00:00:00+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_account_normalized(field: str, own_item: dict[str, Any]) -> None:
    assert gold.field(normalized(own_item), field) == OWN_NORMALIZED[field]


def test_missing_account_argument_is_a_clear_error() -> None:
    crawl = parse_routes("workable", {})
    assert crawl.all_requests == []
    assert crawl.returncode != 0
    assert "needs -a account=" in crawl.log


# --- one shortcode listed under two locations: one posting with both, nothing dropped ---


def _listing(shortcode: str, title: str, city: str, country: str, code: str) -> dict[str, Any]:
    return {
        "title": title,
        "shortcode": shortcode,
        "url": f"https://apply.workable.com/j/{shortcode}",
        "published_on": "2026-11-02",
        "city": city,
        "country": country,
        "locations": [{"city": city, "country": country, "countryCode": code, "hidden": False}],
        "description": f"<p>{title}.</p>",
    }


def test_a_shortcode_listed_twice_is_one_posting_with_both_locations() -> None:
    body = {
        "name": "Twinsite",
        "jobs": [
            _listing("AAA111", "Data Engineer", "Berlin", "Germany", "DE"),
            _listing("BBB222", "Designer", "Lisbon", "Portugal", "PT"),
            _listing("AAA111", "Data Engineer", "Paris", "France", "FR"),
        ],
    }
    crawl = parse_routes(
        "workable",
        {"/api/v1/widget/accounts/twinsite": json.dumps(body)},
        args={"account": "twinsite"},
    )
    assert crawl.rejects == []
    assert sorted(item["source_id"] for item in crawl.items) == ["AAA111", "BBB222"]
    twice = crawl.by_id("AAA111")
    assert twice["location"] == "Berlin, Germany | Paris, France"
    assert twice["country_codes"] == ["DE", "FR"]
    assert crawl.stats["jobsift/workable/merged_listings"] == 1
