"""The per-host budget of a distributed crawl holds across workers: three `jobsift worker`
processes crawl one host whose budget is 2 requests in flight, and the server (which counts the
requests it is answering at once) never sees more than 2. The same crawl with a budget of 16 sees
more, so the check can fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.pages import generate_site
from tests.support.distributed import coordinator, postings, workers, write_sources
from tests.support.redis import redis_server
from tests.support.server import FixtureServer

ROLES = 60
WORKERS = 3


@pytest.mark.parametrize(("budget", "most"), [(2, "at most 2"), (16, "more than 2")])
def test_the_host_budget_holds_across_workers(tmp_path: Path, budget: int, most: str) -> None:
    site = tmp_path / "site"
    generate_site(site, ROLES, per_page=20)
    with redis_server(tmp_path / "redis") as url, FixtureServer(root=site) as server:
        server.delay = 0.05  # answers overlap, so that budgets matter
        sources = write_sources(
            tmp_path / "sources.toml",
            {"mira": {"spider": "withmira", "args": {"start_url": f"{server.url}/remote-jobs/"}}},
            hosts={"127.0.0.1": {"concurrency": budget}},
        )
        spool, db = tmp_path / "spool", tmp_path / "jobsift.duckdb"
        with workers(url, spool, WORKERS, tmp_path / "work") as crew:
            crawl = coordinator(db, sources, url, spool, tmp_path)
            _out, err = crawl.communicate(timeout=300)
            assert crawl.returncode == 0, err + crew.stderr()
            assert crew.wait() == [0] * WORKERS, crew.stderr()
        joined = sum(1 for log in crew.logs if "serving run" in log.read_text())
        assert joined == WORKERS
        assert len(postings(db)) == ROLES
        if budget == 2:
            assert 1 <= server.most_in_flight <= 2, server.most_in_flight
        else:
            assert server.most_in_flight > 2, server.most_in_flight
