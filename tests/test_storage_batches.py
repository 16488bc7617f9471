"""Nothing lost: long descriptions load, a batch too big for DuckDB is split, what cannot be
stored goes to `rejects` with the reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage import database
from jobsift.pipelines.storage.loader import DuckDBPipeline
from jobsift.pipelines.storage.store import StagedPosting, Store, stage_row
from jobsift.schemas import Posting
from scrapy import Spider
from scrapy.utils.test import get_crawler

MB = 1_000_000


class LongSpider(Spider):
    name = "longsource"


def _long_postings(count: int, size: int) -> list[StagedPosting]:
    """`count` postings whose descriptions are `size` characters of words (normalized once)."""
    words = " ".join(f"word{n % 997}" for n in range(size // 8))
    raw = {"source": "longsource", "source_id": "0", "title": "Engineer", "description": words}
    posting = normalize_payload(raw)
    assert isinstance(posting, Posting), posting
    assert len(posting.overview.description_text or "") >= size * 0.9
    staged = []
    for n in range(count):
        copy = posting.model_copy(update={"id": f"longsource:{n}", "source_id": str(n)})
        staged.append(StagedPosting(stage_row(copy, {**raw, "source_id": str(n)}, "")))
    return staged


def _load(db: Path, items: list[Any], settings: dict[str, Any]) -> DuckDBPipeline:
    crawler = get_crawler(
        LongSpider, {"JOBSIFT_DB": str(db), "JOBSIFT_SOURCE": "long-board", **settings}
    )
    crawler.spider = crawler._create_spider()
    pipeline = DuckDBPipeline.from_crawler(crawler)
    pipeline.open_spider()
    for item in items:
        pipeline.process_item(item)
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "finished")
    return pipeline


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_fifty_postings_with_1_mb_descriptions_all_load(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    pipeline = _load(db, _long_postings(50, MB), {})
    assert pipeline.load_errors == []
    assert _query(db, "SELECT count(*), min(length(description_text)) FROM postings") == [
        (50, pytest.approx(MB, rel=0.1))
    ]
    assert _query(db, "SELECT status, scraped, rejected FROM crawl_runs") == [("finished", 50, 0)]
    assert _query(db, "SELECT DISTINCT source_name FROM postings") == [("long-board",)]


@pytest.mark.parametrize("memory_limit", ["48MB"])
def test_a_batch_too_big_for_duckdb_is_split_and_what_still_fails_is_a_reject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_limit: str
) -> None:
    # A small pool makes a batch of 500 long descriptions (500 x 45 KB, three copies each) too big.
    monkeypatch.setitem(database.WRITER_CONFIG, "memory_limit", memory_limit)
    db = tmp_path / "j.duckdb"
    rows = [item.row for item in _long_postings(500, 45_000)]
    huge = dict(rows[0], id="longsource:huge", source_id="huge", url="http://x/huge")
    huge["description_text"] = huge["posting_json"] = "x" * (40 * MB)
    huge["raw_json"] = json.dumps({"description": "y" * (40 * MB)})
    result = Store(db).write_batch([*rows, huge], [], "run-1", "long-board")
    assert (result.counts.new, result.unstored) == (500, 1)
    assert result.splits > 1
    assert "OutOfMemory" in result.reasons[0]
    assert _query(db, "SELECT count(*) FROM postings") == [(500,)]
    assert _query(
        db, "SELECT url, source_name, reason LIKE 'could not be stored: %' FROM rejects"
    ) == [("http://x/huge", "long-board", True)]
