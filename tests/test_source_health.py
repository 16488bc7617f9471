"""Source health (SPEC section 5): per-run figures, `degraded` runs, exit code 3, `jobsift report`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.pipelines.storage.health import degradation
from jobsift.schemas.ddl import HEALTH_FIELDS

from tests.support.boards import greenhouse, greenhouse_job, serve_greenhouse
from tests.support.crawl import jobsift
from tests.support.runs import SourceSpec, last_run, run_crawl
from tests.support.server import FixtureServer

FULL = dict.fromkeys(HEALTH_FIELDS, 1.0)


def _history(*scraped: int, **fills: float) -> list[dict[str, Any]]:
    return [
        {"scraped": n, **{f"fill_{k}": fills.get(k, 1.0) for k in HEALTH_FIELDS}} for n in scraped
    ]


@pytest.mark.parametrize(
    ("scraped", "rejected", "fills", "history", "expected"),
    [
        pytest.param(30, 0, FULL, _history(100, 100, 100), ["postings fell to 30"], id="halved"),
        pytest.param(50, 0, FULL, _history(100, 100, 100), [], id="exactly-half-is-not-more"),
        pytest.param(30, 0, FULL, _history(100, 100), [], id="two-runs-are-no-baseline"),
        pytest.param(30, 0, FULL, _history(100, 20, 30, 25), [], id="median-not-mean"),
        pytest.param(94, 6, FULL, [], ["rejects 6.0% of 100 served"], id="rejects-over-5pc"),
        pytest.param(95, 5, FULL, [], [], id="rejects-at-5pc"),
        pytest.param(
            100,
            0,
            {**FULL, "salary": 0.5},
            _history(100, 100, 100, salary=0.8),
            ["salary filled 50% against a median of 80% (-30 points)"],
            id="salary-fill-down-30-points",
        ),
        pytest.param(
            100,
            0,
            {**FULL, "salary": 0.65},
            _history(100, 100, 100, salary=0.8),
            [],
            id="salary-fill-down-15-points",
        ),
        pytest.param(100, 0, {**FULL, "salary": None}, _history(1, 1, 1), [], id="no-postings"),
    ],
)
def test_degradation(
    scraped: int,
    rejected: int,
    fills: dict[str, float | None],
    history: list[dict[str, Any]],
    expected: list[str],
) -> None:
    reasons = degradation(scraped, rejected, fills, history)
    assert len(reasons) == len(expected), reasons
    for reason, start in zip(reasons, expected, strict=True):
        assert reason.startswith(start), reasons


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_source_dropping_from_100_to_30_postings_is_degraded(tmp_path: Path) -> None:
    db = tmp_path / "jobsift.duckdb"
    with FixtureServer() as server:
        sources = {
            "acme": greenhouse(server),
            "broken": SourceSpec(
                "greenhouse",
                args={"board": "gone"},
                settings={"JOBSIFT_GREENHOUSE_URL": server.url},
            ),
        }
        every = [greenhouse_job(n, salary=n % 2 == 0) for n in range(1, 101)]
        serve_greenhouse(server, every)
        for _ in range(3):  # the baseline: three runs of 100
            assert run_crawl(tmp_path, sources, "acme").returncode == 0
        serve_greenhouse(server, every[:30])
        dropped = run_crawl(tmp_path, sources, "acme")
        # With a failed source beside it, the failure decides the exit code.
        both = run_crawl(tmp_path, sources, "acme", "broken")
    assert dropped.returncode == 3, dropped.stdout + dropped.stderr
    line = next(x for x in dropped.stdout.splitlines() if x.startswith("acme:"))
    assert line.startswith("acme: degraded, 30 postings")
    assert "degraded: postings fell to 30 from a median of 100 over the last 3 runs" in line
    run = last_run(tmp_path, "acme")
    assert (run["status"], run["scraped"]) == ("degraded", 30)
    assert both.returncode == 1, both.stdout + both.stderr
    # A count that halved is more likely a broken source than 70 closed jobs: none is closed yet.
    assert _query(db, "SELECT status, count(*) FROM postings GROUP BY 1") == [("open", 100)]
    fills = _query(
        db,
        "SELECT fill_work_setting, fill_location, fill_salary, fill_responsibilities, "
        "fill_requirements_minimum, fill_posted_at FROM crawl_runs ORDER BY started_at LIMIT 1",
    )
    assert fills == [(1.0, 1.0, 0.5, 1.0, 1.0, 1.0)]

    report = jobsift(
        "report", "--db", str(db), "--source", "acme", "--max-width", "0", cwd=tmp_path
    )
    assert report.returncode == 0, report.stderr
    rows = [x for x in report.stdout.splitlines() if x.startswith("acme ")]
    assert len(rows) == 5
    assert re.search(r"\bdegraded\s+30\b", rows[3]) and "postings fell to 30" in rows[3]
    assert re.search(r"\bfinished\s+100\b", rows[0]) and re.search(r"\b50\b", rows[0])

    page = tmp_path / "health.html"
    made = jobsift("report", "--db", str(db), "--html", str(page), "--runs", "4", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    text = page.read_text()
    assert text.count("<svg") == 4  # two charts for each of the two sources
    assert "postings fell to 30 from a median of 100" in text
    assert '<span class="status" style="background:#f58518">degraded</span>' in text
    assert text.count("<rect") == 4 + 1  # acme's last four runs, broken's one
    # Self-contained: nothing to fetch, no script.
    assert "<script" not in text and not re.search(r"\b(src|href)=", text)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--runs", "0"], "positive whole number"),
        (["--source", "nowhere"], "no runs of source 'nowhere'"),
    ],
    ids=["runs-zero", "unknown-source"],
)
def test_report_refuses_bad_arguments_in_one_line(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    db = tmp_path / "jobsift.duckdb"
    with FixtureServer() as server:
        serve_greenhouse(server, [greenhouse_job(1)])
        assert run_crawl(tmp_path, {"acme": greenhouse(server)}).returncode == 0
    result = jobsift("report", "--db", str(db), *argv, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
