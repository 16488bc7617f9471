"""Crawling a source's captures through real Scrapy, served by a `FixtureServer` on 127.0.0.1,
and reading what came out: items, rejects, the requests made, the crawl's stats."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.crawl import CrawlOutcome, scrapy_crawl
from tests.support.server import BodyHandler, FixtureServer, Route

# What a route may answer: a body (served with the crawl's content type), a whole Route, or a
# handler that answers from the request body.
Answer = bytes | str | Path | Route | BodyHandler
Item = dict[str, Any]


def url_setting(spider: str) -> str:
    """The setting that points a spider at another host (`crawlers/base.py`)."""
    return f"JOBSIFT_{spider.upper()}_URL"


def stat(log: str, name: str) -> float:
    """A Scrapy stat from the crawl's closing dump; 0 when it was never set."""
    found = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(found.group(1)) if found else 0


def failure_count(log: str) -> int:
    """The failures the source recorded (stat `jobsift/failures`)."""
    return int(stat(log, "jobsift/failures"))


def is_reject(item: Item) -> bool:
    return {"reason", "raw"} <= item.keys()


def index_by(items: Iterable[Item], field: str) -> dict[Any, Item]:
    """The items that have `field`, keyed by it (a later item wins a repeated key)."""
    return {item[field]: item for item in items if field in item}


@dataclass
class Crawl:
    """One finished crawl and every request the server saw."""

    outcome: CrawlOutcome
    all_requests: list[str]
    base_url: str

    @property
    def items(self) -> list[Item]:
        return self.outcome.items

    @property
    def log(self) -> str:
        return self.outcome.log

    @property
    def returncode(self) -> int:
        return self.outcome.returncode

    @property
    def requests(self) -> list[str]:
        """The requests for the source itself (robots.txt left out)."""
        return [request for request in self.all_requests if request != "/robots.txt"]

    @property
    def rejects(self) -> list[Item]:
        return [item for item in self.items if is_reject(item)]

    def one(self, field: str, value: Any) -> Item:
        """The single item whose `field` is `value`."""
        matches = [item for item in self.items if item.get(field) == value]
        assert len(matches) == 1, f"{len(matches)} postings with {field} {value}"
        return matches[0]

    def by_id(self, source_id: str) -> Item:
        return self.one("source_id", source_id)


def serve(server: FixtureServer, routes: Mapping[str, Answer], content_type: str) -> None:
    for path, answer in routes.items():
        if isinstance(answer, Route):
            server.routes[path] = answer
        elif callable(answer):
            server.add_handler(path, answer)
        else:
            server.add(path, answer, content_type=content_type)


def crawl_source(
    spider: str,
    server: FixtureServer,
    tmp_path: Path,
    args: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
) -> CrawlOutcome:
    """`scrapy crawl SPIDER` with `server` standing in for the source's host."""
    merged = {url_setting(spider): server.url, **(settings or {})}
    return scrapy_crawl(spider, tmp_path, args=args, settings=merged)


def crawl_routes(
    spider: str,
    tmp_path: Path,
    routes: Mapping[str, Answer],
    args: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    content_type: str = "application/json",
) -> Crawl:
    """A crawl of a fresh server that answers `routes` (path with query, or the path alone)."""
    with FixtureServer() as server:
        serve(server, routes, content_type)
        outcome = crawl_source(spider, server, tmp_path, args=args, settings=settings)
        return Crawl(outcome, list(server.requests), server.url)
