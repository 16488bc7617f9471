"""Last pipeline: valid postings and rejects into DuckDB in batches, one `crawl_runs` row per run.

Batches are written by one thread of the loader's own, so the crawl keeps downloading and parsing
while DuckDB merges (it releases the GIL while it works). One batch is in flight at a time: the
next flush waits for it, which keeps batches in order and memory bounded. A batch is flushed at
JOBSIFT_BATCH_SIZE items or JOBSIFT_BATCH_BYTES of text, whichever comes first; a posting seen
unchanged counts a tenth of an item (it only moves its row's last_seen_at).

The database file is open only while a batch is written (readers get in between batches); when
another process holds it, the writer waits up to JOBSIFT_DB_WAIT seconds, and a batch that still
could not be written stays pending for the next flush.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from jobsift.pipelines.storage.batching import BatchingPipeline
from jobsift.pipelines.storage.database import DatabaseBusy
from jobsift.pipelines.storage.history import Listing
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.store import (
    BatchCounts,
    BatchResult,
    SeenUnchanged,
    Store,
)
from jobsift.schemas import Reject
from scrapy.crawler import Crawler


class DuckDBPipeline(BatchingPipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.db_path = settings.get("JOBSIFT_DB")
        self.wait = settings.getfloat("JOBSIFT_DB_WAIT", 60.0)
        self.counts = BatchCounts()
        self.store: Store | None = None
        self.runs: Runs | None = None
        self.writer: ThreadPoolExecutor | None = None
        self.in_flight: Future[BatchResult] | None = None
        self.in_flight_items: tuple[list[dict[str, Any]], list[Reject], list[SeenUnchanged]] = (
            [],
            [],
            [],
        )
        self.unstored = 0

    def open_spider(self) -> None:
        super().open_spider()
        spider = self.crawler.spider
        self.store = Store(self.db_path, wait=self.wait)
        self.runs = Runs(self.db_path, wait=self.wait)
        args = {k: v for k, v in getattr(spider, "spider_args", {}).items()}
        self.runs.start(self.run_id, self.source, spider.name, args)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobsift-duckdb")

    def flush(self) -> None:
        """Hands the pending rows and rejects to the writer thread, after the previous batch."""
        self._collect()
        rows, rejects, seen = self.rows, self.rejects, self.seen
        self.rows, self.rejects, self.seen, self.pending_bytes = [], [], [], 0
        if rows or rejects or seen:
            assert self.writer is not None
            self.in_flight_items = (rows, rejects, seen)
            self.in_flight = self.writer.submit(self._write, rows, rejects, seen)

    def _collect(self, final: bool = False) -> None:
        """Waits for the batch in flight and adds up its counts, or records its failure.

        A batch refused because another process held the database goes back in front of the
        pending items (tried again at the next flush) unless this is the final flush.
        """
        if self.in_flight is None:
            return
        try:
            result = self.in_flight.result()
        except DatabaseBusy as exc:
            rows, rejects, seen = self.in_flight_items
            if final:
                self._load_error(
                    f"{len(rows) + len(seen)} postings and {len(rejects)} rejects not written: "
                    f"{exc}"
                )
            else:
                self.rows[:0], self.rejects[:0], self.seen[:0] = rows, rejects, seen
                self.crawler.stats.inc_value("jobsift/db_busy")
        except Exception as exc:  # the run must end as failed, not look finished
            self._load_error(f"DuckDB write failed: {type(exc).__name__}: {exc}")
        else:
            self.counts.add(result.counts)
            if result.splits:
                self.crawler.stats.inc_value("jobsift/batch_splits", result.splits)
            if result.unstored:
                self.unstored += result.unstored
                self.rejected += result.unstored
                self._load_error(
                    f"DuckDB write failed for {result.unstored} postings, stored in rejects: "
                    + "; ".join(result.reasons[:3])
                )
        finally:
            self.in_flight = None
            self.in_flight_items = ([], [], [])

    def _load_error(self, message: str) -> None:
        self.load_errors.append(message)
        self.crawler.stats.inc_value("jobsift/load_errors")

    def _write(
        self, rows: list[dict[str, Any]], rejects: list[Reject], seen: list[SeenUnchanged]
    ) -> BatchResult:
        """In the writer thread: opens the database, writes the batch, closes it."""
        assert self.store is not None
        return self.store.write_batch(rows, rejects, self.run_id, self.source, seen)

    def close_spider(self) -> None:
        self.flush()
        self._collect()
        if (
            self.rows or self.rejects or self.seen
        ):  # a batch refused by a busy database: one last try
            self.flush()
        self._collect(final=True)
        if self.writer is not None:
            self.writer.shutdown()
            self.writer = None

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.runs is None:
            return
        failures = list(getattr(spider, "failures", [])) + self.load_errors
        stats = self.crawler.stats.get_stats()
        errors = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
        if errors:
            failures.append(f"{errors} exception(s) in the spider's callbacks (see the log)")
        if reason != "finished":
            failures.append(f"crawl ended: {reason}")
        status = "failed" if failures else "finished"
        # Whether absent postings may be closed: the spider lists its whole source (its class
        # says so) and this run was not cut short by a cap or page limit (`spider.partial`).
        listing = Listing(
            complete=bool(getattr(spider, "complete_listing", False)),
            partial=tuple(getattr(spider, "partial", ())),
        )
        try:
            status = self.runs.finish(
                self.run_id, self.source, status, self.counts, self.rejected, failures, listing
            )
        except DatabaseBusy as exc:
            spider.logger.error(
                f"run {self.run_id} of {self.source} not recorded as {status}: {exc}"
            )
        self.crawler.stats.set_value("jobsift/status", status)  # for the crawl's progress display
        self.runs = None
        self.store = None
