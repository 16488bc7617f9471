"""The item time limit (JOBSIFT_ITEM_TIMEOUT): a runaway item becomes a reject, never a hang.

In the worker process (its own timer), in the crawl process (the same timer), and, should the
worker not answer at all, by the crawl process killing it; no other item is lost either way.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterable
from typing import Any

import pytest
from jobsift.pipelines.chain import STEPS, normalize_counted
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.runtime.limit import ItemTimeout, time_limit
from jobsift.pipelines.runtime.normalize import NormalizePipeline
from jobsift.pipelines.runtime.result import run_chain, run_chain_limited
from jobsift.pipelines.runtime.worker import ChainWorker, WorkerUnavailable
from jobsift.pipelines.storage.store import StagedPosting
from jobsift.schemas import Reject
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from tests.support.runaway import RUNAWAY, spinning

LIMIT = 0.5
FETCHED_AT = "2026-11-20T12:00:00+00:00"


def _payload(number: int, title: str = "Backend Engineer") -> dict[str, Any]:
    return {
        "source": "limit",
        "source_id": str(number),
        "url": f"http://127.0.0.1/{number}",
        "title": title,
        "description": "Remote in Canada. 3+ years of Go.",
        "fetched_at": FETCHED_AT,
    }


PAYLOADS = [_payload(1), _payload(2, RUNAWAY), _payload(3), _payload(4)]


def _slow_step(draft: Draft) -> Iterable[str]:
    while True:
        try:
            pass
        except Exception:
            continue


def test_the_timer_interrupts_a_step_that_swallows_errors() -> None:
    with pytest.raises(ItemTimeout), time_limit(0.2):
        normalize_counted(_payload(1), steps=(*STEPS, _slow_step))


def test_a_block_that_ends_in_time_leaves_no_timer_behind() -> None:
    handler = signal.getsignal(signal.SIGALRM)
    with time_limit(0.2):
        result, _ = normalize_counted(_payload(1))
    assert not isinstance(result, Reject)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler
    time.sleep(0.3)  # past the limit: nothing fires any more


def test_a_timer_already_running_keeps_its_own_time_and_handler() -> None:
    fired: list[int] = []

    def theirs(signum: int, frame: Any) -> None:
        fired.append(signum)

    previous = signal.signal(signal.SIGALRM, theirs)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with time_limit(0.2):
            normalize_counted(_payload(1))
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 30
        assert signal.getsignal(signal.SIGALRM) is theirs and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_in_the_crawl_process_a_runaway_item_becomes_a_reject() -> None:
    result = run_chain_limited(_payload(2, RUNAWAY), LIMIT, spinning)
    assert isinstance(result.item, Reject)
    assert result.item.url == "http://127.0.0.1/2"
    assert f"stopped after {LIMIT:g} s" in result.item.reason
    assert result.events == ["item_timeouts"]


def _outcome(result: Any) -> tuple[str, str]:
    item = result.item
    if isinstance(item, StagedPosting):
        return ("row", item.row["id"])
    return ("reject", item.reason)


def test_in_the_worker_process_a_runaway_item_becomes_a_reject_and_the_rest_go_on() -> None:
    async def scenario() -> tuple[list[Any], bool]:
        worker = ChainWorker(LIMIT, chain="tests.support.runaway:spinning")
        try:
            assert await asyncio.wait_for(worker.started, timeout=60)
            results = await asyncio.gather(*(worker.normalize(p) for p in PAYLOADS))
            return results, worker.alive
        finally:
            worker.stop()

    results, alive = asyncio.run(scenario())
    assert alive, "the worker survives a runaway item"
    outcomes = [_outcome(r) for r in results]
    assert outcomes[1][0] == "reject" and f"stopped after {LIMIT:g} s" in outcomes[1][1]
    assert results[1].events == ["item_timeouts"]
    for index in (0, 2, 3):
        assert outcomes[index] == _outcome(run_chain(PAYLOADS[index]))


def test_a_worker_that_does_not_answer_is_stopped_and_no_item_is_lost() -> None:
    """The runaway item blocks the timer: the crawl process kills the worker after twice the
    limit plus a second; that item is a reject, the others come back for the crawl process."""

    async def scenario() -> tuple[list[Any], bool]:
        worker = ChainWorker(LIMIT, chain="tests.support.runaway:stuck")
        try:
            assert await asyncio.wait_for(worker.started, timeout=60)
            first = await worker.normalize(PAYLOADS[0])  # answered before the runaway one
            rest = await asyncio.wait_for(
                asyncio.gather(
                    *(worker.normalize(p) for p in PAYLOADS[1:]), return_exceptions=True
                ),
                timeout=60,
            )
            return [first, *rest], worker.alive
        finally:
            worker.stop()

    results, alive = asyncio.run(scenario())
    assert not alive
    assert _outcome(results[0]) == _outcome(run_chain(PAYLOADS[0]))
    assert isinstance(results[1].item, Reject)
    assert "stopped after" in results[1].item.reason
    assert all(isinstance(r, WorkerUnavailable) for r in results[2:])


def test_the_pipeline_loses_no_item_when_its_worker_is_stopped() -> None:
    """Through NormalizePipeline: the stuck worker's other items are normalized in the crawl
    process, under the same limit, and the stats count the timeout."""
    crawler = get_crawler(settings_dict={"JOBSIFT_ITEM_TIMEOUT": LIMIT})
    stats = MemoryStatsCollector(crawler)

    async def scenario() -> list[Any]:
        pipeline = NormalizePipeline(stats, use_worker=True, item_timeout=LIMIT)
        pipeline.worker = ChainWorker(LIMIT, chain="tests.support.runaway:stuck")
        try:
            return await asyncio.gather(*(pipeline.process_item(p) for p in PAYLOADS))
        finally:
            pipeline.close_spider()

    items = asyncio.run(scenario())
    assert isinstance(items[1], Reject) and "stopped after" in items[1].reason
    for index in (0, 2, 3):
        assert isinstance(items[index], StagedPosting)
        assert items[index].row == run_chain(PAYLOADS[index]).item.row
    assert stats.get_value("jobsift/item_timeouts") == 1


def test_the_limit_comes_from_the_setting() -> None:
    crawler = get_crawler(
        settings_dict={"JOBSIFT_ITEM_TIMEOUT": 7, "JOBSIFT_NORMALIZE_WORKER": False}
    )
    assert NormalizePipeline.from_crawler(crawler).item_timeout == 7
