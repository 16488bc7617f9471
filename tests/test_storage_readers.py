"""Readers and the crawl share the database: through the real `jobsift` command and a real crawl
of a server on 127.0.0.1 that holds its answers while the readers run."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
from jobsift.pipelines.storage.store import Store

from tests.conftest import PROJECT_FIXTURES
from tests.support.crawl import _env, jobsift
from tests.support.server import FixtureServer, Route


class GatedServer(FixtureServer):
    """Answers the first `open_requests` requests, then holds each answer until `gate` is set:
    the crawl is certainly still running (and has stored its run) while the gate is closed."""

    def __init__(self, root: Path, open_requests: int) -> None:
        super().__init__(root)
        self.open_requests = open_requests
        self.gate = threading.Event()

    def _lookup(self, target: str) -> Route | None:
        if len(self.requests) > self.open_requests:
            self.gate.wait(timeout=120)
        return super()._lookup(target)


def _sources(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        "[settings]\nAUTOTHROTTLE_ENABLED = false\nJOBSIFT_PROGRESS_INTERVAL = 0\n"
        "CONCURRENT_REQUESTS = 1\nJOBSIFT_BATCH_SIZE = 1\nROBOTSTXT_OBEY = false\n"
        f'[sources.mira]\nspider = "withmira"\nargs = {{ start_url = "{url}/our-jobs/" }}\n'
    )
    return path


def _start_crawl(tmp_path: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "jobsift.crawlers.cli", "crawl", "--db", str(db)]
    command += ["--sources", str(tmp_path / "sources.toml"), *extra]
    return subprocess.Popen(
        command, cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _stored(db: Path) -> list[tuple[str, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT status, scraped FROM crawl_runs").fetchall()


def test_sql_export_and_sources_work_while_a_crawl_runs(tmp_path: Path) -> None:
    db = tmp_path / "jobsift.duckdb"
    with GatedServer(PROJECT_FIXTURES / "withmira", open_requests=3) as server:
        _sources(tmp_path, server.url)
        crawl = _start_crawl(tmp_path, db)
        while len(server.requests) <= 3:  # the crawl has stored its run and waits at the gate
            assert crawl.poll() is None, crawl.communicate()
            time.sleep(0.05)
        during = [
            jobsift("sql", "SELECT status FROM crawl_runs", "--db", str(db), cwd=tmp_path),
            jobsift("sources", "--sources", "sources.toml", "--db", str(db), cwd=tmp_path),
            jobsift("export", "--format", "csv", "--out", "-", "--db", str(db), cwd=tmp_path),
        ]
        still_running = crawl.poll() is None
        server.gate.set()
        _out, err = crawl.communicate(timeout=300)
    assert still_running
    for result in during:
        assert result.returncode == 0, result.stderr
    assert "running" in during[0].stdout and "running" in during[1].stdout
    assert during[2].stdout.startswith("id,source,source_name,")
    # The site's empty role page is 1 reject in 12 served: over 5%, so the source is degraded.
    assert crawl.returncode == 3, err
    assert _stored(db)[0][0] == "degraded"


def test_a_reader_open_at_crawl_start_only_delays_the_crawl(tmp_path: Path) -> None:
    db = tmp_path / "jobsift.duckdb"
    Store(db).ensure_schema()
    with FixtureServer(root=PROJECT_FIXTURES / "withmira") as server:
        _sources(tmp_path, server.url)
        reader = duckdb.connect(str(db), read_only=True)  # a notebook, left open
        crawl = _start_crawl(tmp_path, db)
        time.sleep(1.5)
        # Still alive and not crawling: it waits for the database instead of crashing.
        assert crawl.poll() is None and server.requests == []
        reader.close()
        _out, err = crawl.communicate(timeout=300)
    assert crawl.returncode == 3, err  # degraded: the site's empty role page is a reject
    assert "Traceback" not in err
    status, scraped = _stored(db)[0]
    assert status == "degraded" and scraped > 0


def test_a_reader_that_never_lets_go_fails_the_crawl_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "jobsift.duckdb"
    Store(db).ensure_schema()
    _sources(tmp_path, "http://127.0.0.1:9")
    with duckdb.connect(str(db), read_only=True):
        crawl = _start_crawl(tmp_path, db, "--set", "JOBSIFT_DB_WAIT=0.5")
        _out, err = crawl.communicate(timeout=300)
    assert crawl.returncode == 1
    assert err.strip().count("\n") == 0, err
    assert "is held by" in err and "gave up after waiting 0.5 s" in err
