"""The storage side of open and closed postings (`pipelines/storage/history.py`), without a crawl."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.history import Listing
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.store import BatchCounts, Store, stage_row
from jobsift.schemas import Posting

SOURCE = "lever-acme"


def _rows(run_id: str, ids: range) -> list[dict[str, Any]]:
    rows = []
    for n in ids:
        raw = {
            "source": "lever",
            "source_id": str(n),
            "url": f"https://jobs.lever.co/acme/{n}",
            "title": "Engineer",
            "description": "Remote in Germany.",
        }
        posting = normalize_payload(raw)
        assert isinstance(posting, Posting)
        rows.append(stage_row(posting, raw, run_id))
    return rows


def _run(db: Path, run_id: str, ids: range, listing: Listing, status: str = "finished") -> str:
    runs = Runs(db)
    runs.start(run_id, SOURCE, "lever", {})
    counts = Store(db).write_batch(_rows(run_id, ids), [], run_id, SOURCE).counts
    return runs.finish(run_id, SOURCE, status, counts, 0, [], listing)


def _open(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT source_id FROM postings WHERE status = 'open' ORDER BY source_id::INT"
        ).fetchall()
    return [r[0] for r in rows]


WHOLE = Listing(complete=True)


@pytest.mark.parametrize(
    ("listing", "status", "still_open"),
    [
        pytest.param(WHOLE, "finished", [str(n) for n in range(4)], id="whole-listing-closes"),
        pytest.param(Listing(complete=False), "finished", None, id="not-a-complete-listing"),
        pytest.param(Listing(True, ("cap reached",)), "finished", None, id="partial"),
        pytest.param(WHOLE, "failed", None, id="failed"),
    ],
)
def test_only_a_whole_finished_listing_closes_by_absence(
    tmp_path: Path, listing: Listing, status: str, still_open: list[str] | None
) -> None:
    db = tmp_path / "j.duckdb"
    _run(db, "r1", range(6), WHOLE)
    _run(db, "r2", range(4), listing, status)
    assert _open(db) == (still_open or [str(n) for n in range(6)])


def test_a_posting_whose_last_seen_at_moved_counts_as_seen(tmp_path: Path) -> None:
    """A store path that only moves `last_seen_at` (no new run id) must not close what it saw."""
    db = tmp_path / "j.duckdb"
    _run(db, "r1", range(3), WHOLE)
    runs = Runs(db)
    runs.start("r2", SOURCE, "lever", {})
    Store(db).write_batch(_rows("r2", range(1)), [], "r2", SOURCE)
    with duckdb.connect(str(db)) as con:
        now = datetime.now(UTC).replace(tzinfo=None)
        con.execute("UPDATE posting_rows SET last_seen_at = ? WHERE source_id = '1'", [now])
    runs.finish("r2", SOURCE, "finished", BatchCounts(unchanged=2), 0, [], WHOLE)
    assert _open(db) == ["0", "1"]


def test_a_valid_through_that_passed_since_closes_at_the_end_of_any_run(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    _run(db, "r1", range(2), Listing())
    with duckdb.connect(str(db)) as con:  # as if its deadline had passed since it was stored
        con.execute(
            "UPDATE posting_rows SET valid_through = TIMESTAMP '2021-05-01' WHERE source_id = '0'"
        )
    _run(db, "r2", range(0), Listing(), status="failed")
    assert _open(db) == ["1"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT closed_at, closed FROM postings, crawl_runs "
            "WHERE source_id = '0' AND crawl_runs.run_id = 'r2'"
        ).fetchall() == [(datetime(2021, 5, 1), 1)]
