"""Per-host budgets held across every worker of every machine, in Redis.

The same budgets as a one-process crawl (crawlers/hostbudget.py: hosts.toml, the sources file's
[hosts], JOBSIFT_HOST_CONCURRENCY / JOBSIFT_HOST_DELAY): at most `concurrency` requests in flight
to a host and `delay` seconds between two request starts, whichever worker sends them. A request
takes a lease (a member of the host's sorted set, scored by when it expires); the lease is given
back with the response or the error, and a dead worker's leases expire by themselves after
JOBSIFT_HOST_LEASE seconds. One Lua script decides, on Redis's clock, so workers on machines whose
clocks differ still share one pace.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING

from jobsift.crawlers.distributed.frontier import connect
from jobsift.crawlers.hostbudget import HostBudgetMiddleware, Limits, limits_for
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

_LEASE = "_jobsift_host_lease"  # request.meta key: (leases key, lease id) this request holds

# KEYS: leases (zset lease -> expiry, ms), next start (ms). ARGV: concurrency, delay ms, lease ms,
# lease id. Returns -1 when the host is full, else the ms to wait before starting (lease taken).
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
local start = now
local delay = tonumber(ARGV[2])
if delay > 0 then
  local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
  if next_start > start then start = next_start end
  redis.call('SET', KEYS[2], start + delay, 'PX', delay + 60000)
end
redis.call('ZADD', KEYS[1], start + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], (start - now) + tonumber(ARGV[3]) + 1000)
return start - now
"""
POLL = 0.05  # seconds between two tries while a host is full


class SharedHostBudgetMiddleware(HostBudgetMiddleware):
    """HostBudgetMiddleware's budgets, held in Redis (DOWNLOADER_MIDDLEWARES in workers)."""

    def __init__(self, table: dict[str, Limits], fallback: Limits, crawler: Crawler) -> None:
        super().__init__(table, fallback)
        settings = crawler.settings
        self.client = connect(settings["JOBSIFT_REDIS_URL"])
        self.lease_ms = int(settings.getfloat("JOBSIFT_HOST_LEASE") * 1000)
        self._acquire = self.client.register_script(_ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostBudgetMiddleware:
        local = HostBudgetMiddleware.from_crawler(crawler)
        return cls(local.table, local.fallback, crawler)

    async def process_request(self, request: Request) -> None:  # type: ignore[override]
        host = urlparse_cached(request).hostname or ""
        limits = limits_for(host, self.table, self.fallback)
        leases = f"jobsift:host:{host}:leases"
        lease = uuid.uuid4().hex
        keys = [leases, f"jobsift:host:{host}:next"]
        args = [limits.concurrency, int(limits.delay * 1000), self.lease_ms, lease]
        while (wait := int(self._acquire(keys=keys, args=args))) < 0:
            await asyncio.sleep(POLL)
        request.meta[_LEASE] = (leases, lease)
        if wait:
            await asyncio.sleep(wait / 1000)

    def _give_back(self, request: Request) -> None:
        held = request.meta.pop(_LEASE, None)
        if held is not None:
            self.client.zrem(*held)

    def process_response(self, request: Request, response: Response) -> Response:
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._give_back(request)
