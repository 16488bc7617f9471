"""Which postings are one job: link canonicalization, company and title keys, place compatibility,
the matching rules (pure functions of pipelines/identity), and the store placing batches
incrementally and carrying an older database forward."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.identity import match
from jobsift.pipelines.identity.keys import (
    block_key,
    board_in_url,
    canonical_url,
    company_key,
    link_keys,
    title_key,
)
from jobsift.pipelines.identity.match import Candidate, assign, new_job_id, places_compatible
from jobsift.pipelines.storage.store import Store, stage_row
from jobsift.schemas import Posting

from tests.conftest import PROJECT_FIXTURES

NOW = datetime(2026, 11, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        pytest.param(
            "https://boards.greenhouse.io/acme/jobs/123?gh_src=remoteok&utm_medium=x",
            "boards.greenhouse.io/acme/jobs/123",
            id="tracking-params-dropped",
        ),
        pytest.param(
            "HTTP://Job-Boards.Greenhouse.io/acme/jobs/123/",
            "boards.greenhouse.io/acme/jobs/123",
            id="host-lowercased-aliased-slash",
        ),
        pytest.param(
            "https://www.acme.com/careers?gh_jid=123#apply",
            "acme.com/careers?gh_jid=123",
            id="www-fragment-id-param-kept",
        ),
        pytest.param(
            "https://jobs.lever.co/acme/0f8b1e8e-1111-2222-3333-444455556666/apply?lever-source=RemoteOK",
            "jobs.lever.co/acme/0f8b1e8e-1111-2222-3333-444455556666",
            id="lever-apply-suffix",
        ),
        pytest.param("https://acme.com/jobs?b=2&a=1", "acme.com/jobs?a=1&b=2", id="params-sorted"),
        pytest.param("https://acme.com/careers/", None, id="careers-page-names-no-posting"),
        pytest.param("https://acme.com/", None, id="bare-host"),
        pytest.param("mailto:jobs@acme.com", None, id="mailto"),
        pytest.param(None, None, id="none"),
    ],
)
def test_canonical_url(url: str | None, canonical: str | None) -> None:
    assert canonical_url(url) == canonical


def test_links_name_the_ats_posting_wherever_they_point() -> None:
    assert "greenhouse:123" in link_keys("https://acme.com/careers?gh_jid=123")
    assert "greenhouse:123" in link_keys(None, "https://boards.greenhouse.io/acme/jobs/123")
    assert link_keys("https://acme.com/careers", "mailto:x@acme.com") == []


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Acme, Inc.", "ACME", id="legal-form"),
        pytest.param("Point72 ", "point72", id="trailing-space"),
        pytest.param("Crème & Co GmbH", "creme and co", id="accents-ampersand"),
        pytest.param("Bundesverbraucherhilfe e.V.", "Bundesverbraucherhilfe", id="dotted-form"),
    ],
)
def test_company_keys_agree(left: str, right: str) -> None:
    assert company_key(left) == company_key(right)


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        pytest.param(
            "Sr. Backend Engineer (Remote)", "Senior Backend Engineer", True, id="abbrev-noise"
        ),
        pytest.param(
            "Senior Software Engineer, Back-end",
            "Senior Backend Software Engineer",
            True,
            id="order-spelling",
        ),
        pytest.param("Data Analyst (m/f/d)", "Data Analyst", True, id="gender-mark"),
        pytest.param(
            "Software Engineer (Back-end)",
            "Software Engineer (Front-end)",
            False,
            id="specialty-kept",
        ),
        pytest.param("Senior Backend Engineer", "Backend Engineer", False, id="seniority-kept"),
    ],
)
def test_title_keys(left: str, right: str, same: bool) -> None:
    assert (title_key(left) == title_key(right)) is same


@pytest.mark.parametrize(
    ("urls", "board"),
    [
        pytest.param(("https://jobs.lever.co/brightkiln/5d1c/apply",), "brightkiln", id="lever"),
        pytest.param(
            (None, "https://job-boards.greenhouse.io/point72/jobs/1"), "point72", id="gh-apply"
        ),
        pytest.param(("https://acme.jobs.personio.de/job/1",), "acme", id="personio-host"),
        pytest.param(("https://remotive.com/remote-jobs/data/x-1",), None, id="aggregator"),
    ],
)
def test_the_board_in_an_ats_link_stands_in_for_a_missing_company(
    urls: tuple[str | None, ...], board: str | None
) -> None:
    assert board_in_url(*urls) == board


def test_a_posting_without_company_is_blocked_by_its_board() -> None:
    lever = match.candidate(
        {
            "id": "lever:1",
            "source": "lever",
            "title": "Staff Data Engineer",
            "url": "https://jobs.lever.co/brightkiln/5d1c",
        }
    )
    assert lever.block == block_key("Brightkiln", "Staff Data Engineer")


def test_no_block_without_company_or_title() -> None:
    assert block_key(None, "Engineer") is None
    assert block_key("Acme", None) is None


def _candidate(id_: str, source: str, **fields: Any) -> Candidate:
    row = {
        "id": id_,
        "source": source,
        "company": "Acme",
        "title": "Backend Engineer",
        "description_text": "Acme builds invoice matching services in Python and PostgreSQL for carriers.",
        **fields,
    }
    return match.candidate(row)


@pytest.mark.parametrize(
    ("left", "right", "compatible"),
    [
        pytest.param({"countries": ["US"]}, {"countries": ["DE"]}, False, id="other-country"),
        pytest.param(
            {"countries": ["US", "CA"]}, {"eligible_countries": ["CA"]}, True, id="overlap"
        ),
        pytest.param(
            {"countries": ["US"]}, {"countries": ["DE"], "worldwide": True}, True, id="worldwide"
        ),
        pytest.param({"countries": ["US"]}, {}, True, id="no-place"),
        pytest.param(
            {"work_setting": "remote"}, {"work_setting": "onsite"}, False, id="remote-vs-onsite"
        ),
        pytest.param(
            {"work_setting": "remote"}, {"work_setting": "hybrid"}, True, id="remote-vs-hybrid"
        ),
    ],
)
def test_places_compatible(left: dict[str, Any], right: dict[str, Any], compatible: bool) -> None:
    assert (
        places_compatible(_candidate("a:1", "a", **left), _candidate("b:1", "b", **right))
        is compatible
    )


def _jobs(*candidates: Candidate) -> dict[str, str]:
    return {k: v[0] for k, v in assign(candidates).items()}


def test_alike_postings_of_two_sources_are_one_job_started_by_the_best() -> None:
    jobs = _jobs(_candidate("remoteok:1", "remoteok"), _candidate("greenhouse:1", "greenhouse"))
    assert jobs == {
        "greenhouse:1": new_job_id("greenhouse:1"),
        "remoteok:1": new_job_id("greenhouse:1"),
    }


@pytest.mark.parametrize(
    ("right", "why"),
    [
        pytest.param({"description_text": ""}, "never on title alone", id="no-description"),
        pytest.param(
            {
                "description_text": "Tallyforge builds payroll software for restaurants and bakeries."
            },
            "unlike descriptions",
            id="other-description",
        ),
        pytest.param({"countries": ["DE"]}, "other country", id="other-country"),
        pytest.param({"title": "Frontend Engineer"}, "other title", id="other-title"),
        pytest.param({"company": "Acme Health"}, "other company", id="other-company"),
    ],
)
def test_not_one_job(right: dict[str, Any], why: str) -> None:
    jobs = _jobs(
        _candidate("greenhouse:1", "greenhouse", countries=["US"]),
        _candidate("remoteok:1", "remoteok", **right),
    )
    assert jobs["greenhouse:1"] != jobs["remoteok:1"], why


def test_one_source_holds_two_postings_of_a_job_only_as_a_repost() -> None:
    text = "Acme builds invoice matching services in Python and PostgreSQL for carriers."
    jobs = _jobs(
        _candidate("greenhouse:1", "greenhouse", countries=["US", "GB"]),
        _candidate("remoteok:1", "remoteok", countries=["US"]),
        # the same words for another country: the source lists another job
        _candidate("remoteok:2", "remoteok", countries=["GB"]),
        # the same words, places and setting again: posted a second time
        _candidate("remoteok:3", "remoteok", countries=["US"], description_text=text + " Apply."),
    )
    assert jobs["remoteok:1"] == jobs["greenhouse:1"] == jobs["remoteok:3"]
    assert jobs["remoteok:2"] != jobs["remoteok:1"]


def test_alike_postings_of_one_board_in_two_countries_are_two_jobs() -> None:
    jobs = _jobs(
        _candidate("ashby:1", "ashby", countries=["GB"]),
        _candidate("ashby:2", "ashby", countries=["US"]),
        _candidate("ashby:3", "ashby"),  # no place named
    )
    assert len(set(jobs.values())) == 3


def test_a_shared_generic_apply_page_does_not_join_other_titles() -> None:
    page = "https://acme.com/careers/apply-now"
    jobs = _jobs(
        _candidate("remoteok:1", "remoteok", apply_url=page, description_text=""),
        _candidate(
            "remoteok:2", "remoteok", apply_url=page, title="Office Manager", description_text=""
        ),
        _candidate(
            "remoteok:3",
            "remoteok",
            apply_url=page,
            title="Backend Engineer (Remote)",
            description_text="",
        ),
    )
    assert jobs["remoteok:1"] == jobs["remoteok:3"] != jobs["remoteok:2"]


def test_matching_compares_only_inside_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 postings of 1,000 companies, two sources each: 1,000 comparisons, not 2 million."""
    calls = []
    real = match.description_score
    monkeypatch.setattr(match, "description_score", lambda a, b: calls.append(1) or real(a, b))
    candidates = [
        _candidate(f"{source}:{n}", source, company=f"Company {n}")
        for n in range(1000)
        for source in ("greenhouse", "remoteok")
    ]
    jobs = _jobs(*candidates)
    assert len(set(jobs.values())) == 1000
    assert len(calls) == 1000


def test_a_huge_block_of_one_board_is_compared_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """600 postings of one title on one board, each in another country: at most 50 comparisons
    each (identity.toml `max_compared`), and 600 jobs."""
    calls = []
    real = match.is_repost
    monkeypatch.setattr(match, "is_repost", lambda a, b: calls.append(1) or real(a, b))
    codes = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    jobs = _jobs(*(_candidate(f"ashby:{n}", "ashby", countries=[codes[n]]) for n in range(600)))
    assert len(set(jobs.values())) == 600
    assert len(calls) <= 600 * 50


# --- the store: batches placed incrementally, older databases carried forward -----------------


def _row(raw: dict[str, Any]) -> dict[str, Any]:
    posting = normalize_payload({"fetched_at": NOW.isoformat(), **raw}, now=NOW)
    assert isinstance(posting, Posting), posting
    return stage_row(posting, raw, "r1")


BOARD = {
    "source": "greenhouse",
    "source_id": "7",
    "title": "Data Engineer",
    "company": "Northwind Labs",
    "url": "https://job-boards.greenhouse.io/northwind/jobs/7",
    "location": "Remote - US",
    "description": "<p>Northwind Labs is hiring a Data Engineer to build the pipelines behind our logistics forecasts.</p>",
}
AGGREGATOR = {
    "source": "remotive",
    "source_id": "9",
    "title": "Data Engineer",
    "company": "Northwind Labs",
    "url": "https://remotive.com/remote-jobs/data/data-engineer-9",
    "location": "USA",
    "description": "<p>Northwind Labs is hiring a Data Engineer to build the pipelines behind our logistics forecasts.</p>",
}


def _jobs_in(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT id, job_id FROM postings").fetchall())


def test_a_later_batch_joins_the_stored_job_and_an_update_keeps_it(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    store = Store(db)
    store.write_postings([_row(BOARD)])
    store.write_postings([_row(AGGREGATOR)])
    jobs = _jobs_in(db)
    assert jobs["remotive:9"] == jobs["greenhouse:7"] == new_job_id("greenhouse:7")
    changed = {
        **AGGREGATOR,
        "description": "<p>Northwind Labs is hiring. Everything else changed: sailing, chess, opera.</p>",
    }
    assert store.write_postings([_row(changed)]).updated == 1
    assert _jobs_in(db) == jobs


def test_an_older_database_gets_a_job_for_every_posting_on_open(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    store = Store(db)
    store.write_postings([_row(BOARD), _row(AGGREGATOR)])
    with duckdb.connect(str(db)) as con:  # as a release before jobs left it
        con.execute("DROP VIEW jobs")
        con.execute("DROP VIEW postings")
        con.execute("DROP TABLE posting_jobs")
        con.execute("CREATE VIEW postings AS SELECT * FROM posting_rows")
        con.execute("UPDATE jobsift_meta SET value = '2' WHERE key = 'schema_version'")
        con.execute("UPDATE jobsift_meta SET value = 'old' WHERE key = 'schema_hash'")
    store.ensure_schema()
    jobs = _jobs_in(db)
    assert jobs["remotive:9"] == jobs["greenhouse:7"] is not None
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT posting_count, source FROM jobs").fetchall() == [
            (2, "greenhouse")
        ]


def test_the_oldest_release_database_gets_jobs_too(tmp_path: Path) -> None:
    db = tmp_path / "oldest.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute((PROJECT_FIXTURES / "storage" / "ddl-2a10048.sql").read_text())
        con.execute(
            "INSERT INTO posting_rows (id, source, source_id, title, company) VALUES "
            "('greenhouse:1', 'greenhouse', '1', 'Engineer', 'Acme')"
        )
    Store(db).ensure_schema()
    assert _jobs_in(db) == {"greenhouse:1": new_job_id("greenhouse:1")}
