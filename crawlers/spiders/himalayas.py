"""Himalayas: `GET /jobs/api?limit=&offset=`, at most 20 jobs per call, paged until totalCount.

Newer responses reportedly page with an opaque `nextCursor` (`?limit=20&cursor=...`, third-party
write-up); when a page carries one, it is followed instead of the offset. Optional argument
`max_pages` caps the crawl (the board holds ~100,000 jobs, i.e. 5,000 calls).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import join_locations, join_present
from jobsift.schemas import Reject
from scrapy.http import Request, Response

PAGE_SIZE = 20
SALARY_KEYS = ("minSalary", "maxSalary", "currency", "salaryPeriod")


def _salary(job: dict[str, Any]) -> dict[str, Any] | None:
    """The structured salary, only when an amount is set (`salaryPeriod` is always present)."""
    if job.get("minSalary") is None and job.get("maxSalary") is None:
        return None
    return {key: job.get(key) for key in SALARY_KEYS}


def _more(body: dict[str, Any], next_offset: int) -> bool:
    """Whether the page says more follow: a next cursor, or `totalCount` past `next_offset`
    (unknown: there may be)."""
    if "nextCursor" in body:
        return bool(body["nextCursor"])
    total = body.get("totalCount")
    return not isinstance(total, int) or next_offset < total


class HimalayasSpider(JobsiftSpider):
    name = "himalayas"
    complete_listing = True  # paged to `totalCount`; `max_pages` makes a run partial
    default_base_url = "https://himalayas.app"

    def __init__(self, *args: Any, max_pages: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if max_pages is not None and not (str(max_pages).isdigit() and int(max_pages) > 0):
            raise ValueError(f"himalayas: max_pages must be a positive integer, got {max_pages!r}")
        self.max_pages = int(max_pages) if max_pages is not None else None

    def page_request(
        self, page: int, previous: frozenset[str], offset: int = 0, cursor: str | None = None
    ) -> Request:
        position = f"cursor={quote(cursor, safe='')}" if cursor else f"offset={offset}"
        url = self.endpoint(f"/jobs/api?limit={PAGE_SIZE}&{position}")
        kwargs = {"offset": offset, "page": page, "previous": previous}
        return self.get(url, self.parse, cb_kwargs=kwargs)

    async def start(self) -> AsyncIterator[Request]:
        yield self.page_request(1, frozenset())

    def parse(
        self,
        response: Response,
        offset: int = 0,
        page: int = 1,
        previous: frozenset[str] = frozenset(),
    ) -> Iterator[dict[str, Any] | Request | Reject]:
        found = self.json_page(response, "jobs")
        if isinstance(found, Reject):
            yield found
            return
        body, jobs = found
        guids = frozenset(str(job.get("guid")) for job in jobs if isinstance(job, dict))
        # A server that ignores `offset` repeats the page forever: stop instead of looping.
        if guids and guids <= previous:
            self.logger.warning("himalayas: page %d repeated the previous page; stopping", page)
            self.mark_partial(f"page {page} repeated the previous page")
            return
        yield from self.each_posting(response, jobs, lambda job: self.job(response, job))
        if not jobs:
            return
        if self.max_pages is not None and page >= self.max_pages:
            if _more(body, offset + len(jobs)):
                self.mark_partial(f"max_pages={self.max_pages} reached")
            return
        if "nextCursor" in body:  # cursor paging: a null cursor is the last page
            cursor = body["nextCursor"]
            if isinstance(cursor, str) and cursor:
                yield self.page_request(page + 1, guids, cursor=cursor)
            return
        next_offset = offset + len(jobs)  # what was returned, not the limit asked for
        total = body.get("totalCount")
        if isinstance(total, int) and next_offset < total:
            yield self.page_request(page + 1, guids, offset=next_offset)

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        return self.posting(
            response,
            source_id=job.get("guid"),
            url=job.get("guid") or job.get("applicationLink"),
            apply_url=job.get("applicationLink"),
            title=job.get("title"),
            company=job.get("companyName"),
            location=join_locations(job.get("locationRestrictions") or []),
            description=job.get("description"),
            posted=job.get("pubDate"),  # seconds in practice, ms per the docs: passed as given
            valid_through=job.get("expiryDate"),
            salary=_salary(job),
            employment_type=job.get("employmentType") or None,
            tags=[str(tag) for tag in job.get("categories") or []],
            category=join_present(job.get("parentCategories") or [], " | ") or None,
            summary=job.get("excerpt") or None,
            timezone_restrictions=job.get("timezoneRestrictions") or [],
            # The list as given: an empty one means "no restriction" in Himalayas' data dictionary.
            location_restrictions=job.get("locationRestrictions"),
            seniority=job.get("seniority") or [],
        )
