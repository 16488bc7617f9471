"""`jobsift crawl`: every selected source in one Scrapy process, into one DuckDB file, under a lock."""

from __future__ import annotations

import fcntl
import gc
import os
import socket
import sys
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jobsift.crawlers.base import min_interval
from jobsift.crawlers.config import Source, UsageError, check_spiders, project_settings
from jobsift.crawlers.progress import CrawlProgress, total_line
from jobsift.crawlers.progress_groups import GROUP_ABOVE
from jobsift.crawlers.summary import spider_line, summary_line
from jobsift.pipelines.storage.database import path_problem
from jobsift.pipelines.storage.loader import DuckDBPipeline
from jobsift.pipelines.storage.runs import RunRow, Runs
from jobsift.pipelines.storage.staging import utc_naive
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

# Exit code of a crawl stopped by the user (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
# Exit code of a crawl where every source finished but at least one is `degraded` (README, "History").
EXIT_DEGRADED = 3


class LockedError(Exception):
    """Another crawl holds the database: exit code 1, nothing touched."""


def select_sources(sources: list[Source], names: list[str]) -> list[Source]:
    if not names:
        return [s for s in sources if s.enabled]
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise UsageError(f"unknown source(s): {', '.join(unknown)} (see `jobsift sources`)")
    return [by_name[n] for n in names]


@contextmanager
def crawl_lock(db: Path) -> Iterator[None]:
    """An exclusive lock beside the database, held for the whole crawl."""
    lock_path = db.with_name(db.name + ".lock")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise UsageError(f"cannot create the database {db}: {path_problem(exc, db)}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockedError(
                f"another crawl is running on {db} ({holder}); not starting a second one"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _too_recent(runs: Runs, source: str, min_interval: float) -> str | None:
    if min_interval <= 0:
        return None
    last = runs.last_finished_at(source)
    if last is None:
        return None
    age = (utc_naive(datetime.now(UTC)) - last).total_seconds()
    if age >= min_interval:
        return None
    return f"skipped: ran {age / 60:.0f} min ago, the source allows one run per {min_interval / 60:.0f} min"


class InterruptibleProcess(CrawlerProcess):
    """Scrapy's CrawlerProcess, saying on the terminal what a Ctrl-C does.

    The first SIGINT/SIGTERM stops gracefully (each source closes, what it has is written); the
    second stops the reactor at once. Either way the runner marks the unfinished runs afterwards.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.signals_received = 0

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.signals_received += 1
        super()._signal_shutdown(signum, frame)  # first: it installs the handler of a second
        # A signal handler must not go through `print` (the interrupted code may be writing).
        os.write(2, b"jobsift: stopping: finishing what the sources have (Ctrl-C again: now)\n")

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self.signals_received += 1
        super()._signal_kill(signum, frame)
        os.write(2, b"jobsift: stopping now; unfinished runs are marked interrupted\n")


class CrawlRun:
    def __init__(self, db: Path, sources: list[Source], shared: dict[str, Any]) -> None:
        self.db = db
        self.sources = sources
        self.run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.settings = project_settings()
        self.settings.set("JOBSIFT_DB", str(db), priority="cmdline")
        self.settings.set("JOBSIFT_RUN_ID", self.run_id, priority="cmdline")
        self.settings.setdict(shared, priority="cmdline")
        if not self.settings.get("LOG_FILE"):
            # The log goes beside the database; the terminal gets progress and the summary.
            self.log_file = db.parent / "logs" / f"crawl-{self.run_id}.log"
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            self.settings.set("LOG_FILE", str(self.log_file), priority="cmdline")
        self.log_file = Path(self.settings["LOG_FILE"])
        self.loader = SpiderLoader.from_settings(self.settings)
        self.crawlers: dict[str, Crawler] = {}
        self.start_errors: dict[str, str] = {}
        self.skipped: dict[str, str] = {}
        self.close_reasons: dict[str, str] = {}
        self.host = socket.gethostname()
        self.progress = CrawlProgress(
            [s.name for s in sources],
            self.settings.getfloat("JOBSIFT_PROGRESS_INTERVAL"),
            groups={s.name: s.spider for s in sources},
        )
        # Sources crawl at most this many at a time; the rest wait their turn (a thousand boards
        # must not mean a thousand crawlers in memory at once).
        self.at_once = max(1, self.settings.getint("JOBSIFT_CONCURRENT_SOURCES"))
        # Waiting sources; each one's Settings (a copy of ~300 attributes) is made when it starts,
        # so a thousand waiting boards cost a thousand small entries, not a thousand copies.
        self.queue: deque[tuple[Source, type]] = deque()
        self.started: list[str] = []  # names of the sources whose crawl began, in order
        self.process: InterruptibleProcess | None = None

    def _crawler_settings(self, source: Source) -> Settings:
        settings = self.settings.copy()
        settings.setdict(source.settings, priority="cmdline")
        settings.set("JOBSIFT_SOURCE", source.name, priority="cmdline")
        return settings

    def _check_config(self) -> None:
        """Before the database is opened: every source's spider exists and has its arguments
        (the sources file and `--set` were checked when they were read)."""
        check_spiders(self.sources)

    def run(self) -> int:
        self._check_config()
        # Opens (creates, migrates) the database first: a reader holding it makes this wait up to
        # JOBSIFT_DB_WAIT seconds, then the crawl stops with `DatabaseBusy` before any source runs.
        runs = Runs(self.db, wait=self.settings.getfloat("JOBSIFT_DB_WAIT"))
        self._interrupt_orphans(runs)
        # Skips are decided before any Crawler exists: the first crawler that runs is the one
        # that installs the reactor, whichever sources before it were skipped.
        planned = self._plan(runs)
        process = self.process = InterruptibleProcess(self.settings)
        self.queue.extend(planned)
        for _ in range(min(self.at_once, len(self.queue))):
            self._start_next()
        if self.crawlers:
            self.progress.start()
            try:
                process.start()
            finally:
                self.progress.stop()
        for name in self.crawlers:
            if name not in self.close_reasons:
                self._write_what_it_has(name)
        for name, error in self.start_errors.items():
            self._record_start_failure(runs, name, error)
        interrupted = process.signals_received > 0
        self._record_never_started(runs)
        self._mark_unfinished(runs, interrupted)
        outcome = self._summarize(runs)
        if interrupted:
            return EXIT_INTERRUPTED
        return outcome

    def _plan(self, runs: Runs) -> list[tuple[Source, type]]:
        """The sources to crawl now, with their spider class; the others are recorded `skipped`
        (run too recently for the source's minimum interval). A source's Settings are made here
        only to decide, and again when it starts: thousands of waiting sources hold none."""
        planned = []
        for source in self.sources:
            spidercls = self.loader.load(source.spider)
            interval = min_interval(spidercls, self._crawler_settings(source))
            if reason := _too_recent(runs, source.name, interval):
                self.skipped[source.name] = reason
                self.progress.skipped(source.name, reason)
                runs.skip(self.run_id, source.name, source.spider, source.args, reason)
            else:
                planned.append((source, spidercls))
        return planned

    def _interrupt_orphans(self, runs: Runs) -> None:
        """Runs left `running` by a crawl that is gone (kill -9, power loss) become `interrupted`.

        This crawl holds the lock, so no other crawl of this database is alive on this host; a
        run recorded on another host is left alone (its process cannot be checked from here).
        """
        by_run: dict[str, list[str]] = {}
        for run_id, source, pid, host in runs.running_processes():
            if host not in (None, self.host):
                print(f"note: run {run_id} of {source} is running on {host}", file=sys.stderr)
                continue
            if pid is not None and pid != os.getpid() and _alive(pid):
                continue
            by_run.setdefault(run_id, []).append(source)
        for run_id, names in by_run.items():
            runs.interrupt(run_id, names, "interrupted: its crawl process ended without finishing")
            print(
                f"note: run {run_id} ({', '.join(names)}) was left running by a crawl that is "
                "gone; marked interrupted",
                file=sys.stderr,
            )

    def _write_what_it_has(self, name: str) -> None:
        """After a forced stop (second Ctrl-C) a source never closed: its loader still holds the
        postings it had not written. They are written now (no reactor is needed for that) and
        the run gets its counts; `_mark_unfinished` then marks it `interrupted`."""
        crawler = self.crawlers[name]
        engine = getattr(crawler, "engine", None)
        if engine is None or crawler.spider is None:
            return
        for pipeline in engine.scraper.itemproc.middlewares:
            if isinstance(pipeline, DuckDBPipeline):
                try:
                    pipeline.close_spider()
                    pipeline.spider_closed(crawler.spider, "shutdown")
                except Exception as exc:  # the run is still marked interrupted
                    print(f"{name}: could not write what it had: {exc}", file=sys.stderr)

    def _start_next(self) -> None:
        """Starts the next waiting source, unless the crawl is being stopped."""
        if not self.queue or self.process is None or self.process.signals_received:
            return
        source, spidercls = self.queue.popleft()
        crawler = Crawler(spidercls, self._crawler_settings(source), init_reactor=not self.started)
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)
        self.crawlers[source.name] = crawler
        self.started.append(source.name)
        self.progress.watch(source.name, crawler)
        deferred = self.process.crawl(crawler, **source.args)
        deferred.addErrback(self._start_failed, source)
        deferred.addBoth(self._crawl_over, source.name)

    def _crawl_over(self, result: Any, name: str) -> Any:
        """A source's crawl ended (its run is recorded by then): let its crawler go and start the
        next source in its place."""
        self.crawlers.pop(name, None)
        self.progress.forget(name)
        # A finished crawler is a web of cycles (engine, middlewares, signals): collect it now
        # rather than at the next full collection, so memory stays flat over a thousand boards.
        gc.collect()
        self._start_next()
        return result

    def _record_never_started(self, runs: Runs) -> None:
        """Sources still waiting when the crawl was stopped get a run row saying so."""
        reason = "interrupted before it started"
        for source, _ in self.queue:
            runs.skip(self.run_id, source.name, source.spider, source.args, reason)
            self.progress.skipped(source.name, reason)
        runs.interrupt(self.run_id, [source.name for source, _ in self.queue], reason)
        self.queue.clear()

    def _spider_closed(self, spider: Any, reason: str) -> None:
        for name, crawler in self.crawlers.items():
            if crawler is spider.crawler:
                self.close_reasons[name] = reason

    def _mark_unfinished(self, runs: Runs, interrupted: bool) -> None:
        """After a Ctrl-C, the runs that did not finish on their own are `interrupted`.

        A second Ctrl-C stops the reactor before some runs are closed: those rows still say
        `running`, and become `interrupted` here too.
        """
        names = [
            name
            for name in self.started
            if self.close_reasons.get(name) in (None, "shutdown")
            and (interrupted or name not in self.close_reasons)
        ]
        reason = "interrupted by the user" if interrupted else "interrupted: the crawl stopped"
        runs.interrupt(self.run_id, names, reason)

    def _start_failed(self, failure: Any, source: Source) -> None:
        self.start_errors[source.name] = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.progress.start_failed(source.name, self.start_errors[source.name])

    def _record_start_failure(self, runs: Runs, name: str, error: str) -> None:
        source = next(s for s in self.sources if s.name == name)
        runs.fail(self.run_id, name, source.spider, source.args, error)

    def _summarize(self, runs: Runs) -> int:
        """One line per source; returns the exit code: 1 when a source failed, else 3 when one is
        degraded, else 0."""
        failed = degraded = False
        rows = runs.summary(self.run_id)
        # Many sources: the finished ones are summed per spider, the others keep their own line.
        many = len(rows) > GROUP_ABOVE
        spider_of = {source.name: source.spider for source in self.sources}
        finished: dict[str, list[RunRow]] = {}
        for row in rows:
            failed |= row.status not in ("finished", "degraded", "skipped")
            degraded |= row.status == "degraded"
            if many and row.status == "finished" and not (row.partial or row.error):
                finished.setdefault(spider_of.get(row.source, row.source), []).append(row)
            else:
                print(summary_line(row))
        for spider, group in finished.items():
            print(spider_line(spider, group))
        print(total_line(rows, self.progress.elapsed()))
        print(f"run {self.run_id} -> {self.db} (log: {self.log_file})")
        return 1 if failed else EXIT_DEGRADED if degraded else 0
