"""Arbeitnow: `GET /api/job-board-api`, paged by `links.next` (`?page=N`) until it is absent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from jobsift.crawlers.base import JobsiftSpider
from jobsift.schemas import Reject
from scrapy.http import Request, Response

LIST_PATH = "/api/job-board-api"


class ArbeitnowSpider(JobsiftSpider):
    name = "arbeitnow"
    complete_listing = True  # every page, until `links.next` is absent
    default_base_url = "https://www.arbeitnow.com"

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.endpoint(LIST_PATH), self.parse)

    def next_page(self, link: str) -> str:
        """`links.next` names the real host; its path and query go to our base URL instead."""
        parts = urlsplit(link)
        path = parts.path or LIST_PATH
        return self.endpoint(path) + (f"?{parts.query}" if parts.query else "")

    def parse(
        self, response: Response, **kwargs: Any
    ) -> Iterator[dict[str, Any] | Request | Reject]:
        found = self.json_page(response, "data")
        if isinstance(found, Reject):
            yield found
            return
        body, jobs = found
        yield from self.each_posting(response, jobs, lambda job: self.job(response, job))
        links = body.get("links") if isinstance(body.get("links"), dict) else {}
        # An empty page ends the crawl even if the API still offers a next link.
        if jobs and links.get("next"):
            yield self.get(self.next_page(str(links["next"])), self.parse)

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        job_types = [str(t).strip() for t in job.get("job_types") or [] if str(t).strip()]
        return self.posting(
            response,
            source_id=job.get("slug"),
            url=job.get("url"),
            title=job.get("title"),
            company=job.get("company_name"),
            location=job.get("location") or None,
            description=job.get("description"),
            posted=job.get("created_at"),  # epoch seconds, as given
            employment_type=" | ".join(job_types) or None,
            remote=job.get("remote"),
            tags=[str(tag) for tag in job.get("tags") or []],
        )
