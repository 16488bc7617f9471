"""A worker's scheduler: scrapy-redis's, on the run's per-source keys, with acks.

scrapy-redis gives the shared queue and duplicate filter; jobsift adds what a worker that dies
must not lose (crawlers/distributed/frontier.py): a popped request is held in the worker's
processing record until it is acked, and it is acked only when

1. Scrapy is done with it: downloaded, its callback's (or errback's) output exhausted, every item
   it gave through the item pipelines. Scrapy has no signal for that; the engine's set of
   requests in progress is the one place that knows, and it is looked at every TICK seconds;
2. the spool batch holding its items is durable (the SpoolPipeline's `on_flush`), or it gave no
   item at all.

A request that a downloader middleware replaces (a redirect, a retry) is acked when its
replacement is queued, in the same Lua script. A request yielded by a callback is a new request:
the spider middleware (middlewares.py) strips the id it may have inherited through `meta` and
names its parent instead.

A request that cannot be queued in Redis as data (its `meta` holds a function, as the detail
requests of `crawlers/details.py` do) is crawled by this worker as part of the Redis request it
comes from, its root: the root is acked only when all such requests under it are done too. If the
worker dies, the root goes back to the queue and whoever takes it makes them again.
"""

from __future__ import annotations

import pickle
from collections import deque
from typing import TYPE_CHECKING, Any

from jobsift.crawlers.distributed.frontier import (
    HELD,
    PARENT,
    ROOT,
    Frontier,
    connect,
    decode,
    encode,
    fingerprint,
)
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

TICK = 0.2  # seconds between two looks at which held requests Scrapy is done with


class FrontierScheduler(Scheduler):
    """scrapy-redis's Scheduler on one source's keys of the run (SCHEDULER in workers)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.frontier = Frontier(connect(settings["JOBSIFT_REDIS_URL"]), settings["JOBSIFT_RUN_ID"])
        self.source = settings["JOBSIFT_SOURCE"]
        self.worker = settings["JOBSIFT_WORKER_ID"]
        super().__init__(
            self.frontier.client,
            persist=True,  # the queue and duplicate filter are the run's, not this process's
            queue_key=self.frontier.key(self.source, "requests"),
            dupefilter_key=self.frontier.key(self.source, "dupefilter"),
        )
        self.stats = crawler.stats
        self.held: dict[str, Request] = {}  # id -> request, popped and not yet done
        self.with_items: set[str] = set()  # ids of held requests that gave an item
        self.unflushed: list[str] = []  # done, their items not yet in a durable batch
        self.spool: Any = None
        self.loop: task.LoopingCall | None = None
        self.closing = False
        self.local: deque[Request] = deque()  # requests crawled here, under their root
        self.local_active: dict[int, Request] = {}  # id(request) -> request, taken and not done
        self.local_seen: set[str] = set()  # fingerprints of the local requests
        self.under: dict[str, int] = {}  # root id -> local requests under it not yet done

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        return cls(crawler)

    def __len__(self) -> int:
        return self.frontier.queued(self.source)

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.frontier.join(self.source, self.worker)
        crawler = self.crawler
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._item_left, signal=signal)
        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        self.spool = self._spool_pipeline()
        if self.spool is not None:
            self.spool.on_flush.append(self._flushed)
        self.loop = task.LoopingCall(self._tick)
        self.loop.start(TICK, now=False)

    def _spool_pipeline(self) -> Any:
        engine = self.crawler.engine
        middlewares = engine.scraper.itemproc.middlewares if engine else ()
        return next((m for m in middlewares if hasattr(m, "on_flush")), None)

    def close(self, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self._settle()
        spool = self.spool
        if spool is None or not (spool.rows or spool.rejects or spool.seen):
            # The pipelines closed first: their last batch is written, so every item is durable.
            self._flushed("")
        if reason not in ("finished", "shutdown") and not reason.startswith("stopped:"):
            # A deadline or another limit of the source: it ends for every worker. (A worker
            # stopped by Ctrl-C only leaves: the others go on with what it gives back.)
            self.frontier.stop(self.source, reason)
        if self.held:
            # Closed before Scrapy was done with them (a deadline, a Ctrl-C): they go back.
            self.frontier.give_back(self.source, self.worker)
            self.held.clear()

    def _keep_here(self, request: Request, root: str | None, error: Exception) -> bool:
        """A request Redis cannot hold: crawled here as part of its root (dropped, as a failure
        of the source, if it has none)."""
        if root is None:
            record = getattr(self.spider, "record_failure", self.spider.logger.error)
            record(f"request to {request.url} cannot be queued in Redis: {error}")
            return False
        print_ = None if request.dont_filter else fingerprint(request)
        if print_ is not None and print_ in self.local_seen:
            return False
        if print_ is not None:
            self.local_seen.add(print_)
        request.meta[ROOT] = root
        self.under[root] = self.under.get(root, 0) + 1
        self.local.append(request)
        return True

    def enqueue_request(self, request: Request) -> bool:
        replaced = request.meta.pop(HELD, None)
        root = request.meta.pop(PARENT, None) or request.meta.pop(ROOT, None)
        try:
            data = encode(request, self.spider)
        except (pickle.PicklingError, AttributeError, TypeError, ValueError) as exc:
            return self._keep_here(request, root, exc)
        print_ = None if request.dont_filter else fingerprint(request)
        queued = self.frontier.push(self.source, print_, data)
        if replaced is not None:  # a redirect or a retry of a held request: that one is done
            self.held.pop(replaced, None)
            self.with_items.discard(replaced)
            self.frontier.ack(self.source, self.worker, [replaced])
        if queued and self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return queued

    def next_request(self) -> Request | None:
        if self.local:
            request = self.local.popleft()
            self.local_active[id(request)] = request
            return request
        popped = self.frontier.pop(self.source, self.worker)
        if popped is None:
            return None
        held_id, data = popped
        request = decode(data, self.spider)
        request.meta[HELD] = held_id
        self.held[held_id] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.local) or len(self) > 0

    # --- acks ---

    def _item_left(self, item: Any, response: Any, **kwargs: Any) -> None:
        request = getattr(response, "request", None)
        meta = request.meta if request is not None else {}
        held_id = meta.get(HELD) or meta.get(ROOT)
        if held_id is not None:
            self.with_items.add(held_id)

    def _settle(self) -> None:
        """Held requests Scrapy is done with: acked now when they gave no item, else once their
        items are in a durable batch."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        in_progress = slot.inprogress if slot is not None else set()
        for key, request in list(self.local_active.items()):
            if request not in in_progress:
                del self.local_active[key]
                self.under[request.meta[ROOT]] -= 1
        now: list[str] = []
        for held_id, request in list(self.held.items()):
            if request in in_progress or self.under.get(held_id, 0) > 0:
                continue
            self.under.pop(held_id, None)
            del self.held[held_id]
            if held_id in self.with_items and self.spool is not None:
                self.with_items.discard(held_id)
                self.unflushed.append(held_id)
            else:
                self.with_items.discard(held_id)
                now.append(held_id)
        self.frontier.ack(self.source, self.worker, now)

    def _flushed(self, batch_id: str) -> None:
        """A batch is durable: every request done before it was written has its items in it."""
        done, self.unflushed = self.unflushed, []
        self.frontier.ack(self.source, self.worker, done)

    def _tick(self) -> None:
        self._settle()
        engine = self.crawler.engine
        if self.closing or engine is None:
            return
        slot = getattr(engine, "_slot", None)
        if slot is not None and (self.local or len(self) > 0):
            # Other workers queue requests too: an engine that found the queue empty looks
            # again only every 5 s on its own.
            slot.nextcall.schedule()
        if self.frontier.done(self.source) and engine.spider_is_idle():
            self.closing = True
            deferred_from_coro(engine.close_spider_async(reason="finished"))
        elif stopped := self.frontier.stopped(self.source):
            # Another worker's crawler of this source ended early: the source ends with it.
            self.closing = True
            deferred_from_coro(engine.close_spider_async(reason=f"stopped: {stopped}"))

    def _idle(self, spider: Spider) -> None:
        """Nothing to do here now: make what is done durable and acked; stay open until the
        coordinator says the source is done (another worker's request may yet add work)."""
        self._settle()
        if self.spool is not None:
            self.spool.flush()
        self._flushed("")
        if self.frontier.done(self.source):
            return
        raise DontCloseSpider
