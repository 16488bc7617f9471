"""The remote-job aggregator jobsift began from: listing pages with pagination, then role pages.

Role pages are read by their labels and headings (see `crawlers.facts`), never by class names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.facts import headed_sections, heading, items_under, labelled_facts, text_of
from scrapy.http import Response

FACT_LABELS = (
    "Posted",
    "Eligible countries",
    "Seniority signal",
    "Work setting",
    "Employment",
    "Salary",
)
LOCATIONS_HEADING = "Accepted candidate locations"
ROLE_HEADING = "Role overview"
STACK_HEADING = "Stack"
# Headings of the site's own chrome inside the role overview; not posting data.
CHROME_HEADINGS = ("Role overview", "Requirements and responsibilities")
APPLY_LABEL = "Apply on company site"
# "Remote Leadership (Engineering) role with clear candidate location fit."
SUMMARY_CATEGORY = re.compile(r"^(?:Remote|Hybrid|On-?site)\s+(?P<category>.+?)\s+role\b", re.I)


class WithmiraSpider(JobsiftSpider):
    name = "withmira"
    complete_listing = True  # every listing page, by `rel="next"`

    # The listing page to start from: no public default is known.
    required_args = ("start_url",)
    start_url: str

    async def start(self) -> Any:
        yield self.get(self.start_url, self.parse)

    def parse(self, response: Response) -> Iterator[Any]:
        """A listing page: every role card, then the next page."""
        for href in response.xpath("//main//li//a/@href").getall():
            if "/jobs/" in urlsplit(response.urljoin(href)).path:
                yield self.get(response.urljoin(href), self.parse_role)
        next_page = response.xpath("//a[@rel='next']/@href").get()
        if next_page:
            yield self.get(response.urljoin(next_page), self.parse)

    def parse_role(self, response: Response) -> Iterator[Any]:
        title_node = response.xpath("//h1")
        if not title_node:
            # One broken page of a site that answers: a reject, not a failure of the source.
            yield self.page_reject(response, "role page has no title (no h1)")
            return
        title = text_of(title_node[0])
        company = response.xpath("//h1/preceding-sibling::*[1]")
        summary = response.xpath("//h1/following-sibling::*[1]")
        summary_text = text_of(summary[0]) if summary else None
        category = SUMMARY_CATEGORY.match(summary_text or "")
        facts = labelled_facts(response, FACT_LABELS)
        locations = items_under(response, LOCATIONS_HEADING)
        apply_href = response.xpath(f"//a[normalize-space(.)='{APPLY_LABEL}']/@href").get()
        yield self.posting(
            response,
            source_id=urlsplit(response.url).path.rstrip("/").rsplit("/", 1)[-1],
            apply_url=response.urljoin(apply_href) if apply_href else None,
            title=title,
            company=text_of(company[0]) if company else None,
            summary=summary_text,
            category=category.group("category") if category else None,
            location=" | ".join(locations) or None,
            description=self._description(response),
            posted=facts.get("Posted"),
            salary=facts.get("Salary"),
            employment_type=facts.get("Employment"),
            remote=facts.get("Work setting"),
            tags=items_under(response, STACK_HEADING),
            facts=facts,
        )

    def _description(self, response: Response) -> str | None:
        """The role sections as HTML headings with their lists, plus any location notes."""
        parts = []
        role = heading(response, ROLE_HEADING)
        if role is not None:
            for title, body in headed_sections(role.xpath(".."), skip=CHROME_HEADINGS):
                parts.append(f"<h4>{html.escape(title)}</h4>{body}")
        locations = heading(response, LOCATIONS_HEADING)
        if locations is not None:
            notes = locations.xpath("following-sibling::p")
            parts.extend(f"<p>{html.escape(t)}</p>" for note in notes if (t := text_of(note)))
        return "".join(parts) or None
