"""Pinpoint careers site: `https://{company}.pinpointhq.com/postings.json` (`{"data": [...]}`),
every open posting at once with its sections and pay. The list carries no posting date."""

from __future__ import annotations

from typing import Any

from jobsift.crawlers.base import JsonListSpider
from jobsift.crawlers.text import join_locations, join_present
from scrapy.http import Response

# The HTML sections of a posting, in the order the page shows them, each under the label the
# employer chose (`{section}_header`); `description` has none.
SECTIONS = ("description", "key_responsibilities", "skills_knowledge_expertise", "benefits")


def _description(posting: dict[str, Any]) -> str | None:
    parts = []
    for section in SECTIONS:
        body = posting.get(section)
        if not body:
            continue
        header = posting.get(f"{section}_header")
        parts.append(f"<h3>{header}</h3>{body}" if header else body)
    return "".join(parts) or None


def _salary(posting: dict[str, Any]) -> dict[str, Any] | None:
    """The structured pay the employer shows (hidden pay is all null), under common key names."""
    if not posting.get("compensation_visible"):
        return None
    pay = {
        "min": posting.get("compensation_minimum"),
        "max": posting.get("compensation_maximum"),
        "currency": posting.get("compensation_currency"),
        "period": posting.get("compensation_frequency"),
        "summary": posting.get("compensation"),
    }
    return pay if pay["min"] is not None or pay["max"] is not None else None


def _location(posting: dict[str, Any]) -> str | None:
    """The location's name (a label: "Remote", "North County"), then its city and province."""
    place = posting.get("location") or {}
    city = join_present([place.get("city"), place.get("province")])
    return join_locations([place.get("name"), city])


class PinpointSpider(JsonListSpider):
    name = "pinpoint"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://{company}.pinpointhq.com"
    required_args = ("company",)
    list_path, entries_key = "/postings.json", "data"

    company: str

    def job(self, response: Response, posting: dict[str, Any]) -> dict[str, Any]:
        job = posting.get("job") or {}
        department = job.get("department") or {}
        division = job.get("division") or {}
        return self.posting(
            response,
            source_id=str(posting["id"]),
            url=posting.get("url"),
            title=posting.get("title"),
            location=_location(posting),
            description=_description(posting),
            valid_through=posting.get("deadline_at"),
            salary=_salary(posting),
            employment_type=posting.get("employment_type_text") or posting.get("employment_type"),
            remote=posting.get("workplace_type"),  # onsite / remote / hybrid
            workplace_type_text=posting.get("workplace_type_text"),
            board=self.company,  # the company's subdomain: a hint at the company, not its name
            requisition_id=job.get("requisition_id"),
            department=department.get("name"),
            division=division.get("name"),
            reporting_to=posting.get("reporting_to") or None,
        )
