"""Workable widget API: `/api/v1/widget/accounts/{account}?details=true`, the account's jobs at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import join_locations, join_present
from jobsift.schemas import Reject
from scrapy.http import Request, Response

ACCOUNT_PATH = "/api/v1/widget/accounts/{account}?details=true"


def _places(job: dict[str, Any]) -> list[str]:
    """ "city, region, country" of each location shown on the posting (hidden ones left out)."""
    shown = [place for place in job.get("locations") or [] if not place.get("hidden")]
    places = [join_present([p.get("city"), p.get("region"), p.get("country")]) for p in shown]
    if not any(places):  # older responses: only the top-level fields
        places = [join_present([job.get("city"), job.get("state"), job.get("country")])]
    return places


def _locations_of(job: dict[str, Any]) -> list[dict[str, Any]]:
    """The job's `locations`, or one made of the older top-level fields."""
    listed = job.get("locations")
    if isinstance(listed, list) and listed:
        return [place for place in listed if isinstance(place, dict)]
    top = {"city": job.get("city"), "region": job.get("state"), "country": job.get("country")}
    return [top] if any(top.values()) else []


def merge_shortcodes(jobs: list[Any]) -> tuple[list[Any], int]:
    """One job per shortcode: a job listed again (under another location) adds its locations to
    the first listing instead of replacing it. Returns the jobs and how many were merged."""
    merged: dict[str, dict[str, Any]] = {}
    out: list[Any] = []
    repeats = 0
    for job in jobs:
        code = job.get("shortcode") if isinstance(job, dict) else None
        if code is None:
            out.append(job)
            continue
        first = merged.get(code)
        if first is None:
            merged[code] = dict(job)
            out.append(merged[code])
            continue
        repeats += 1
        places = _locations_of(first)
        places += [place for place in _locations_of(job) if place not in places]
        first["locations"] = places
    return out, repeats


class WorkableSpider(JobsiftSpider):
    name = "workable"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://apply.workable.com"
    required_args = ("account",)

    account: str

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.endpoint(ACCOUNT_PATH, account=self.account), self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        body = next(self.parse_json(response))
        if isinstance(body, Reject):
            yield body
            return
        company = body.get("name") if isinstance(body, dict) else None
        jobs = body.get("jobs") if isinstance(body, dict) else None
        if not isinstance(jobs, list):
            yield self.reject(response, "expected a JSON object with a 'jobs' list")
            return
        jobs, repeats = merge_shortcodes(jobs)
        if repeats:
            self.crawler.stats.inc_value("jobsift/workable/merged_listings", repeats)
        yield from self.each_posting(response, jobs, lambda job: self.job(response, job, company))

    def job(self, response: Response, job: dict[str, Any], company: str | None) -> dict[str, Any]:
        codes = [p.get("countryCode") for p in job.get("locations") or [] if p.get("countryCode")]
        return self.posting(
            response,
            source_id=job["shortcode"],
            url=job.get("url") or job.get("shortlink"),
            apply_url=job.get("application_url"),
            title=job.get("title"),
            company=company,
            location=join_locations(_places(job)),
            description=job.get("description"),
            posted=job.get("published_on") or job.get("created_at"),
            employment_type=job.get("employment_type"),
            remote=job.get("telecommuting"),
            country_codes=codes,
            department=job.get("department"),
        )
