"""A distributed crawl (`jobsift crawl --redis` + `jobsift worker` processes, real redis-server,
real Scrapy over 127.0.0.1) stores exactly what a one-process `jobsift crawl` stores.

The site is the bench's generated aggregator (read by the `withmira` spider): 5,000 role pages
for the equivalence (SLOW: its two crawls of 5,000 pages are most of this module's time), 1,500
with small spool batches for the kill -9 case (a worker killed after its first batch). Each test
has its own site and one-process crawl, so pytest-xdist may run them on two workers at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from bench.pages import generate_site
from tests.support.crawl import _env
from tests.support.distributed import (
    coordinator,
    held_by,
    jobsift_command,
    local_crawl,
    postings,
    runs,
    wait_for,
    workers,
    write_sources,
)
from tests.support.redis import redis_server
from tests.support.server import FixtureServer

ROLES = 5000
KILL_ROLES = 1500
WORKERS = 3


@dataclass
class Site:
    server: FixtureServer
    sources: Path
    local: dict[str, str]  # id -> content_hash of the one-process crawl
    local_runs: list[tuple]


@contextmanager
def served_site(work: Path, roles: int, **settings: Any) -> Iterator[Site]:
    """A generated site served on 127.0.0.1, its sources file, and its one-process crawl."""
    generate_site(work / "site", roles)
    (work / "local").mkdir()
    db = work / "local" / "jobsift.duckdb"
    with FixtureServer(root=work / "site") as server:
        sources = write_sources(
            work / "sources.toml",
            {"mira": {"spider": "withmira", "args": {"start_url": f"{server.url}/remote-jobs/"}}},
            settings,
        )
        done = local_crawl(db, sources, work / "local")
        assert done.returncode == 0, done.stderr[-3000:]
        local = postings(db)
        assert len(local) == roles
        server.requests.clear()
        yield Site(server, sources, local, runs(db))


def _once_each(requests: list[str]) -> list[str]:
    """Paths fetched more than once, robots.txt aside (each worker's Scrapy reads it once)."""
    counts = Counter(requests)
    return [path for path, n in counts.items() if n > 1 and path != "/robots.txt"]


def test_three_workers_store_exactly_the_rows_of_one_process(tmp_path: Path) -> None:
    spool, db = tmp_path / "spool", tmp_path / "jobsift.duckdb"
    with (
        served_site(tmp_path, ROLES) as site,
        redis_server(tmp_path / "redis") as url,
        workers(url, spool, WORKERS, tmp_path) as crew,
    ):
        crawl = coordinator(db, site.sources, url, spool, tmp_path)
        _out, err = crawl.communicate(timeout=900)
        assert crawl.returncode == 0, err[-3000:] + crew.stderr()[-3000:]
        assert crew.wait() == [0] * WORKERS, crew.stderr()[-3000:]
    served = list(site.server.requests)
    assert postings(db) == site.local
    assert _once_each(served) == []
    assert Counter(served)["/robots.txt"] <= WORKERS
    # every worker took part (the queue is shared, not handed to the first one)
    assert all("serving run" in log.read_text() for log in crew.logs)
    assert len(list(spool.glob("*/w*-*.json"))) >= WORKERS
    assert runs(db) == site.local_runs


def _table_rows(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = ["posting_rows", "posting_versions", "raw_postings", "rejects", "spool_batches"]
        return {n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}


def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path: Path) -> None:
    spool, db = tmp_path / "spool", tmp_path / "jobsift.duckdb"
    with (
        served_site(tmp_path, KILL_ROLES, JOBSIFT_BATCH_SIZE=100) as site,
        redis_server(tmp_path / "redis") as url,
        workers(url, spool, WORKERS, tmp_path) as crew,
    ):
        crawl = coordinator(db, site.sources, url, spool, tmp_path)
        victim = crew.processes[0]
        # after it has written a batch and while it holds requests it has not acked
        wait_for(lambda: list(spool.glob("*/w0-*.json")), 600, "a batch of worker w0")
        wait_for(lambda: held_by(url, "w0") > 0, 60, "w0 to hold requests")
        os.kill(victim.pid, signal.SIGKILL)
        _out, err = crawl.communicate(timeout=900)
        assert crawl.returncode == 0, err[-3000:] + crew.stderr()[-3000:]
        assert victim.wait() == -signal.SIGKILL
        assert [p.wait(timeout=120) for p in crew.processes[1:]] == [0] * (WORKERS - 1)
    assert "worker w0 died" in err
    assert [row[2] for row in runs(db)] == ["finished"]
    assert postings(db) == site.local
    before = _table_rows(db)
    assert before["posting_rows"] == KILL_ROLES  # one row per posting: none lost, none twice
    merged = subprocess.run(
        jobsift_command("merge", "--db", str(db), "--spool", str(spool)),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert merged.returncode == 0, merged.stderr
    assert _table_rows(db) == before
    assert postings(db) == site.local
