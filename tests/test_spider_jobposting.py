"""jobposting spider: JSON-LD pages from start URLs, the text fallback, normalization.

Pages found through sitemaps: `test_spider_jobposting_sitemaps.py`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_FIXTURES, SHARED
from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import BASE_URL, Parsed, parse_routes
from tests.support.server import Route
from tests.support.spiders import index_by

OWN = PROJECT_FIXTURES / "jobposting"
HTML = "text/html; charset=utf-8"
FETCHED_AT = "2026-07-12T00:00:00+00:00"
WTTJ = "real/jsonld/wttj_jobposting_socianova_php-symfony_2025-09.html"
WORKABLE = "real/jsonld/workable_jobposting_ldjson_reliance-health_2026-08.json"
# Served at the pages' own paths on the fixture server.
WTTJ_PATH = "/fr/companies/socianova/jobs/developpeur-senior-symfony-php_paris"
WORKABLE_PATH = (
    "/view/qEpz2EVGN5H6PonWuAKcoB/remote-associate-product-manager-in-nigeria-at-reliance-health"
)


def crawl(routes: dict[str, Route], args: dict[str, str]) -> Parsed:
    return parse_routes("jobposting", routes, args, settings={"JOBSIFT_FETCHED_AT": FETCHED_AT})


def page(body: str | Path, content_type: str = HTML) -> Route:
    return Route(
        body.read_bytes() if isinstance(body, Path) else body.encode(), 200, {}, content_type
    )


def wrapped_in_page(json_ld: str) -> str:
    """The Workable capture is the JSON-LD block alone: serve it the way the page carries it."""
    script = json_ld.replace("</", "<\\/")  # a JSON escape that keeps `</p>` from closing <script>
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Associate Product Manager</title>"
        f'<script type="application/ld+json">{script}</script></head>'
        "<body><div id='app'></div></body></html>"
    )


# --- the real captures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_crawl() -> Parsed:
    wttj, workable = SHARED / "fixtures" / WTTJ, SHARED / "fixtures" / WORKABLE
    if not (wttj.is_file() and workable.is_file()):
        pytest.skip("../shared is not beside the checkout")
    routes = {WTTJ_PATH: page(wttj), WORKABLE_PATH: page(wrapped_in_page(workable.read_text()))}
    return crawl(routes, {"urls": f"{BASE_URL}{WTTJ_PATH},{BASE_URL}{WORKABLE_PATH}"})


def by_title(outcome: Parsed) -> dict[str, dict[str, Any]]:
    return index_by(outcome.items, "title")


REAL_POSTINGS = {"wttj": WTTJ, "workable": WORKABLE}
GOLD_TITLES = {
    WTTJ: "Senior Développeur fullstack Symfony/Angular",
    WORKABLE: "Associate Product Manager",
}


def test_real_captures_one_posting_each_and_no_reject(real_crawl: Parsed) -> None:
    # The WTTJ page also has a FAQPage block: only its JobPosting counts.
    assert sorted(by_title(real_crawl)) == sorted(GOLD_TITLES.values())
    assert len(real_crawl.items) == 2
    assert all(i["source"] == "jobposting" and "reason" not in i for i in real_crawl.items)
    assert "jobsift/failures" not in real_crawl.log


@pytest.mark.parametrize("fixture", REAL_POSTINGS.values(), ids=REAL_POSTINGS.keys())
def test_real_capture_matches_the_gold_input(real_crawl: Parsed, fixture: str) -> None:
    """The raw fields the gold table prescribes, compared with the gold record's own `input`."""
    expected = gold.record_for(fixture)["input"]
    item = by_title(real_crawl)[GOLD_TITLES[fixture]]
    for key in ("url", "title", "company", "location", "description", "posted", "remote"):
        assert item.get(key) == expected[key], key
    assert item["employment_type"] == expected["employment_type"]
    salary = json.loads(expected["salary"]) if expected["salary"] else None
    assert item.get("salary") == salary


def test_wttj_extra_fields(real_crawl: Parsed) -> None:
    item = by_title(real_crawl)[GOLD_TITLES[WTTJ]]
    assert item["source_id"] is None  # no identifier: the canonical URL identifies it
    assert item["valid_through"] == "2025-12-08T07:21:12.000Z"
    assert item["experience_months"] == 48
    assert item["education_credential"] == "postgraduate degree"
    assert item["job_locations"] == [
        {
            "street": "45 Boulevard Haussmann, 75009 Paris, France",
            "locality": "Paris",
            "region": "Paris",
            "postal_code": "75009",
            "country": "FR",
        }
    ]


def test_workable_extra_fields(real_crawl: Parsed) -> None:
    item = by_title(real_crawl)[GOLD_TITLES[WORKABLE]]
    assert item["source_id"] == "jobs.workable.com:c7b81dc5-a333-417a-b4fa-fc9420c4da03"
    assert item["apply_url"] == item["url"]  # directApply: true
    assert item["direct_apply"] is True
    assert item["applicant_locations"] == [{"type": "Country", "name": "Nigeria"}]
    assert "job_locations" not in item  # `jobLocation` is an empty Place


@pytest.mark.parametrize("field", gold.CORE_LABELS_AND_POSTED_AT)
@pytest.mark.parametrize("fixture", REAL_POSTINGS.values(), ids=REAL_POSTINGS.keys())
def test_real_capture_normalized(real_crawl: Parsed, fixture: str, field: str) -> None:
    record = gold.record_for(fixture)
    posting = normalized(by_title(real_crawl)[GOLD_TITLES[fixture]])
    assert gold.field(posting, field) == gold.expected(record, field)


# --- own pages --------------------------------------------------------------------------------


# A URL that answers with the JSON-LD document itself rather than a page.
BARE_JSON_LD = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Welder",
    "hiringOrganization": {"@type": "Organization", "name": "Keel & Frame"},
    "datePosted": "2026-07-01",
    "description": "<p>MIG welding of steel frames in our Gdańsk yard.</p>",
}


@pytest.fixture(scope="module")
def own_crawl() -> tuple[Parsed, str]:
    pages = ["telecommute", "graph", "several_blocks", "no_jsonld"]
    routes = {f"/jobs/{name}.html": page(OWN / f"{name}.html") for name in pages}
    routes["/jobs/welder.json"] = page(json.dumps(BARE_JSON_LD), "application/ld+json")
    urls = ",".join(f"{BASE_URL}/jobs/{name}.html" for name in pages)
    urls += f",{BASE_URL}/jobs/welder.json"
    return crawl(routes, {"urls": urls}), BASE_URL


def test_own_pages_yield_every_posting(own_crawl: tuple[Parsed, str]) -> None:
    outcome, _ = own_crawl
    assert sorted(by_title(outcome)) == [
        "Clinical Operations Coordinator",
        "Data Analyst",
        "Medical Billing Specialist",
        "Senior Backend Engineer",
        "Site Reliability Engineer",
        "Welder",
    ]
    assert len(outcome.items) == 6  # the repeated Coordinator block counts once
    assert outcome.stats.get("jobsift/jsonld/fallback") == 1
    assert outcome.stats.get("jobsift/jsonld/invalid_block") == 1
    assert outcome.failures == []


OWN_RAW = {
    "telecommute": (
        "Senior Backend Engineer",
        {
            "source_id": "careers.tidewater-analytics.example:TW-2291",
            "url": "https://careers.tidewater-analytics.example/jobs/backend-engineer",
            "apply_url": "https://careers.tidewater-analytics.example/jobs/backend-engineer",
            "company": "Tidewater Analytics",
            "location": "Canada | Colorado | Texas",
            "remote": "TELECOMMUTE",
            "employment_type": "FULL_TIME | CONTRACTOR",
            "posted": "2026-06-30",
            "valid_through": "2026-08-31T23:59:59-06:00",
            "salary": {
                "@type": "MonetaryAmount",
                "currency": "USD",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": 140000,
                    "maxValue": 175000,
                    "unitText": "YEAR",
                },
            },
            "applicant_locations": [
                {"type": "Country", "name": "Canada"},
                {"type": "State", "name": "Colorado"},
                {"type": "State", "name": "Texas"},
            ],
            "experience_months": 60,
            "education_credential": "bachelor degree",
        },
    ),
    "graph-with-references": (
        "Data Analyst",
        {
            "source_id": "127.0.0.1:DA-07",
            "company": "Maison Ardoise",  # resolved from the @graph Organization node
            "location": "Lyon, Auvergne-Rhône-Alpes, FR | Bordeaux, FR",
            "salary": {"@type": "MonetaryAmount", "currency": "EUR", "value": 38000},
            "employment_type": "FULL_TIME",
            "posted": "2026-07-02T09:00:00+02:00",
        },
    ),
    "array-block-without-ids": (
        "Medical Billing Specialist",
        {
            "company": "Brightline Health",
            "location": "USA",
            "remote": "TELECOMMUTE",
            "description": "<p>Remote, US only. Process claims and follow up with payers.</p>",
        },
    ),
    "json-body": (
        "Welder",
        {"url": "/jobs/welder.json", "company": "Keel & Frame", "posted": "2026-07-01"},
    ),
    "plain-address-raw-newline": (
        "Clinical Operations Coordinator",
        {
            "location": "200 Market St, Philadelphia, PA 19106",
            "description": "Coordinate clinic schedules across our Philadelphia sites.\n"
            "Work on site five days a week.",
        },
    ),
}


@pytest.mark.parametrize(("title", "expected"), OWN_RAW.values(), ids=OWN_RAW.keys())
def test_own_page_raw_fields(
    own_crawl: tuple[Parsed, str], title: str, expected: dict[str, Any]
) -> None:
    outcome, base = own_crawl
    item = by_title(outcome)[title]
    if expected.get("url", "").startswith("/"):
        expected = {**expected, "url": base + expected["url"]}
    assert {key: item.get(key) for key in expected} == expected
    assert item["fetched_at"] == FETCHED_AT


def test_telecommute_description_joins_sections_in_order(
    own_crawl: tuple[Parsed, str],
) -> None:
    description = by_title(own_crawl[0])["Senior Backend Engineer"]["description"]
    parts = description.split("\n")
    assert parts[0].startswith("<p>Tidewater Analytics builds")
    assert parts[1].startswith("<ul><li>5+ years")  # qualifications
    assert parts[2].startswith("<ul><li>Own the ingestion")  # responsibilities
    assert parts[3] == "<p>Home-office budget, four weeks of paid vacation.</p>"


def test_escaped_description_is_unescaped_once(own_crawl: tuple[Parsed, str]) -> None:
    description = by_title(own_crawl[0])["Data Analyst"]["description"]
    assert description.startswith("<p>Maison Ardoise sells slate roofing")
    assert "<h3>Organisation</h3>" in description and "&lt;" not in description


def test_postings_sharing_a_page_get_distinct_ids(own_crawl: tuple[Parsed, str]) -> None:
    outcome, base = own_crawl
    items = by_title(outcome)
    page = f"{base}/jobs/several_blocks.html"
    assert items["Clinical Operations Coordinator"]["source_id"] == f"{page}#0"
    assert items["Medical Billing Specialist"]["source_id"] == f"{page}#1"
    assert items["Medical Billing Specialist"]["url"] == page


def test_page_without_json_ld_falls_back_to_its_text(own_crawl: tuple[Parsed, str]) -> None:
    outcome, base = own_crawl
    item = by_title(outcome)["Site Reliability Engineer"]
    assert item["url"] == f"{base}/jobs/no_jsonld.html"
    description = item["description"]
    assert description.startswith("<main>")
    for kept in ("<h2>What you'll do</h2>", "<li>3+ years operating production systems</li>"):
        assert kept in description
    page_furniture = ["All jobs", "Corvid Systems GmbH", "dataLayer", "#222", "JavaScript"]
    for dropped in page_furniture:
        assert dropped not in description
    assert set(item) == {"source", "url", "title", "description", "fetched_at"}


OWN_NORMALIZED = {
    # title and company are the raw ones (checked above), kept as given by normalization.
    "Senior Backend Engineer": {
        "title": "Senior Backend Engineer",
        "company": "Tidewater Analytics",
        # Canada, plus Colorado and Texas as where the candidate may live -> US.
        "countries": ["CA", "US"],
        "work_setting": "remote",
        "salary": {"min": 140000, "max": 175000, "currency": "USD", "period": "year"},
        "posted_at": datetime.fromisoformat("2026-06-30T00:00:00+00:00"),
    },
    "Data Analyst": {
        "title": "Data Analyst",
        "company": "Maison Ardoise",
        "countries": ["FR"],  # office cities Lyon and Bordeaux, addressCountry FR
        "work_setting": "hybrid",  # "two days a week in our Lyon or Bordeaux office"
        # A bare baseSalary number for a salaried role -> a year (gold/README.md salary rule).
        "salary": {"min": 38000, "max": 38000, "currency": "EUR", "period": "year"},
        "posted_at": datetime.fromisoformat("2026-07-02T07:00:00+00:00"),
    },
    "Medical Billing Specialist": {
        "title": "Medical Billing Specialist",
        "company": "Brightline Health",
        "countries": ["US"],
        "work_setting": "remote",
        "salary": None,
        "posted_at": datetime.fromisoformat("2026-07-09T00:00:00+00:00"),
    },
}


@pytest.mark.parametrize("field", gold.CORE_LABELS_AND_POSTED_AT)
@pytest.mark.parametrize("title", OWN_NORMALIZED)
def test_own_page_normalized(own_crawl: tuple[Parsed, str], title: str, field: str) -> None:
    posting = normalized(by_title(own_crawl[0])[title])
    assert gold.field(posting, field) == OWN_NORMALIZED[title][field]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({}, "give -a urls=URL1,URL2 or -a sitemap=URL"),
        ({"urls": "jobs/a.html"}, "urls must be absolute http(s) URLs"),
        ({"sitemap": "http://127.0.0.1:9/s.xml", "pattern": "(unclosed"}, "is not a regex"),
    ],
    ids=["no-argument", "relative-url", "bad-pattern"],
)
def test_bad_arguments_are_refused_at_start(args: dict[str, str], message: str) -> None:
    outcome = crawl({}, args)
    assert outcome.items == []
    assert message in outcome.log
