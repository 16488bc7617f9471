"""Personio XML feed: `https://{company}.jobs.personio.de/xml`, one `<position>` per job, no paging.

`-a language=en` asks for one language of multilingual feeds (`?language=en`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import join_locations
from jobsift.schemas import Reject
from parsel import Selector
from scrapy.http import Request, Response

FEED_PATH = "/xml"
# The feed has no job URL; this is the job's public page on the same host.
POSITION_PATH = "/job/{position_id}"


def _text(node: Selector, path: str) -> str | None:
    value = node.xpath(f"string({path})").get(default="").strip()
    return value or None


def _salary(position: Selector) -> dict[str, str] | None:
    """`<salaryInformation>` children as given ({"min": "100000.00", "max": "", ...})."""
    fields = {
        child.xpath("name()").get(): child.xpath("string(.)").get(default="").strip()
        for child in position.xpath("salaryInformation/*")
    }
    return fields if any(fields.values()) else None


def _description(position: Selector) -> str | None:
    parts = [
        f"<h3>{_text(section, 'name') or ''}</h3>{_text(section, 'value') or ''}"
        for section in position.xpath("jobDescriptions/jobDescription")
    ]
    return "".join(parts) or None


class PersonioSpider(JobsiftSpider):
    name = "personio"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://{company}.jobs.personio.de"
    required_args = ("company",)

    company: str
    language: str = ""

    async def start(self) -> AsyncIterator[Request]:
        url = self.endpoint(FEED_PATH, company=self.company)
        if self.language:
            url += "?" + urlencode({"language": self.language})
        yield self.get(url, self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        feed = next(self.parse_xml(response))
        if isinstance(feed, Reject):
            yield feed
            return
        if feed.xpath("name(/*)").get() != "workzag-jobs":
            yield self.reject(response, "expected a <workzag-jobs> feed")
            return
        positions = feed.xpath("/workzag-jobs/position")
        yield from self.each_posting(response, positions, lambda p: self.job(response, p))

    def job(self, response: Response, position: Selector) -> dict[str, Any]:
        position_id = _text(position, "id")
        if not position_id:
            raise ValueError("position without an <id>")
        offices = [
            _text(position, "office"),
            *position.xpath("additionalOffices/office/text()").getall(),
        ]
        kinds = [_text(position, "employmentType"), _text(position, "schedule")]
        keywords = _text(position, "keywords") or ""
        return self.posting(
            response,
            source_id=position_id,
            url=self.endpoint(POSITION_PATH, company=self.company, position_id=position_id),
            title=_text(position, "name"),
            company=_text(position, "subcompany"),
            location=join_locations(offices),
            description=_description(position),
            posted=_text(position, "createdAt"),
            salary=_salary(position),
            employment_type=" | ".join(kind for kind in kinds if kind) or None,
            tags=[word.strip() for word in keywords.split(",") if word.strip()],
            department=_text(position, "department"),
            recruiting_category=_text(position, "recruitingCategory"),
            seniority=_text(position, "seniority"),
            years_of_experience=_text(position, "yearsOfExperience"),
            occupation=_text(position, "occupation"),
            occupation_category=_text(position, "occupationCategory"),
        )
