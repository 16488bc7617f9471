"""A page the server answered 304 for is not parsed again: its raw postings are replayed.

When a page kept in the HTTP cache (`crawlers/httpcache.py`) is read, and its callback yields
nothing but raw postings (a job's detail page), those postings are recorded beside the kept page,
under the page's validator. When the next crawl gets a 304 for it, the callback is not run: the
recorded postings are yielded again with a new `fetched_at` (stats `jobsift/replay/pages`,
`jobsift/replay/postings`), so every posting of the page still counts as seen, and the chain then
skips them as unchanged. A page whose callback yields anything else (requests, rejects) or records
a failure is always parsed. Callbacks are generators, so not iterating one means it never runs.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from jobsift.crawlers.httpcache import (
    RECORDED_META,
    REVALIDATED_META,
    RevalidatingCacheMiddleware,
)
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response


class _Plan:
    """What is known about one response: where to record its postings, or what to replay."""

    def __init__(self, cache: RevalidatingCacheMiddleware, response: Response, validator: bytes):
        self.cache = cache
        self.response = response
        self.validator = validator
        callback = response.request.callback if response.request is not None else None
        self.callback = getattr(callback, "__name__", None) or "parse"
        self.items: list[dict[str, Any]] | None = []

    def recorded(self) -> list[dict[str, Any]] | None:
        """The postings recorded for this page, read by the cache middleware at its 304."""
        if not self.response.meta.get(REVALIDATED_META):
            return None
        found = self.response.meta.get(RECORDED_META)
        if found is None or found[0] != self.callback:
            return None
        return json.loads(found[1])

    def see(self, output: Any) -> None:
        if self.items is None:
            return
        if isinstance(output, dict):
            self.items.append({k: v for k, v in output.items() if k != "fetched_at"})
        else:
            self.items = None  # requests or rejects: this page is always parsed

    def record(self, failed: bool) -> None:
        items = None if failed or not self.items else self.items
        text = None
        if items is not None:
            try:
                text = json.dumps(items, ensure_ascii=False)
            except (TypeError, ValueError):  # a value JSON cannot hold: parse the page next time
                text = None
        self.cache.storage.store_postings(
            self.response.request, self.validator, self.callback, text
        )


class ReplayPostingsMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayPostingsMiddleware:
        if not crawler.settings.getbool("JOBSIFT_HTTPCACHE"):
            raise NotConfigured
        return cls(crawler)

    def _plan(self, response: Response | None) -> _Plan | None:
        cache = getattr(self.crawler, "jobsift_httpcache", None)
        if cache is None or response is None or response.request is None:
            return None
        if response.status != 200 or response.meta.get("dont_cache"):
            return None
        kept = response.meta.get(REVALIDATED_META) or (
            "cached" not in response.flags
            and cache.policy.should_cache_response(response, response.request)
        )
        if not kept:
            return None  # only pages the cache keeps: revalidated, or just stored
        validator = cache.validator(response)
        return _Plan(cache, response, validator) if validator else None

    def _failures(self) -> int:
        return len(getattr(self.crawler.spider, "failures", ()))

    def _replayed(self, items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        spider = self.crawler.spider
        stamp = spider.fetched_at() if hasattr(spider, "fetched_at") else None
        stamp = stamp or datetime.now(UTC).isoformat()
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("jobsift/replay/pages")
            self.crawler.stats.inc_value("jobsift/replay/postings", len(items))
        for item in items:
            yield {**item, "fetched_at": stamp}

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterator[Any]:
        plan = self._plan(response)
        if plan is None:
            yield from result
            return
        recorded = plan.recorded()
        if recorded is not None:
            yield from self._replayed(recorded)
            return
        before = self._failures()
        for output in result:
            plan.see(output)
            yield output
        plan.record(self._failures() > before)

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        plan = self._plan(response)
        if plan is None:
            async for output in result:
                yield output
            return
        recorded = plan.recorded()
        if recorded is not None:
            for item in self._replayed(recorded):
                yield item
            return
        before = self._failures()
        async for output in result:
            plan.see(output)
            yield output
        plan.record(self._failures() > before)
