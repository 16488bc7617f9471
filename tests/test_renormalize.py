"""`jobsift renormalize`: the current chain over the stored raw postings, written back by the merge.

The database is loaded the way a crawl loads it (the chain's staged rows through the store), except
that two postings are stored as an older normalizer would have left them: their normalized fields
differ from what the current chain gives for the same raw posting. Renormalize must fix exactly
those two, version them, keep every seen time, and change nothing on a second run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.crawlers.cli import main
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.store import Store, stage_row
from jobsift.schemas import Posting


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def jobsift(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """The `jobsift` command in this process (its argument parsing, exit code and output)."""

    def run(*argv: str, cwd: Path) -> Outcome:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


FETCHED = "2026-07-01T00:00:00+00:00"
DESCRIPTION = (
    "<h4>What you will do</h4><ul><li>Build data pipelines</li><li>Own our APIs</li></ul>"
    "<h4>Requirements</h4><ul><li>3+ years of Python</li><li>SQL</li></ul>"
)


def _raw(key: str, title: str, location: str) -> dict[str, Any]:
    return {
        "source": "demo",
        "source_id": key,
        "url": f"https://jobs.example.org/{key}",
        "title": title,
        "company": "Acme",
        "location": location,
        "description": DESCRIPTION,
        "fetched_at": FETCHED,
    }


RAWS = [
    _raw("a", "Senior Backend Engineer", "Remote - Germany"),
    _raw("b", "Data Engineer", "Remote (US only)"),
    _raw("c", "Product Designer", "Remote, Europe"),
    _raw("d", "Staff Site Reliability Engineer", "Worldwide"),
    _raw("e", "Junior QA Engineer", "Remote - Canada"),
]
# What an older normalizer made of two of them (a wrong title cleaning, a missed country).
OLDER = {"demo:b", "demo:d"}


def _older(posting: Posting) -> Posting:
    overview = posting.overview.model_copy(update={"title": posting.overview.title + " (old)"})
    eligibility = posting.eligibility.model_copy(update={"countries": ["XX"]})
    return posting.model_copy(update={"overview": overview, "eligibility": eligibility})


def _load(db: Path, raws: list[dict[str, Any]], older: set[str]) -> None:
    rows = []
    for raw in raws:
        posting = normalize_payload(raw)
        assert isinstance(posting, Posting), posting
        if posting.id in older:
            posting = _older(posting)
        rows.append(stage_row(posting, raw, run_id="crawl-1"))
    result = Store(db).write_batch(rows, [], "crawl-1", "demo-board")
    assert result.counts.new == len(raws) and not result.unstored


def _rows(db: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            row[0]: row[1:]
            for row in con.execute(
                "SELECT id, title, countries, first_seen_at, last_seen_at, fetched_at, run_id, "
                "source_name, content_hash FROM posting_rows"
            ).fetchall()
        }
    finally:
        con.close()


def _versions(db: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT id, run_id FROM posting_versions ORDER BY id, run_id").fetchall()
    finally:
        con.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "jobsift.duckdb"
    _load(path, RAWS, OLDER)
    return path


def test_fixes_exactly_the_postings_an_older_normalizer_left(
    db: Path, tmp_path: Path, jobsift: Callable[..., Outcome]
) -> None:
    before = _rows(db)
    result = jobsift("renormalize", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "renormalize: 5 examined, 2 changed, 3 unchanged, 0 rejected"
    after = _rows(db)
    for raw in RAWS:
        key = f"demo:{raw['source_id']}"
        current = normalize_payload(raw)
        assert after[key][0] == current.overview.title, key  # what the current chain gives
        assert after[key][1] == current.eligibility.countries, key
        # Seen times, fetch time, run and configured source are the crawl's, not renormalize's.
        assert after[key][2:7] == before[key][2:7], key
        assert (after[key][7] != before[key][7]) == (key in OLDER), key
    versions = _versions(db)
    renormalized = sorted(i for i, run in versions if run.startswith("renormalize-"))
    assert renormalized == sorted(OLDER)
    assert len(versions) == len(RAWS) + len(OLDER)


def test_a_second_run_changes_nothing(
    db: Path, tmp_path: Path, jobsift: Callable[..., Outcome]
) -> None:
    assert jobsift("renormalize", "--db", str(db), cwd=tmp_path).returncode == 0
    rows, versions = _rows(db), _versions(db)
    again = jobsift("renormalize", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "renormalize: 5 examined, 0 changed, 5 unchanged, 0 rejected"
    assert _rows(db) == rows and _versions(db) == versions


@pytest.mark.parametrize(
    ("args", "examined", "changed"),
    [
        (["--source", "demo-board"], 5, 2),
        (["--source", "demo"], 5, 2),  # the spider's name selects too
        (["--source", "other-board"], 0, 0),
        (["--where", "source_id = 'b'"], 1, 1),
        (["--where", "title LIKE '%Engineer%'"], 4, 2),
        (["--where", "raw->>'location' = 'Worldwide'"], 1, 1),
        (["--source", "demo-board", "--where", "source_id IN ('a', 'c')"], 2, 0),
    ],
    ids=["source", "spider", "other-source", "where-id", "where-title", "where-raw", "both"],
)
def test_selection(
    db: Path,
    tmp_path: Path,
    jobsift: Callable[..., Outcome],
    args: list[str],
    examined: int,
    changed: int,
) -> None:
    result = jobsift("renormalize", "--db", str(db), *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"renormalize: {examined} examined, {changed} changed,")


def test_a_raw_posting_the_chain_now_refuses_is_a_reject(
    tmp_path: Path, jobsift: Callable[..., Outcome]
) -> None:
    db = tmp_path / "jobsift.duckdb"
    _load(db, RAWS, set())
    bad = {**RAWS[0], "title": 5}  # stored by an older release that accepted it
    posting = normalize_payload(RAWS[0])
    Store(db).write_batch([stage_row(posting, bad, run_id="crawl-2")], [], "crawl-2", "demo-board")
    before = _rows(db)
    result = jobsift("renormalize", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.strip() == "renormalize: 5 examined, 0 changed, 4 unchanged, 1 rejected"
    assert _rows(db) == before  # the row stays as it was
    con = duckdb.connect(str(db), read_only=True)
    try:
        rejects = con.execute("SELECT run_id, source_name, url, reason FROM rejects").fetchall()
    finally:
        con.close()
    assert len(rejects) == 1
    run_id, source_name, url, reason = rejects[0]
    assert run_id.startswith("renormalize-") and source_name == "demo-board"
    assert url == RAWS[0]["url"] and "title" in reason


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--where", "1; DROP TABLE posting_rows"], 1, "cannot select postings"),
        (["--where", "nosuch = 1"], 1, "cannot select postings"),
        (["--where", "title = "], 1, "cannot select postings"),
        (["--db", "missing.duckdb"], 2, "no database at missing.duckdb"),
    ],
    ids=["two-statements", "unknown-column", "not-an-expression", "no-database"],
)
def test_bad_input_is_one_line(
    db: Path,
    tmp_path: Path,
    jobsift: Callable[..., Outcome],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = args if "--db" in args else ["--db", str(db), *args]
    result = jobsift("renormalize", *argv, cwd=tmp_path)
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert len(_versions(db)) == len(RAWS)  # nothing written
