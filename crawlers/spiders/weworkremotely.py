"""We Work Remotely: the RSS 2.0 feed `GET /remote-jobs.rss`, every current job in one document."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import join_locations
from jobsift.schemas import Reject
from parsel import Selector
from scrapy.http import Request, Response


def _text(item: Selector, tag: str) -> str | None:
    value = item.xpath(f"string({tag})").get(default="").strip()
    return value or None


class WeworkremotelySpider(JobsiftSpider):
    name = "weworkremotely"
    default_base_url = "https://weworkremotely.com"

    async def start(self) -> AsyncIterator[Request]:
        yield self.get(self.endpoint("/remote-jobs.rss"), self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, Any] | Reject]:
        feed = next(self.parse_xml(response))  # strict: a truncated feed is a reject
        if isinstance(feed, Reject):
            yield feed
            return
        if not feed.xpath("/rss/channel"):
            yield self.reject(response, "body is not an RSS feed (no /rss/channel)")
            return
        items = feed.xpath("/rss/channel/item")
        yield from self.each_posting(response, items, lambda item: self.job(response, item))

    def job(self, response: Response, item: Selector) -> dict[str, Any]:
        # `state` is the company's headquarters, not where candidates may live: it stays in
        # `location` as the source gives it, and is named as such in `headquarters`.
        state = _text(item, "state")
        skills = _text(item, "skills") or ""
        return self.posting(
            response,
            source_id=_text(item, "guid") or _text(item, "link"),
            url=_text(item, "link") or _text(item, "guid"),
            title=_text(item, "title"),  # "Company: Role", split by normalization
            location=join_locations([_text(item, "region"), _text(item, "country"), state]),
            description=item.xpath("string(description)").get(),  # XML-decoded once: HTML
            posted=_text(item, "pubDate"),
            valid_through=_text(item, "expires_at"),
            employment_type=_text(item, "type"),
            tags=[skill.strip() for skill in skills.split(",") if skill.strip()],
            category=_text(item, "category"),
            headquarters=state,
        )
