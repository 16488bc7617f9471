"""Lever Postings API: `/v0/postings/{company}?mode=json`, a bare JSON array, paged by skip/limit.

The EU instance (`https://api.eu.lever.co`) is the same API: point JOBSIFT_LEVER_URL at it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import join_locations
from jobsift.schemas import Reject
from scrapy.http import Request, Response

LIST_PATH = "/v0/postings/{company}"
DEFAULT_PAGE_SIZE = 100


def _description(posting: dict[str, Any]) -> str | None:
    """Lever's page as one HTML document: description, each list under its heading, additional.

    List `content` is bare `<li>` fragments; wrapping each in `<ul>` keeps the items items.
    Without the HTML fields (some exports keep only the plain ones) the plain text is used.
    """
    html_parts = [posting.get("description") or ""]
    for entry in posting.get("lists") or []:
        html_parts.append(
            f"<h3>{entry.get('text') or ''}</h3><ul>{entry.get('content') or ''}</ul>"
        )
    html_parts.append(posting.get("additional") or "")
    if posting.get("description") or posting.get("additional") or posting.get("lists"):
        return "".join(html_parts)
    plain = [posting.get("descriptionPlain"), posting.get("additionalPlain")]
    return "\n\n".join(part for part in plain if part) or None


class LeverSpider(JobsiftSpider):
    name = "lever"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://api.lever.co"
    required_args = ("company",)
    # Lever documents a limit only for application POSTs (2/s); stay under it for reads too.
    custom_settings = {"DOWNLOAD_DELAY": 0.5}

    company: str

    @property
    def page_size(self) -> int:
        return max(1, self.settings.getint("JOBSIFT_LEVER_PAGE_SIZE", DEFAULT_PAGE_SIZE))

    def page_url(self, skip: int) -> str:
        query = urlencode({"mode": "json", "skip": skip, "limit": self.page_size})
        return self.endpoint(LIST_PATH, company=self.company) + "?" + query

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.page_url(0), self.parse, cb_kwargs={"skip": 0, "seen": set()})

    def parse(self, response: Response, skip: int, seen: set[str]) -> Iterator[Any]:
        body = self.json_entries(response)
        if isinstance(body, Reject):
            yield body
            return
        fresh = [p for p in body if not (isinstance(p, dict) and p.get("id") in seen)]
        seen.update(p["id"] for p in body if isinstance(p, dict) and p.get("id"))
        yield from self.each_posting(response, fresh, lambda p: self.job(response, p))
        # A full page may have a successor; a server that ignores skip/limit sends more than a
        # page (the whole board) or the same postings again, and paging stops there.
        if len(body) == self.page_size and fresh:
            next_skip = skip + self.page_size
            yield self.get(
                self.page_url(next_skip), self.parse, cb_kwargs={"skip": next_skip, "seen": seen}
            )

    def job(self, response: Response, posting: dict[str, Any]) -> dict[str, Any]:
        categories = posting.get("categories") or {}
        locations = categories.get("allLocations") or [categories.get("location")]
        return self.posting(
            response,
            source_id=posting["id"],
            url=posting.get("hostedUrl"),
            apply_url=posting.get("applyUrl"),
            title=posting.get("text"),
            location=join_locations(locations),
            description=_description(posting),
            posted=posting.get("createdAt"),  # epoch milliseconds, as given
            salary=posting.get("salaryRange") or posting.get("salaryDescriptionPlain") or None,
            employment_type=categories.get("commitment"),
            remote=posting.get("workplaceType"),
            country=posting.get("country"),
            board=self.company,  # the board token: a hint at the company, not its name
            department=categories.get("department"),
            team=categories.get("team"),
        )
