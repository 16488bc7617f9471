"""Last pipeline: valid postings and rejects into DuckDB in batches, one `crawl_runs` row per run."""

from __future__ import annotations

import uuid
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipelines.draft import Reject, Valid
from pipelines.store import BatchCounts, Store, stage_row


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

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Valid):
            self.rows.append(stage_row(item.posting, item.raw, self.run_id))
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
        try:
            self._write()
        except Exception as exc:  # the run must end as failed, not look finished
            self.load_errors.append(f"DuckDB write failed: {type(exc).__name__}: {exc}")
            self.crawler.stats.inc_value("jobsift/load_errors")
            self.rows, self.rejects = [], []

    def _write(self) -> None:
        assert self.store is not None
        if self.rows:
            counts = self.store.write_postings(self.rows)
            self.counts.new += counts.new
            self.counts.updated += counts.updated
            self.counts.unchanged += counts.unchanged
            self.rows = []
        self.store.write_rejects(self.run_id, self.rejects)
        self.rejects = []

    def close_spider(self) -> None:
        self.flush()

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
