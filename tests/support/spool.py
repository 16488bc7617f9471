"""Real crawls of the bench's generated aggregator site (withmira) whose items end in the spool
(NormalizePipeline then SpoolPipeline, as in a distributed worker) or in DuckDB (the local loader)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.pages import RolePage, generate_site
from tests.support.crawl import CrawlOutcome, scrapy_crawl
from tests.support.server import FixtureServer

FETCHED_AT = "2026-11-20T12:00:00+00:00"
NORMALIZE = "jobsift.pipelines.runtime.normalize.NormalizePipeline"
SPOOL = {NORMALIZE: 100, "jobsift.pipelines.storage.spool_pipeline.SpoolPipeline": 900}
LOCAL = {NORMALIZE: 100, "jobsift.pipelines.storage.loader.DuckDBPipeline": 900}


@dataclass
class Site:
    root: Path
    roles: list[RolePage]
    broken: list[str]  # slugs of role pages served without a title (rejects)


def make_site(root: Path, count: int, broken: int = 2, per_page: int = 10) -> Site:
    """`count` generated role pages, the first `broken` of them without an h1 (each a reject)."""
    roles = generate_site(root, count, per_page=per_page)
    slugs = [role.slug for role in roles[:broken]]
    for slug in slugs:
        (root / "jobs" / slug / "index.html").write_text("<html><body><p>gone</p></body></html>")
    return Site(root, roles, slugs)


def crawl(
    server: FixtureServer,
    work: Path,
    pipelines: dict[str, int],
    run_id: str,
    source: str = "mira",
    **settings: Any,
) -> CrawlOutcome:
    """One real `scrapy crawl withmira` of the served site into the given pipelines."""
    work.mkdir(parents=True, exist_ok=True)
    return scrapy_crawl(
        "withmira",
        work,
        args={"start_url": f"{server.url}/remote-jobs/"},
        settings={
            "ITEM_PIPELINES": pipelines,
            "JOBSIFT_RUN_ID": run_id,
            "JOBSIFT_SOURCE": source,
            "JOBSIFT_FETCHED_AT": FETCHED_AT,
            "JOBSIFT_NORMALIZE_WORKER": False,
            **settings,
        },
        pipelines=True,
    )
