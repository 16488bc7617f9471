"""Recruitee careers API: `https://{company}.recruitee.com/api/offers/`, every open offer at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import join_locations
from jobsift.schemas import Reject
from scrapy.http import Request, Response

OFFERS_PATH = "/api/offers/"
# The three workplace flags, most permissive first: an offer open to remote work is remote
# even when it also allows the office (gold/README.md "work_setting").
WORKPLACE_FLAGS = ("remote", "hybrid", "on_site")


def _remote(offer: dict[str, Any]) -> str | None:
    return next((flag for flag in WORKPLACE_FLAGS if offer.get(flag) is True), None)


def _salary(offer: dict[str, Any]) -> dict[str, Any] | None:
    salary = offer.get("salary")
    if not isinstance(salary, dict):
        return None
    return salary if any(salary.get(k) not in (None, "") for k in ("min", "max")) else None


def _locations(offer: dict[str, Any]) -> str | None:
    """The offer's location, each listed location's name when it differs, and its note.

    Notes carry eligibility prose ("open to hiring someone working remotely within ...").
    """
    parts: list[Any] = [offer.get("location")]
    for place in offer.get("locations") or []:
        parts.append(place.get("name"))
        parts.append(place.get("note"))
    return join_locations(parts)


class RecruiteeSpider(JobsiftSpider):
    name = "recruitee"
    default_base_url = "https://{company}.recruitee.com"
    required_args = ("company",)

    company: str

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.endpoint(OFFERS_PATH, company=self.company), self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        body = next(self.parse_json(response))
        if isinstance(body, Reject):
            yield body
            return
        offers = body.get("offers") if isinstance(body, dict) else None
        if not isinstance(offers, list):
            yield self.reject(response, "expected a JSON object with an 'offers' list")
            return
        yield from self.each_posting(response, offers, lambda offer: self.job(response, offer))

    def job(self, response: Response, offer: dict[str, Any]) -> dict[str, Any]:
        description = "".join(offer.get(key) or "" for key in ("description", "requirements"))
        return self.posting(
            response,
            source_id=str(offer.get("guid") or offer["id"]),
            url=offer.get("careers_url"),
            apply_url=offer.get("careers_apply_url"),
            title=offer.get("title"),
            company=offer.get("company_name"),
            location=_locations(offer),
            description=description or None,
            posted=offer.get("published_at") or offer.get("created_at"),
            valid_through=offer.get("close_at"),
            salary=_salary(offer),
            employment_type=offer.get("employment_type_code"),
            remote=_remote(offer),
            tags=[str(tag) for tag in offer.get("tags") or []],
            country_code=offer.get("country_code"),
            department=offer.get("department"),
            experience_code=offer.get("experience_code"),
            education_code=offer.get("education_code"),
        )
