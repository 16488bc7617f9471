"""Teamtailor career sites: `https://{company}.teamtailor.com/jobs.rss` (RSS 2.0 with the `tt:`
location namespace, the only feed with `remoteStatus` and the department), paged by
`per_page`/`offset`; or with `-a feed=json` the JSON Feed `/jobs.json` (the whole board at once,
schema.org `baseSalary` where the board publishes pay, no remote status).

North-America boards live on `{company}.na.teamtailor.com`, others on a custom domain: point
JOBSIFT_TEAMTAILOR_URL at that host.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import join_locations, join_present
from jobsift.schemas import Reject
from parsel import Selector
from scrapy.http import Request, Response

RSS_PATH = "/jobs.rss"
JSON_PATH = "/jobs.json"
PAGE_SIZE = 100  # the feed's default page ("the first 100 jobs")
NAMESPACES = {"tt": "https://teamtailor.com/locations"}


def _text(node: Selector, path: str) -> str | None:
    value = node.xpath(f"string({path})").get()
    return value.strip() if value and value.strip() else None


def _rss_location(place: Selector) -> str:
    """One `tt:location`: its name, its city when that differs, its country (a name)."""
    name, city = _text(place, "tt:name"), _text(place, "tt:city")
    return join_present([name, city if city != name else None, _text(place, "tt:country")])


def _json_location(place: Any) -> str | None:
    address = place.get("address") if isinstance(place, dict) else None
    if not isinstance(address, dict):
        return None
    # `addressRegion` is free text of the employer's ("WE&I", "Europe"): not a place.
    return join_present([address.get("addressLocality"), address.get("addressCountry")])


class TeamtailorSpider(JobsiftSpider):
    name = "teamtailor"
    default_base_url = "https://{company}.teamtailor.com"
    required_args = ("company",)

    company: str
    feed: str = "rss"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if str(self.feed) not in ("rss", "json"):
            raise ValueError(f"spider 'teamtailor': -a feed must be rss or json, not {self.feed!r}")
        self.seen: set[str] = set()

    def page_url(self, offset: int) -> str:
        query = urlencode({"per_page": PAGE_SIZE, "offset": offset})
        return self.endpoint(RSS_PATH, company=self.company) + "?" + query

    async def start(self) -> AsyncIterator[Request]:
        if self.feed == "json":
            yield self.get(self.endpoint(JSON_PATH, company=self.company), self.parse_json_feed)
        else:
            yield self.get(self.page_url(0), self.parse, cb_kwargs={"offset": 0})

    def parse(self, response: Response, offset: int) -> Iterator[Any]:
        document = next(self.parse_xml(response))
        if isinstance(document, Reject):
            yield document
            return
        document.register_namespace("tt", NAMESPACES["tt"])
        company = _text(document, "/rss/channel/title")
        items = document.xpath("/rss/channel/item")
        fresh = []
        for item in items:
            key = _text(item, "guid") or _text(item, "link") or ""
            if key not in self.seen:  # a server that ignores `offset` repeats its first page
                self.seen.add(key)
                fresh.append(item)
        yield from self.each_posting(response, fresh, lambda i: self.rss_job(response, i, company))
        if len(items) >= PAGE_SIZE and fresh:
            yield self.get(
                self.page_url(offset + PAGE_SIZE),
                self.parse,
                cb_kwargs={"offset": offset + PAGE_SIZE},
            )

    def rss_job(self, response: Response, item: Selector, company: str | None) -> dict[str, Any]:
        item.register_namespace("tt", NAMESPACES["tt"])
        places = [_rss_location(place) for place in item.xpath("tt:locations/tt:location")]
        return self.posting(
            response,
            source_id=_text(item, "guid") or _text(item, "link"),
            url=_text(item, "link"),
            title=_text(item, "title"),
            company=company,
            location=join_locations(places),
            description=_text(item, "description"),  # the HTML, once its escaping is read
            posted=_text(item, "pubDate"),
            remote=_text(item, "remoteStatus"),
            department=_text(item, "tt:department"),
            role=_text(item, "tt:role"),
            division=_text(item, "tt:division"),
        )

    def parse_json_feed(self, response: Response) -> Iterator[Any]:
        page = self.json_page(response, "items")
        if isinstance(page, Reject):
            yield page
            return
        body, items = page
        company = body.get("title")
        yield from self.each_posting(response, items, lambda i: self.json_job(response, i, company))

    def json_job(self, response: Response, item: dict[str, Any], company: Any) -> dict[str, Any]:
        posting = item.get("_jobposting") or {}
        places = posting.get("jobLocation") or []
        identifier = posting.get("identifier") or {}
        return self.posting(
            response,
            source_id=str(item["id"]),
            url=item.get("url"),
            title=item.get("title"),
            company=(posting.get("hiringOrganization") or {}).get("name") or company,
            location=join_locations(
                _json_location(p) for p in (places if isinstance(places, list) else [places])
            ),
            description=item.get("content_html") or posting.get("description"),
            posted=item.get("date_published") or posting.get("datePosted"),
            salary=posting.get("baseSalary"),  # schema.org MonetaryAmount, numbers as strings
            job_id=str(identifier["value"]) if identifier.get("value") is not None else None,
        )
