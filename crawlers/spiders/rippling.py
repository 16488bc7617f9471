"""Rippling ATS job board: `/platform/api/ats/v1/board/{board}/jobs` lists one entry per job and
work location; the entries of one `uuid` are one posting with all their locations. Each job's
detail (`.../jobs/{uuid}`) adds the description, the date, the employment type and pay ranges;
`-a details=false` keeps to the list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.details import DetailSpider
from jobsift.crawlers.text import join_locations
from jobsift.schemas import Reject
from scrapy.http import Request, Response

LIST_PATH = "/platform/api/ats/v1/board/{board}/jobs"
DETAIL_PATH = "/platform/api/ats/v1/board/{board}/jobs/{uuid}"


def _label(value: Any) -> str | None:
    return value.get("label") if isinstance(value, dict) else None


def merge_by_uuid(entries: list[Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """The jobs of a list, each once with every work location of its entries (in list order),
    and the entries without a uuid."""
    jobs: dict[str, dict[str, Any]] = {}
    odd: list[Any] = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("uuid"):
            odd.append(entry)
            continue
        job = jobs.setdefault(str(entry["uuid"]), {**entry, "workLocations": []})
        place = _label(entry.get("workLocation"))
        if place and place not in job["workLocations"]:
            job["workLocations"].append(place)
    return list(jobs.values()), odd


def _description(detail: dict[str, Any]) -> str | None:
    """The role, then the company blurb: two HTML blobs as given (each opens with a `<meta>`)."""
    parts = detail.get("description")
    if isinstance(parts, str):
        return parts or None
    if not isinstance(parts, dict):
        return None
    return "".join(parts.get(key) or "" for key in ("role", "company")) or None


class RipplingSpider(DetailSpider):
    name = "rippling"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://api.rippling.com"
    required_args = ("board",)
    custom_settings = {"DOWNLOAD_DELAY": 0.5}

    board: str
    details: str = "true"

    @property
    def follow_details(self) -> bool:
        return str(self.details).strip().lower() not in {"0", "false", "no"}

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.endpoint(LIST_PATH, board=self.board), self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        entries = self.json_entries(response)
        if isinstance(entries, Reject):
            yield entries
            return
        jobs, odd = merge_by_uuid(entries)
        for entry in odd:
            yield self.reject(response, "list entry without a uuid", raw=entry)
        for job in jobs:
            if self.follow_details:
                yield self.detail_request(response, job)
            else:
                yield from self.each_posting(response, [job], lambda j: self.job(response, j))

    def detail_url(self, listed: dict[str, Any]) -> str:
        return self.endpoint(DETAIL_PATH, board=self.board, uuid=str(listed["uuid"]))

    def job_of(
        self, response: Response, listed: dict[str, Any], detail: dict[str, Any] | None
    ) -> dict[str, Any]:
        return self.job(response, listed, detail=detail)

    def job(
        self, response: Response, listed: dict[str, Any], detail: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        detail = detail or {}
        department = detail.get("department") or {}
        employment = detail.get("employmentType") or {}
        places = detail.get("workLocations") or listed.get("workLocations") or []
        return self.posting(
            response,
            source_id=str(listed["uuid"]),
            url=detail.get("url") or listed.get("url"),
            title=detail.get("name") or listed.get("name"),
            company=detail.get("companyName"),
            location=join_locations(places),
            description=_description(detail),
            posted=detail.get("createdOn"),
            # A list is no raw salary (text or an object): wrapped in its own key.
            salary={"payRangeDetails": ranges}
            if (ranges := detail.get("payRangeDetails"))
            else None,
            # `id` holds the words ("Employee (Full-Time)"), `label` a code ("SALARIED_FT").
            employment_type=employment.get("id") or employment.get("label"),
            employment_code=employment.get("label"),
            board=self.board,
            department=department.get("name") or _label(listed.get("department")),
            base_department=department.get("base_department"),
        )
