"""What the two last pipelines share: items gathered into batches for one writer.

The DuckDB loader (`loader.py`) and a crawl worker's spool writer (`spool_pipeline.py`) both take
valid postings (`StagedPosting`), postings seen unchanged (`SeenUnchanged`) and rejects, and hand
them on in batches of JOBSIFT_BATCH_SIZE items or JOBSIFT_BATCH_BYTES of text, whichever comes
first; rejects leave the item flow with DropItem. Each subclass says what `flush()` does.
"""

from __future__ import annotations

import uuid
from typing import Any, Self

from jobsift.pipelines.storage.staging import SeenUnchanged, StagedPosting
from jobsift.schemas import Reject
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

# Postings seen unchanged that count as one stored posting in a batch: one only moves its row, so
# a re-crawl does not open the database (~30 ms of CPU each time) every 500 of them.
SEEN_PER_ROW = 10
# The text of a staged row that counts towards JOBSIFT_BATCH_BYTES.
_TEXT_KEYS = ("description_text", "posting_json", "raw_json")


class BatchingPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.batch_size = settings.getint("JOBSIFT_BATCH_SIZE", 500)
        self.batch_bytes = settings.getint("JOBSIFT_BATCH_BYTES", 16_000_000)
        self.run_id: str = settings.get("JOBSIFT_RUN_ID") or uuid.uuid4().hex[:12]
        self.source = ""
        self.rows: list[dict[str, Any]] = []
        self.rejects: list[Reject] = []
        self.seen: list[SeenUnchanged] = []
        self.pending_bytes = 0
        self.rejected = 0
        self.load_errors: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pipeline = cls(crawler)
        # The run is finished on spider_closed, the first moment the close reason is known.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.source = self.crawler.settings.get("JOBSIFT_SOURCE") or self.crawler.spider.name

    def flush(self) -> Any:
        raise NotImplementedError

    def spider_closed(self, spider: Any, reason: str) -> None:
        raise NotImplementedError

    def process_item(self, item: Any) -> Any:
        if isinstance(item, StagedPosting):
            row = item.row
            row["run_id"] = self.run_id
            row["source_name"] = self.source
            self.rows.append(row)
            self.pending_bytes += sum(len(row.get(key) or "") for key in _TEXT_KEYS)
            if self._batch_full() or self.pending_bytes >= self.batch_bytes:
                self.flush()
            return item
        if isinstance(item, SeenUnchanged):
            self.seen.append(item)
            if self._batch_full():
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

    def _batch_full(self) -> bool:
        return len(self.rows) + len(self.seen) // SEEN_PER_ROW >= self.batch_size
