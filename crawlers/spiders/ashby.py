"""Ashby posting API: `/posting-api/job-board/{board}?includeCompensation=true`, one response."""

from __future__ import annotations

from typing import Any

from jobsift.crawlers.base import JsonListSpider
from jobsift.crawlers.text import join_locations
from scrapy.http import Response

SALARY_TYPE = "Salary"  # other component types: EquityPercentage, Bonus, Commission


def _salary(job: dict[str, Any]) -> dict[str, Any] | None:
    """The tier summary plus every Salary component, each named by its tier (often a country).

    Equity, bonus and commission components are left out: they are not pay ranges.
    """
    compensation = job.get("compensation") or {}
    components = [
        {
            "tierTitle": tier.get("title"),
            "minValue": component.get("minValue"),
            "maxValue": component.get("maxValue"),
            "currencyCode": component.get("currencyCode"),
            "interval": component.get("interval"),
        }
        for tier in compensation.get("compensationTiers") or []
        for component in tier.get("components") or []
        if component.get("compensationType") == SALARY_TYPE
    ]
    summary = compensation.get("compensationTierSummary")
    if not components and not summary:
        return None
    return {"compensationTierSummary": summary, "salaryComponents": components}


class AshbySpider(JsonListSpider):
    name = "ashby"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://api.ashbyhq.com"
    required_args = ("board",)
    list_path = "/posting-api/job-board/{board}?includeCompensation=true"
    entries_key = "jobs"

    board: str

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        secondary = [place.get("location") for place in job.get("secondaryLocations") or []]
        addresses = [
            place.get("address", {}).get("postalAddress")
            for place in [job, *(job.get("secondaryLocations") or [])]
        ]
        return self.posting(
            response,
            source_id=job["id"],
            url=job.get("jobUrl"),
            apply_url=job.get("applyUrl"),
            title=job.get("title"),
            location=join_locations([job.get("location"), *secondary]),
            description=job.get("descriptionHtml") or job.get("descriptionPlain"),
            posted=job.get("publishedAt"),
            salary=_salary(job),
            employment_type=job.get("employmentType"),
            remote=job.get("isRemote"),  # true or null ("Hybrid" postings carry null)
            workplace_type=job.get("workplaceType"),  # newer responses only
            postal_addresses=[a for a in addresses if a],
            board=self.board,  # the board token: a hint at the company, not its name
            department=job.get("department"),
            team=job.get("team"),
        )
