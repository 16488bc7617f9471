"""Any page with schema.org JobPosting JSON-LD, from start URLs or a sitemap.

Arguments: `-a urls=URL1,URL2` (pages), or `-a sitemap=URL` (a sitemap or a sitemap index, whose
child sitemaps are followed) with an optional `-a pattern=REGEX` that keeps the page URLs it
matches. A URL may also answer with the JSON-LD document itself (`application/ld+json`). Every
JobPosting of a page becomes a raw posting (`crawlers.jsonld`); an HTML page without one still
gives a posting made of its title and main text, counted as `jobsift/jsonld/fallback`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.jsonld import job_posting_fields, job_postings, json_ld_blocks
from jobsift.schemas import Reject
from scrapy.http import Request, Response, TextResponse
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap

NON_CONTENT_TAGS = ("nav", "header", "footer", "script", "style", "noscript", "template", "svg")
CONTENT_XPATHS = ("//main", "//article", "//*[@role='main']", "//body")
TITLE_XPATHS = ("(//h1)[1]", "/html/head/title")
CANONICAL_XPATH = "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"


def _page_urls(urls: str | None) -> list[str]:
    pages = [url.strip() for url in (urls or "").split(",") if url.strip()]
    for url in pages:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"jobposting: urls must be absolute http(s) URLs, got {url!r}")
    return pages


def _text_of(response: TextResponse, xpath: str) -> str:
    return " ".join(" ".join(response.xpath(f"{xpath}//text()").getall()).split())


def canonical_url(response: TextResponse) -> str:
    href = response.xpath(CANONICAL_XPATH).get()
    return response.urljoin(href.strip()) if href and href.strip() else response.url


def page_text_fields(response: TextResponse) -> dict[str, str] | None:
    """Title (`<h1>`, else `<title>`) and the main content as HTML, for a page without JSON-LD."""
    title = next(filter(None, (_text_of(response, xpath) for xpath in TITLE_XPATHS)), None)
    content = next((found[0] for xpath in CONTENT_XPATHS if (found := response.xpath(xpath))), None)
    description = None
    if content is not None and isinstance(content.root, lxml.etree._Element):
        root = copy.deepcopy(content.root)  # the response's own tree stays intact
        lxml.etree.strip_elements(root, *NON_CONTENT_TAGS, lxml.etree.Comment, with_tail=False)
        if root.text_content().strip():
            description = lxml.html.tostring(root, encoding="unicode", with_tail=False)
    if not (title or description):
        return None
    fields = {"title": title, "description": description}
    return {key: value for key, value in fields.items() if value}


class JobpostingSpider(JobsiftSpider, SitemapSpider):
    name = "jobposting"

    def __init__(
        self,
        *args: Any,
        urls: str | None = None,
        sitemap: str | None = None,
        pattern: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.page_urls = _page_urls(urls)
        if not (self.page_urls or sitemap):
            raise ValueError("jobposting: give -a urls=URL1,URL2 or -a sitemap=URL")
        try:
            page_pattern = re.compile(pattern or "")
        except re.error as exc:
            raise ValueError(f"jobposting: pattern {pattern!r} is not a regex: {exc}") from exc
        # SitemapSpider reads both in its __init__: page URLs matching `pattern` go to parse_page.
        self.sitemap_urls = [sitemap] if sitemap else []
        self.sitemap_rules = [(page_pattern, "parse_page")]
        super().__init__(*args, **kwargs)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.page_urls:
            yield self.get(url, self.parse_page)
        for url in self.sitemap_urls:
            yield self.get(url, self._parse_sitemap)

    def _parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Scrapy's sitemap walk, with this spider's errback on every request it makes."""
        if not response.url.endswith("/robots.txt"):
            body = self._get_sitemap_body(response)
            try:
                kind = Sitemap(body).type if body else None
            except (lxml.etree.XMLSyntaxError, StopIteration):
                kind = None
            if kind not in ("urlset", "sitemapindex"):
                self.record_failure(f"not a sitemap at {response.url}")
                return
        for request in super()._parse_sitemap(response):
            yield request.replace(errback=self.on_error)

    def parse_page(self, response: Response) -> Iterator[dict[str, Any] | Reject]:
        if not isinstance(response, TextResponse):
            self.record_failure(f"not a text page at {response.url}")
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        is_json = "json" in content_type  # the JSON-LD document itself (application/ld+json)
        if is_json:
            body = next(self.parse_json(response))
            if isinstance(body, Reject):
                yield body
                return
            blocks: list[Any] = [body]
        else:
            blocks, errors = json_ld_blocks(response.selector)
            for error in errors:
                self.logger.warning("%s at %s", error, response.url)
                self.crawler.stats.inc_value("jobsift/jsonld/invalid_block")
        page_url = canonical_url(response) if not is_json else response.url
        jobs = job_postings(blocks)
        if not jobs and is_json:
            self.logger.warning("jobposting: no JobPosting in the JSON at %s", response.url)
        elif not jobs:
            yield from self.fallback(response, page_url)
        for index, job in enumerate(jobs):
            yield self.job(response, job_posting_fields(job), page_url, index, len(jobs))

    def job(
        self, response: TextResponse, fields: dict[str, Any], page_url: str, index: int, count: int
    ) -> dict[str, Any]:
        url = response.urljoin(fields.pop("url")) if fields.get("url") else page_url
        identifier = fields.pop("identifier", None)
        if identifier:
            # Identifiers are only unique within a site: one source spans many sites.
            source_id = f"{urlsplit(url).hostname}:{identifier}"
        elif count > 1 and url == page_url:
            source_id = f"{page_url}#{index}"  # several postings share the page's URL
        else:
            source_id = None  # the URL identifies the posting
        return self.posting(response, source_id=source_id, url=url, **fields)

    def fallback(self, response: TextResponse, page_url: str) -> Iterator[dict[str, Any]]:
        fields = page_text_fields(response)
        if fields is None:
            self.logger.warning("jobposting: no JobPosting and no text at %s", response.url)
            return
        self.crawler.stats.inc_value("jobsift/jsonld/fallback")
        yield self.posting(response, url=page_url, **fields)
