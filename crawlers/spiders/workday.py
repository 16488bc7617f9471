"""Workday candidate-experience ("cxs") JSON: POST `/wday/cxs/{tenant}/{site}/jobs` paged by
offset/limit (at most 20), then GET each posting's detail (`/wday/cxs/{tenant}/{site}{path}`).

`total` is only right on the first page, so paging stops on a short page or a page with nothing
new. A listing tops out at 2,000 postings: a listing whose first page says 2,000 is also read
slice by slice, one value of one of its facets at a time (the facet whose largest value is
smallest), and a slice still at the cap is split again by another facet.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.base import template_host
from jobsift.crawlers.details import DetailSpider
from jobsift.crawlers.text import join_locations
from jobsift.schemas import Reject
from scrapy.http import Request, Response

LIST_PATH = "/wday/cxs/{tenant}/{site}/jobs"
SITE_PATH = "/wday/cxs/{tenant}/{site}"  # + a posting's `externalPath`: its detail
PAGE_SIZE = 20  # the most the API accepts ("limit: 21 returns HTTP 400")
CAP = 2000  # the most postings one listing reaches, whatever its `total`
# `locationsText` of a posting with several sites: a count, not a place ("2 Locations").
_COUNT_OF_LOCATIONS = re.compile(r"^\d+\s+Locations?$", re.IGNORECASE)

Facets = dict[str, list[str]]


def _flat_facets(facets: Any) -> list[dict[str, Any]]:
    """Every facet with its values, the groups nested in `locationMainGroup` included."""
    found: list[dict[str, Any]] = []
    for facet in facets if isinstance(facets, list) else []:
        values = [v for v in facet.get("values") or [] if isinstance(v, dict)]
        nested = [v for v in values if "facetParameter" in v]
        found.extend(_flat_facets(nested))
        plain = [v for v in values if v.get("id") and "facetParameter" not in v]
        if plain and facet.get("facetParameter"):
            found.append({"parameter": facet["facetParameter"], "values": plain})
    return found


def split_facet(facets: Any, applied: Facets) -> dict[str, Any] | None:
    """The facet to slice a capped listing by: not applied yet, with at least two values; of
    those whose every value is under the cap the one with the fewest values (fewest requests),
    else the one whose largest value is smallest (its capped slices are split again)."""

    def largest(facet: dict[str, Any]) -> int:
        return max(int(v.get("count") or 0) for v in facet["values"])

    candidates = [
        facet
        for facet in _flat_facets(facets)
        if facet["parameter"] not in applied and len(facet["values"]) > 1
    ]
    under = [facet for facet in candidates if largest(facet) < CAP]
    if under:
        return min(under, key=lambda f: len(f["values"]))
    return min(candidates, key=largest) if candidates else None


def _applied_facets(text: str) -> Facets:
    """`-a facets='{"jobFamilyGroup": ["0c40..."]}'`: Workday's own `appliedFacets` object."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"spider 'workday': -a facets must be a JSON object: {exc}") from None
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        raise ValueError('spider \'workday\': -a facets must look like {"parameter": ["id", ...]}')
    return {str(k): [str(i) for i in v] for k, v in value.items()}


class WorkdaySpider(DetailSpider):
    name = "workday"
    default_base_url = "https://{host}"
    required_args = ("tenant", "site")
    # No published limit; scrapers of this API pause between detail calls.
    custom_settings = {"DOWNLOAD_DELAY": 0.5}

    tenant: str
    shard: str = ""  # wd1, wd5...: the host is {tenant}.{shard}.myworkdayjobs.com
    host: str = ""  # or the host itself (`jobsift discover` writes it)
    site: str
    search: str = ""
    facets: str = ""
    details: str = "true"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not str(self.host).strip() and not str(self.shard).strip():
            raise ValueError("spider 'workday' needs -a shard=... (wd1, wd5...) or -a host=...")
        self.applied = _applied_facets(str(self.facets))
        self.seen: set[str] = set()

    @property
    def follow_details(self) -> bool:
        return str(self.details).strip().lower() not in {"0", "false", "no"}

    @property
    def fields(self) -> dict[str, str]:
        """The base URL's fields: the tenant's host, named or made of tenant and shard."""
        host = str(self.host).strip() or f"{self.tenant}.{self.shard}.myworkdayjobs.com"
        return {"host": host, "tenant": str(self.tenant), "site": str(self.site)}

    @property
    def allowed_domains(self) -> list[str]:
        settings = getattr(self, "settings", None)
        configured = settings.get("JOBSIFT_WORKDAY_URL") if settings else None
        host = template_host(configured or self.default_base_url, self.fields)
        return [host] if host else []

    def list_request(self, applied: Facets, offset: int) -> Request:
        payload = {
            "appliedFacets": applied,
            "limit": PAGE_SIZE,
            "offset": offset,
            "searchText": str(self.search),
        }
        url = self.endpoint(LIST_PATH, **self.fields)
        # Slices and pages share the URL: the body tells them apart, not the duplicate filter.
        return self.post_json(
            url,
            self.parse,
            payload,
            dont_filter=True,
            cb_kwargs={"applied": applied, "offset": offset},
        )

    async def start(self) -> AsyncIterator[Request]:
        yield self.list_request(self.applied, 0)

    def parse(self, response: Response, applied: Facets, offset: int) -> Iterator[Any]:
        page = self.json_page(response, "jobPostings")
        if isinstance(page, Reject):
            yield page
            return
        body, entries = page
        fresh = []
        for entry in entries:
            path = entry.get("externalPath") if isinstance(entry, dict) else None
            if path is None:
                yield self.reject(response, "posting without an externalPath", raw=entry)
            elif path not in self.seen:  # deep pages re-serve the previous page's tail
                self.seen.add(path)
                fresh.append(entry)
        for entry in fresh:
            if self.follow_details:
                yield self.detail_request(response, entry)
            else:
                yield from self.each_posting(response, [entry], lambda e: self.job(response, e))
        if offset == 0 and isinstance(body, dict) and int(body.get("total") or 0) >= CAP:
            yield from self.slices(response, body.get("facets"), applied)
        # `total` is wrong after page 1: only a full page with something new may have a successor.
        if len(entries) >= PAGE_SIZE and fresh and offset + PAGE_SIZE < CAP:
            yield self.list_request(applied, offset + PAGE_SIZE)

    def slices(self, response: Response, facets: Any, applied: Facets) -> Iterator[Request]:
        facet = split_facet(facets, applied)
        if facet is None:
            self.record_failure(
                f"listing at Workday's cap of {CAP} postings and no facet left to split it "
                f"(applied: {sorted(applied) or 'none'}) at {response.url}"
            )
            return
        self.logger.info(
            "workday: %s listing at the %d cap, read by %d values of %s",
            self.tenant,
            CAP,
            len(facet["values"]),
            facet["parameter"],
        )
        for value in facet["values"]:
            yield self.list_request({**applied, facet["parameter"]: [str(value["id"])]}, 0)

    def detail_url(self, listed: dict[str, Any]) -> str:
        # The path goes in as given: it is the source's, not a template.
        return self.endpoint(SITE_PATH, **self.fields) + listed["externalPath"]

    def job_of(
        self, response: Response, listed: dict[str, Any], detail: dict[str, Any] | None
    ) -> dict[str, Any]:
        return self.job(response, listed, detail=detail)

    def job(
        self, response: Response, listed: dict[str, Any], detail: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        info = (detail or {}).get("jobPostingInfo") or {}
        path = listed["externalPath"]
        listed_location = listed.get("locationsText")
        if listed_location and _COUNT_OF_LOCATIONS.match(str(listed_location).strip()):
            listed_location = None  # a count of sites; the detail names them
        bullets = [b for b in listed.get("bulletFields") or [] if isinstance(b, str)]
        requisition_place = info.get("jobRequisitionLocation") or {}
        country = (requisition_place.get("country") or {}).get("alpha2Code")
        requisition = bullets[0] if bullets else info.get("jobReqId")
        locations = [info.get("location"), *(info.get("additionalLocations") or [])]
        public = f"{self.base_url.format(**self.fields)}/{self.site}{path}"
        return self.posting(
            response,
            source_id=path,
            url=info.get("externalUrl") or public,
            title=info.get("title") or listed.get("title"),
            company=((detail or {}).get("hiringOrganization") or {}).get("name") or None,
            location=join_locations(locations) if info else listed_location,
            description=info.get("jobDescription"),
            # `startDate` is the only absolute date; `postedOn` is prose ("Posted 3 Days Ago").
            posted=info.get("startDate") or info.get("postedOn") or listed.get("postedOn"),
            posted_on=info.get("postedOn") or listed.get("postedOn"),
            employment_type=info.get("timeType"),
            remote=info.get("remoteType") or listed.get("remoteType"),
            requisition_id=requisition,
            country_code=country,
            tenant=self.tenant,
        )
