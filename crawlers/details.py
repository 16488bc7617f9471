"""Boards that list jobs, then give each job's text on a detail endpoint (Greenhouse with pay
ranges, SmartRecruiters, BambooHR, Rippling, Workday).

`DetailSpider` is the shared part: one request per listed job, and a job whose detail fails
(an HTTP error, an unreadable body, a body without the expected object) is still yielded as the
list gave it, next to the reject saying why. A spider says where the detail is (`detail_url`),
and, where it differs from merging the two objects, what of the body counts (`detail_of`) and how
listed and detail make a posting (`job_of`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from jobsift.crawlers.base import JobsiftSpider
from jobsift.schemas import Reject
from scrapy.http import Request, Response


class DetailSpider(JobsiftSpider):
    detail_headers: ClassVar[dict[str, str] | None] = None

    def detail_url(self, listed: dict[str, Any]) -> str:
        raise NotImplementedError

    def detail_of(self, response: Response, body: dict[str, Any]) -> dict[str, Any] | Reject:
        """The part of a detail body the posting uses; a Reject when the body lacks it."""
        return body

    def job_of(
        self, response: Response, listed: dict[str, Any], detail: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The posting of a listed job and its detail (None when the detail failed)."""
        return self.job(response, {**listed, **(detail or {})})  # type: ignore[attr-defined]

    def as_listed(self, response: Response, listed: dict[str, Any]) -> Iterator[Any]:
        return self.each_posting(response, [listed], lambda j: self.job_of(response, j, None))

    def detail_request(self, response: Response, listed: dict[str, Any]) -> Request:
        return self.get(
            self.detail_url(listed),
            self.parse_detail,
            fallback=lambda: self.as_listed(response, listed),
            headers=self.detail_headers,
            cb_kwargs={"listed": listed},
        )

    def parse_detail(self, response: Response, listed: dict[str, Any]) -> Iterator[Any]:
        body = self.json_object(response)
        detail = body if isinstance(body, Reject) else self.detail_of(response, body)
        if isinstance(detail, Reject):
            yield detail
            yield from self.as_listed(response, listed)
            return
        yield from self.each_posting(response, [listed], lambda j: self.job_of(response, j, detail))
