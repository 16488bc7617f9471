"""Y Combinator spider: the real company jobs page (JSON in an HTML-escaped `data-page`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes

SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-10-06T12:00:00+00:00"}
CAPTURE = "yc_waas_company-jobs_data-page_corgi-insurance_undated_reduced.html"
PAGE = "/companies/corgi-insurance/jobs"
BDR = "113405"
FULL_STACK = "113090"


def crawl(body: Any, company: str = "corgi-insurance") -> Parsed:
    routes = {f"/companies/{company}/jobs": body}
    return parse_routes("ycombinator", routes, {"company": company}, SETTINGS, "text/html")


@pytest.fixture(scope="module")
def page(real_fixtures: Path) -> Parsed:
    return crawl(real_fixtures / "ycombinator" / CAPTURE)


NAMED: dict[str, dict[str, Any]] = {
    BDR: {
        "title": "Business Development Representative",
        "company": "Corgi Insurance",
        "countries": ["US"],
        "work_setting": None,
        "salary": None,
        "employment_type": "full_time",
        # "about 23 hours" before the fetch
        "posted_at": datetime.fromisoformat("2026-10-05T13:00:00+00:00"),
    },
    FULL_STACK: {
        "title": "Full Stack Engineer - New Product Line",
        "countries": ["US"],
        "posted_at": datetime.fromisoformat("2026-10-04T12:00:00+00:00"),  # "2 days"
    },
}
CASES = [pytest.param(k, n, id=f"{k}-{n}") for k, fields in NAMED.items() for n in fields]


@pytest.mark.parametrize(("key", "name"), CASES)
def test_named_postings_normalize(page: Parsed, key: str, name: str) -> None:
    assert gold.field(normalized(page.by_id(key)), name) == NAMED[key][name]


def test_every_job_comes_through(page: Parsed) -> None:
    assert len(page.items) == 2 and page.rejects == [] and page.failure_count == 0
    assert page.requests == [PAGE]


def test_fields_as_given(page: Parsed) -> None:
    bdr = page.by_id(BDR)
    assert bdr["location"].split(" / ")[:2] == ["Phoenix, AZ, US", "Philadelphia, PA, US"]
    assert (bdr["posted"], bdr["role"], bdr["employment_type"]) == (
        "about 23 hours",
        "Sales",
        "Full-time",
    )
    # The relative job URL joined to the site's host.
    assert bdr["url"] == (
        "http://127.0.0.1:8000/companies/corgi-insurance/jobs/"
        "aCo3dRD-business-development-representative"
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<html><body><p>Not found</p></body></html>", "no WaasShowJobsPage data-page"),
        ('<div data-page="{not json"></div>', "data-page is not valid JSON"),
        (
            '<div data-page="{&quot;component&quot;: &quot;WaasShowJobPage&quot;}"></div>',
            "no WaasShowJobsPage data-page",
        ),
    ],
)
def test_a_page_without_the_job_list_is_a_reject(body: str, reason: str) -> None:
    result = crawl(body)
    assert len(result.rejects) == 1 and result.rejects[0]["reason"].startswith(reason)
    assert result.failure_count == 1
