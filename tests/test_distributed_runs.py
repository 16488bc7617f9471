"""A distributed run records its sources as a local one does: the same `crawl_runs` rows and
statuses (a source that fails, fails in both), the same summary lines and exit code."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from bench.pages import generate_site
from tests.support.crawl import jobsift
from tests.support.distributed import (
    coordinator,
    local_crawl,
    postings,
    runs,
    workers,
    write_sources,
)
from tests.support.redis import redis_server
from tests.support.server import FixtureServer

ROLES = 40
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _summary(stdout: str) -> list[str]:
    """The summary lines, without times and the run id line."""
    lines = [line for line in stdout.splitlines() if line and not line.startswith("run ")]
    return [re.sub(r"\d+(\.\d+)?\s*s\b|\d+:\d+", "T", line) for line in lines]


def test_run_records_and_exit_code_match_a_local_crawl(tmp_path: Path) -> None:
    site = tmp_path / "site"
    generate_site(site, ROLES, per_page=10)
    with FixtureServer(root=site) as server:
        server.add("/broken/", b"down for maintenance", status=500, content_type="text/plain")
        sources = write_sources(
            tmp_path / "sources.toml",
            {
                "mira": {"spider": "withmira", "args": {"start_url": f"{server.url}/remote-jobs/"}},
                "mira-broken": {
                    "spider": "withmira",
                    "args": {"start_url": f"{server.url}/broken/"},
                },
            },
        )
        local_db = tmp_path / "local" / "jobsift.duckdb"
        local_db.parent.mkdir()
        local = local_crawl(local_db, sources, tmp_path)
        assert local.returncode == 1, local.stderr[-3000:]
        with redis_server(tmp_path / "redis") as url:
            spool, db = tmp_path / "spool", tmp_path / "jobsift.duckdb"
            with workers(url, spool, 2, tmp_path / "work") as crew:
                crawl = coordinator(db, sources, url, spool, tmp_path)
                out, err = crawl.communicate(timeout=300)
                assert crew.wait() == [0, 0], crew.stderr()
    assert crawl.returncode == local.returncode, err
    assert runs(db) == runs(local_db)
    statuses = {row[0]: row[2] for row in runs(db)}
    assert statuses == {"mira": "finished", "mira-broken": "failed"}
    assert postings(db) == postings(local_db)
    assert len(postings(db)) == ROLES
    assert _summary(out) == _summary(local.stdout)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when this returns: nothing listens there


@pytest.mark.parametrize("command", ["crawl", "worker"])
def test_an_unreachable_redis_is_one_line_and_touches_nothing(tmp_path: Path, command: str) -> None:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    sources = write_sources(
        tmp_path / "sources.toml",
        {"mira": {"spider": "withmira", "args": {"start_url": "http://127.0.0.1:9/"}}},
    )
    db = tmp_path / "jobsift.duckdb"
    argv = {
        "crawl": ["crawl", "--db", str(db), "--sources", str(sources), "--redis", url],
        "worker": ["worker", "--redis", url, "--spool", str(tmp_path / "spool")],
    }[command]
    done = jobsift(*argv, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(f"jobsift: cannot reach Redis at {url}: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert not db.exists()


def test_detail_requests_redis_cannot_hold_are_crawled_under_their_listing(tmp_path: Path) -> None:
    """SmartRecruiters' detail requests carry a function (the job as listed, should the detail
    fail), so they cannot be queued in Redis: each is crawled by the worker that read its listing
    page. One detail is missing: its job is stored as listed and the run fails, in both crawls."""
    own = FIXTURES / "smartrecruiters"
    with FixtureServer() as server:
        base = "/v1/companies/GreenleafEnergy/postings"
        for offset in (0, 2):
            server.add(
                f"{base}?offset={offset}&limit=2",
                own / f"postings_greenleafenergy_offset{offset}_limit2.json",
            )
        details = json.loads((own / "details_greenleafenergy.json").read_text())
        for posting_id, detail in list(details.items())[1:]:  # the first one answers 404
            server.add(f"{base}/{posting_id}", json.dumps(detail))
        sources = write_sources(
            tmp_path / "sources.toml",
            {"sr": {"spider": "smartrecruiters", "args": {"company": "GreenleafEnergy"}}},
            {"JOBSIFT_SMARTRECRUITERS_URL": server.url, "JOBSIFT_SMARTRECRUITERS_PAGE_SIZE": 2},
        )
        local_db = tmp_path / "local" / "jobsift.duckdb"
        local_db.parent.mkdir()
        local = local_crawl(local_db, sources, tmp_path)
        with redis_server(tmp_path / "redis") as url:
            spool, db = tmp_path / "spool", tmp_path / "jobsift.duckdb"
            with workers(url, spool, 2, tmp_path / "work") as crew:
                crawl = coordinator(db, sources, url, spool, tmp_path)
                _out, err = crawl.communicate(timeout=300)
                assert crew.wait() == [0, 0], crew.stderr()
    assert local.returncode == 1, local.stderr[-2000:]
    assert crawl.returncode == local.returncode, err
    assert len(postings(local_db)) == len(details) == 3
    assert postings(db) == postings(local_db)
    assert runs(db) == runs(local_db)
    assert [row[2] for row in runs(db)] == ["failed"]
