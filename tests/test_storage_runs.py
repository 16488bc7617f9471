"""The run log API the crawl runner and the `sources` command use (`pipelines/storage/runs.py`)."""

from __future__ import annotations

from pathlib import Path

from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.runs import Runs, last_runs
from jobsift.pipelines.storage.store import BatchCounts, Store, stage_row
from jobsift.schemas import Posting


def _posting_rows(run_id: str, count: int) -> list[dict]:
    rows = []
    for n in range(count):
        raw = {"source": "lever", "source_id": str(n), "title": "Engineer", "description": "x"}
        posting = normalize_payload(raw)
        assert isinstance(posting, Posting)
        rows.append(stage_row(posting, raw, run_id))
    return rows


def test_a_run_goes_from_running_to_finished(tmp_path: Path) -> None:
    runs = Runs(tmp_path / "j.duckdb")
    runs.start("r1", "lever-acme", "lever", {"company": "acme"})
    assert runs.running() == [("r1", "lever-acme")]
    assert runs.last_finished_at("lever-acme") is None
    # One reject in 40 served: 2.5%, under the degraded threshold of 5%.
    runs.finish("r1", "lever-acme", "finished", BatchCounts(new=30, unchanged=9), 1, [])
    assert runs.running() == []
    assert runs.last_finished_at("lever-acme") is not None
    (row,) = runs.summary("r1")
    assert (row.source, row.status, row.scraped, row.new, row.unchanged, row.rejected) == (
        "lever-acme",
        "finished",
        39,
        30,
        9,
        1,
    )
    assert last_runs(tmp_path / "j.duckdb")["lever-acme"].status == "finished"


def test_runs_left_running_are_marked_interrupted_with_what_they_stored(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    runs = Runs(db)
    runs.start("r1", "lever-acme", "lever", {})
    Store(db).write_batch(_posting_rows("r1", 3), [], "r1", "lever-acme")
    assert runs.mark_interrupted() == 1
    assert runs.mark_interrupted() == 0
    (row,) = runs.summary("r1")
    assert (row.status, row.scraped) == ("interrupted", 3)
    assert "ended before the run did" in (row.error or "")


def test_a_failed_start_and_a_skip_are_recorded(tmp_path: Path) -> None:
    runs = Runs(tmp_path / "j.duckdb")
    runs.fail("r1", "a", "lever", {}, "ValueError: bad argument")
    runs.skip("r1", "b", "lever", {}, "skipped: ran 3 min ago")
    summary = {row.source: row for row in runs.summary("r1")}
    assert summary["a"].status == "failed" and summary["a"].error == "ValueError: bad argument"
    assert summary["b"].status == "skipped"
    assert runs.last_finished_at("b") is None


def test_sources_without_a_database_have_no_runs(tmp_path: Path) -> None:
    assert last_runs(tmp_path / "none.duckdb") == {}
    assert not (tmp_path / "none.duckdb").exists()
