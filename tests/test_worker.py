"""The normalization worker: same results as the chain in the crawl process, and no item lost."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.crawlers import settings as project_settings
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.runtime.normalize import NormalizePipeline
from jobsift.pipelines.runtime.result import run_chain
from jobsift.pipelines.runtime.worker import ChainWorker, WorkerUnavailable
from jobsift.pipelines.storage.store import StagedPosting, stage_row
from jobsift.schemas import Reject

from bench.pages import generate_site
from tests.support.crawl import scrapy_crawl
from tests.support.server import FixtureServer

PAYLOADS: dict[str, dict[str, Any]] = {
    "html sections": {
        "source": "fake",
        "source_id": "1",
        "title": "Senior Backend Engineer",
        "company": "Northwind",
        "location": "Canada | USA",
        "description": "<h4>What you'll do</h4><ul><li>Build APIs.</li></ul>"
        "<h4>Requirements</h4><ul><li>5+ years of Python.</li></ul>",
        "salary": "$150,000 – $180,000 USD per year",
        "posted": "2 days ago",
        "remote": "Remote",
        "fetched_at": "2026-11-20T12:00:00+00:00",
    },
    "plain text": {
        "source": "fake",
        "source_id": "2",
        "title": "Designer",
        "description": "Hybrid role in Berlin. Must have a portfolio.",
        "fetched_at": "2026-11-20T12:00:00+00:00",
    },
}


def test_the_project_chain_is_one_pipeline_then_the_loader() -> None:
    ordered = sorted(project_settings.ITEM_PIPELINES.items(), key=lambda kv: kv[1])
    assert [path.rsplit(".", 1)[1] for path, _ in ordered] == [
        "NormalizePipeline",
        "DuckDBPipeline",
    ]


def test_a_payload_that_breaks_prepare_is_a_reject_in_the_crawl_process() -> None:
    # A mapping whose .get raises: prepare fails outright, the item must not be lost.
    class Hostile(dict):
        def get(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    item = NormalizePipeline(stats=None, use_worker=False).process_item(Hostile(source="x"))
    assert isinstance(item, Reject)
    assert "boom" in item.reason


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_run_chain_stages_what_normalize_payload_gives(name: str) -> None:
    payload = PAYLOADS[name]
    result = run_chain(payload)
    assert isinstance(result.item, StagedPosting)
    expected = stage_row(normalize_payload(payload), payload, run_id="")
    assert result.item.row == expected


def test_run_chain_rejects_an_invalid_payload_with_its_event() -> None:
    result = run_chain({"source": "fake", "url": "http://x/1", "title": ["not", "text"]})
    assert isinstance(result.item, Reject)
    assert result.events == ["raw/invalid"]


async def _ready(worker: ChainWorker) -> None:
    assert await asyncio.wait_for(worker.started, timeout=60), "the worker did not start"


def test_the_worker_process_answers_like_the_crawl_process() -> None:
    async def scenario() -> list[Any]:
        worker = ChainWorker()
        try:
            await _ready(worker)
            return await asyncio.gather(*(worker.normalize(p) for p in PAYLOADS.values()))
        finally:
            worker.stop()

    results = asyncio.run(scenario())
    for payload, result in zip(PAYLOADS.values(), results, strict=True):
        assert result.item.row == stage_row(normalize_payload(payload), payload, run_id="")


def test_a_dead_worker_gives_its_items_back() -> None:
    async def scenario() -> tuple[bool, BaseException | None]:
        worker = ChainWorker()
        try:
            await _ready(worker)
            worker.process.kill()
            error: BaseException | None = None
            try:
                for _ in range(100):  # until the loop has seen the socket close
                    await worker.normalize(PAYLOADS["plain text"])
                    await asyncio.sleep(0.05)
            except WorkerUnavailable as exc:
                error = exc
            return worker.alive, error
        finally:
            worker.stop()

    alive, error = asyncio.run(scenario())
    assert not alive
    assert isinstance(error, WorkerUnavailable)


def _postings(db: Path) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT posting FROM posting_versions ORDER BY id").fetchall()
    return [json.loads(r[0]) for r in rows]


def test_a_crawl_loads_the_same_postings_with_or_without_the_worker(tmp_path: Path) -> None:
    root = tmp_path / "site"
    roles = generate_site(root, 30, per_page=10)
    loaded, in_worker = {}, {}
    with FixtureServer(root=root) as server:
        for worker in (True, False):
            db = tmp_path / f"worker-{worker}.duckdb"
            outcome = scrapy_crawl(
                "withmira",
                tmp_path,
                args={"start_url": f"{server.url}/remote-jobs/"},
                settings={
                    "JOBSIFT_DB": str(db),
                    "JOBSIFT_NORMALIZE_WORKER": worker,
                    "JOBSIFT_FETCHED_AT": "2026-11-20T12:00:00+00:00",
                },
                pipelines=True,
            )
            assert outcome.returncode == 0, outcome.log[-3000:]
            loaded[worker] = _postings(db)
            counted = re.search(r"'jobsift/worker/normalized': (\d+)", outcome.log)
            in_worker[worker] = int(counted.group(1)) if counted else 0
    assert in_worker == {True: len(roles), False: 0}
    assert len(loaded[True]) == len(roles)
    assert loaded[True] == loaded[False]
