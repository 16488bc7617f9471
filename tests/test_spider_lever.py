"""Lever spider: real postings captures, an own posting with salaryRange and HTML lists, and
skip/limit paging over two pages, crawled by real Scrapy.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.spiders import Answer, crawl_routes, failure_count

OWN = Path(__file__).resolve().parent / "fixtures" / "lever"
CAPTURES = {  # company: capture of `/v0/postings/{company}?mode=json`
    "wealthfront": "lever_postings_wealthfront_mode-json_2026-06.json",
    "outreach": "lever_postings_outreach_2026-07_trimmed-destyled.json",
}
# name: (company, posting id, gold record id, posted_at in UTC from createdAt milliseconds)
GOLD_POSTINGS = {
    "wealthfront-android-hybrid": (
        "wealthfront",
        "78d6f6d5-1f08-4d5d-87be-c4250567bfb5",
        "lever-wealthfront-android-hybrid",
        "2023-09-11T20:23:16.009+00:00",
    ),
    "wealthfront-ios-remote-vs-hybrid": (
        "wealthfront",
        "eccc8bc6-81e4-4d43-af11-b246ba28c56e",
        "lever-wealthfront-ios-remote-vs-hybrid",
        "2026-02-12T21:20:33.151+00:00",
    ),
    "wealthfront-market-writer-temporary": (
        "wealthfront",
        "796920df-7d0e-4b84-9501-3243b96cd5a9",
        "lever-wealthfront-market-writer-temporary",
        "2026-04-08T22:47:08.454+00:00",
    ),
    "outreach-ae-salary-range": (
        "outreach",
        "a60fb104-ce93-4ba0-8763-ffb075b3eed1",
        "lever-outreach-ae-commercial-salaryrange",
        "2026-06-29T17:15:06.506+00:00",
    ),
    "outreach-am-london-hybrid": (
        "outreach",
        "f9e62dad-44bf-4e52-88ca-854a2b26fa58",
        "lever-outreach-am-emea-london-hybrid",
        "2026-07-13T18:36:36.379+00:00",
    ),
}
RAW_FIELDS = ("url", "title", "company", "location", "description", "employment_type", "remote")


def crawl_company(
    company: str,
    routes: dict[str, Answer],
    settings: dict[str, Any] | None = None,
) -> Parsed:
    return parse_routes("lever", routes, args={"company": company}, settings=settings)


@pytest.fixture(scope="module")
def real_crawls(real_fixtures: Path) -> dict[str, Parsed]:
    crawls = {}
    for company, capture in CAPTURES.items():
        # Served at the path alone: the capture is the whole board, whatever skip/limit say.
        routes: dict[str, Answer] = {f"/v0/postings/{company}": real_fixtures / "lever" / capture}
        crawls[company] = crawl_company(company, routes)
    return crawls


def crawled_posting(real_crawls: dict[str, Parsed], name: str) -> dict[str, Any]:
    company, posting_id, _, _ = GOLD_POSTINGS[name]
    return real_crawls[company].by_id(posting_id)


@pytest.fixture(scope="module")
def gold_item(real_crawls: dict[str, Parsed]) -> ItemOf:
    names = {value[2]: name for name, value in GOLD_POSTINGS.items()}
    return lambda record: crawled_posting(real_crawls, names[record["id"]])


class TestGold(GoldChecks):
    GOLD = {v[2]: datetime.fromisoformat(v[3]) for v in GOLD_POSTINGS.values()}
    RAW_FIELDS = RAW_FIELDS


@pytest.mark.parametrize("company", CAPTURES)
def test_every_captured_posting_comes_through_without_rejects(
    company: str, real_crawls: dict[str, Parsed], real_fixtures: Path
) -> None:
    crawl = real_crawls[company]
    capture = json.loads((real_fixtures / "lever" / CAPTURES[company]).read_text())
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert crawl.rejects == []
    assert sorted(i["source_id"] for i in crawl.items) == sorted(p["id"] for p in capture)
    assert failure_count(crawl.log) == 0


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_created_at_and_salary_range_as_given(
    name: str, real_crawls: dict[str, Parsed]
) -> None:
    item = crawled_posting(real_crawls, name)
    given = gold.record(GOLD_POSTINGS[name][2])["input"]
    assert isinstance(item["posted"], int)  # epoch milliseconds stay a number
    assert str(item["posted"]) == given["posted"]
    assert item["salary"] == (json.loads(given["salary"]) if given["salary"] else None)


def test_bare_list_items_of_real_postings_end_up_inside_lists(
    real_crawls: dict[str, Parsed],
) -> None:
    for item in real_crawls["wealthfront"].items:
        root = lxml.html.fragment_fromstring(item["description"], create_parent="div")
        items = root.findall(".//li")
        assert items, item["title"]
        # Inside a list, also where Lever wrapped the fragments in a <div> of their own.
        assert all(next(li.iterancestors("ul", "ol"), None) is not None for li in items)


# --- own fixture: salaryRange with every HTML field (no such real capture could be had) ---

OWN_POSTING = OWN / "postings_fjordline_salary_range_full_html.json"
OWN_DESCRIPTION = (
    "<div>Fjordline builds route-planning software for regional ferry operators.</div>"
    "<div><br></div>"
    "<div>As a Platform Engineer you will keep our booking systems fast and reliable.</div>"
    "<h3>What you will do</h3><ul><li>Run and improve our Kubernetes platform on AWS</li>"
    "<li>Build deployment tooling used by six product teams</li></ul>"
    "<h3>What you bring</h3><ul><div><li>3+ years running production infrastructure</li>"
    "<li>Fluent English; German is a plus</li></div></ul>"
    "<div>Pay transparency: the base salary range for this role is €95,000 - €120,000 per "
    "year.</div><div><br></div><div>We hire across Germany and work remotely by default.</div>"
)


@pytest.fixture(scope="module")
def own_item() -> dict[str, Any]:
    routes: dict[str, Answer] = {"/v0/postings/fjordline": OWN_POSTING}
    crawl = crawl_company("fjordline", routes)
    assert crawl.returncode == 0
    assert len(crawl.items) == 1
    return crawl.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param("source_id", "3f1c2a9e-8b7d-4c55-9e21-6a0b4d7e9f10", id="source_id"),
        pytest.param("title", "Platform Engineer", id="title"),
        pytest.param("company", None, id="company"),
        pytest.param("location", "Berlin, Germany | Remote - Germany", id="location"),
        pytest.param("description", OWN_DESCRIPTION, id="description"),
        pytest.param("posted", 1783000000000, id="posted"),
        pytest.param(
            "salary",
            {"currency": "EUR", "interval": "per-year-salary", "min": 95000, "max": 120000},
            id="salary",
        ),
        pytest.param("employment_type", "Full-time", id="employment_type"),
        pytest.param("remote", "remote", id="remote"),
        pytest.param(
            "apply_url",
            "https://jobs.lever.co/fjordline/3f1c2a9e-8b7d-4c55-9e21-6a0b4d7e9f10/apply",
            id="apply_url",
        ),
        pytest.param("country", "DE", id="country"),
    ],
)
def test_own_posting_raw(field: str, expected: Any, own_item: dict[str, Any]) -> None:
    assert own_item.get(field) == expected


OWN_NORMALIZED = {
    "title": "Platform Engineer",
    "countries": ["DE"],
    "work_setting": "remote",
    "salary": {"min": 95000, "max": 120000, "currency": "EUR", "period": "year"},
    "posted_at": datetime.fromisoformat("2026-07-02T13:46:40+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_posting_normalized(field: str, own_item: dict[str, Any]) -> None:
    assert gold.field(normalized(own_item), field) == OWN_NORMALIZED[field]


# --- paging: skip/limit over two pages ---

PAGES: dict[str, Answer] = {
    "/v0/postings/tidewater?mode=json&skip=0&limit=2": OWN / "postings_tidewater_skip0_limit2.json",
    "/v0/postings/tidewater?mode=json&skip=2&limit=2": OWN / "postings_tidewater_skip2_limit2.json",
}


def test_paging_follows_full_pages_and_stops_after_a_short_one(tmp_path: Path) -> None:
    """Paging through real Scrapy and HTTP (the other tests call the callbacks directly)."""
    args, settings = {"company": "tidewater"}, {"JOBSIFT_LEVER_PAGE_SIZE": 2}
    crawl = crawl_routes("lever", tmp_path, PAGES, args=args, settings=settings)
    assert crawl.returncode == 0
    assert crawl.requests == list(PAGES)
    assert [i["title"] for i in crawl.items] == [
        "Support Engineer",
        "Support Team Lead",
        "Support Operations Analyst",
    ]
    assert [i["remote"] for i in crawl.items] == ["on-site", "remote", "hybrid"]
    assert failure_count(crawl.log) == 0


def test_paging_stops_when_the_server_ignores_skip() -> None:
    """A server answering every page with the same postings must not be paged forever."""
    routes = {"/v0/postings/tidewater": PAGES["/v0/postings/tidewater?mode=json&skip=0&limit=2"]}
    crawl = crawl_company("tidewater", routes, settings={"JOBSIFT_LEVER_PAGE_SIZE": 2})
    assert len([r for r in crawl.requests if r.startswith("/v0/postings/")]) == 2
    assert len(crawl.items) == 2


def test_missing_company_argument_is_a_clear_error() -> None:
    crawl = parse_routes("lever", {})
    assert crawl.all_requests == []
    assert crawl.returncode != 0
    assert "needs -a company=" in crawl.log
