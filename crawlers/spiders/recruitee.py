"""Recruitee careers API: `https://{company}.recruitee.com/api/offers/`, every open offer at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import flags_as_given, join_locations
from scrapy.http import Request, Response

OFFERS_PATH = "/api/offers/"
# The three workplace flags, passed as given (normalization decides what they mean together).
WORKPLACE_FLAGS = ("remote", "hybrid", "on_site")


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
        yield from self.postings_from_json(response, "offers", lambda o: self.job(response, o))

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
            remote=flags_as_given(offer, WORKPLACE_FLAGS),
            tags=[str(tag) for tag in offer.get("tags") or []],
            country_code=offer.get("country_code"),
            department=offer.get("department"),
            experience_code=offer.get("experience_code"),
            education_code=offer.get("education_code"),
        )
