"""One row per real job: a real `jobsift crawl` over 127.0.0.1 of one job published on a company's
Greenhouse board, on RemoteOK (linking to the board), on Himalayas (no link) and in an HN comment
gives one row in `jobs` with four postings; the same title at the same company in another country
stays another job; job ids survive a re-crawl and an update."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import PROJECT_FIXTURES
from tests.support.crawl import jobsift
from tests.support.server import FixtureServer

OWN = PROJECT_FIXTURES / "identity"
# spider -> (arguments, {path: fixture file})
SOURCES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "greenhouse": (
        {"board": "quillstone"},
        {"/v1/boards/quillstone/jobs": "greenhouse_quillstone_jobs_content.json"},
    ),
    "remoteok": ({}, {"/api": "remoteok_api.json"}),
    "himalayas": ({}, {"/jobs/api": "himalayas_jobs_api.json"}),
    "hackernews": ({"story": "49100000"}, {"/api/v1/search_by_date": "hackernews_comments.json"}),
    # A second job, Staff Data Engineer at Brightkiln, on its Lever board (beside a Senior Data
    # Engineer with the same company paragraph), Remotive, We Work Remotely and Jobicy.
    "lever": (
        {"company": "brightkiln"},
        {"/v0/postings/brightkiln": "lever_brightkiln_postings.json"},
    ),
    "remotive": ({}, {"/api/remote-jobs": "remotive_remote_jobs.json"}),
    "weworkremotely": ({}, {"/remote-jobs.rss": "weworkremotely_remote_jobs.rss"}),
    "jobicy": ({}, {"/api/v2/remote-jobs": "jobicy_remote_jobs.json"}),
}
BOARD = "greenhouse:4012345001"  # Senior Backend Engineer, remote in Germany
BOARD_US = "greenhouse:4012345002"  # the same title, remote in the United States
REMOTEOK = "remoteok:1190001"  # links to the board's posting (gh_src, utm_source, boards. host)
HIMALAYAS = "himalayas:https://himalayas.app/companies/quillstone/jobs/sr-backend-engineer"
HIMALAYAS_US = (
    "himalayas:https://himalayas.app/companies/quillstone/jobs/senior-backend-engineer-us"
)
HN = "hackernews:49100123"
STAFF = "lever:5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c41"
SENIOR = "lever:5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c42"


def _sources_file(path: Path, base: str) -> None:
    lines = [
        "[settings]",
        "AUTOTHROTTLE_ENABLED = false",
        "DOWNLOAD_DELAY = 0",
        "JOBSIFT_MIN_INTERVAL = 0",
        "JOBSIFT_PROGRESS_INTERVAL = 0",
        "RETRY_TIMES = 1",
    ]
    lines += [f'JOBSIFT_{name.upper()}_URL = "{base}"' for name in SOURCES]
    for name, (args, _) in SOURCES.items():
        arguments = ", ".join(f'{k} = "{v}"' for k, v in args.items())
        lines += [f"[sources.{name}]", f'spider = "{name}"', f"args = {{ {arguments} }}"]
    path.write_text("\n".join(lines) + "\n")


def _crawl(tmp_path: Path, db: Path, himalayas: dict[str, Any] | None = None) -> None:
    with FixtureServer() as server:
        for _, routes in SOURCES.values():
            for route, name in routes.items():
                kind = "application/xml" if name.endswith(".rss") else "application/json"
                server.add(route, OWN / name, content_type=kind)
        if himalayas is not None:
            server.add("/jobs/api", json.dumps(himalayas))
        _sources_file(tmp_path / "sources.toml", server.url)
        result = jobsift(
            "crawl", "--db", str(db), "--sources", str(tmp_path / "sources.toml"), cwd=tmp_path
        )
    assert result.returncode == 0, result.stdout + result.stderr


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("jobs")
    db = tmp_path / "jobs.duckdb"
    _crawl(tmp_path, db)
    return db


def _job_of(db: Path) -> dict[str, str]:
    return dict(_rows(db, "SELECT id, job_id FROM postings"))


def test_one_job_on_a_board_two_aggregators_and_hn_is_one_row_with_four_postings(
    crawled: Path,
) -> None:
    job = _job_of(crawled)[BOARD]
    [(best, source, title, count, postings)] = _rows(
        crawled,
        "SELECT posting_id, source, title, posting_count, postings FROM jobs "
        f"WHERE job_id = '{job}'",
    )
    assert (best, source, title, count) == (BOARD, "greenhouse", "Senior Backend Engineer", 4)
    assert {p["id"] for p in postings} == {BOARD, REMOTEOK, HIMALAYAS, HN}
    # the company's own board first, the aggregators, the forum comment last
    sources = [p["source"] for p in postings]
    assert (sources[0], set(sources[1:3]), sources[3]) == (
        "greenhouse",
        {"remoteok", "himalayas"},
        "hackernews",
    )
    assert all(p["url"] for p in postings)


def test_how_each_posting_joined_its_job(crawled: Path) -> None:
    how = dict(_rows(crawled, "SELECT id, matched_by FROM posting_jobs"))
    assert (
        how[REMOTEOK] == "link" or how[BOARD] == "link"
    )  # the apply link names the board's posting
    # Whichever posting was stored first started the job (sources load in any order); the HN
    # comment and the Himalayas listing share no link with the board, so they join by description.
    assert [how[p] for p in (BOARD, REMOTEOK, HIMALAYAS, HN)].count("new") == 1
    assert how[HIMALAYAS] in ("description", "new") and how[HN] in ("description", "new")


def test_the_same_title_in_another_country_stays_another_job(crawled: Path) -> None:
    jobs = _job_of(crawled)
    assert jobs[BOARD_US] != jobs[BOARD]
    assert jobs[HIMALAYAS_US] == jobs[BOARD_US]  # the US listing on Himalayas joins the US job
    [(count,)] = _rows(crawled, f"SELECT posting_count FROM jobs WHERE job_id = '{jobs[BOARD_US]}'")
    assert count == 2


def test_every_posting_has_a_job_and_jobs_counts_each_posting_once(crawled: Path) -> None:
    [(postings, with_job, jobs, listed, first)] = _rows(
        crawled,
        "SELECT (SELECT count(*) FROM postings), (SELECT count(job_id) FROM postings), "
        "(SELECT count(*) FROM jobs), (SELECT sum(posting_count) FROM jobs), "
        "(SELECT count(*) FROM jobs j WHERE first_seen_at = "
        " (SELECT min(first_seen_at) FROM postings p WHERE p.job_id = j.job_id))",
    )
    # Quillstone DE (4), Quillstone US (2), Product Designer (1), Tallyforge on RemoteOK + HN (2),
    # Brightkiln Staff (4) and Senior (2) Data Engineer
    assert (postings, with_job, jobs, listed, first) == (15, 15, 6, 15, 6)


def test_a_title_written_otherwise_on_four_sources_is_one_job_and_another_level_another(
    crawled: Path,
) -> None:
    jobs = _job_of(crawled)
    staff = {i for i, j in jobs.items() if j == jobs[STAFF]}
    assert staff == {
        STAFF,
        "remotive:2150001",
        "weworkremotely:https://weworkremotely.com/remote-jobs/brightkiln-staff-data-engineer",
        "jobicy:171001",  # only the first two paragraphs
    }
    assert {i for i, j in jobs.items() if j == jobs[SENIOR]} == {SENIOR, "jobicy:171002"}


def test_job_ids_are_stable_across_runs_and_updates(crawled: Path, tmp_path: Path) -> None:
    db = tmp_path / "jobs.duckdb"
    db.write_bytes(crawled.read_bytes())
    before = _job_of(db)
    himalayas = json.loads((OWN / "himalayas_jobs_api.json").read_text())
    himalayas["jobs"][0]["excerpt"] = "Quillstone is hiring a senior backend engineer (updated)."
    _crawl(tmp_path, db, himalayas=himalayas)
    assert _job_of(db) == before
    assert _rows(db, f"SELECT count(*) FROM posting_versions WHERE id = '{HIMALAYAS}'") == [(2,)]
