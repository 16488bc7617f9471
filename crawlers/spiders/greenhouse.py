"""Greenhouse Job Board API: a whole board in one response (`/v1/boards/{board}/jobs?content=true`).

Pay ranges exist only on the detail endpoint with `?pay_transparency=true`; that costs one more
request per job, so it is opt-in: `-a pay_transparency=true`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.details import DetailSpider
from jobsift.crawlers.text import join_locations, unescape_entities
from jobsift.schemas import Reject
from scrapy.http import Request, Response

LIST_PATH = "/v1/boards/{board}/jobs?content=true"
DETAIL_PATH = "/v1/boards/{board}/jobs/{job_id}?pay_transparency=true"
EMPLOYMENT_FIELD = "Time Type"  # the custom metadata field boards use for full/part time


def _metadata(job: dict[str, Any]) -> dict[str, str]:
    """The board's custom fields that have a value ({"Time Type": "Full Time", ...})."""
    facts: dict[str, str] = {}
    for field in job.get("metadata") or []:
        value = field.get("value")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v not in (None, ""))
        if field.get("name") and value not in (None, ""):
            facts[str(field["name"])] = str(value)
    return facts


def _salary(job: dict[str, Any]) -> dict[str, Any] | None:
    ranges = job.get("pay_input_ranges")
    return {"pay_input_ranges": ranges} if ranges else None  # values in cents, as given


class GreenhouseSpider(DetailSpider):
    name = "greenhouse"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://boards-api.greenhouse.io"
    required_args = ("board",)

    board: str
    pay_transparency: str = "false"

    @property
    def follow_details(self) -> bool:
        return str(self.pay_transparency).strip().lower() in {"1", "true", "yes"}

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.endpoint(LIST_PATH, board=self.board), self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        jobs = self.json_entries(response, "jobs")
        if isinstance(jobs, Reject):
            yield jobs
            return
        if not self.follow_details:
            yield from self.each_posting(response, jobs, lambda job: self.job(response, job))
            return
        for job in jobs:
            if isinstance(job, dict) and job.get("id") is not None:
                yield self.detail_request(response, job)
            else:
                yield self.reject(response, "job without an id", raw=job)

    def detail_url(self, listed: dict[str, Any]) -> str:
        # Without its detail the job is still worth having as the list gave it (no pay range).
        return self.endpoint(DETAIL_PATH, board=self.board, job_id=str(listed["id"]))

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        facts = _metadata(job)
        location = (job.get("location") or {}).get("name")
        offices = [office.get("name") for office in job.get("offices") or []]
        content = job.get("content")
        return self.posting(
            response,
            source_id=str(job["id"]),
            url=job.get("absolute_url"),
            title=job.get("title"),
            company=job.get("company_name"),
            location=join_locations([location, *offices]),
            # The API escapes the HTML once more: unescaping once gives the HTML itself.
            description=unescape_entities(content) if content else None,
            posted=job.get("first_published") or job.get("updated_at"),
            valid_through=job.get("application_deadline"),
            salary=_salary(job),
            employment_type=facts.get(EMPLOYMENT_FIELD),
            facts=facts,
            departments=[d["name"] for d in job.get("departments") or [] if d.get("name")],
            updated_at=job.get("updated_at"),
        )
