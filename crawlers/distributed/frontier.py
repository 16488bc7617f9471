"""The crawl frontier of a distributed run, in Redis: queues, duplicate filter, acks, workers.

Every key of a run starts with `jobsift:<run>:` (docs/scaling.md lists them). Per source:
`<source>:requests` (the queue, a list: pushed on the left, popped on the right; a reclaimed
request goes back on the right, to be served first), `<source>:dupefilter` (fingerprints, a set),
`<source>:pending` (requests queued or in hand and not yet acked), `<source>:processing:<worker>`
(what a worker holds: id -> serialized request), `<source>:workers` (the workers that joined it),
`<source>:done` (set by the coordinator when pending reached 0) and `<source>:stopped` (set by a
worker whose crawler of the source ended before it was done). Per worker: `alive:<worker>` (a
heartbeat with an expiry). The run itself: `jobsift:current` (its id) and `jobsift:<run>:run`
(what the workers need to run it: JSON).

Each change that must not be half-made (a request marked seen but not queued, popped but not
recorded as held) is one Lua script, so a worker killed at any point loses nothing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.http import Request
from scrapy.utils.request import request_from_dict

try:  # the `redis` extra: pip install 'jobsift[redis]'
    import redis
    from redis import RedisError
    from scrapy_redis import picklecompat
    from scrapy_redis.dupefilter import RFPDupeFilter
except ImportError:  # `connect` says what to install
    redis = None  # type: ignore[assignment]

    class RedisError(Exception):  # type: ignore[no-redef]
        """Stands for redis.RedisError when the package is absent (nothing raises it then)."""


if TYPE_CHECKING:
    from scrapy.spiders import Spider

CURRENT = "jobsift:current"
# Request meta key: the id under which a worker holds the request in Redis.
HELD = "jobsift_frontier_id"
# Request meta keys of a request a callback yielded: the id of the Redis request it comes from
# (PARENT, set by the workers' spider middleware) and, for a request kept in the worker because
# Redis cannot hold it, the Redis request it is crawled under (ROOT).
PARENT = "jobsift_frontier_parent"
ROOT = "jobsift_frontier_root"

# KEYS: dupefilter, queue, pending. ARGV: fingerprint ("" = not filtered), request.
# Returns 1 when queued, 0 when the fingerprint was seen before.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('INCR', KEYS[3])
return 1
"""
# KEYS: queue, processing, sequence. Returns {id, request} or nil.
_POP = """
local data = redis.call('RPOP', KEYS[1])
if not data then return nil end
local id = tostring(redis.call('INCR', KEYS[3]))
redis.call('HSET', KEYS[2], id, data)
return {id, data}
"""
# KEYS: processing, pending. ARGV: ids. Only a request still held counts (an ack after a reclaim
# does not count twice). Returns how many were acked.
_ACK = """
local acked = 0
for _, id in ipairs(ARGV) do acked = acked + redis.call('HDEL', KEYS[1], id) end
if acked > 0 then redis.call('DECRBY', KEYS[2], acked) end
return acked
"""
# KEYS: processing, queue. Everything held goes back to the front of the queue.
_RECLAIM = """
local held = redis.call('HVALS', KEYS[1])
for _, data in ipairs(held) do redis.call('RPUSH', KEYS[2], data) end
redis.call('DEL', KEYS[1])
return #held
"""


class FrontierUnavailable(Exception):
    """Redis cannot be reached or refused: one line for the user."""


def connect(url: str) -> redis.Redis:
    """A client of the Redis at `url`, checked with a PING; FrontierUnavailable otherwise."""
    if redis is None:
        raise FrontierUnavailable(
            "a distributed crawl needs Redis support: pip install 'jobsift[redis]'"
        )
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise FrontierUnavailable(f"cannot reach Redis at {url}: {exc}") from None
    return client


def fingerprint(request: Request) -> str:
    """scrapy-redis's fingerprint of a request (method, canonical URL, body)."""
    return RFPDupeFilter.request_fingerprint(None, request)  # type: ignore[arg-type]


def encode(request: Request, spider: Spider) -> bytes:
    """A request as scrapy-redis queues it: its dict (callbacks by name), pickled."""
    return picklecompat.dumps(request.to_dict(spider=spider))


def decode(data: bytes, spider: Spider) -> Request:
    return request_from_dict(picklecompat.loads(data), spider=spider)


@dataclass(frozen=True)
class SourcePlan:
    """What a worker needs to crawl one source of the run."""

    name: str
    spider: str
    args: dict[str, str]
    settings: dict[str, Any]


@dataclass(frozen=True)
class RunPlan:
    run_id: str
    sources: list[SourcePlan]
    settings: dict[str, Any]  # the crawl's shared settings (sources file's [settings], --set)

    def to_json(self) -> str:
        return json.dumps(
            {
                "run_id": self.run_id,
                "settings": self.settings,
                "sources": [vars(source) for source in self.sources],
            },
            default=str,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> RunPlan:
        data = json.loads(text)
        sources = [SourcePlan(**source) for source in data["sources"]]
        return cls(data["run_id"], sources, data["settings"])


class Frontier:
    """One run's keys and the atomic operations on them."""

    def __init__(self, client: redis.Redis, run_id: str) -> None:
        self.client = client
        self.run_id = run_id
        self.prefix = f"jobsift:{run_id}:"
        self._push = client.register_script(_PUSH)
        self._pop = client.register_script(_POP)
        self._ack = client.register_script(_ACK)
        self._reclaim = client.register_script(_RECLAIM)

    def key(self, source: str, what: str) -> str:
        return f"{self.prefix}{source}:{what}"

    # --- the run ---

    def publish(self, plan: RunPlan) -> None:
        with self.client.pipeline() as pipe:
            pipe.set(self.prefix + "run", plan.to_json())
            pipe.set(CURRENT, self.run_id)
            pipe.execute()

    def end_run(self) -> None:
        """The run is over: workers waiting on it exit; its keys are deleted."""
        self.client.set(self.prefix + "over", 1)
        if self.client.get(CURRENT) == self.run_id.encode():
            self.client.delete(CURRENT)
        keys = [k for k in self.client.scan_iter(match=self.prefix + "*", count=1000)]
        keys = [k for k in keys if k != (self.prefix + "over").encode()]
        for start in range(0, len(keys), 500):
            self.client.delete(*keys[start : start + 500])
        self.client.expire(self.prefix + "over", 3600)

    def over(self) -> bool:
        return bool(self.client.exists(self.prefix + "over"))

    # --- requests ---

    def push(self, source: str, fingerprint: str | None, data: bytes) -> bool:
        """Queues a serialized request unless its fingerprint was seen (None: never filtered)."""
        keys = [self.key(source, "dupefilter"), self.key(source, "requests")]
        keys.append(self.key(source, "pending"))
        return bool(self._push(keys=keys, args=[fingerprint or "", data]))

    def pop(self, source: str, worker: str) -> tuple[str, bytes] | None:
        """The next request of a source, recorded as held by `worker` until acked."""
        keys = [self.key(source, "requests"), self.key(source, f"processing:{worker}")]
        keys.append(self.key(source, "sequence"))
        found = self._pop(keys=keys)
        return (found[0].decode(), found[1]) if found else None

    def ack(self, source: str, worker: str, ids: list[str]) -> int:
        if not ids:
            return 0
        keys = [self.key(source, f"processing:{worker}"), self.key(source, "pending")]
        return int(self._ack(keys=keys, args=ids))

    def pending(self, source: str) -> int:
        return int(self.client.get(self.key(source, "pending")) or 0)

    def queued(self, source: str) -> int:
        return int(self.client.llen(self.key(source, "requests")))

    def give_back(self, source: str, worker: str) -> int:
        """What `worker` holds of a source goes back to the queue (a dead worker's, or one whose
        crawler stopped early)."""
        keys = [self.key(source, f"processing:{worker}"), self.key(source, "requests")]
        return int(self._reclaim(keys=keys))

    # --- workers ---

    def heartbeat(self, worker: str, ttl: float) -> None:
        self.client.set(self.prefix + f"alive:{worker}", 1, px=max(1, int(ttl * 1000)))

    def alive(self, worker: str) -> bool:
        return bool(self.client.exists(self.prefix + f"alive:{worker}"))

    def join(self, source: str, worker: str) -> None:
        self.client.sadd(self.key(source, "workers"), worker)

    def workers(self, source: str) -> set[str]:
        return {w.decode() for w in self.client.smembers(self.key(source, "workers"))}

    def reclaim_dead(self, sources: list[str]) -> dict[str, int]:
        """Gives back what workers whose heartbeat expired held; returns {worker: requests}."""
        reclaimed: dict[str, int] = {}
        for source in sources:
            for worker in self.workers(source):
                if self.alive(worker):
                    continue
                count = self.give_back(source, worker)
                if count:
                    reclaimed[worker] = reclaimed.get(worker, 0) + count
                self.client.sadd(self.prefix + "dead", worker)
        return reclaimed

    def dead(self) -> set[str]:
        return {w.decode() for w in self.client.smembers(self.prefix + "dead")}

    # --- a source's end ---

    def mark_done(self, source: str) -> None:
        self.client.set(self.key(source, "done"), 1)

    def done(self, source: str) -> bool:
        return bool(self.client.exists(self.key(source, "done")))

    def stop(self, source: str, reason: str) -> None:
        """A crawler of this source ended before the source was done: the source ends now."""
        self.client.set(self.key(source, "stopped"), reason, nx=True)

    def stopped(self, source: str) -> str | None:
        value = self.client.get(self.key(source, "stopped"))
        return value.decode() if value is not None else None


def wait_for_run(
    client: redis.Redis, poll: float = 0.5, timeout: float | None = None
) -> str | None:
    """The id of the run to serve: the current one, once there is one (None after `timeout`)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        current = client.get(CURRENT)
        if current is not None:
            run_id = current.decode()
            if client.exists(f"jobsift:{run_id}:run") and not client.exists(
                f"jobsift:{run_id}:over"
            ):
                return run_id
        if deadline is not None and time.monotonic() >= deadline:
            return None
        time.sleep(poll)


def read_plan(client: redis.Redis, run_id: str) -> RunPlan | None:
    text = client.get(f"jobsift:{run_id}:run")
    return RunPlan.from_json(text) if text is not None else None
