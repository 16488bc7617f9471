"""The spool side of a distributed crawl: real crawls over 127.0.0.1 whose items end in Parquet
batches (NormalizePipeline then SpoolPipeline, as in a worker), each with its manifest written last,
and one end record per worker and source."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.spool import STAGE_SCHEMA, read_ends, scan
from jobsift.pipelines.storage.spool_pipeline import SpoolPipeline
from jobsift.pipelines.storage.staging import StagedPosting, stage_row
from jobsift.schemas import Reject
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from tests.support.server import FixtureServer
from tests.support.spool import SPOOL, crawl, make_site

ROLES = 23
BATCH = 5
RUN = "run-spool-1"
BATCH_ID = re.compile(r"^w1-mira-\d{6}-[0-9a-f]{8}$")


@pytest.fixture(scope="module")
def spooled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Any]:
    tmp = tmp_path_factory.mktemp("spool")
    site = make_site(tmp / "site", ROLES, broken=2)
    spool = tmp / "spool"
    with FixtureServer(root=site.root) as server:
        outcome = crawl(
            server,
            tmp / "work",
            SPOOL,
            RUN,
            JOBSIFT_SPOOL=str(spool),
            JOBSIFT_WORKER_ID="w1",
            JOBSIFT_BATCH_SIZE=BATCH,
        )
    assert outcome.returncode == 0, outcome.log[-3000:]
    return spool, site, outcome


def test_every_item_is_in_a_batch_with_its_manifest(spooled: tuple[Path, Any, Any]) -> None:
    spool, site, _ = spooled
    manifests, incomplete = scan(spool)
    assert incomplete == []
    assert {m.run_id for m in manifests} == {RUN}
    assert all(BATCH_ID.match(m.batch_id) for m in manifests), [m.batch_id for m in manifests]
    assert sum(m.postings for m in manifests) == ROLES - len(site.broken)
    assert sum(m.rejects for m in manifests) == len(site.broken)
    assert all(m.postings <= BATCH for m in manifests)
    # Nothing but batches and the end record: no temporary file left behind.
    names = {p.name for p in (spool / RUN).iterdir() if p.is_file()}
    expected = {f"{m.batch_id}.json" for m in manifests}
    expected |= {f"{m.batch_id}.{kind}.parquet" for m in manifests for kind in m.files}
    assert names == expected


def test_batches_hold_the_staged_rows_of_the_run_and_source(
    spooled: tuple[Path, Any, Any],
) -> None:
    spool, site, _ = spooled
    manifests, _ = scan(spool)
    rows, rejects = [], []
    for m in manifests:
        for kind, entry in m.files.items():
            table = pq.read_table(spool / RUN / entry["file"])
            assert table.num_rows == entry["rows"] == getattr(m, kind)
            if kind == "postings":
                assert table.schema.equals(STAGE_SCHEMA)
                rows += table.to_pylist()
            else:
                rejects += table.to_pylist()
    assert {(r["run_id"], r["source_name"]) for r in rows} == {(RUN, "mira")}
    assert len({r["id"] for r in rows}) == ROLES - len(site.broken)
    assert all(len(r["content_hash"]) == 32 and r["raw_json"] for r in rows)
    broken = {f"/jobs/{slug}/" for slug in site.broken}
    assert {re.sub(r"^https?://[^/]+", "", r["url"]) for r in rejects} == broken
    assert all("no title" in r["reason"] for r in rejects)


def test_the_end_record_names_the_run_its_batches_and_a_complete_listing(
    spooled: tuple[Path, Any, Any],
) -> None:
    spool, site, _ = spooled
    manifests, _ = scan(spool)
    (end,) = read_ends(spool, RUN, "mira")
    assert (end.worker, end.reason, end.failures, end.partial) == ("w1", "finished", (), ())
    assert end.complete_listing is True
    assert end.rejected == len(site.broken)
    assert sorted(end.batches) == sorted(m.batch_id for m in manifests)
    raw = json.loads((spool / RUN / "end" / "mira" / "w1.json").read_text())
    assert raw["run_id"] == RUN and raw["source"] == "mira"


class FakeSourceSpider(Spider):
    name = "fakesource"


def _staged(n: int) -> StagedPosting:
    raw = {
        "source": "fakesource",
        "source_id": str(n),
        "title": f"Engineer {n}",
        "description": "<p>Remote.</p>",
        "fetched_at": "2026-11-20T12:00:00+00:00",
    }
    posting = normalize_payload(raw)
    assert not isinstance(posting, Reject)
    return StagedPosting(stage_row(posting, raw, run_id=""))


def test_on_flush_runs_in_order_once_each_manifest_is_in_place(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    settings = {
        "JOBSIFT_SPOOL": str(spool),
        "JOBSIFT_RUN_ID": "r1",
        "JOBSIFT_SOURCE": "board",
        "JOBSIFT_WORKER_ID": "w/2",  # not a file name as given
        "JOBSIFT_BATCH_SIZE": 3,
    }
    crawler = get_crawler(FakeSourceSpider, settings)
    crawler.spider = crawler._create_spider()
    pipeline = SpoolPipeline.from_crawler(crawler)
    seen: list[tuple[str, bool]] = []
    pipeline.on_flush.append(lambda b: seen.append((b, (spool / "r1" / f"{b}.json").is_file())))
    pipeline.open_spider()
    for n in range(7):
        pipeline.process_item(_staged(n))
    with pytest.raises(DropItem):
        pipeline.process_item(Reject("fakesource", "http://x/1", "broken", {"body": "<html"}))
    assert [m for m, _ in seen] == pipeline.batches and len(seen) == 2
    assert pipeline.flush() is not None  # the frontier flushes at idle
    assert pipeline.flush() is None  # nothing pending: no empty batch
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "shutdown")
    assert all(in_place for _, in_place in seen) and len(seen) == 3
    assert [b.split("-")[0] for b, _ in seen] == ["w_2"] * 3
    manifests, _ = scan(spool)
    assert [(m.postings, m.rejects) for m in manifests] == [(3, 0), (3, 0), (1, 1)]
    (end,) = read_ends(spool, "r1", "board")
    assert end.failures == ("crawl ended: shutdown",)
    assert end.batches == tuple(b for b, _ in seen)
