"""Cheap re-crawls: raw postings served exactly as stored skip the chain and only move their row.

At spider open the crawl loads the `raw_hash` of every stored raw posting of its source
(`known_raw_hashes`, one short string each); a raw posting whose digest is among them skips
normalization (`runtime/normalize.py`) and reaches the loader as a `SeenUnchanged`. `touch_seen`
then moves `last_seen_at` (and `fetched_at`, `run_id`) of the rows those digests belong to, in the
loader's batch transaction, and returns the ones whose row is gone (deleted meanwhile) so that
they end in `rejects` instead of vanishing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from jobsift.pipelines.storage.database import Database
from jobsift.pipelines.storage.history import CLOSED, OPEN, REOPENED, SEEN_AGAIN, insert_events
from jobsift.pipelines.storage.staging import SeenUnchanged, utc_naive

_SEEN_SCHEMA = pa.schema([("raw_hash", pa.string()), ("fetched_at", pa.timestamp("us"))])


def known_raw_hashes(db_path: str | Path, source_name: str, wait: float = 60.0) -> set[str]:
    """The raw digests of the stored postings of one configured source (empty without a file)."""
    if not Path(db_path).is_file():
        return set()
    with Database(db_path, wait=wait).writer() as con:
        rows = con.execute(
            "SELECT r.raw_hash FROM raw_postings r JOIN posting_rows p ON p.id = r.id "
            "WHERE p.source_name = ? AND r.raw_hash IS NOT NULL",
            [source_name],
        ).fetchall()
    return {row[0] for row in rows}


def touch_seen(
    con: duckdb.DuckDBPyConnection,
    seen: list[SeenUnchanged],
    seen_at: datetime | None,
    run_id: str,
    source_name: str | None,
) -> tuple[int, list[SeenUnchanged], int]:
    """Moves the rows of `seen` to this run; returns (rows moved, the ones with no row left,
    closed rows reopened: seen again, like a changed posting would be in `history.statuses`).

    Runs inside the caller's transaction (no BEGIN/COMMIT of its own).
    """
    if not seen:
        return 0, [], 0
    unique = list({item.raw_hash: item for item in seen}.values())
    table = pa.Table.from_pylist(
        [{"raw_hash": i.raw_hash, "fetched_at": utc_naive(i.fetched_at)} for i in unique],
        schema=_SEEN_SCHEMA,
    )
    con.register("seen_batch", table)
    try:
        found = {
            row[0]
            for row in con.execute(
                "SELECT r.raw_hash FROM raw_postings r JOIN seen_batch s ON r.raw_hash = s.raw_hash "
                "JOIN posting_rows p ON p.id = r.id"
            ).fetchall()
        }
        reopened = _reopen(con, seen_at, run_id)
        con.execute(
            "UPDATE posting_rows SET last_seen_at = $seen, "
            "fetched_at = coalesce(m.fetched_at, posting_rows.fetched_at), run_id = $run, "
            "source_name = coalesce($source, posting_rows.source_name) "
            "FROM (SELECT r.id, s.fetched_at FROM raw_postings r "
            "JOIN seen_batch s ON r.raw_hash = s.raw_hash) m WHERE posting_rows.id = m.id",
            {"seen": seen_at, "run": run_id, "source": source_name},
        )
        con.execute(
            "UPDATE raw_postings SET run_id = $run, "
            "fetched_at = coalesce(s.fetched_at, raw_postings.fetched_at) "
            "FROM seen_batch s WHERE raw_postings.raw_hash = s.raw_hash",
            {"run": run_id},
        )
    finally:
        con.unregister("seen_batch")
    missing = [item for item in seen if item.raw_hash not in found]
    return len(found), missing, reopened


def _reopen(con: duckdb.DuckDBPyConnection, seen_at: datetime | None, run_id: str) -> int:
    """Closed rows among `seen_batch` open again (unless their valid_through has passed)."""
    rows = con.execute(
        "SELECT p.id, p.source_name FROM posting_rows p JOIN raw_postings r ON p.id = r.id "
        "JOIN seen_batch s ON r.raw_hash = s.raw_hash WHERE p.status = $closed "
        "AND (p.valid_through IS NULL OR $seen IS NULL OR p.valid_through >= $seen)",
        {"closed": CLOSED, "seen": seen_at},
    ).fetchall()
    if not rows:
        return 0
    con.execute(
        "UPDATE posting_rows SET status = $open, closed_at = NULL WHERE list_contains($ids, id)",
        {"open": OPEN, "ids": [row[0] for row in rows]},
    )
    events = [
        {
            "id": posting_id,
            "source_name": source_name,
            "run_id": run_id,
            "happened_at": seen_at,
            "event": REOPENED,
            "reason": SEEN_AGAIN,
        }
        for posting_id, source_name in rows
    ]
    insert_events(con, events)
    return len(rows)
