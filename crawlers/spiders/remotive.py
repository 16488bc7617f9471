"""Remotive: `GET /api/remote-jobs` returns every (24 h delayed) job at once, no paging.

Optional filters are spider arguments: `-a category=software-dev -a company_name=... -a search=...
-a limit=50`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from jobsift.crawlers.base import JsonListSpider
from jobsift.schemas import Reject
from scrapy.http import Request, Response

FILTERS = ("category", "company_name", "search", "limit")


class RemotiveSpider(JsonListSpider):
    name = "remotive"
    # Every job at once; a run with `limit`, or whose `job-count` is below `total-job-count`
    # (a filter), is partial.
    complete_listing = True
    default_base_url = "https://remotive.com"
    list_path, entries_key = "/api/remote-jobs", "jobs"
    # Terms: more than 2 requests a minute are blocked and ~4 calls a day are advised.
    custom_settings = {"DOWNLOAD_DELAY": 30, "JOBSIFT_MIN_INTERVAL": 6 * 3600}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.filters = {key: str(kwargs.pop(key)) for key in FILTERS if kwargs.get(key)}
        super().__init__(*args, **kwargs)
        limit = self.filters.get("limit")
        if limit is not None and not (limit.isdigit() and int(limit) > 0):
            raise ValueError(f"remotive: limit must be a positive integer, got {limit!r}")

    async def start(self) -> AsyncIterator[Request]:
        query = f"?{urlencode(self.filters)}" if self.filters else ""
        yield self.get(self.endpoint(self.list_path) + query, self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        found = self.json_page(response, self.entries_key)
        if isinstance(found, Reject):
            yield found
            return
        body, jobs = found
        listed, total = body.get("job-count"), body.get("total-job-count")
        if "limit" in self.filters:
            self.mark_partial(f"limit={self.filters['limit']} caps the listing")
        elif isinstance(listed, int) and isinstance(total, int) and listed < total:
            self.mark_partial(f"{listed} of {total} jobs listed")
        yield from self.each_posting(response, jobs, lambda job: self.job(response, job))

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        return self.posting(
            response,
            source_id=str(job["id"]) if job.get("id") is not None else None,
            url=job.get("url"),
            title=job.get("title"),
            company=job.get("company_name"),
            location=job.get("candidate_required_location") or None,
            description=job.get("description"),
            posted=job.get("publication_date"),  # ISO without zone; the dates step reads it
            salary=job.get("salary") or None,
            employment_type=job.get("job_type") or None,
            tags=[str(tag) for tag in job.get("tags") or []],
            category=job.get("category"),
        )
