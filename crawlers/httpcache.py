"""Conditional re-fetches: Scrapy's HTTP cache, always revalidating, in one SQLite file per source.

With `JOBSIFT_HTTPCACHE` on (the default), a response that carries a validator (`ETag` or
`Last-Modified`) is kept in `<database folder>/httpcache/<source>.sqlite`; the next crawl asks for
it again with `If-None-Match` / `If-Modified-Since`, and a `304 Not Modified` is answered with the
kept body (so the spider still yields every posting of the page, which the chain then skips as
unchanged, see `runtime/normalize.py`). Unlike a browser cache it never serves a kept page without
asking (a crawl exists to see changes), never keeps a page without a validator (it could never be
revalidated), and never stands in for a failure: a 5xx or a download error stays a failure of the
source instead of being covered by the kept body (Scrapy's RFC 2616 policy would do both).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_from_dict
from w3lib.http import headers_dict_to_raw, headers_raw_to_dict

_VALIDATORS = (b"ETag", b"Last-Modified")
# Request meta key: the response is the kept copy of a page the server answered 304 for.
REVALIDATED_META = "jobsift_not_modified"
# Request meta key: (callback name, items JSON) recorded for that kept copy (`crawlers/replay.py`).
RECORDED_META = "jobsift_recorded_postings"
# Request meta key: (callback, validator, items JSON) read with the kept page, until its answer.
_KEPT_POSTINGS_META = "_jobsift_kept_postings"
# Writes to the cache file are committed in groups (a lost group only costs full re-fetches).
_COMMIT_EVERY = 200


def _validators(response: Response) -> tuple[bytes | None, ...]:
    return tuple(response.headers.get(name) for name in _VALIDATORS)


class RevalidatePolicy(RFC2616Policy):
    """RFC 2616 revalidation, without freshness: every kept page is asked for again."""

    def should_cache_response(self, response: Response, request: Request) -> bool:
        cache_control = self._parse_cachecontrol(response)
        return (
            response.status == 200
            and b"no-store" not in cache_control
            and any(name in response.headers for name in _VALIDATORS)
        )

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        return response.status == 304


class SqliteCacheStorage:
    """Scrapy cache storage in one SQLite file per configured source: url, status, headers, body."""

    def __init__(self, settings: BaseSettings) -> None:
        self.folder = Path(settings["HTTPCACHE_DIR"])
        self.name = settings.get("JOBSIFT_SOURCE")
        self.db: sqlite3.Connection | None = None
        self.pending = 0

    def open_spider(self, spider: Spider) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.name or spider.name)
        self.db = sqlite3.connect(self.folder / f"{name}.sqlite", timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS responses (fingerprint BLOB PRIMARY KEY, url TEXT, "
            "status INTEGER, headers BLOB, body BLOB, stored_at REAL)"
        )
        # What a kept page's callback yielded when that was only raw postings (`crawlers/replay.py`).
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS postings (fingerprint BLOB PRIMARY KEY, callback TEXT, "
            "etag BLOB, items TEXT)"
        )
        self._fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider: Spider) -> None:
        if self.db is not None:
            self.db.commit()
            self.db.close()
            self.db = None

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        """The kept page; what its callback gave (`retrieve_postings`) is read in the same query."""
        assert self.db is not None
        row = self.db.execute(
            "SELECT r.url, r.status, r.headers, r.body, r.stored_at, p.callback, p.etag, p.items "
            "FROM responses r LEFT JOIN postings p ON p.fingerprint = r.fingerprint "
            "WHERE r.fingerprint = ?",
            (self._fingerprinter.fingerprint(request),),
        ).fetchone()
        if row is None:
            return None
        url, status, headers, body, stored_at, callback, etag, items = row
        request.meta["cache_timestamp"] = stored_at
        if items is not None:
            request.meta[_KEPT_POSTINGS_META] = (callback, etag, items)
        data = {"url": url, "status": status, "headers": headers_raw_to_dict(headers)}
        return response_from_dict({**data, "body": body})

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        assert self.db is not None
        self.db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
            (
                self._fingerprinter.fingerprint(request),
                response.url,
                response.status,
                headers_dict_to_raw(response.headers),
                response.body,
                time.time(),
            ),
        )
        self._written()

    def store_postings(
        self, request: Request, validator: bytes, callback: str, items: str | None
    ) -> None:
        """Records (or with `items` None forgets) the raw postings a kept page's callback gave."""
        assert self.db is not None
        key = self._fingerprinter.fingerprint(request)
        if items is None:
            self.db.execute("DELETE FROM postings WHERE fingerprint = ?", (key,))
        else:
            self.db.execute(
                "INSERT OR REPLACE INTO postings VALUES (?, ?, ?, ?)",
                (key, callback, validator, items),
            )
        self._written()

    def retrieve_postings(self, request: Request, validator: bytes) -> tuple[str, str] | None:
        """(callback, items JSON) recorded for this page while it had this validator, as read
        with the page by `retrieve_response`."""
        kept = request.meta.pop(_KEPT_POSTINGS_META, None)
        if kept is None or kept[1] != validator:
            return None
        return kept[0], kept[2]

    def _written(self) -> None:
        self.pending += 1
        if self.pending >= _COMMIT_EVERY:
            assert self.db is not None
            self.db.commit()
            self.pending = 0


class RevalidatingCacheMiddleware(HttpCacheMiddleware):
    """Scrapy's HttpCacheMiddleware, on when JOBSIFT_HTTPCACHE is, kept beside the database.

    A 304 is answered with the kept response (stored again only when its validators changed);
    a download error is never answered from the cache.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevalidatingCacheMiddleware:
        if not crawler.settings.getbool("JOBSIFT_HTTPCACHE"):
            raise NotConfigured
        settings = crawler.settings.copy()
        settings.frozen = False
        settings.set("HTTPCACHE_ENABLED", True)
        if settings.get("HTTPCACHE_DIR") in (None, "", "httpcache"):
            folder = Path(settings.get("JOBSIFT_DB") or "data/jobsift.duckdb").resolve().parent
            settings.set("HTTPCACHE_DIR", str(folder / "httpcache"))
        middleware = cls(settings, crawler.stats)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        middleware.crawler = crawler
        # The replay spider middleware (`crawlers/replay.py`) records and reads through it.
        crawler.jobsift_httpcache = middleware  # type: ignore[attr-defined]
        return middleware

    def validator(self, response: Response) -> bytes | None:
        """What identifies this kept version of a page: its ETag, else its Last-Modified."""
        return response.headers.get(b"ETag") or response.headers.get(b"Last-Modified")

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        cached: Response | None = request.meta.get("cached_response")
        if cached is None or response.status != 304 or request.meta.get("dont_cache"):
            request.meta.pop(_KEPT_POSTINGS_META, None)
            return super().process_response(request, response)
        del request.meta["cached_response"]
        self.stats.inc_value("httpcache/revalidate")
        validators = _validators(response)
        if any(validators) and validators != _validators(cached):
            for name, value in zip(_VALIDATORS, validators, strict=True):
                if value is not None:
                    cached.headers[name] = value
            self.storage.store_response(self.crawler.spider, request, cached)
        request.meta[REVALIDATED_META] = True
        validator = self.validator(cached)
        recorded = self.storage.retrieve_postings(request, validator) if validator else None
        if recorded is not None:
            request.meta[RECORDED_META] = recorded
        return cached

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Any:
        request.meta.pop("cached_response", None)  # the failure is the source's, not covered
        request.meta.pop(_KEPT_POSTINGS_META, None)
        return None


class KeptPageMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, except for a kept page answered 304 whose callback's
    postings were recorded: that very body was read by the callback before, so it did not
    redirect then and is not searched for a `<meta http-equiv="refresh">` again."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get(RECORDED_META) is not None and request.meta.get(REVALIDATED_META):
            return response
        return super().process_response(request, response)
