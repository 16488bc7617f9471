"""SmartRecruiters Posting API: `/v1/companies/{company}/postings` paged by offset/limit, then
each posting's detail (`/postings/{id}`), the only place with the job ad text and apply URL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from jobsift.crawlers.details import DetailSpider
from jobsift.crawlers.text import flags_as_given
from jobsift.schemas import Reject
from scrapy.http import Request, Response

LIST_PATH = "/v1/companies/{company}/postings"
DETAIL_PATH = "/v1/companies/{company}/postings/{posting_id}"
# The public job page of a posting the detail endpoint could not give (not an API host).
PUBLIC_POSTING_URL = "https://jobs.smartrecruiters.com/{identifier}/{posting_id}"
DEFAULT_PAGE_SIZE = 100  # the API's maximum


# The location's workplace flags, passed as given.
WORKPLACE_FLAGS = ("remote", "hybrid")


def _description(detail: dict[str, Any]) -> str:
    """The job ad sections in the source's order, each under its own title."""
    sections = ((detail.get("jobAd") or {}).get("sections")) or {}
    return "".join(
        f"<h3>{section.get('title') or ''}</h3>{section.get('text') or ''}"
        for section in sections.values()
        if isinstance(section, dict) and section.get("text")
    )


def _label(value: Any) -> str | None:
    return value.get("label") if isinstance(value, dict) else None


class SmartrecruitersSpider(DetailSpider):
    name = "smartrecruiters"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://api.smartrecruiters.com"
    required_args = ("company",)

    company: str

    @property
    def page_size(self) -> int:
        size = self.settings.getint("JOBSIFT_SMARTRECRUITERS_PAGE_SIZE", DEFAULT_PAGE_SIZE)
        return min(DEFAULT_PAGE_SIZE, max(1, size))

    def page_url(self, offset: int) -> str:
        query = urlencode({"offset": offset, "limit": self.page_size})
        return self.endpoint(LIST_PATH, company=self.company) + "?" + query

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.page_url(0), self.parse, cb_kwargs={"offset": 0})

    def parse(self, response: Response, offset: int) -> Iterator[Any]:
        found = self.json_page(response, "content")
        if isinstance(found, Reject):
            yield found
            return
        body, listed = found
        for posting in listed:
            if isinstance(posting, dict) and posting.get("id"):
                yield self.detail_request(response, posting)
            else:
                yield self.reject(response, "posting without an id", raw=posting)
        total = body.get("totalFound")
        next_offset = offset + len(listed)
        # Only a full page can have a successor (trimmed or stale totals would loop otherwise).
        if len(listed) == self.page_size and (not isinstance(total, int) or next_offset < total):
            yield self.get(
                self.page_url(next_offset), self.parse, cb_kwargs={"offset": next_offset}
            )

    def detail_url(self, listed: dict[str, Any]) -> str:
        # Without its detail the posting still has title, company, location and flags.
        return self.endpoint(DETAIL_PATH, company=self.company, posting_id=str(listed["id"]))

    def job(self, response: Response, posting: dict[str, Any]) -> dict[str, Any]:
        location = posting.get("location") or {}
        identifier = (posting.get("company") or {}).get("identifier") or self.company
        public_url = PUBLIC_POSTING_URL.format(identifier=identifier, posting_id=posting["id"])
        return self.posting(
            response,
            source_id=str(posting["id"]),
            url=posting.get("postingUrl") or public_url,
            apply_url=posting.get("applyUrl"),
            title=posting.get("name"),
            company=(posting.get("company") or {}).get("name"),
            location=location.get("fullLocation"),
            description=_description(posting),
            posted=posting.get("releasedDate"),
            employment_type=_label(posting.get("typeOfEmployment")),
            remote=flags_as_given(location, WORKPLACE_FLAGS),
            country_code=location.get("country"),
            experience_level=_label(posting.get("experienceLevel")),
            department=_label(posting.get("department")),
        )
