"""Last pipeline: valid postings and rejects into DuckDB in batches, one `crawl_runs` row per run.

Batches are written by one thread of the loader's own, so the crawl keeps downloading and parsing
while DuckDB merges (it releases the GIL while it works). One batch is in flight at a time: the
next flush waits for it, which keeps batches in order and memory bounded.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import duckdb
from jobsift.pipelines.storage.store import BatchCounts, StagedPosting, Store
from jobsift.schemas import Reject
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem


class DuckDBPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.db_path = settings.get("JOBSIFT_DB")
        self.batch_size = settings.getint("JOBSIFT_BATCH_SIZE", 500)
        self.run_id = settings.get("JOBSIFT_RUN_ID") or uuid.uuid4().hex[:12]
        self.rows: list[dict[str, Any]] = []
        self.rejects: list[Reject] = []
        self.counts = BatchCounts()
        self.rejected = 0
        self.load_errors: list[str] = []
        self.store: Store | None = None
        self.source = ""
        self.writer: ThreadPoolExecutor | None = None
        self.writer_con: duckdb.DuckDBPyConnection | None = None
        self.in_flight: Future[BatchCounts] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DuckDBPipeline:
        pipeline = cls(crawler)
        # The run is finished on spider_closed, the first moment the close reason is known.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.source = self.crawler.settings.get("JOBSIFT_SOURCE") or spider.name
        self.store = Store.acquire(self.db_path)
        args = {k: v for k, v in getattr(spider, "spider_args", {}).items()}
        self.store.start_run(self.run_id, self.source, spider.name, args)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobsift-duckdb")
        self.writer_con = self.store.cursor()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, StagedPosting):
            item.row["run_id"] = self.run_id
            self.rows.append(item.row)
            if len(self.rows) >= self.batch_size:
                self.flush()
            return item
        if isinstance(item, Reject):
            self.rejects.append(item)
            self.rejected += 1
            self.crawler.stats.inc_value("jobsift/rejected")
            if len(self.rejects) >= self.batch_size:
                self.flush()
            raise DropItem(f"rejected: {item.reason}")
        return item

    def flush(self) -> None:
        """Hands the pending rows and rejects to the writer thread, after the previous batch."""
        rows, rejects = self.rows, self.rejects
        self.rows, self.rejects = [], []
        self._collect()
        if rows or rejects:
            assert self.writer is not None
            self.in_flight = self.writer.submit(self._write, rows, rejects)

    def _collect(self) -> None:
        """Waits for the batch in flight and adds up its counts, or records its failure."""
        if self.in_flight is None:
            return
        try:
            counts = self.in_flight.result()
        except Exception as exc:  # the run must end as failed, not look finished
            self.load_errors.append(f"DuckDB write failed: {type(exc).__name__}: {exc}")
            self.crawler.stats.inc_value("jobsift/load_errors")
        else:
            self.counts.new += counts.new
            self.counts.updated += counts.updated
            self.counts.unchanged += counts.unchanged
        finally:
            self.in_flight = None

    def _write(self, rows: list[dict[str, Any]], rejects: list[Reject]) -> BatchCounts:
        """In the writer thread, on the writer's own connection."""
        assert self.store is not None
        counts = self.store.write_postings(rows, con=self.writer_con)
        self.store.write_rejects(self.run_id, rejects, con=self.writer_con)
        return counts

    def close_spider(self) -> None:
        self.flush()
        self._collect()
        if self.writer is not None:
            self.writer.shutdown()
            self.writer = None
        if self.writer_con is not None:
            self.writer_con.close()
            self.writer_con = None

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None:
            return
        failures = list(getattr(spider, "failures", [])) + self.load_errors
        stats = self.crawler.stats.get_stats()
        errors = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
        if errors:
            failures.append(f"{errors} exception(s) in the spider's callbacks (see the log)")
        if reason != "finished":
            failures.append(f"crawl ended: {reason}")
        status = "failed" if failures else "finished"
        self.store.finish_run(
            self.run_id, self.source, status, self.counts, self.rejected, failures
        )
        self.store.release()
        self.store = None
