"""The chain as one Scrapy item pipeline: raw payloads in, staged rows or rejects out.

Every payload takes the same path, `run_chain` (prepare → steps → validate → staged row). Where
the machine has a second CPU it runs in a worker process (`worker.py`) so the crawl's reactor
thread only crawls and loads; otherwise, or if the worker dies, it runs right here. Item
pipelines placed between this one (100) and the loader (900) receive those `StagedPosting`s and
`Reject`s; `StagedPosting.posting` gives the validated posting.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from jobsift.pipelines.runtime.result import ChainResult, chain_failure, run_chain
from jobsift.pipelines.runtime.worker import ChainWorker, WorkerUnavailable
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import is_asyncio_available

logger = logging.getLogger(__name__)


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class NormalizePipeline:
    def __init__(self, stats: StatsCollector | None = None, use_worker: bool = False) -> None:
        self.stats = stats
        self.use_worker = use_worker
        self.worker: ChainWorker | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        wanted = crawler.settings.getbool("JOBSIFT_NORMALIZE_WORKER", _cpus() > 1)
        # The worker's replies are read by the asyncio loop.
        return cls(crawler.stats, use_worker=wanted and is_asyncio_available())

    def open_spider(self) -> None:
        if not self.use_worker:
            return
        try:
            self.worker = ChainWorker.acquire()
        except OSError as exc:  # no process or socket to be had: normalize here instead
            logger.warning("no normalization worker (%s); normalizing in the crawl process", exc)

    def close_spider(self) -> None:
        if self.worker is not None:
            self.worker.release()
            self.worker = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item  # a spider's Reject, or an item some other pipeline understands
        if self.worker is not None and self.worker.alive:
            return self._in_worker(item)
        return self._count(self._here(item))

    @staticmethod
    def _here(item: dict[str, Any]) -> ChainResult:
        try:
            return run_chain(item)
        except Exception as exc:  # a bug must cost one item, never the crawl
            return chain_failure(item, exc)

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
