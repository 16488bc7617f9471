"""Open and closed postings across crawls (SPEC section 5, "History"): real `jobsift crawl` runs of
boards served on 127.0.0.1, changed between crawls."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support.boards import (
    BOARD,
    NOMADS_PATH,
    greenhouse,
    greenhouse_job,
    nomads,
    nomads_job,
    serve_greenhouse,
)
from tests.support.runs import SourceSpec, last_run, run_crawl
from tests.support.server import FixtureServer

ROLES = range(1, 11)
GONE = (3, 4)
CHANGED = 5


def _query(tmp_path: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(tmp_path / "jobsift.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _statuses(tmp_path: Path) -> dict[str, str]:
    return dict(_query(tmp_path, "SELECT source_id, status FROM postings"))


def _crawl(tmp_path: Path, server: FixtureServer, jobs: list[dict], **args: str) -> str:
    serve_greenhouse(server, jobs)
    result = run_crawl(tmp_path, {"acme": greenhouse(server, **args)})
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result.stdout


def test_removed_roles_close_a_changed_one_gets_a_version_and_a_returning_one_reopens(
    tmp_path: Path,
) -> None:
    with FixtureServer() as server:
        first = _crawl(tmp_path, server, [greenhouse_job(n, salary=n % 2 == 0) for n in ROLES])
        second_jobs = [
            greenhouse_job(n, salary=n % 2 == 0, note=" Now hiring fast." if n == CHANGED else "")
            for n in ROLES
            if n not in GONE
        ]
        second = _crawl(tmp_path, server, second_jobs)
        third = _crawl(tmp_path, server, [*second_jobs, greenhouse_job(GONE[0], salary=False)])
    assert GONE[0] % 2  # the returning role comes back as it was (odd roles have no salary)
    assert "10 postings (10 new, 0 updated, 0 unchanged, 0 closed)" in first
    assert "8 postings (0 new, 1 updated, 7 unchanged, 2 closed)" in second
    assert "9 postings (0 new, 0 updated, 9 unchanged, 0 closed)" in third

    statuses = _statuses(tmp_path)
    assert {k for k, v in statuses.items() if v == "closed"} == {str(7000 + GONE[1])}
    assert len(statuses) == 10 and set(statuses.values()) == {"open", "closed"}
    assert _query(
        tmp_path, "SELECT closed_at IS NOT NULL FROM postings WHERE source_id = ?", ["7004"]
    ) == [(True,)]
    assert _query(tmp_path, "SELECT closed_at FROM postings WHERE source_id = '7003'") == [(None,)]
    versions = dict(
        _query(tmp_path, "SELECT split_part(id, ':', 2), count(*) FROM posting_versions GROUP BY 1")
    )
    # The changed role has a second version; every other one (the returning one too) has one.
    assert versions == {str(7000 + n): 2 if n == CHANGED else 1 for n in ROLES}

    # The gap stays in the history of the returning role.
    events = _query(
        tmp_path,
        "SELECT event, reason FROM posting_events WHERE id LIKE '%7003' ORDER BY happened_at",
    )
    assert events == [
        ("closed", "absent from a complete listing of its source"),
        ("reopened", "seen again"),
    ]
    runs = _query(tmp_path, "SELECT closed, reopened, complete FROM crawl_runs ORDER BY started_at")
    assert runs == [(0, 0, True), (2, 0, True), (0, 1, True)]


@pytest.mark.parametrize("kind", ["failed", "not a complete listing"])
def test_a_run_that_did_not_list_everything_closes_nothing(tmp_path: Path, kind: str) -> None:
    with FixtureServer() as server:
        if kind == "failed":
            # The second run lists 8 roles, but a detail fails: failed, nothing may close.
            _crawl(tmp_path, server, [greenhouse_job(n) for n in ROLES], pay_transparency="true")
            for n in ROLES:
                server.add(f"/v1/boards/{BOARD}/jobs/{7000 + n}?pay_transparency=true", "{}")
            server.add(f"/v1/boards/{BOARD}/jobs/7001?pay_transparency=true", "down", status=500)
            remaining = [greenhouse_job(n) for n in ROLES if n not in GONE]
            _crawl(tmp_path, server, remaining, pay_transparency="true")
            run = last_run(tmp_path, "acme")
            assert (run["status"], run["scraped"]) == ("failed", 8)
        else:
            # Working Nomads serves a capped feed: it never closes by absence.
            source = {"nomads": nomads(server)}
            server.add(NOMADS_PATH, json.dumps([nomads_job(n) for n in ROLES]))
            assert run_crawl(tmp_path, source).returncode == 0
            server.add(NOMADS_PATH, json.dumps([nomads_job(n) for n in (1, 2)]))
            assert run_crawl(tmp_path, source).returncode == 0
            run = last_run(tmp_path, "nomads")
            assert (run["status"], run["scraped"]) == ("finished", 2)
    assert set(_statuses(tmp_path).values()) == {"open"}
    assert (run["closed"], run["complete"]) == (0, False)
    assert _query(tmp_path, "SELECT count(*) FROM posting_events") == [(0,)]


HIMALAYAS_PAGE = 20  # jobs per call (crawlers/spiders/himalayas.py)


def _himalayas_page(jobs: list[int], offset: int, total: int) -> str:
    page = [
        {
            "guid": f"https://himalayas.app/companies/acme/jobs/role-{n}",
            "title": f"Backend Engineer {n}",
            "companyName": "Acme",
            "description": "<p>Python services.</p>",
            "pubDate": 1793000000,
            "locationRestrictions": ["Germany"],
        }
        for n in jobs[offset : offset + HIMALAYAS_PAGE]
    ]
    return json.dumps(
        {"offset": offset, "limit": HIMALAYAS_PAGE, "totalCount": total, "jobs": page}
    )


def _serve_himalayas(server: FixtureServer, jobs: list[int]) -> None:
    for offset in range(0, len(jobs) + 1, HIMALAYAS_PAGE):
        path = f"/jobs/api?limit={HIMALAYAS_PAGE}&offset={offset}"
        server.add(path, _himalayas_page(jobs, offset, len(jobs)))


def test_a_run_cut_by_its_page_limit_is_partial_and_closes_nothing(tmp_path: Path) -> None:
    def source(server: FixtureServer, **args: str) -> dict[str, SourceSpec]:
        settings = {"JOBSIFT_HIMALAYAS_URL": server.url}
        return {"himalayas": SourceSpec("himalayas", args=args, settings=settings)}

    with FixtureServer() as server:
        _serve_himalayas(server, list(range(1, 31)))  # two pages
        whole = run_crawl(tmp_path, source(server))
        _serve_himalayas(server, list(range(1, 29)))  # two roles gone, but only page 1 is read
        capped = run_crawl(tmp_path, source(server, max_pages="1"))
        _serve_himalayas(server, list(range(1, 29)))
        complete = run_crawl(tmp_path, source(server))
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert "partial: max_pages=1 reached" in capped.stdout
    runs = _query(
        tmp_path, "SELECT scraped, closed, complete, partial FROM crawl_runs ORDER BY started_at"
    )
    assert runs == [
        (30, 0, True, None),
        (20, 0, False, "max_pages=1 reached"),
        (28, 2, True, None),
    ]
    assert complete.returncode == 0, complete.stdout + complete.stderr


def test_a_passed_valid_through_closes_at_load(tmp_path: Path) -> None:
    jobs = [greenhouse_job(1), greenhouse_job(2, deadline="2020-01-31T00:00:00Z")]
    with FixtureServer() as server:
        _crawl(tmp_path, server, jobs)
    assert _query(
        tmp_path, "SELECT source_id, status, closed_at FROM postings ORDER BY source_id"
    ) == [("7001", "open", None), ("7002", "closed", datetime(2020, 1, 31))]
    assert last_run(tmp_path, "acme")["closed"] == 1
    assert _query(tmp_path, "SELECT event, reason FROM posting_events") == [
        ("closed", "its valid_through has passed")
    ]
