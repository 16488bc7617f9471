"""SmartRecruiters spider: the real list and detail captures, and own offset/limit paging, through
real Scrapy. The list has no job ad text; each posting's detail is followed.
"""

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

OWN = Path(__file__).resolve().parent / "fixtures" / "smartrecruiters"
LIST_CAPTURE = "smartrecruiters_postings_HireVue_2026-07.json"
DETAIL_CAPTURE = "smartrecruiters_posting_detail_HireVue_744000138728139_2026-07.json"
DETAIL_ID = "744000138728139"  # the one posting whose detail was captured
# name: (posting id, gold record id, posted_at in UTC)
GOLD_POSTINGS = {
    "hirevue-ds-intern-detail": (
        "744000138728139",
        "smartrecruiters-hirevue-ds-intern-detail",
        "2026-07-20T20:54:18.136+00:00",
    ),
    "hirevue-deal-desk-list-only": (
        "744000136509359",
        "smartrecruiters-hirevue-deal-desk-listonly",
        "2026-07-08T15:38:38.357+00:00",
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


def crawl_company(
    company: str, routes: dict[str, bytes | Path], tmp_path: Path, page_size: int | None = None
) -> tuple[CrawlOutcome, list[str]]:
    settings: dict[str, Any] = {"JOBSIFT_SMARTRECRUITERS_URL": None}
    if page_size is not None:
        settings["JOBSIFT_SMARTRECRUITERS_PAGE_SIZE"] = page_size
    with FixtureServer() as server:
        for path, body in routes.items():
            server.add(path, body)
        settings["JOBSIFT_SMARTRECRUITERS_URL"] = server.url
        outcome = scrapy_crawl(
            "smartrecruiters", tmp_path, args={"company": company}, settings=settings
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
    """The list plus the one captured detail; the other details answer 404 on this server."""
    routes: dict[str, bytes | Path] = {
        "/v1/companies/HireVue/postings": real_fixtures / "smartrecruiters" / LIST_CAPTURE,
        f"/v1/companies/HireVue/postings/{DETAIL_ID}": real_fixtures
        / "smartrecruiters"
        / DETAIL_CAPTURE,
    }
    return crawl_company("HireVue", routes, tmp_path_factory.mktemp("hirevue"))


def crawled_posting(real_crawl: tuple[CrawlOutcome, list[str]], name: str) -> dict[str, Any]:
    posting_id = GOLD_POSTINGS[name][0]
    matches = [i for i in real_crawl[0].items if i.get("source_id") == posting_id]
    assert len(matches) == 1, f"posting {posting_id} came out {len(matches)} times"
    return matches[0]


def test_every_listed_posting_comes_through_without_rejects(
    real_crawl: tuple[CrawlOutcome, list[str]], real_fixtures: Path
) -> None:
    outcome, requests = real_crawl
    listed = json.loads((real_fixtures / "smartrecruiters" / LIST_CAPTURE).read_text())["content"]
    assert outcome.returncode == 0, outcome.log[-2000:]
    assert [i for i in outcome.items if is_reject(i)] == []
    assert sorted(i["source_id"] for i in outcome.items) == sorted(p["id"] for p in listed)
    # The capture is trimmed (3 of totalFound 5, limit 100): a short page is the last one.
    assert [r for r in requests if "offset=" in r] == [
        "/v1/companies/HireVue/postings?offset=0&limit=100"
    ]
    assert sorted(r for r in requests if re.search(r"/postings/\d+$", r)) == sorted(
        f"/v1/companies/HireVue/postings/{p['id']}" for p in listed
    )


def test_details_that_cannot_be_had_are_failures_but_keep_their_posting(
    real_crawl: tuple[CrawlOutcome, list[str]],
) -> None:
    outcome, _ = real_crawl
    assert failure_count(outcome.log) == 2  # the two details no capture exists for
    assert outcome.log.count("smartrecruiters: HTTP 404 at") == 2
    by_id = {i["source_id"]: i for i in outcome.items}
    assert by_id["744000133640099"]["title"] == "Implementation Manager | Fully Remote Poland"
    assert by_id["744000133640099"]["description"] == ""


@pytest.mark.parametrize("field", RAW_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_posting_equals_gold_input(
    name: str, field: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    assert item.get(field) == gold[GOLD_POSTINGS[name][1]]["input"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_remote_is_the_flag_that_is_set(
    name: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    """Gold writes the flags as JSON ({"remote":true,"hybrid":false}); the spider names the set one."""
    flags = json.loads(gold[GOLD_POSTINGS[name][1]]["input"]["remote"])
    assert flags == {"remote": True, "hybrid": False}
    assert crawled_posting(real_crawl, name)["remote"] == "remote"


def test_detail_sections_in_order_under_their_titles(
    real_crawl: tuple[CrawlOutcome, list[str]],
) -> None:
    item = crawled_posting(real_crawl, "hirevue-ds-intern-detail")
    headings = re.findall(r"<h3>(.*?)</h3>", item["description"])
    assert headings == [
        "Company Description",
        "Job Description",
        "Qualifications",
        "Additional Information",
    ]
    assert item["apply_url"].endswith(
        "744000138728139-data-science-intern-fully-remote-us?oga=true"
    )


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


# --- own fixtures: offset/limit paging over two pages, a detail for every posting ---

PAGES = {
    "/v1/companies/GreenleafEnergy/postings?offset=0&limit=2": OWN
    / "postings_greenleafenergy_offset0_limit2.json",
    "/v1/companies/GreenleafEnergy/postings?offset=2&limit=2": OWN
    / "postings_greenleafenergy_offset2_limit2.json",
}


@pytest.fixture(scope="module")
def paged_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlOutcome, list[str]]:
    routes: dict[str, bytes | Path] = dict(PAGES)
    details = json.loads((OWN / "details_greenleafenergy.json").read_text())
    for posting_id, detail in details.items():
        routes[f"/v1/companies/GreenleafEnergy/postings/{posting_id}"] = json.dumps(detail).encode()
    return crawl_company("GreenleafEnergy", routes, tmp_path_factory.mktemp("paged"), page_size=2)


def test_paging_follows_offsets_until_total_found(
    paged_crawl: tuple[CrawlOutcome, list[str]],
) -> None:
    outcome, requests = paged_crawl
    assert outcome.returncode == 0
    assert [r for r in requests if "offset=" in r] == list(PAGES)
    assert sorted(i["source_id"] for i in outcome.items) == [
        "744000140000001",
        "744000140000002",
        "744000140000003",
    ]
    assert failure_count(outcome.log) == 0


@pytest.mark.parametrize(
    ("posting_id", "remote"),
    [
        pytest.param("744000140000001", "hybrid", id="hybrid-flag"),
        pytest.param("744000140000002", "remote", id="remote-flag"),
        pytest.param("744000140000003", None, id="no-flag"),  # not evidence of on-site
    ],
)
def test_own_remote_flags(
    posting_id: str, remote: str | None, paged_crawl: tuple[CrawlOutcome, list[str]]
) -> None:
    by_id = {i["source_id"]: i for i in paged_crawl[0].items}
    assert by_id[posting_id]["remote"] == remote


def test_own_detail_raw(paged_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    item = {i["source_id"]: i for i in paged_crawl[0].items}["744000140000001"]
    assert item["company"] == "Greenleaf Energy GmbH"
    assert item["location"] == "Hamburg, Hamburg, Germany"
    assert item["url"] == "https://jobs.smartrecruiters.com/GreenleafEnergy/744000140000001"
    assert item["description"] == (
        "<h3>Company Description</h3><p>Greenleaf Energy builds and runs wind parks along the "
        "North Sea coast.</p><h3>Job Description</h3><p>Connect new wind parks to the grid. You "
        "work from our Hamburg office three days a week.</p><h3>Qualifications</h3><ul><li>Degree "
        "in electrical engineering</li></ul>"
    )  # the empty "Additional Information" section is left out


OWN_NORMALIZED = {
    "title": "Grid Integration Engineer",
    "company": "Greenleaf Energy GmbH",
    "countries": ["DE"],
    "work_setting": "hybrid",
    "salary": None,
    "posted_at": datetime.fromisoformat("2026-07-15T08:30:00+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_detail_normalized(field: str, paged_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    item = {i["source_id"]: i for i in paged_crawl[0].items}["744000140000001"]
    assert normalized(item)[field] == OWN_NORMALIZED[field]


def test_missing_company_argument_is_a_clear_error(tmp_path: Path) -> None:
    outcome, requests = crawl_company("", {}, tmp_path)
    assert outcome.returncode != 0
    assert "needs -a company=" in outcome.log
    assert requests == []
