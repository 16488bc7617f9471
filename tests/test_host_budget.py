"""Per-host budgets hold across every source of a crawl: many boards of one ATS share one host."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from jobsift.crawlers.hostbudget import Limits, limits_for, parse_limits

from tests.support.runs import SourceSpec, run_crawl
from tests.support.server import FixtureServer

BOARDS = 40


def _board(token: str) -> str:
    job = {
        "id": 1000 + int(token[1:]),
        "title": f"Engineer at {token}",
        "company_name": token,
        "absolute_url": f"https://boards.greenhouse.io/{token}/jobs/1",
        "location": {"name": "Remote"},
        "content": "&lt;p&gt;Build things.&lt;/p&gt;",
        "updated_at": "2026-11-01T00:00:00Z",
    }
    return json.dumps({"jobs": [job], "meta": {"total": 1}})


@pytest.mark.parametrize("budget", [1, 3])
def test_requests_in_flight_to_one_host_never_pass_its_budget(tmp_path: Path, budget: int) -> None:
    with FixtureServer() as server:
        server.delay = 0.02  # every answer takes a while, so that sources overlap
        server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for n in range(BOARDS):
            server.add(f"/v1/boards/b{n}/jobs", _board(f"b{n}"))
        sources = {f"gh-{n}": SourceSpec("greenhouse", {"board": f"b{n}"}) for n in range(BOARDS)}
        shared = {
            "JOBSIFT_GREENHOUSE_URL": server.url,
            "JOBSIFT_HOST_BUDGETS": {"127.0.0.1": {"concurrency": budget}},
        }
        result = run_crawl(tmp_path, sources, shared=shared)
        most = server.most_in_flight
    assert result.returncode == 0, result.stderr[-2000:]
    assert 1 <= most <= budget
    with duckdb.connect(str(tmp_path / "jobsift.duckdb"), read_only=True) as con:
        runs = con.execute("SELECT count(*), count(*) FILTER (status = 'finished') FROM crawl_runs")
        assert runs.fetchone() == (BOARDS, BOARDS)
        assert con.execute("SELECT count(*) FROM postings").fetchone() == (BOARDS,)


def test_without_a_budget_the_sources_overlap(tmp_path: Path) -> None:
    """The check above can fail: with a generous budget the same crawl has more in flight."""
    with FixtureServer() as server:
        server.delay = 0.02
        server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for n in range(BOARDS):
            server.add(f"/v1/boards/b{n}/jobs", _board(f"b{n}"))
        sources = {f"gh-{n}": SourceSpec("greenhouse", {"board": f"b{n}"}) for n in range(BOARDS)}
        shared = {
            "JOBSIFT_GREENHOUSE_URL": server.url,
            "JOBSIFT_HOST_BUDGETS": {"127.0.0.1": {"concurrency": 64}},
        }
        result = run_crawl(tmp_path, sources, shared=shared)
        most = server.most_in_flight
    assert result.returncode == 0, result.stderr[-2000:]
    assert most > 3


TABLE = {
    "api.lever.co": Limits(2, 0.5),
    ".myworkdayjobs.com": Limits(2, 0.5),
    ".wd5.myworkdayjobs.com": Limits(1, 1.0),
}


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("api.lever.co", Limits(2, 0.5)),
        ("nvidia.wd5.myworkdayjobs.com", Limits(1, 1.0)),
        ("acme.wd3.myworkdayjobs.com", Limits(2, 0.5)),
        ("example.com", Limits(8, 0.0)),
        ("myworkdayjobs.com.example.org", Limits(8, 0.0)),
    ],
)
def test_a_host_takes_its_own_entry_then_the_longest_suffix(host: str, expected: Limits) -> None:
    assert limits_for(host, TABLE, Limits(8, 0.0)) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"concurrency": 0},
        {"concurrency": "2"},
        {"delay": -1},
        {"rate": 2},
        3,
        {"concurrency": True},
    ],
    ids=["zero", "text", "negative-delay", "unknown-key", "not-a-table", "boolean"],
)
def test_bad_budgets_are_refused_with_one_line(value: object) -> None:
    with pytest.raises(ValueError, match=r"^hosts\.api\.lever\.co"):
        parse_limits("api.lever.co", value)
