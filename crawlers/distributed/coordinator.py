"""`jobsift crawl --redis URL`: the coordinator of a distributed run, the one writer of DuckDB.

It is a local crawl (crawlers/runner.py: the same sources, skips, lock, `crawl_runs` rows, summary
and exit code) whose crawling is done by `jobsift worker` processes anywhere. It records each
source `running`, publishes the run to Redis, queues each source's start requests (its spider's
`start()`, made here once for every worker), then until every source is recorded: merges the
spool's new batches into the database, gives back the requests of dead workers, marks a source
done when nothing of it is pending (or a worker's crawler of it stopped early), and once every
worker that joined a done source has written its end record (or is dead), merges that source's
last batches and records its run from the spool (`finish_from_spool`).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from jobsift.crawlers.config import Source
from jobsift.crawlers.distributed.frontier import (
    Frontier,
    FrontierUnavailable,
    RedisError,
    RunPlan,
    SourcePlan,
    connect,
    encode,
    fingerprint,
)
from jobsift.crawlers.runner import EXIT_INTERRUPTED, CrawlRun
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.spool import default_spool, read_ends
from jobsift.pipelines.storage.spool_merge import finish_from_spool, merge_spool
from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.settings import Settings

POLL = 0.5  # seconds between two looks at Redis and the spool


async def _collect(start: Any) -> list[Any]:
    return [output async for output in start]


def seed(frontier: Frontier, source: Source, spidercls: type, settings: Settings) -> int:
    """Queues a source's start requests, as its spider makes them; returns how many."""
    crawler = Crawler(spidercls, settings, init_reactor=False)
    spider = spidercls.from_crawler(crawler, **source.args)
    queued = 0
    for output in asyncio.run(_collect(spider.start())):
        if not isinstance(output, Request):
            raise ValueError(f"its start() gave {type(output).__name__}, not a request")
        print_ = None if output.dont_filter else fingerprint(output)
        queued += frontier.push(source.name, print_, encode(output, spider))
    return queued


class DistributedRun(CrawlRun):
    def __init__(
        self,
        db: Path,
        sources: list[Source],
        shared: dict[str, Any],
        redis_url: str,
        spool: Path | None = None,
    ) -> None:
        self.client = connect(redis_url)  # first: an unreachable Redis touches nothing
        super().__init__(db, sources, shared)
        self.shared = shared
        self.spool = spool or default_spool(db)
        self.frontier = Frontier(self.client, self.run_id)
        self.wait = self.settings.getfloat("JOBSIFT_DB_WAIT")
        self.interval = self.settings.getfloat("JOBSIFT_PROGRESS_INTERVAL")
        self.notes: list[str] = []

    def run(self) -> int:
        self._check_config()
        runs = Runs(self.db, wait=self.wait)
        self._interrupt_orphans(runs)
        planned = self._plan(runs)
        active: list[Source] = []
        for source, spidercls in planned:
            runs.start(self.run_id, source.name, source.spider, source.args)
            try:
                seed(self.frontier, source, spidercls, self._crawler_settings(source))
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                self.start_errors[source.name] = error
                runs.fail(self.run_id, source.name, source.spider, source.args, error)
                continue
            active.append(source)
        # Published once every start request is queued: a worker never sees a source empty
        # because it came too early.
        plan = RunPlan(
            self.run_id,
            [SourcePlan(s.name, s.spider, dict(s.args), dict(s.settings)) for s in active],
            self.shared,
        )
        self.frontier.publish(plan)
        names = [source.name for source in active]
        print(
            f"jobsift: run {self.run_id}: {len(names)} source(s) queued in Redis; "
            f"workers: jobsift worker --redis URL --spool {self.spool}",
            file=sys.stderr,
        )
        try:
            self._serve(runs, names)
        except KeyboardInterrupt:
            for name in names:
                self.frontier.stop(name, "interrupted")
            merge_spool(self.db, self.spool, run_id=self.run_id, wait=self.wait)
            runs.interrupt(self.run_id, names, "interrupted by the user")
            self.frontier.end_run()
            self._summarize(runs)
            return EXIT_INTERRUPTED
        except RedisError as exc:
            runs.interrupt(self.run_id, names, f"interrupted: Redis lost during the run: {exc}")
            raise FrontierUnavailable(f"lost Redis during run {self.run_id}: {exc}") from None
        self.frontier.end_run()
        for note in self.notes:
            print(f"note: {note}", file=sys.stderr)
        return self._summarize(runs)

    def _serve(self, runs: Runs, active: list[str]) -> None:
        """Until every source is recorded: merge, reclaim, finish what is done."""
        said = time.monotonic()
        while active:
            merge_spool(self.db, self.spool, run_id=self.run_id, wait=self.wait)
            self.frontier.reclaim_dead(active)
            for name in list(active):
                if self._finish_if_done(name):
                    active.remove(name)
            if active and self.interval > 0 and time.monotonic() - said >= self.interval:
                said = time.monotonic()
                pending = sum(self.frontier.pending(name) for name in active)
                print(
                    f"jobsift: {len(active)} source(s) crawling, {pending} request(s) pending",
                    file=sys.stderr,
                )
            if active:
                time.sleep(POLL)

    def _finish_if_done(self, name: str) -> bool:
        frontier = self.frontier
        if not frontier.done(name):
            if frontier.pending(name) > 0 and frontier.stopped(name) is None:
                return False
            frontier.mark_done(name)  # the workers' crawlers of it close when idle
        joined = frontier.workers(name)
        ended = {record.worker for record in read_ends(self.spool, self.run_id, name)}
        if any(w not in ended and frontier.alive(w) for w in joined - ended):
            return False
        for worker in sorted(joined - ended):
            self.notes.append(
                f"{name}: worker {worker} died during the run; other workers took its requests"
            )
        extra = []
        stopped = frontier.stopped(name)
        if stopped and not ended:  # no worker said how it ended: say it here
            extra.append(f"crawl ended: {stopped}")
        finish_from_spool(
            self.db, self.spool, self.run_id, name, extra_failures=extra, wait=self.wait
        )
        return True
