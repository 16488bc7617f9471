"""Spider callbacks called on fixture bodies, without a crawl: a test runs in milliseconds.

`parse_routes(spider, routes, args)` builds the spider the way Scrapy does (its settings, its
`-a` arguments), turns each request it makes into the response Scrapy's downloader would build
(`TextResponse`, `HtmlResponse`, `XmlResponse`... chosen by `scrapy.responsetypes`) from the route
it matches, and calls the request's callback, or its errback with an `HttpError` when the route
answers 4xx/5xx or is missing. What comes back has the interface of a real crawl
(`tests.support.spiders.Crawl`), so a test reads the same either way. Real crawls stay for what
needs the engine: paging through the network, politeness, retries and failures.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jobsift.crawlers import settings as project_settings
from jobsift.crawlers.base import JobsiftSpider
from jobsift.schemas import Reject
from scrapy import Request, Spider
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import fingerprint
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from tests.support.server import Route
from tests.support.spiders import Answer, Item, is_reject, url_setting

# Where the spider believes its source is; nothing is fetched from it.
BASE_URL = "http://127.0.0.1:8000"


def spider_class(name: str) -> type[JobsiftSpider]:
    """The spider called `name`, found as `scrapy crawl` finds it."""
    loader = SpiderLoader.from_settings(
        Settings({"SPIDER_MODULES": project_settings.SPIDER_MODULES})
    )
    return loader.load(name)


def make_spider(
    name: str, args: Mapping[str, str] | None = None, settings: Mapping[str, Any] | None = None
) -> JobsiftSpider:
    """The spider with the project's settings, `settings` on top and its host at `BASE_URL`."""
    values = {key: getattr(project_settings, key) for key in dir(project_settings) if key.isupper()}
    values |= {url_setting(name): BASE_URL, **(settings or {})}
    cls = spider_class(name)
    crawler = get_crawler(cls, values)
    spider = cls.from_crawler(crawler, **(args or {}))
    crawler.spider = spider
    return spider


def response_for(
    url: str,
    body: bytes | str | Path,
    content_type: str = "application/json",
    status: int = 200,
    request: Request | None = None,
) -> Response:
    """The response Scrapy's downloader builds for `body` served at `url` with this type."""
    data = body.read_bytes() if isinstance(body, Path) else body
    data = data.encode() if isinstance(data, str) else data
    headers = Headers({"Content-Type": content_type})
    cls = responsetypes.from_args(headers=headers, url=url, body=data)
    request = request or Request(url)
    return cls(url=url, status=status, headers=headers, body=data, request=request)


def as_exported(value: Any) -> Item:
    """An item as the JSON-lines feed writes it (a Reject as its fields)."""
    if isinstance(value, Reject):
        value = dataclasses.asdict(value)
    return json.loads(json.dumps(value, default=str))


@dataclass
class Parsed:
    """What the callbacks produced, read like a finished crawl (`tests.support.spiders.Crawl`)."""

    spider: JobsiftSpider | None
    items: list[Item] = field(default_factory=list)
    all_requests: list[str] = field(default_factory=list)
    base_url: str = BASE_URL
    returncode: int = 0  # 1 when the spider could not be made (a missing argument)
    error: str = ""

    @property
    def log(self) -> str:
        """What a crawl's log says of this: each failure as the spider logs it, the failure
        count as Scrapy's stats dump writes it (`tests.support.spiders.failure_count`)."""
        lines = [self.error] if self.error else []
        if self.spider is not None:
            lines += [f"{self.spider.name}: {message}" for message in self.failures]
            if self.failures:
                lines.append(f"'jobsift/failures': {len(self.failures)}")
        return "\n".join(lines)

    @property
    def requests(self) -> list[str]:
        return self.all_requests

    @property
    def stats(self) -> dict[str, Any]:
        """The crawler's stats as the spider left them (`jobsift/...` counters)."""
        return self.spider.crawler.stats.get_stats() if self.spider is not None else {}

    @property
    def rejects(self) -> list[Item]:
        return [item for item in self.items if is_reject(item)]

    @property
    def failures(self) -> list[str]:
        return self.spider.failures if self.spider is not None else []

    @property
    def failure_count(self) -> int:
        return len(self.failures)

    def one(self, name: str, value: Any) -> Item:
        matches = [item for item in self.items if item.get(name) == value]
        assert len(matches) == 1, f"{len(matches)} postings with {name} {value}"
        return matches[0]

    def by_id(self, source_id: str) -> Item:
        return self.one("source_id", source_id)


def _route(
    routes: Mapping[str, Answer], target: str, content_type: str, body: bytes = b""
) -> Route | None:
    answer = routes.get(target) or routes.get(urlsplit(target).path)
    if callable(answer):  # a route answering from the request body (`server.BodyHandler`)
        answer = answer(body)
    if answer is None or isinstance(answer, Route):
        return answer
    data = answer.read_bytes() if isinstance(answer, Path) else answer
    return Route(data.encode() if isinstance(data, str) else data, content_type=content_type)


async def _start_requests(spider: Spider) -> list[Request]:
    return [request async for request in spider.start()]


def walk(
    spider: JobsiftSpider,
    routes: Mapping[str, Answer],
    content_type: str = "application/json",
) -> Parsed:
    """Every request the spider makes, answered from `routes`, until none is left."""
    result = Parsed(spider)
    pending = deque(asyncio.run(_start_requests(spider)))
    seen: set[bytes] = set()
    while pending:
        request = pending.popleft()
        key = fingerprint(request)
        if key in seen and not request.dont_filter:
            continue
        seen.add(key)
        parts = urlsplit(request.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        result.all_requests.append(target)
        route = _route(routes, target, content_type, request.body) or Route(
            b"not found", 404, {}, "text/plain"
        )
        response = response_for(request.url, route.body, route.content_type, route.status, request)
        _collect(result, pending, _call(spider, request, response))
    return result


def _call(spider: JobsiftSpider, request: Request, response: Response) -> list[Any]:
    output: list[Any] = []
    try:
        if response.status >= 400:
            failure = Failure(HttpError(response, "Ignoring non-200 response"))
            failure.request = request  # type: ignore[attr-defined]
            output.extend(request.errback(failure) or () if request.errback else ())
        else:
            callback = request.callback or spider.parse
            output.extend(callback(response, **request.cb_kwargs) or ())
    except Exception:  # as Scrapy does: the callback's error is the spider's error
        spider._on_spider_error(Failure(), response, spider)
    return output


def _collect(result: Parsed, pending: deque[Request], output: list[Any]) -> None:
    for value in output:
        if isinstance(value, Request):
            pending.append(value)
        elif value is not None:
            result.items.append(as_exported(value))


def parse_routes(
    spider: str,
    routes: Mapping[str, Answer],
    args: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
    content_type: str = "application/json",
) -> Parsed:
    """`crawl_routes` without the crawl: the spider's callbacks on the routes' bodies.

    A spider that cannot be made (a missing or bad argument) gives what `scrapy crawl` gives:
    no request, a non-zero return code and the message.
    """
    try:
        instance = make_spider(spider, args, settings)
    except ValueError as exc:
        return Parsed(None, returncode=1, error=f"ValueError: {exc}")
    return walk(instance, routes, content_type)
