"""BambooHR careers site: `https://{company}.bamboohr.com/careers/list` (the whole board, no
dates, descriptions or pay), then each opening's `/careers/{id}/detail`.

An unknown company answers the list with a redirect to BambooHR's home page: that is reported as
such, not followed into a page of HTML.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.details import DetailSpider
from jobsift.crawlers.text import join_locations, join_present
from jobsift.schemas import Reject
from scrapy.http import Request, Response

LIST_PATH = "/careers/list"
DETAIL_PATH = "/careers/{job_id}/detail"
PAGE_PATH = "/careers/{job_id}"
HEADERS = {"Accept": "application/json"}
REDIRECTS = [301, 302, 303, 307, 308]


def _place(location: Any, *keys: str) -> str | None:
    if not isinstance(location, dict):
        return None
    return join_present(location.get(key) for key in keys) or None


def _locations(opening: dict[str, Any]) -> str | None:
    """The legacy `location` and the newer `atsLocation`, each as given (either may be empty)."""
    return join_locations(
        [
            _place(opening.get("location"), "city", "state", "addressCountry"),
            _place(opening.get("atsLocation"), "city", "state", "province", "country"),
        ]
    )


class BamboohrSpider(DetailSpider):
    detail_headers = HEADERS
    name = "bamboohr"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://{company}.bamboohr.com"
    required_args = ("company",)
    custom_settings = {"DOWNLOAD_DELAY": 0.5}  # undocumented surface: one detail at a time

    company: str

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(
            self.endpoint(LIST_PATH, company=self.company),
            self.parse,
            headers=HEADERS,
            meta={"dont_redirect": True, "handle_httpstatus_list": REDIRECTS},
        )

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.status in REDIRECTS:
            target = response.headers.get(b"Location", b"").decode(errors="replace")
            self.record_failure(
                f"no BambooHR careers site {self.company!r}: {response.url} redirects "
                f"to {target or 'nowhere'}"
            )
            return
        listed = self.json_entries(response, "result")
        if isinstance(listed, Reject):
            yield listed
            return
        for opening in listed:
            if isinstance(opening, dict) and opening.get("id") not in (None, ""):
                yield self.detail_request(response, opening)
            else:
                yield self.reject(response, "opening without an id", raw=opening)

    def detail_url(self, listed: dict[str, Any]) -> str:
        return self.endpoint(DETAIL_PATH, company=self.company, job_id=str(listed["id"]))

    def detail_of(self, response: Response, body: dict[str, Any]) -> dict[str, Any] | Reject:
        opening = (body.get("result") or {}).get("jobOpening")
        if not isinstance(opening, dict):
            return self.reject(response, "detail without result.jobOpening")
        return {k: v for k, v in opening.items() if v is not None}

    def job(self, response: Response, opening: dict[str, Any]) -> dict[str, Any]:
        job_id = str(opening["id"])
        page = self.endpoint(PAGE_PATH, company=self.company, job_id=job_id)
        return self.posting(
            response,
            source_id=job_id,
            url=opening.get("jobOpeningShareUrl") or page,
            title=opening.get("jobOpeningName"),
            location=_locations(opening),
            description=opening.get("description"),
            posted=opening.get("datePosted"),
            salary=opening.get("compensation") or None,
            employment_type=opening.get("employmentStatusLabel"),
            remote=opening.get("isRemote"),
            # "0"/"1"/"2" (on-site/remote/hybrid by one reading; "1" seen on tugboat jobs).
            location_type=opening.get("locationType"),
            board=self.company,  # the company's subdomain: a hint at the company, not its name
            department=opening.get("departmentLabel") or None,
            minimum_experience=opening.get("minimumExperience"),
        )
