"""A crawl of many boards: a few sources at a time, every one recorded, the summary per spider."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb

from tests.support.crawl import _env
from tests.support.runs import SourceSpec, crawl_command, run_crawl, write_sources
from tests.support.server import FixtureServer

BOARDS = 35  # above the 30 sources from which the summary is per spider
AT_ONCE = 3


def _board(n: int) -> str:
    job = {
        "id": 5000 + n,
        "title": f"Engineer {n}",
        "company_name": f"Company {n}",
        "absolute_url": f"https://boards.greenhouse.io/b{n}/jobs/{5000 + n}",
        "location": {"name": "Remote"},
        "content": "&lt;p&gt;Build things.&lt;/p&gt;",
        "updated_at": "2026-11-01T00:00:00Z",
    }
    return json.dumps({"jobs": [job], "meta": {"total": 1}})


# `jobsift crawl` in a child process whose runner makes Crawlers it can follow by weak reference;
# after the crawl it prints how many of them are still in memory.
FOLLOW_CRAWLERS = """
import gc, sys, weakref
from jobsift.crawlers import runner
from jobsift.crawlers.cli import main

made = []

class Followed(runner.Crawler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        made.append(weakref.ref(self))

runner.Crawler = Followed
code = main(sys.argv[1:])
gc.collect()
print(f"crawlers made={len(made)} alive={sum(ref() is not None for ref in made)}")
sys.exit(code)
"""


def test_sources_run_a_few_at_a_time_and_each_gets_its_run(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for n in range(BOARDS):
            server.add(f"/v1/boards/b{n}/jobs", _board(n))
        server.add("/v1/boards/broken/jobs", "oops", status=500, content_type="text/plain")
        sources = {f"gh-{n}": SourceSpec("greenhouse", {"board": f"b{n}"}) for n in range(BOARDS)}
        sources["gh-broken"] = SourceSpec("greenhouse", {"board": "broken"})
        shared = {"JOBSIFT_GREENHOUSE_URL": server.url, "JOBSIFT_CONCURRENT_SOURCES": AT_ONCE}
        result = run_crawl(tmp_path, sources, shared=shared)
    assert result.returncode == 1, result.stderr[-2000:]  # the broken board failed
    with duckdb.connect(str(tmp_path / "jobsift.duckdb"), read_only=True) as con:
        runs = con.execute(
            "SELECT source, status, started_at, finished_at FROM crawl_runs ORDER BY started_at"
        ).fetchall()
    assert len(runs) == BOARDS + 1
    assert {status for source, status, _, _ in runs if source != "gh-broken"} == {"finished"}
    # At no start of a run were more than AT_ONCE runs going on (counting that one).
    for _, _, started, _ in runs:
        going = [r for r in runs if r[2] <= started and (r[3] is None or r[3] > started)]
        assert len(going) <= AT_ONCE
    lines = result.stdout.splitlines()
    assert f"greenhouse: {BOARDS} sources finished, {BOARDS} postings" in result.stdout
    assert any(line.startswith("gh-broken: failed") for line in lines)
    assert not any(line.startswith("gh-1:") for line in lines)  # no line per finished board


def test_a_finished_sources_crawler_is_let_go(tmp_path: Path) -> None:
    """Memory stays flat over thousands of boards only if nothing keeps a finished crawler (its
    engine, middlewares, stats) alive: the progress display's signal receivers once did."""
    boards = 6
    with FixtureServer() as server:
        server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for n in range(boards):
            server.add(f"/v1/boards/b{n}/jobs", _board(n))
        sources = {f"gh-{n}": SourceSpec("greenhouse", {"board": f"b{n}"}) for n in range(boards)}
        shared = {"JOBSIFT_GREENHOUSE_URL": server.url, "JOBSIFT_CONCURRENT_SOURCES": 2}
        write_sources(tmp_path / "sources.toml", sources, shared)
        command = crawl_command(tmp_path)
        command[1:3] = ["-c", FOLLOW_CRAWLERS]  # instead of `-m jobsift.crawlers.cli`
        result = subprocess.run(
            command, cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"crawlers made={boards} alive=0" in result.stdout
