"""`jobsift crawl` of every source against one local server standing in for all their hosts,
driven by the registry of sources (`tests/support/sources.py`), and the check that every spider
has its test module, fixture, sources-file example and README row."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import PROJECT_FIXTURES
from tests.support.crawl import jobsift
from tests.support.server import FixtureServer
from tests.support.sources import FIXTURES, REPO, Source, source, sources, spider_names


@pytest.mark.parametrize("spider", spider_names())
def test_every_spider_has_its_test_fixture_sources_example_and_readme_row(spider: str) -> None:
    assert (REPO / "tests" / f"test_spider_{spider}.py").is_file(), "test module"
    assert (FIXTURES / spider / "crawl.toml").is_file(), "fixture folder with crawl.toml"
    assert source(spider).postings > 0
    examples = (REPO / "data" / "sources.toml").read_text(encoding="utf-8")
    assert re.search(rf'^#?\s*spider = "{spider}"', examples, re.M), "data/sources.toml entry"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"| `{spider}` |" in readme, "README Sources row"


def _serve(server: FixtureServer, entry: Source, shared: Path) -> None:
    for path, (body, kind) in entry.bodies(shared / "fixtures").items():
        server.add(path, body, content_type=kind)


def _server(shared: Path) -> FixtureServer:
    dirs = {entry.serve_dir for entry in sources().values() if entry.serve_dir}
    return FixtureServer(root=[shared / "fixtures" / d for d in sorted(dirs)])


def _write_sources(path: Path, base: str, captures: dict[str, Source]) -> None:
    lines = [
        "[settings]",
        "AUTOTHROTTLE_ENABLED = false",
        "DOWNLOAD_DELAY = 0",
        "JOBSIFT_MIN_INTERVAL = 0",
        "JOBSIFT_PROGRESS_INTERVAL = 0",
        "RETRY_TIMES = 1",
        "JOBSIFT_RETRY_AFTER_MAX = 1",
    ]
    lines += [f'JOBSIFT_{name.upper()}_URL = "{base}"' for name in captures]
    for name, capture in captures.items():
        args = ", ".join(f'{k} = "{v}"' for k, v in capture.arguments(base).items())
        lines += [f"[sources.{name}]", f'spider = "{name}"', f"args = {{ {args} }}"]
    path.write_text("\n".join(lines) + "\n")


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def captures(real_fixtures: Path) -> dict[str, Source]:
    return sources()


def test_every_source_loads_its_capture(
    captures: dict[str, Source], shared: Path, tmp_path: Path
) -> None:
    db = tmp_path / "all.duckdb"
    with _server(shared) as server:
        for capture in captures.values():
            _serve(server, capture, shared)
        _write_sources(tmp_path / "sources.toml", server.url, captures)
        result = jobsift(
            "crawl", "--db", str(db), "--sources", str(tmp_path / "sources.toml"), cwd=tmp_path
        )
    assert result.returncode == 0, result.stdout + result.stderr
    runs = _query(db, "SELECT source, status, rejected, failures FROM crawl_runs ORDER BY source")
    assert runs == [(name, "finished", 0, 0) for name in sorted(captures)]
    counts = dict(_query(db, "SELECT source, count(*) FROM postings GROUP BY 1"))
    assert counts == {name: c.postings for name, c in captures.items()}
    assert _query(db, "SELECT count(*) FROM rejects") == [(0,)]
    for name in captures:
        assert re.search(rf"^{name}: finished, [\d,]+ postings?", result.stdout, re.M), name


BROKEN: dict[str, dict[str, Any]] = {
    "greenhouse": {
        "status": 404,
        "body": "<html><body>Not found</body></html>",
        "content_type": "text/html",
        "error": "HTTP 404",
    },
    "lever": {
        "status": 500,
        "body": "Internal Server Error",
        "content_type": "text/plain",
        "error": "HTTP 500",
    },
    "ashby": {"status": 429, "body": "{}", "headers": {"Retry-After": "1"}, "error": "HTTP 429"},
    "remoteok": {
        "status": 200,
        "body": '[{"legal": "x"}, {"id": "1", "position": "Dev',
        "error": "JSON",
        "rejects": 1,
    },
    "workingnomads": {
        "status": 200,
        "body": "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>",
        "content_type": "text/html",
        "error": "JSON",
        "rejects": 1,
    },
}


def test_failures_stay_with_their_source(
    captures: dict[str, Source], shared: Path, tmp_path: Path
) -> None:
    db = tmp_path / "failing.duckdb"
    chosen = {n: captures[n] for n in [*BROKEN, "workable", "arbeitnow", "withmira"]}
    with _server(shared) as server:
        for name, capture in chosen.items():
            if name in BROKEN:
                broken = BROKEN[name]
                for path in capture.routes:
                    server.add(
                        path,
                        broken["body"],
                        status=broken["status"],
                        content_type=broken.get("content_type", "application/json"),
                        headers=broken.get("headers"),
                    )
            else:
                _serve(server, capture, shared)
        _write_sources(tmp_path / "sources.toml", server.url, chosen)
        result = jobsift(
            "crawl", "--db", str(db), "--sources", str(tmp_path / "sources.toml"), cwd=tmp_path
        )
    assert result.returncode == 1, result.stdout + result.stderr
    runs = {
        r[0]: r[1:]
        for r in _query(db, "SELECT source, status, rejected, failures, error FROM crawl_runs")
    }
    for name, broken in BROKEN.items():
        status, rejected, failures, error = runs[name]
        assert status == "failed", name
        assert failures >= 1 and broken["error"] in error, (name, error)
        assert rejected == broken.get("rejects", 0), name
    for name in ("workable", "arbeitnow", "withmira"):
        assert runs[name][:3] == ("finished", 0, 0), name
    counts = dict(_query(db, "SELECT source, count(*) FROM postings GROUP BY 1"))
    assert counts == {n: chosen[n].postings for n in ("workable", "arbeitnow", "withmira")}
    raw = _query(db, "SELECT raw FROM rejects WHERE source = 'workingnomads'")
    assert "502 Bad Gateway" in json.loads(raw[0][0])["body"]
    assert re.search(r"^lever: failed, 0 postings .* \| HTTP 500", result.stdout, re.M)


def test_own_fixture_folder_exists() -> None:
    assert (PROJECT_FIXTURES / "withmira" / "our-jobs" / "index.html").is_file()
