"""Request budgets per host, held across every source of a crawl process.

Scrapy's concurrency and delays are per crawler, that is per configured source, but many sources
share one host: every Greenhouse board is read from boards-api.greenhouse.io, so 500 configured
boards would be 500 times Scrapy's per-domain limit. `HostBudgetMiddleware` makes the budget the
host's: at most `concurrency` requests in flight to it and `delay` seconds between two request
starts, whichever source sends them. Budgets: crawlers/hosts.toml, then the sources file's
[hosts] table (setting JOBSIFT_HOST_BUDGETS), else JOBSIFT_HOST_CONCURRENCY/JOBSIFT_HOST_DELAY.

It sits closest to the downloader (after the HTTP cache, so a cached answer costs no budget) and
waits in `process_request`; the slot is given back when the response or the error comes back.
"""

from __future__ import annotations

import asyncio
import time
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

_HELD = "_jobsift_host_budget"  # request.meta key: the budget this request holds a slot of


@dataclass(frozen=True, slots=True)
class Limits:
    concurrency: int
    delay: float


def default_limits() -> dict[str, Limits]:
    text = resources.files("jobsift.crawlers").joinpath("hosts.toml").read_text("utf-8")
    return {host: parse_limits(host, value) for host, value in tomllib.loads(text).items()}


def parse_limits(host: str, value: Any) -> Limits:
    """A [hosts] entry; ValueError with one line when it is not {concurrency >= 1, delay >= 0}."""
    if not isinstance(value, dict) or set(value) - {"concurrency", "delay"}:
        raise ValueError(f"hosts.{host}: give concurrency and/or delay, e.g. {{ concurrency = 2 }}")
    concurrency, delay = value.get("concurrency", 8), value.get("delay", 0.0)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"hosts.{host}.concurrency must be a whole number of at least 1")
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
        raise ValueError(f"hosts.{host}.delay must be a number of seconds, 0 or more")
    return Limits(int(concurrency), float(delay))


def limits_for(host: str, table: dict[str, Limits], fallback: Limits) -> Limits:
    if host in table:
        return table[host]
    suffixes = [key for key in table if key.startswith(".") and host.endswith(key)]
    return table[max(suffixes, key=len)] if suffixes else fallback


class HostBudget:
    """One host's slots and pacing, shared by every crawler of the process."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.in_flight = 0
        self.most_in_flight = 0
        self._slots: asyncio.Semaphore | None = None
        self._next_start = 0.0

    async def acquire(self) -> None:
        if self._slots is None:  # created on the reactor's running loop
            self._slots = asyncio.Semaphore(self.limits.concurrency)
        await self._slots.acquire()
        if self.limits.delay:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self.limits.delay
            if start > now:
                await asyncio.sleep(start - now)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def release(self) -> None:
        self.in_flight -= 1
        if self._slots is not None:
            self._slots.release()


# The process's budgets by host: module-level so that every crawler (source) shares them.
BUDGETS: dict[str, HostBudget] = {}


class HostBudgetMiddleware:
    def __init__(self, table: dict[str, Limits], fallback: Limits) -> None:
        self.table = table
        self.fallback = fallback

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostBudgetMiddleware:
        settings = crawler.settings
        table = default_limits()
        for host, value in (settings.getdict("JOBSIFT_HOST_BUDGETS") or {}).items():
            table[host] = parse_limits(host, value)
        fallback = Limits(
            settings.getint("JOBSIFT_HOST_CONCURRENCY"), settings.getfloat("JOBSIFT_HOST_DELAY")
        )
        return cls(table, fallback)

    def _budget(self, host: str) -> HostBudget:
        budget = BUDGETS.get(host)
        if budget is None:
            budget = BUDGETS[host] = HostBudget(limits_for(host, self.table, self.fallback))
        return budget

    async def process_request(self, request: Request) -> None:
        budget = self._budget(urlparse_cached(request).hostname or "")
        await budget.acquire()
        request.meta[_HELD] = budget

    def _give_back(self, request: Request) -> None:
        budget = request.meta.pop(_HELD, None)
        if budget is not None:
            budget.release()

    def process_response(self, request: Request, response: Response) -> Response:
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._give_back(request)
