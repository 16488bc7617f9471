"""Recruitee careers API: `https://{company}.recruitee.com/api/offers/`, every open offer at once."""

from __future__ import annotations

from typing import Any

from jobsift.crawlers.base import JsonListSpider
from jobsift.crawlers.text import flags_as_given, join_locations
from scrapy.http import Response

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


class RecruiteeSpider(JsonListSpider):
    name = "recruitee"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://{company}.recruitee.com"
    required_args = ("company",)
    list_path, entries_key = "/api/offers/", "offers"

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
