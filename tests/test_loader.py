"""The DuckDB loader as a Scrapy pipeline (through get_crawler): batches, re-crawls, rejects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.loader import DuckDBPipeline
from jobsift.pipelines.storage.store import StagedPosting, Store, stage_row
from jobsift.schemas import Reject
from scrapy import Spider
from scrapy.utils.test import get_crawler


class FakeSourceSpider(Spider):
    name = "fakesource"


def _valid(n: int, title: str = "Engineer") -> StagedPosting:
    raw = {
        "source": "fakesource",
        "source_id": str(n),
        "title": f"{title} {n}",
        "description": "<p>Remote.</p>",
        "fetched_at": "2026-11-20T12:00:00+00:00",
    }
    posting = normalize_payload(raw)
    assert not isinstance(posting, Reject)
    return StagedPosting(stage_row(posting, raw, run_id=""))


def _run(db: Path, items: list[Any], batch_size: int = 3) -> DuckDBPipeline:
    crawler = get_crawler(
        FakeSourceSpider, {"JOBSIFT_DB": str(db), "JOBSIFT_BATCH_SIZE": batch_size}
    )
    crawler.spider = crawler._create_spider()
    pipeline = DuckDBPipeline.from_crawler(crawler)
    pipeline.open_spider()
    for item in items:
        try:
            pipeline.process_item(item)
        except Exception as exc:  # DropItem for rejects
            assert type(exc).__name__ == "DropItem"
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "finished")
    return pipeline


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_batches_load_and_recrawl_updates_in_place(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    _run(db, [_valid(n) for n in range(7)])
    first = dict(_query(db, "SELECT id, first_seen_at FROM postings"))
    assert len(first) == 7
    _run(db, [_valid(n, "Engineer" if n < 5 else "Senior Engineer") for n in range(8)])
    assert (
        dict(_query(db, "SELECT id, first_seen_at FROM postings WHERE id <> 'fakesource:7'"))
        == first
    )
    assert _query(db, "SELECT count(*) FROM postings") == [(8,)]
    runs = _query(
        db, "SELECT status, scraped, new, updated, unchanged FROM crawl_runs ORDER BY started_at"
    )
    assert runs == [("finished", 7, 7, 0, 0), ("finished", 8, 1, 2, 5)]
    # history: 7 first versions, 2 changed versions, 1 new posting
    assert _query(db, "SELECT count(*) FROM posting_versions") == [(10,)]
    assert _query(db, "SELECT count(*) FROM raw_postings") == [(8,)]


def test_rejects_are_written_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    bad = Reject(source="fakesource", url="http://x/1", reason="broken", raw={"body": "<html"})
    _run(db, [_valid(1), bad, _valid(2)])
    assert _query(db, "SELECT url, reason, raw FROM rejects") == [
        ("http://x/1", "broken", '{"body": "<html"}')
    ]
    assert _query(db, "SELECT rejected, new FROM crawl_runs") == [(1, 2)]


def test_a_failed_batch_rolls_back_and_earlier_batches_stay(tmp_path: Path) -> None:
    store = Store(tmp_path / "j.duckdb")
    good = [stage_row(_valid(n).posting, {}, "r") for n in range(3)]
    store.write_postings(good)
    later = [stage_row(_valid(n).posting, {}, "r") for n in range(3, 6)]
    # The batch fails at its last statements, after posting_rows was already touched.
    store.con.execute("ALTER TABLE raw_postings RENAME TO raw_postings_elsewhere")
    with pytest.raises(duckdb.CatalogException):
        store.write_postings(later)
    store.con.execute("ALTER TABLE raw_postings_elsewhere RENAME TO raw_postings")
    assert store.con.execute("SELECT count(*) FROM postings").fetchone() == (3,)
    assert store.con.execute("SELECT count(*) FROM posting_versions").fetchone() == (3,)
    assert store.write_postings(later).new == 3


def test_a_write_failure_fails_the_run(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    item = _valid(1)
    pipeline = _run(db, [])
    assert pipeline.load_errors == []
    crawler = get_crawler(FakeSourceSpider, {"JOBSIFT_DB": str(db)})
    crawler.spider = crawler._create_spider()
    pipeline = DuckDBPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(item)
    pipeline.store.con.execute("DROP VIEW postings")
    pipeline.store.con.execute("DROP TABLE posting_rows")
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "finished")
    assert _query(
        db,
        "SELECT status, error LIKE '%DuckDB write failed%' FROM crawl_runs ORDER BY started_at DESC LIMIT 1",
    ) == [("failed", True)]


def test_a_relative_posted_date_alone_is_not_a_new_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "j.duckdb")

    def staged(fetched_at: str, posted: str) -> dict[str, Any]:
        raw = {
            "source": "fakesource",
            "source_id": "1",
            "title": "Engineer",
            "posted": posted,
            "fetched_at": fetched_at,
        }
        posting = normalize_payload(raw)
        assert not isinstance(posting, Reject)
        return stage_row(posting, raw, "r")

    store.write_postings([staged("2026-11-20T12:00:00+00:00", "2 days ago")])
    # A day later the page says "3 days ago": the same posting, not a new version.
    counts = store.write_postings([staged("2026-11-21T12:00:00+00:00", "3 days ago")])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    assert store.con.execute("SELECT posted_at FROM postings").fetchone()[0].isoformat() == (
        "2026-11-18T12:00:00"
    )
    # An absolute date that changes is a change.
    assert store.write_postings([staged("2026-11-21T12:00:00+00:00", "2026-11-01")]).updated == 1
    assert store.con.execute("SELECT count(*) FROM posting_versions").fetchone() == (2,)
