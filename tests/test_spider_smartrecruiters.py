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

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.spiders import Answer, Crawl, crawl_routes, failure_count, index_by

OWN = Path(__file__).resolve().parent / "fixtures" / "smartrecruiters"
LIST_CAPTURE = "smartrecruiters_postings_HireVue_2026-07.json"
DETAIL_CAPTURE = "smartrecruiters_posting_detail_HireVue_744000138728139_2026-07.json"
DETAIL_ID = "744000138728139"  # the one posting whose detail was captured


def crawl_company(
    company: str, routes: dict[str, Answer], tmp_path: Path | None = None, page_size: int = 100
) -> Crawl | Parsed:
    """The spider's callbacks on the routes; with `tmp_path`, a real crawl of a local server."""
    settings = {"JOBSIFT_SMARTRECRUITERS_PAGE_SIZE": page_size}
    if tmp_path is not None:
        args = {"company": company}
        return crawl_routes("smartrecruiters", tmp_path, routes, args=args, settings=settings)
    return parse_routes("smartrecruiters", routes, args={"company": company}, settings=settings)


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Crawl | Parsed:
    """The list plus the one captured detail; the other details answer 404 on this server."""
    captures = real_fixtures / "smartrecruiters"
    routes: dict[str, Answer] = {
        "/v1/companies/HireVue/postings": captures / LIST_CAPTURE,
        f"/v1/companies/HireVue/postings/{DETAIL_ID}": captures / DETAIL_CAPTURE,
    }
    return crawl_company("HireVue", routes)


def crawled_posting(real_crawl: Crawl, posting_id: str) -> dict[str, Any]:
    return real_crawl.by_id(posting_id)


@pytest.fixture(scope="module")
def gold_item(real_crawl: Crawl) -> ItemOf:
    return lambda record: real_crawl.by_id(gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = {
        "smartrecruiters-hirevue-ds-intern-detail": datetime.fromisoformat(
            "2026-07-20T20:54:18.136+00:00"
        ),
        "smartrecruiters-hirevue-deal-desk-listonly": datetime.fromisoformat(
            "2026-07-08T15:38:38.357+00:00"
        ),
    }


def test_every_listed_posting_comes_through_without_rejects(
    real_crawl: Crawl, real_fixtures: Path
) -> None:
    requests = real_crawl.requests
    listed = json.loads((real_fixtures / "smartrecruiters" / LIST_CAPTURE).read_text())["content"]
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert real_crawl.rejects == []
    assert sorted(i["source_id"] for i in real_crawl.items) == sorted(p["id"] for p in listed)
    # The capture is trimmed (3 of totalFound 5, limit 100): a short page is the last one.
    assert [r for r in requests if "offset=" in r] == [
        "/v1/companies/HireVue/postings?offset=0&limit=100"
    ]
    assert sorted(r for r in requests if re.search(r"/postings/\d+$", r)) == sorted(
        f"/v1/companies/HireVue/postings/{p['id']}" for p in listed
    )


def test_details_that_cannot_be_had_are_failures_but_keep_their_posting(
    real_crawl: Crawl,
) -> None:
    assert failure_count(real_crawl.log) == 2  # the two details no capture exists for
    assert real_crawl.log.count("smartrecruiters: HTTP 404 at") == 2
    by_id = index_by(real_crawl.items, "source_id")
    assert by_id["744000133640099"]["title"] == "Implementation Manager | Fully Remote Poland"
    assert by_id["744000133640099"]["description"] == ""


def test_detail_sections_in_order_under_their_titles(real_crawl: Crawl) -> None:
    item = crawled_posting(real_crawl, DETAIL_ID)
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


# --- own fixtures: offset/limit paging over two pages, a detail for every posting ---

PAGES: dict[str, Answer] = {
    "/v1/companies/GreenleafEnergy/postings?offset=0&limit=2": OWN
    / "postings_greenleafenergy_offset0_limit2.json",
    "/v1/companies/GreenleafEnergy/postings?offset=2&limit=2": OWN
    / "postings_greenleafenergy_offset2_limit2.json",
}


@pytest.fixture(scope="module")
def paged_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    routes = dict(PAGES)
    details = json.loads((OWN / "details_greenleafenergy.json").read_text())
    for posting_id, detail in details.items():
        routes[f"/v1/companies/GreenleafEnergy/postings/{posting_id}"] = json.dumps(detail).encode()
    return crawl_company("GreenleafEnergy", routes, tmp_path_factory.mktemp("paged"), page_size=2)


def test_paging_follows_offsets_until_total_found(
    paged_crawl: Crawl,
) -> None:
    assert paged_crawl.returncode == 0
    assert [r for r in paged_crawl.requests if "offset=" in r] == list(PAGES)
    assert sorted(i["source_id"] for i in paged_crawl.items) == [
        "744000140000001",
        "744000140000002",
        "744000140000003",
    ]
    assert failure_count(paged_crawl.log) == 0


@pytest.mark.parametrize(
    ("posting_id", "remote"),
    [
        # The location's flags as given; neither set is not evidence of on-site.
        pytest.param("744000140000001", '{"remote":false,"hybrid":true}', id="hybrid-flag"),
        pytest.param("744000140000002", '{"remote":true,"hybrid":false}', id="remote-flag"),
        pytest.param("744000140000003", '{"remote":false,"hybrid":false}', id="no-flag"),
    ],
)
def test_own_remote_flags(posting_id: str, remote: str, paged_crawl: Crawl) -> None:
    by_id = index_by(paged_crawl.items, "source_id")
    assert by_id[posting_id]["remote"] == remote


def test_own_detail_raw(paged_crawl: Crawl) -> None:
    item = index_by(paged_crawl.items, "source_id")["744000140000001"]
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
def test_own_detail_normalized(field: str, paged_crawl: Crawl) -> None:
    item = index_by(paged_crawl.items, "source_id")["744000140000001"]
    assert gold.field(normalized(item), field) == OWN_NORMALIZED[field]


def test_missing_company_argument_is_a_clear_error(tmp_path: Path) -> None:
    crawl = crawl_company("", {})
    assert crawl.returncode != 0
    assert "needs -a company=" in crawl.log
    assert crawl.all_requests == []
