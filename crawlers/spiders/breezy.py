"""Breezy HR: `https://{company}.breezy.hr/json`, a bare array of every open position. The list
has no description: each position's page (`/p/{friendly_id}`) carries it as schema.org JSON-LD,
which the `jobposting` spider reads."""

from __future__ import annotations

from typing import Any

from jobsift.crawlers.base import JsonListSpider
from jobsift.crawlers.text import join_locations, join_present
from scrapy.http import Response


def _place(location: Any) -> str | None:
    """A location's name ("Raleigh, NC") and its country's name."""
    if not isinstance(location, dict):
        return None
    country = location.get("country") or {}
    name = location.get("name") or join_present(
        [location.get("city"), (location.get("state") or {}).get("name")]
    )
    return join_present([name, country.get("name") if isinstance(country, dict) else None]) or None


def _places(position: dict[str, Any]) -> list[dict[str, Any]]:
    places = [position.get("location"), *(position.get("locations") or [])]
    return [place for place in places if isinstance(place, dict)]


class BreezySpider(JsonListSpider):
    name = "breezy"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://{company}.breezy.hr"
    required_args = ("company",)
    list_path = "/json"

    company: str

    def job(self, response: Response, position: dict[str, Any]) -> dict[str, Any]:
        places = _places(position)
        remote_flags = [place["is_remote"] for place in places if "is_remote" in place]
        details = next((p["remote_details"] for p in places if p.get("remote_details")), {})
        kind = position.get("type") or {}
        company = position.get("company") or {}
        return self.posting(
            response,
            source_id=str(position["id"]),
            url=position.get("url"),
            title=position.get("name"),
            company=company.get("name"),
            location=join_locations(_place(place) for place in places),
            posted=position.get("published_date"),
            salary=position.get("salary") or None,  # free text; "" when the board shows none
            employment_type=kind.get("name") if isinstance(kind, dict) else kind,
            # The primary location's flag as given (a location object may lack it).
            remote=remote_flags[0] if remote_flags else None,
            remote_details=details.get("label") if isinstance(details, dict) else None,
            department=position.get("department"),
            friendly_id=position.get("friendly_id"),
        )
