"""The chain as one Scrapy item pipeline: raw payloads in, staged rows or rejects out.

Every payload takes the same path, `run_chain` (prepare → steps → validate → staged row), except
one the source served exactly as it is stored (its `raw_hash` among those of the source's stored
raw postings, loaded when the spider opens): that one skips the chain and goes to the loader as a
`SeenUnchanged`, which only moves its row's `last_seen_at` (stat
`jobsift/normalize/skipped_unchanged`; off with JOBSIFT_SKIP_UNCHANGED = False). Where
the machine has a second CPU it runs in a worker process (`worker.py`) so the crawl's reactor
thread only crawls and loads; otherwise, or if the worker dies, it runs right here. Either way
each payload has `JOBSIFT_ITEM_TIMEOUT` seconds (`limit.py`); a runaway one becomes a reject. Item
pipelines placed between this one (100) and the loader (900) receive those `StagedPosting`s and
`Reject`s; `StagedPosting.posting` gives the validated posting.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Any

from jobsift.pipelines.runtime.result import ChainResult, run_chain_limited
from jobsift.pipelines.runtime.worker import ChainWorker, WorkerUnavailable
from jobsift.pipelines.storage.loader import DuckDBPipeline
from jobsift.pipelines.storage.staging import SeenUnchanged, raw_hash
from jobsift.pipelines.storage.unchanged import known_raw_hashes
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

logger = logging.getLogger(__name__)


def _fetched_at(value: Any) -> datetime | None:
    """A raw posting's `fetched_at` (ISO text as spiders stamp it), None when unreadable."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _loads_duckdb(crawler: Crawler) -> bool:
    """Whether this crawl's items end in the DuckDB loader (which knows `SeenUnchanged`)."""
    for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES")):
        component = load_object(path) if isinstance(path, str) else path
        if isinstance(component, type) and issubclass(component, DuckDBPipeline):
            return True
    return False


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class NormalizePipeline:
    def __init__(
        self,
        stats: StatsCollector | None = None,
        use_worker: bool = False,
        item_timeout: float | None = None,
    ) -> None:
        self.stats = stats
        self.use_worker = use_worker
        self.item_timeout = item_timeout or None
        self.worker: ChainWorker | None = None
        self.crawler: Crawler | None = None
        # Raw digests of the source's stored postings (empty: every payload takes the chain).
        self.known: set[str] = set()
        self.worker_pending = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        wanted = crawler.settings.getbool("JOBSIFT_NORMALIZE_WORKER", _cpus() > 1)
        # The worker's replies are read by the asyncio loop.
        pipeline = cls(
            crawler.stats,
            use_worker=wanted and is_asyncio_available(),
            item_timeout=crawler.settings.getfloat("JOBSIFT_ITEM_TIMEOUT"),
        )
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        crawler = self.crawler
        skip = crawler is not None and crawler.settings.getbool("JOBSIFT_SKIP_UNCHANGED", True)
        if crawler is not None and skip and _loads_duckdb(crawler):
            source = crawler.settings.get("JOBSIFT_SOURCE") or crawler.spider.name
            self.known = known_raw_hashes(
                crawler.settings.get("JOBSIFT_DB"),
                source,
                wait=crawler.settings.getfloat("JOBSIFT_DB_WAIT", 60.0),
            )
        # A first crawl starts the worker now, so it imports while the first pages download; a
        # re-crawl, whose postings may all be unchanged, starts it for the first one that is not.
        self.worker_pending = self.use_worker
        if not self.known:
            self._start_worker()

    def _start_worker(self) -> None:
        if not self.worker_pending:
            return
        self.worker_pending = False
        try:
            self.worker = ChainWorker.acquire(self.item_timeout)
        except OSError as exc:  # no process or socket to be had: normalize here instead
            logger.warning("no normalization worker (%s); normalizing in the crawl process", exc)

    def close_spider(self) -> None:
        self.known = set()
        if self.worker is not None:
            self.worker.release()
            self.worker = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item  # a spider's Reject, or an item some other pipeline understands
        if self.known:
            digest = raw_hash(item)
            if digest in self.known:
                if self.stats is not None:
                    self.stats.inc_value("jobsift/normalize/skipped_unchanged")
                return SeenUnchanged(digest, _fetched_at(item.get("fetched_at")), item)
            self._start_worker()
        if self.worker is not None and self.worker.alive:
            return self._in_worker(item)
        return self._count(self._here(item))

    def _here(self, item: dict[str, Any]) -> ChainResult:
        # A bug or a runaway item must cost one item, never the crawl.
        return run_chain_limited(item, self.item_timeout)

    async def _in_worker(self, item: dict[str, Any]) -> Any:
        assert self.worker is not None
        try:
            result = await self.worker.normalize(item)
        except WorkerUnavailable:
            result = self._here(item)
        else:
            if self.stats is not None:
                self.stats.inc_value("jobsift/worker/normalized")
        return self._count(result)

    def _count(self, result: ChainResult) -> Any:
        if self.stats is not None:
            for event in result.events:
                self.stats.inc_value(f"jobsift/{event}")
        return result.item
