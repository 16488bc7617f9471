"""Batched posting writes and rejects: every posting handed to the store ends in `postings` or
`rejects`.

A batch is merged in one transaction: unchanged postings only move `last_seen_at`, changed ones are
replaced (keeping `first_seen_at`), new ones appended and placed in a job (`jobs.py`). No per-row upsert (`ON CONFLICT`): set
operations are two orders of magnitude faster. A batch that does not fit DuckDB's memory is split
in halves and retried; a posting that fails alone, or a batch that fails for any other reason, is
written to `rejects` with the reason and its raw payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from jobsift.pipelines.storage.boards import record_boards
from jobsift.pipelines.storage.database import Database
from jobsift.pipelines.storage.history import insert_events, statuses
from jobsift.pipelines.storage.jobs import assign_jobs
from jobsift.pipelines.storage.staging import (
    STAGE_SCHEMA,
    BatchCounts,
    SeenUnchanged,
    StagedPosting,
    stage_row,
    to_json,
    utc_naive,
)
from jobsift.pipelines.storage.unchanged import touch_seen
from jobsift.schemas import Reject
from jobsift.schemas.ddl import POSTING_COLUMNS

__all__ = [
    "BatchCounts",
    "BatchResult",
    "SeenUnchanged",
    "StagedPosting",
    "Store",
    "stage_row",
    "utc_naive",
]

_ROW_COLS = ", ".join(
    [c.name for c in POSTING_COLUMNS]
    + ["content_hash", "first_seen_at", "last_seen_at", "run_id", "source_name"]
    + ["status", "closed_at"]
)
_REJECT_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("source", pa.string()),
        ("source_name", pa.string()),
        ("url", pa.string()),
        ("reason", pa.string()),
        ("raw", pa.string()),
        ("rejected_at", pa.timestamp("us")),
    ]
)


@dataclass(slots=True)
class BatchResult:
    """What one `write_batch` stored; `unstored` are postings that went to `rejects` instead."""

    counts: BatchCounts = field(default_factory=BatchCounts)
    unstored: int = 0
    splits: int = 0  # times a part of the batch was halved because it did not fit in memory
    reasons: list[str] = field(default_factory=list)


def _reason(exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"could not be stored: {type(exc).__name__}: {first}"


class Store:
    """Writes to one database file, opening it for each batch (see `database.Database`)."""

    def __init__(self, path: str | Path, wait: float = 60.0) -> None:
        self.db = Database(path, wait=wait)
        self.path = self.db.path

    def ensure_schema(self) -> None:
        """Creates or migrates the database (a no-op when it is current)."""
        with self.db.writer():
            pass

    # --- postings ---

    def write_postings(self, rows: list[dict[str, Any]]) -> BatchCounts:
        """Merges staged rows in one transaction (the last row of an id wins); errors propagate."""
        with self.db.writer() as con:
            return _merge(con, rows, utc_naive(datetime.now(UTC)))

    def write_batch(
        self,
        rows: list[dict[str, Any]],
        rejects: list[Reject],
        run_id: str,
        source_name: str | None = None,
        seen: list[SeenUnchanged] | None = None,
    ) -> BatchResult:
        """Writes postings and rejects, splitting what does not fit; nothing is dropped.

        Postings that cannot be stored become rejects with the reason. `seen` are raw postings
        served as stored before: their rows only move to this run (counted unchanged). Only a
        failure to write the rejects themselves (or to open the database) raises.
        """
        result = BatchResult()
        now = utc_naive(datetime.now(UTC))
        if source_name is not None:
            for row in rows:
                row["source_name"] = source_name
        with self.db.writer() as con:
            failed: list[tuple[dict[str, Any], str]] = []
            _merge_split(con, rows, now, result, failed)
            record_boards(con, rows, now)
            reject_rows = [_reject_row(r, run_id, source_name, now) for r in rejects]
            for item in _touch(con, seen or [], now, run_id, source_name, result):
                reject_rows.append(
                    _reject_row(
                        Reject(
                            item.payload.get("source"), item.payload.get("url"), _GONE, item.payload
                        ),
                        run_id,
                        source_name,
                        now,
                    )
                )
                result.unstored += 1
            for row, reason in failed:
                reject_rows.append(
                    {
                        "run_id": run_id,
                        "source": row.get("source"),
                        "source_name": source_name,
                        "url": row.get("url"),
                        "reason": reason,
                        "raw": row.get("raw_json"),
                        "rejected_at": now,
                    }
                )
                if reason not in result.reasons:
                    result.reasons.append(reason)
            result.unstored += len(failed)
            _insert_rejects(con, reject_rows)
        return result

    def write_renormalized(
        self,
        rows: list[dict[str, Any]],
        rejects: list[tuple[Reject, str | None]],
        version_run: str,
    ) -> BatchResult:
        """Merges postings re-normalized from their stored raw payloads (`renormalize.py`):
        changed ones get a version whose run id is `version_run`, seen times are kept; rejects
        (each with its configured source) are recorded under `version_run`."""
        result = BatchResult()
        now = utc_naive(datetime.now(UTC))
        with self.db.writer() as con:
            failed: list[tuple[dict[str, Any], str]] = []
            _merge_split(con, rows, None, result, failed, version_run)
            reject_rows = [_reject_row(r, version_run, name, now) for r, name in rejects]
            for row, reason in failed:
                reject = Reject(row.get("source"), row.get("url"), reason, None)
                reject_rows.append(
                    {
                        **_reject_row(reject, version_run, row.get("source_name"), now),
                        "raw": row.get("raw_json"),
                    }
                )
            result.unstored = len(failed)
            _insert_rejects(con, reject_rows)
        return result

    def write_rejects(
        self, run_id: str, rejects: list[Reject], source_name: str | None = None
    ) -> None:
        self.write_batch([], rejects, run_id, source_name)


_GONE = (
    "served unchanged, but its stored row was deleted during the crawl; the next crawl stores it"
)


def _touch(
    con: duckdb.DuckDBPyConnection,
    seen: list[SeenUnchanged],
    now: datetime | None,
    run_id: str,
    source_name: str | None,
    result: BatchResult,
) -> list[SeenUnchanged]:
    """`touch_seen` in a transaction of its own; returns the items whose row is gone."""
    if not seen:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        moved, gone, reopened = touch_seen(con, seen, now, run_id, source_name)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    result.counts.unchanged += moved
    result.counts.reopened += reopened
    return gone


def _reject_row(
    reject: Reject, run_id: str, source_name: str | None, now: datetime | None
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "source": reject.source,
        "source_name": source_name,
        "url": reject.url,
        "reason": reject.reason,
        "raw": to_json(reject.raw),
        "rejected_at": now,
    }


def _insert_rejects(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Inserts rejects, halving on memory errors; a reject too large alone keeps no raw payload."""
    if not rows:
        return
    try:
        con.register("reject_batch", pa.Table.from_pylist(rows, schema=_REJECT_SCHEMA))
        con.execute(
            "INSERT INTO rejects (run_id, source, source_name, url, reason, raw, rejected_at) "
            "SELECT run_id, source, source_name, url, reason, raw, rejected_at FROM reject_batch"
        )
    except duckdb.OutOfMemoryException as exc:
        if len(rows) > 1:
            middle = len(rows) // 2
            _insert_rejects(con, rows[:middle])
            _insert_rejects(con, rows[middle:])
            return
        size = len(rows[0]["raw"] or "")
        note = f" (raw payload of {size} bytes not stored: {type(exc).__name__})"
        _insert_rejects(con, [{**rows[0], "raw": None, "reason": rows[0]["reason"] + note}])
    finally:
        con.unregister("reject_batch")


def _merge_split(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    seen_at: datetime | None,
    result: BatchResult,
    failed: list[tuple[dict[str, Any], str]],
    version_run: str | None = None,
) -> None:
    if not rows:
        return
    try:
        done = _merge(con, rows, seen_at, version_run)
    except duckdb.OutOfMemoryException as exc:
        if len(rows) == 1:
            failed.append((rows[0], _reason(exc)))
            return
        result.splits += 1
        middle = len(rows) // 2
        _merge_split(con, rows[:middle], seen_at, result, failed, version_run)
        _merge_split(con, rows[middle:], seen_at, result, failed, version_run)
        return
    except duckdb.Error as exc:  # not a matter of size: splitting would fail the same way
        failed.extend((row, _reason(exc)) for row in rows)
        return
    result.counts.add(done)


def _merge(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    seen_at: datetime | None,
    version_run: str | None = None,
) -> BatchCounts:
    """One transaction: compares the batch with what is stored, then writes every table.

    `seen_at` None (re-normalizing what is stored, `renormalize.py`): nothing was seen, so
    unchanged rows are left alone and changed ones keep their `last_seen_at`; their new versions
    carry `version_run` as run id instead of the row's.
    """
    if not rows:
        return BatchCounts()
    unique = list({row["id"]: row for row in rows}.values())
    batch = pa.Table.from_pylist(unique, schema=STAGE_SCHEMA)
    con.execute("BEGIN TRANSACTION")
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
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in ("batch_keys", "batch_same", "batch_changed", "batch_written", "batch"):
            con.unregister(name)
    return counts
