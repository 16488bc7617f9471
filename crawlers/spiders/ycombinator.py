"""Y Combinator's Work at a Startup company jobs page: `/companies/{company}/jobs` on
www.ycombinator.com, its job list JSON in the `data-page` attribute of the page's React root
(component `WaasShowJobsPage`). The page gives no description, pay or absolute date."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.base import JobsiftSpider
from jobsift.schemas import Reject
from scrapy.http import Request, Response

PAGE_PATH = "/companies/{company}/jobs"
COMPONENT = "WaasShowJobsPage"


class YcombinatorSpider(JobsiftSpider):
    name = "ycombinator"
    default_base_url = "https://www.ycombinator.com"
    required_args = ("company",)

    company: str

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.endpoint(PAGE_PATH, company=self.company), self.parse)

    def page_props(self, response: Response) -> dict[str, Any] | Reject:
        """The props of the jobs page's React root (the attribute is unescaped by the parser)."""
        if not hasattr(response, "xpath"):
            return self.reject(response, "not an HTML page")
        for attribute in response.xpath("//*[@data-page]/@data-page").getall():
            try:
                page = json.loads(attribute)
            except ValueError as exc:
                return self.reject(response, f"data-page is not valid JSON: {exc}")
            if isinstance(page, dict) and page.get("component") == COMPONENT:
                props = page.get("props")
                if isinstance(props, dict) and isinstance(props.get("jobPostings"), list):
                    return props
        return self.reject(response, f"no {COMPONENT} data-page with a jobPostings list")

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        props = self.page_props(response)
        if isinstance(props, Reject):
            yield props
            return
        yield from self.each_posting(
            response, props["jobPostings"], lambda j: self.job(response, j)
        )

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        url = job.get("url")
        return self.posting(
            response,
            source_id=str(job["id"]),
            url=response.urljoin(url) if url else None,
            title=job.get("title"),
            company=job.get("companyName"),
            location=job.get("location"),  # several places joined with " / ", as given
            employment_type=job.get("type"),
            posted=job.get("createdAt"),  # relative, without "ago": "about 23 hours", "2 days"
            role=job.get("prettyRole"),
            board=self.company,
        )
