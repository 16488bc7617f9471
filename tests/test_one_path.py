"""One path through the chain: the worker process and the crawl process give identical results.

Every payload of both gold sets, every posting the spiders make of every source's capture (the
registry in `tests/support/sources.py`, parsed at callback level) and a few that must be rejected go
through `run_chain` here and through a real worker process; the staged rows and the rejects must be
equal, field for field.
"""

from __future__ import annotations

import asyncio
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jobsift.pipelines.runtime.normalize import NormalizePipeline
from jobsift.pipelines.runtime.result import ChainResult, run_chain
from jobsift.pipelines.runtime.worker import ChainWorker
from scrapy import Spider
from scrapy.utils.test import get_crawler

from tests.support.parse import BASE_URL, parse_routes
from tests.support.server import Route
from tests.support.sources import Source, sources
from tests.support.spiders import is_reject

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_GOLD = SHARED / "gold"
FETCHED_AT = "2026-11-20T12:00:00+00:00"

OWN_PAYLOADS: list[dict[str, Any]] = [
    {"source": "own", "source_id": "1", "title": "Data Engineer", "description": "<p>Remote.</p>"},
    {"source": "own", "source_id": "2", "title": ["not", "a", "title"]},  # rejected: bad type
    {"source": "own", "url": "http://127.0.0.1/3", "posted": {"nested": True}},  # rejected
    {"source": "own", "source_id": "4", "description": "Hybrid, 3 days a week in Berlin."},
]


def _served_folder(folder: Path) -> dict[str, Route]:
    """A site served folder by folder (`serve_dir`): each index.html at its folder's path."""
    routes = {}
    for page in folder.rglob("index.html"):
        path = "/" + page.parent.relative_to(folder).as_posix()
        route = Route(page.read_bytes(), content_type="text/html")
        routes[path.rstrip("/") or "/"] = routes[path.rstrip("/") + "/"] = route
    return routes


def _capture_payloads(name: str, entry: Source) -> list[dict[str, Any]]:
    """The raw postings the spider makes of its capture (its callbacks on the served bodies)."""
    fixtures = SHARED / "fixtures"
    routes: dict[str, Any] = {
        path: Route(body, content_type=kind)
        for path, (body, kind) in entry.bodies(fixtures).items()
    }
    if entry.serve_dir:
        routes |= _served_folder(fixtures / entry.serve_dir)
    parsed = parse_routes(name, routes, entry.arguments(BASE_URL))
    postings = [item for item in parsed.items if not is_reject(item)]
    assert len(postings) == entry.postings, f"{name}: {len(postings)} postings parsed"
    return postings


def _payloads() -> list[dict[str, Any]]:
    return [dict(payload) for payload in _every_payload()]


@cache
def _every_payload() -> tuple[dict[str, Any], ...]:
    payloads = [dict(p) for p in OWN_PAYLOADS]
    if (SHARED / "fixtures").is_dir():
        for name, entry in sources().items():
            payloads += _capture_payloads(name, entry)
    dev, text = SHARED_GOLD / "dev.jsonl", SHARED_GOLD / "dev-text.jsonl"
    if dev.is_file():
        for line in dev.read_text(encoding="utf-8").splitlines():
            if line.strip():
                payloads.append(dict(json.loads(line)["input"]))
    if text.is_file():
        for line in text.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                payloads.append(
                    {"source": "text", "source_id": record["id"], "description": record["text"]}
                )
    for payload in payloads:
        payload["fetched_at"] = FETCHED_AT  # "now" frozen: relative dates must agree
    return tuple(payloads)


def _comparable(result: ChainResult) -> tuple[Any, ...]:
    item = result.item
    if hasattr(item, "row"):
        return ("row", item.row, tuple(result.events))
    return ("reject", item.source, item.url, item.reason, tuple(result.events))


def test_worker_and_crawl_process_give_identical_rows_and_rejects() -> None:
    payloads = _payloads()

    async def in_worker() -> list[ChainResult]:
        worker = ChainWorker()
        try:
            assert await asyncio.wait_for(worker.started, timeout=60), "the worker did not start"
            return await asyncio.gather(*(worker.normalize(p) for p in payloads))
        finally:
            worker.stop()

    remote = asyncio.run(in_worker())
    local = [run_chain(p) for p in payloads]
    kinds = {_comparable(r)[0] for r in local}
    assert kinds == {"row", "reject"}, "the cases must cover both outcomes"
    for payload, here, there in zip(payloads, local, remote, strict=True):
        assert _comparable(here) == _comparable(there), payload.get("source_id")


class _Spider(Spider):
    name = "own"


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity")
def test_on_one_cpu_the_chain_runs_in_the_crawl_process_by_default() -> None:
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        pipeline = NormalizePipeline.from_crawler(get_crawler(_Spider))
    finally:
        os.sched_setaffinity(0, before)
    assert not pipeline.use_worker
    for payload in _payloads()[:8]:
        expected = _comparable(run_chain(payload))[:-1]
        item = pipeline.process_item(payload)
        got = ("row", item.row) if hasattr(item, "row") else ("reject", item.source, item.url)
        assert got == expected[: len(got)]
