"""Last pipeline of a crawl worker: postings and rejects into spool batches instead of DuckDB.

It takes the loader's place (ITEM_PIPELINES position 900) where a process must not write the
database: valid postings (`StagedPosting`) and rejects are gathered and written as one spool batch
(`spool.write_batch`: Parquet files, then the manifest) every JOBSIFT_BATCH_SIZE items or
JOBSIFT_BATCH_BYTES of text, like the loader; rejects are dropped from the item flow with DropItem,
like the loader does. Batches are written in the crawl thread, so that when `flush()` returns the
batch is durable and the `on_flush` callbacks (called in order with the batch id, right after the
manifest is in place) may acknowledge the requests whose items it holds.

When the crawler closes, the worker's end record for the source is written (`spool.write_end`):
close reason, failures, partial, complete listing, rejects and the ids of its batches, which the
merge turns into the source's `crawl_runs` row (`spool_merge.finish_from_spool`).

Settings: JOBSIFT_SPOOL (folder; default `spool/` beside JOBSIFT_DB), JOBSIFT_RUN_ID, JOBSIFT_SOURCE,
JOBSIFT_WORKER_ID (default `<host>-<pid>`), JOBSIFT_BATCH_SIZE, JOBSIFT_BATCH_BYTES.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jobsift.pipelines.storage.batching import BatchingPipeline
from jobsift.pipelines.storage.spool import (
    Batch,
    EndRecord,
    default_spool,
    new_batch_id,
    write_batch,
    write_end,
)
from scrapy.crawler import Crawler


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class SpoolPipeline(BatchingPipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        spool = settings.get("JOBSIFT_SPOOL") or default_spool(settings.get("JOBSIFT_DB"))
        self.spool = Path(spool).expanduser()
        self.worker = settings.get("JOBSIFT_WORKER_ID") or default_worker_id()
        self.seq = 0
        self.batches: list[str] = []
        # Called with each batch id once its manifest is durably in place (the frontier acks).
        self.on_flush: list[Callable[[str], None]] = []

    def open_spider(self) -> None:
        super().open_spider()
        self.spool.mkdir(parents=True, exist_ok=True)

    def flush(self) -> str | None:
        """Writes the pending items as one batch; returns its id (None when nothing was pending).

        A batch that cannot be written (a full disk) stays pending for the next flush; the error
        is recorded, and if it is still pending when the crawler closes the run fails.
        """
        if not (self.rows or self.rejects or self.seen):
            return None
        self.seq += 1
        batch = Batch(
            new_batch_id(self.worker, self.source, self.seq),
            self.run_id,
            self.source,
            self.worker,
            self.rows,
            self.rejects,
            self.seen,
        )
        try:
            write_batch(self.spool, batch)
        except OSError as exc:
            self.crawler.stats.inc_value("jobsift/spool_errors")
            self.crawler.spider.logger.error(f"spool batch {batch.batch_id} not written: {exc}")
            return None
        self.rows, self.rejects, self.seen, self.pending_bytes = [], [], [], 0
        self.batches.append(batch.batch_id)
        self.crawler.stats.inc_value("jobsift/spool_batches")
        for callback in self.on_flush:
            callback(batch.batch_id)
        return batch.batch_id

    def close_spider(self) -> None:
        self.flush()
        left = len(self.rows) + len(self.seen)
        if left or self.rejects:
            self.load_errors.append(
                f"{left} postings and {len(self.rejects)} rejects not written to the spool "
                f"{self.spool}"
            )
            self.crawler.stats.inc_value("jobsift/load_errors")

    def spider_closed(self, spider: Any, reason: str) -> None:
        failures = list(getattr(spider, "failures", [])) + self.load_errors
        stats = self.crawler.stats.get_stats()
        errors = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
        if errors:
            failures.append(f"{errors} exception(s) in the spider's callbacks (see the log)")
        if reason != "finished":
            failures.append(f"crawl ended: {reason}")
        record = EndRecord(
            run_id=self.run_id,
            source=self.source,
            worker=self.worker,
            reason=reason,
            failures=tuple(failures),
            partial=tuple(getattr(spider, "partial", ())),
            complete_listing=bool(getattr(spider, "complete_listing", False)),
            rejected=self.rejected,
            batches=tuple(self.batches),
        )
        try:
            write_end(self.spool, record)
        except OSError as exc:
            spider.logger.error(f"end record of {self.source} not written to the spool: {exc}")
