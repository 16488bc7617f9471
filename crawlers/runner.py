"""`jobsift crawl`: every selected source in one Scrapy process, into one DuckDB file, under a lock."""

from __future__ import annotations

import fcntl
import os
import sys
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jobsift.pipelines.storage.store import Store, utc_naive
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings


class UsageError(Exception):
    """Bad arguments or configuration: exit code 2."""


class LockedError(Exception):
    """Another crawl holds the database: exit code 1, nothing touched."""


@dataclass
class Source:
    name: str
    spider: str
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


def project_settings() -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    return get_project_settings()


def load_sources(path: Path) -> tuple[list[Source], dict[str, Any]]:
    """The sources file: `[settings]` for every source, `[sources.NAME]` tables for each one."""
    if not path.is_file():
        raise UsageError(f"sources file not found: {path}")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: {exc}") from exc
    sources = []
    for name, table in (data.get("sources") or {}).items():
        if "spider" not in table:
            raise UsageError(f"{path}: source {name!r} has no spider")
        sources.append(
            Source(
                name=name,
                spider=table["spider"],
                args={k: str(v) for k, v in (table.get("args") or {}).items()},
                settings=dict(table.get("settings") or {}),
                enabled=bool(table.get("enabled", True)),
            )
        )
    return sources, dict(data.get("settings") or {})


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
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    with open(lock_path, "a+") as handle:
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


def _too_recent(store: Store, source: str, min_interval: float) -> str | None:
    if min_interval <= 0:
        return None
    row = store.con.execute(
        "SELECT max(started_at) FROM crawl_runs WHERE source = ? AND status = 'finished'",
        [source],
    ).fetchone()
    if not row or row[0] is None:
        return None
    age = (utc_naive(datetime.now(UTC)) - row[0]).total_seconds()
    if age >= min_interval:
        return None
    return f"skipped: ran {age / 60:.0f} min ago, the source allows one run per {min_interval / 60:.0f} min"


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

    def _crawler_settings(self, source: Source) -> Settings:
        settings = self.settings.copy()
        settings.setdict(source.settings, priority="cmdline")
        settings.set("JOBSIFT_SOURCE", source.name, priority="cmdline")
        return settings

    def run(self) -> int:
        for source in self.sources:
            if source.spider not in self.loader.list():
                raise UsageError(f"source {source.name!r}: no spider named {source.spider!r}")
        process = CrawlerProcess(self.settings)
        store = Store.acquire(self.db)
        try:
            for source in self.sources:
                spidercls = self.loader.load(source.spider)
                # The first crawler of the process installs the reactor, as Scrapy's own do.
                first = not self.crawlers and not self.skipped
                crawler = Crawler(spidercls, self._crawler_settings(source), init_reactor=first)
                interval = crawler.settings.getfloat("JOBSIFT_MIN_INTERVAL", 0)
                if reason := _too_recent(store, source.name, interval):
                    self.skipped[source.name] = reason
                    continue
                self.crawlers[source.name] = crawler
                deferred = process.crawl(crawler, **source.args)
                deferred.addErrback(self._start_failed, source)
            progress = self.settings.getfloat("JOBSIFT_PROGRESS_INTERVAL")
            if progress > 0 and self.crawlers:
                from twisted.internet import task

                loop = task.LoopingCall(self._print_progress)
                loop.start(progress, now=False)
            if self.crawlers:
                process.start()
            for name, error in self.start_errors.items():
                self._record_start_failure(store, name, error)
            return self._summarize(store)
        finally:
            store.release()

    def _start_failed(self, failure: Any, source: Source) -> None:
        self.start_errors[source.name] = f"{failure.type.__name__}: {failure.getErrorMessage()}"

    def _record_start_failure(self, store: Store, name: str, error: str) -> None:
        exists = store.con.execute(
            "SELECT count(*) FROM crawl_runs WHERE run_id = ? AND source = ?", [self.run_id, name]
        ).fetchone()[0]
        source = next(s for s in self.sources if s.name == name)
        if not exists:
            store.start_run(self.run_id, name, source.spider, source.args)
        store.con.execute(
            "UPDATE crawl_runs SET status = 'failed', finished_at = ?, "
            "error = concat_ws('; ', error, ?) WHERE run_id = ? AND source = ?",
            [utc_naive(datetime.now(UTC)), error, self.run_id, name],
        )

    def _print_progress(self) -> None:
        parts = [
            f"{name} {crawler.stats.get_value('item_scraped_count', 0) if crawler.stats else 0}"
            for name, crawler in self.crawlers.items()
        ]
        print("progress (items so far): " + ", ".join(parts), file=sys.stderr, flush=True)

    def _summarize(self, store: Store) -> int:
        rows = store.con.execute(
            "SELECT source, status, scraped, new, updated, unchanged, rejected, failures, error, "
            "epoch(finished_at - started_at) FROM crawl_runs WHERE run_id = ? ORDER BY source",
            [self.run_id],
        ).fetchall()
        failed = False
        for (
            source,
            status,
            scraped,
            new,
            updated,
            unchanged,
            rejected,
            failures,
            error,
            secs,
        ) in rows:
            failed |= status != "finished"
            line = (
                f"{source}: {status}, {scraped} postings ({new} new, {updated} updated, "
                f"{unchanged} unchanged), {rejected} rejected, {failures} failures"
                f" in {secs or 0:.1f}s"
            )
            if error:
                line += f" | {error}"
            print(line)
        for name, reason in self.skipped.items():
            print(f"{name}: {reason}")
        print(f"run {self.run_id} -> {self.db} (log: {self.log_file})")
        return 1 if failed else 0
