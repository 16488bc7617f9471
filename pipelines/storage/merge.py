"""The merge of staged posting rows into the tables, inside the caller's transaction.

One call compares a batch with what is stored, then writes every table: unchanged postings only
move `last_seen_at`, changed ones are replaced (keeping `first_seen_at`) with a new version, new
ones appended and placed in a job (`jobs.py`); statuses and their events (`history.py`) and the
raw payloads follow. No per-row upsert (`ON CONFLICT`): set operations are two orders of magnitude
faster. Every write path uses it: the crawl's loader, `jobsift renormalize` and the spool merge
(`store.py` holds the transaction, splits what does not fit and records rejects).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa
from jobsift.pipelines.storage.history import insert_events, statuses
from jobsift.pipelines.storage.jobs import assign_jobs
from jobsift.pipelines.storage.staging import STAGE_SCHEMA, BatchCounts
from jobsift.schemas.ddl import POSTING_COLUMNS

_ROW_COLS = ", ".join(
    [c.name for c in POSTING_COLUMNS]
    + ["content_hash", "first_seen_at", "last_seen_at", "run_id", "source_name"]
    + ["status", "closed_at"]
)
_VIEWS = ("batch_keys", "batch_same", "batch_changed", "batch_written", "batch")


def merge_rows(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    seen_at: datetime | None,
    version_run: str | None = None,
) -> BatchCounts:
    """Merges staged rows (the last row of an id wins) in the caller's transaction.

    `seen_at` None (re-normalizing what is stored, `renormalize.py`): nothing was seen, so
    unchanged rows are left alone and changed ones keep their `last_seen_at`; their new versions
    carry `version_run` as run id instead of the row's.
    """
    if not rows:
        return BatchCounts()
    unique = list({row["id"]: row for row in rows}.values())
    batch = pa.Table.from_pylist(unique, schema=STAGE_SCHEMA)
    try:
        con.register("batch_keys", batch.select(["id", "content_hash"]))
        stored = dict(
            (row[0], (row[1], row[2], row[3], row[4], row[5]))
            for row in con.execute(
                "SELECT p.id, p.first_seen_at, p.content_hash, p.last_seen_at, p.status, "
                "p.closed_at FROM posting_rows p JOIN batch_keys k ON p.id = k.id"
            ).fetchall()
        )
        ids = batch.column("id").to_pylist()
        hashes = batch.column("content_hash").to_pylist()
        same = [i in stored and stored[i][1] == h for i, h in zip(ids, hashes, strict=True)]
        changed = [i in stored and not s for i, s in zip(ids, same, strict=True)]
        # Seen now: open (a closed one reopens) unless its valid_through has passed.
        status = statuses(batch, {i: (v[3], v[4]) for i, v in stored.items()}, seen_at)
        batch = batch.append_column("status", pa.array(status.status, pa.string()))
        batch = batch.append_column("closed_at", pa.array(status.closed_at, pa.timestamp("us")))
        counts = BatchCounts(
            new=sum(i not in stored for i in ids),
            updated=sum(changed),
            unchanged=sum(same),
            reopened=status.reopened,
            expired=status.expired,
        )
        if counts.unchanged and seen_at is not None:
            con.register(
                "batch_same",
                batch.filter(pa.array(same)).select(
                    ["id", "fetched_at", "run_id", "source_name", "status", "closed_at"]
                ),
            )
            con.execute(
                "UPDATE posting_rows SET last_seen_at = $seen, fetched_at = s.fetched_at, "
                "run_id = s.run_id, source_name = coalesce(s.source_name, posting_rows.source_name), "
                "status = s.status, closed_at = s.closed_at "
                "FROM batch_same s WHERE posting_rows.id = s.id",
                {"seen": seen_at},
            )
        if counts.updated:
            con.register("batch_changed", batch.filter(pa.array(changed)).select(["id"]))
            con.execute("DELETE FROM posting_rows WHERE id IN (SELECT id FROM batch_changed)")
        if counts.new or counts.updated:
            written = batch.filter(pa.array([not s for s in same]))
            first_seen = [
                stored[i][0] if i in stored else seen_at for i in written.column("id").to_pylist()
            ]
            written = written.append_column(
                "first_seen_at", pa.array(first_seen, pa.timestamp("us"))
            )
            last_seen = [
                stored[i][2] if seen_at is None and i in stored else seen_at
                for i in written.column("id").to_pylist()
            ]
            written = written.append_column("last_seen_at", pa.array(last_seen, pa.timestamp("us")))
            con.register("batch_written", written)
            con.execute(
                f"INSERT INTO posting_rows ({_ROW_COLS}) SELECT {_ROW_COLS} FROM batch_written"
            )
            con.execute(
                "INSERT INTO posting_versions (id, content_hash, run_id, fetched_at, posting) "
                "SELECT id, content_hash, coalesce($vrun, run_id), fetched_at, posting_json "
                "FROM batch_written",
                {"vrun": version_run},
            )
        insert_events(con, status.events)
        # The job of each new or changed posting (pipelines/storage/jobs.py), in this transaction.
        assign_jobs(con, [row for row, s in zip(unique, same, strict=True) if not s])
        con.execute("DELETE FROM raw_postings WHERE id IN (SELECT id FROM batch_keys)")
        con.register("batch", batch)
        con.execute(
            "INSERT INTO raw_postings (id, source, run_id, fetched_at, raw, raw_hash) "
            "SELECT id, source, run_id, fetched_at, raw_json, raw_hash FROM batch"
        )
    finally:
        release_views(con)
    return counts


def release_views(con: duckdb.DuckDBPyConnection) -> None:
    """Unregisters the merge's Arrow views (after a failed statement this works only once the
    transaction is rolled back; the store calls it again then)."""
    for name in _VIEWS:
        with contextlib.suppress(duckdb.Error):
            con.unregister(name)
