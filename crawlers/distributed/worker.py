"""`jobsift worker`: waits for a distributed run in Redis, crawls its sources, exits when it is over.

A worker needs no sources file and no database: the coordinator publishes the run (each source's
spider, arguments and settings). Per source it runs a Scrapy crawler (JOBSIFT_CONCURRENT_SOURCES at
a time, as a local crawl) whose scheduler is the run's shared queue (FrontierScheduler), whose
host budgets are shared through Redis (SharedHostBudgetMiddleware) and whose postings go to the
spool (SpoolPipeline) instead of DuckDB. It heartbeats every JOBSIFT_WORKER_TIMEOUT / 4 seconds;
a worker silent for JOBSIFT_WORKER_TIMEOUT is dead, and what it held goes back to the queue.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any

from jobsift.crawlers.config import project_settings
from jobsift.crawlers.distributed.frontier import (
    CURRENT,
    Frontier,
    RunPlan,
    SourcePlan,
    connect,
    read_plan,
    wait_for_run,
)
from jobsift.crawlers.runner import EXIT_INTERRUPTED, InterruptibleProcess
from jobsift.pipelines.storage.spool import EndRecord, write_end
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from twisted.internet import task

LOADER = "jobsift.pipelines.storage.loader.DuckDBPipeline"
SPOOL = "jobsift.pipelines.storage.spool_pipeline.SpoolPipeline"
LOCAL_BUDGET = "jobsift.crawlers.hostbudget.HostBudgetMiddleware"
SHARED_BUDGET = "jobsift.crawlers.distributed.limiter.SharedHostBudgetMiddleware"
SCHEDULER = "jobsift.crawlers.distributed.scheduler.FrontierScheduler"
SPIDER_MW = "jobsift.crawlers.distributed.middlewares.WorkerSpiderMiddleware"


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:4]}"


def _swap(table: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {(new if key == old else key): value for key, value in table.items()}


def worker_settings(
    base: Settings, plan: RunPlan, source: SourcePlan, redis_url: str, spool: Path, worker: str
) -> Settings:
    """A worker's settings for one source: the coordinator's, with the shared scheduler, the
    shared host budgets and the spool in place of the database."""
    settings = base.copy()
    settings.setdict(plan.settings, priority="cmdline")
    settings.setdict(source.settings, priority="cmdline")
    pipelines = _swap(dict(settings.getdict("ITEM_PIPELINES")), LOADER, SPOOL)
    middlewares = _swap(
        dict(settings.getdict("DOWNLOADER_MIDDLEWARES")), LOCAL_BUDGET, SHARED_BUDGET
    )
    spider_mws = {**settings.getdict("SPIDER_MIDDLEWARES"), SPIDER_MW: 10}
    settings.setdict(
        {
            "ITEM_PIPELINES": pipelines,
            "DOWNLOADER_MIDDLEWARES": middlewares,
            "SPIDER_MIDDLEWARES": spider_mws,
            "SCHEDULER": SCHEDULER,
            "JOBSIFT_REDIS_URL": redis_url,
            "JOBSIFT_SPOOL": str(spool),
            "JOBSIFT_RUN_ID": plan.run_id,
            "JOBSIFT_SOURCE": source.name,
            "JOBSIFT_WORKER_ID": worker,
            # No database here: unchanged postings are told by the merge, by content hash; and
            # the HTTP cache lives beside a database.
            "JOBSIFT_SKIP_UNCHANGED": False,
            "JOBSIFT_HTTPCACHE": False,
        },
        priority="cmdline",
    )
    return settings


class Worker:
    def __init__(self, redis_url: str, spool: Path, worker_id: str | None = None) -> None:
        self.redis_url = redis_url
        self.spool = spool
        self.worker = worker_id or new_worker_id()
        self.client = connect(redis_url)
        self.settings = project_settings()
        self.ttl = self.settings.getfloat("JOBSIFT_WORKER_TIMEOUT")
        self.queue: deque[SourcePlan] = deque()
        self.started = 0
        self.crawls = 0
        self.process: InterruptibleProcess | None = None
        self.plan: RunPlan | None = None
        self.frontier: Frontier | None = None
        self.loader = SpiderLoader.from_settings(self.settings)

    def run(self, wait: float | None = None) -> int:
        """Serves one run; `wait`: seconds to wait for one (None: as long as it takes)."""
        print(f"jobsift worker {self.worker}: waiting for a run", file=sys.stderr)
        run_id = wait_for_run(self.client, timeout=wait)
        plan = read_plan(self.client, run_id) if run_id else None
        if plan is None:
            print("jobsift worker: no run to serve", file=sys.stderr)
            return 0
        self.plan, self.frontier = plan, Frontier(self.client, plan.run_id)
        self.frontier.heartbeat(self.worker, self.ttl)
        log = self.spool / plan.run_id / "logs" / f"{self.worker}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.settings.set("LOG_FILE", str(log), priority="cmdline")
        print(
            f"jobsift worker {self.worker}: serving run {plan.run_id} (log: {log})", file=sys.stderr
        )
        self.queue.extend(s for s in plan.sources if not self.frontier.done(s.name))
        self.process = InterruptibleProcess(self.settings)
        at_once = max(1, self.settings.getint("JOBSIFT_CONCURRENT_SOURCES"))
        for _ in range(min(at_once, len(self.queue))):
            self._start_next()
        if self.started:
            beat = task.LoopingCall(self._beat)
            beat.start(max(0.2, self.ttl / 4), now=True)
            self.process.start()
        if self.process.signals_received:
            return EXIT_INTERRUPTED
        # The run is over when the coordinator has merged and recorded it; until then this worker
        # stays alive (its heartbeat says it is not dead, though it holds nothing).
        while not self.frontier.over() and self.client.get(CURRENT) == plan.run_id.encode():
            self.frontier.heartbeat(self.worker, self.ttl)
            time.sleep(min(1.0, self.ttl / 4))
        print(f"jobsift worker {self.worker}: run {plan.run_id} is over", file=sys.stderr)
        return 0

    def _beat(self) -> None:
        assert self.frontier is not None and self.plan is not None
        self.frontier.heartbeat(self.worker, self.ttl)
        self.frontier.reclaim_dead([s.name for s in self.plan.sources])
        current = self.client.get(CURRENT)
        if current is not None and current.decode() != self.plan.run_id and self.process:
            # A new coordinator started another run: this one's coordinator is gone.
            print(
                f"jobsift worker {self.worker}: run {current.decode()} replaced this one",
                file=sys.stderr,
            )
            self.process.stop()

    def _start_next(self) -> None:
        assert self.plan is not None and self.frontier is not None and self.process is not None
        while self.queue and not self.process.signals_received:
            source = self.queue.popleft()
            if self.frontier.done(source.name):
                continue
            settings = worker_settings(
                self.settings, self.plan, source, self.redis_url, self.spool, self.worker
            )
            spidercls = self.loader.load(source.spider)
            crawler = Crawler(spidercls, settings, init_reactor=not self.started)
            self.started += 1
            self.frontier.join(source.name, self.worker)
            crawler.signals.connect(self._closed, signal=signals.spider_closed)
            deferred = self.process.crawl(crawler, **source.args)
            deferred.addErrback(self._start_failed, source)
            deferred.addBoth(self._crawl_over)
            return

    def _closed(self, spider: Any, reason: str) -> None:
        print(f"jobsift worker {self.worker}: {spider.name} closed ({reason})", file=sys.stderr)

    def _start_failed(self, failure: Any, source: SourcePlan) -> None:
        """The crawler never ran: the end record says why, so the coordinator does not wait."""
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        assert self.plan is not None
        record = EndRecord(self.plan.run_id, source.name, self.worker, "start failed", (error,))
        write_end(self.spool, record)
        print(f"jobsift worker: {source.name} did not start: {error}", file=sys.stderr)

    def _crawl_over(self, result: Any) -> Any:
        gc.collect()
        self._start_next()
        return result
