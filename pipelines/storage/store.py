"""Batched posting writes and rejects: every posting handed to the store ends in `postings` or
`rejects`.

A batch is written in one transaction: its postings merged (`merge.py`), the boards they link to
recorded, raw postings served unchanged moved to this run, its rejects inserted and, for a spool
batch, the batch recorded as merged (`record`), all or nothing. A batch that does not fit DuckDB's
memory is tried again with the part that did not fit split in halves; a posting that fails alone,
or a part that fails for any other reason, is written to `rejects` with the reason and its raw
payload, and a reject too large alone is kept without its raw payload.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from jobsift.pipelines.storage.boards import record_boards
from jobsift.pipelines.storage.database import Database
from jobsift.pipelines.storage.merge import merge_rows, release_views
from jobsift.pipelines.storage.staging import (
    BatchCounts,
    SeenUnchanged,
    StagedPosting,
    stage_row,
    to_json,
    utc_naive,
)
from jobsift.pipelines.storage.unchanged import touch_seen
from jobsift.schemas import Reject

__all__ = [
    "BatchCounts",
    "BatchResult",
    "SeenUnchanged",
    "StagedPosting",
    "Store",
    "stage_row",
    "utc_naive",
    "write_batch_to",
]

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
_GONE = (
    "served unchanged, but its stored row was deleted during the crawl; the next crawl stores it"
)


@dataclass(slots=True)
class BatchResult:
    """What one `write_batch` stored; `unstored` are postings that went to `rejects` instead."""

    counts: BatchCounts = field(default_factory=BatchCounts)
    unstored: int = 0
    splits: int = 0  # times a part of the batch was halved because it did not fit in memory
    reasons: list[str] = field(default_factory=list)


# Called inside a batch's transaction, after everything else was written (the spool merge records
# the batch as merged there, so a batch is merged once or not at all).
Record = Callable[[duckdb.DuckDBPyConnection, BatchResult], None]


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

    def write_postings(self, rows: list[dict[str, Any]]) -> BatchCounts:
        """Merges staged rows in one transaction (the last row of an id wins); errors propagate."""
        with self.db.writer() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                counts = merge_rows(con, rows, utc_naive(datetime.now(UTC)))
                con.execute("COMMIT")
            except Exception:
                _rollback(con)
                raise
        return counts

    def write_batch(
        self,
        rows: list[dict[str, Any]],
        rejects: list[Reject],
        run_id: str,
        source_name: str | None = None,
        seen: list[SeenUnchanged] | None = None,
    ) -> BatchResult:
        """Writes postings and rejects in one transaction, splitting what does not fit.

        Postings that cannot be stored become rejects with the reason. `seen` are raw postings
        served as stored before: their rows only move to this run (counted unchanged). Only a
        failure to write the rejects themselves (or to open the database) raises.
        """
        with self.db.writer() as con:
            return write_batch_to(con, rows, rejects, run_id, source_name, seen)

    def write_renormalized(
        self,
        rows: list[dict[str, Any]],
        rejects: list[tuple[Reject, str | None]],
        version_run: str,
    ) -> BatchResult:
        """Merges postings re-normalized from their stored raw payloads (`renormalize.py`):
        changed ones get a version whose run id is `version_run`, seen times are kept; rejects
        (each with its configured source) are recorded under `version_run`."""
        now = utc_naive(datetime.now(UTC))
        job = _Job(
            rows=rows,
            rejects=[_reject_row(r, version_run, name, now) for r, name in rejects],
            run_id=version_run,
            source_name=None,
            now=now,
            seen_at=None,
            version_run=version_run,
            boards=False,
        )
        with self.db.writer() as con:
            return _write(con, job)

    def write_rejects(
        self, run_id: str, rejects: list[Reject], source_name: str | None = None
    ) -> None:
        self.write_batch([], rejects, run_id, source_name)


def write_batch_to(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    rejects: list[Reject],
    run_id: str,
    source_name: str | None = None,
    seen: list[SeenUnchanged] | None = None,
    record: Record | None = None,
) -> BatchResult:
    """`Store.write_batch` on an open connection; `record` runs last inside the transaction."""
    now = utc_naive(datetime.now(UTC))
    if source_name is not None:
        for row in rows:
            row["source_name"] = source_name
    job = _Job(
        rows=rows,
        rejects=[_reject_row(r, run_id, source_name, now) for r in rejects],
        run_id=run_id,
        source_name=source_name,
        now=now,
        seen_at=now,
        seen=seen or [],
        record=record,
    )
    return _write(con, job)


@dataclass(slots=True)
class _Job:
    """One batch to write and how."""

    rows: list[dict[str, Any]]
    rejects: list[dict[str, Any]]  # reject rows (`_reject_row`)
    run_id: str
    source_name: str | None
    now: datetime | None
    seen_at: datetime | None  # None: re-normalizing (nothing was seen)
    version_run: str | None = None
    boards: bool = True
    seen: list[SeenUnchanged] = field(default_factory=list)
    record: Record | None = None


@dataclass(slots=True)
class _Plan:
    """How a batch is written, refined after each attempt that did not fit."""

    chunks: list[list[dict[str, Any]]]
    failed: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    splits: int = 0
    reject_chunk: int = 0  # rejects inserted this many at a time (0: all at once)
    stripped: dict[int, str] = field(default_factory=dict)  # reject kept without its raw: note
    at: tuple[str, int] | None = None  # the part being written when an attempt failed


def _write(con: duckdb.DuckDBPyConnection, job: _Job) -> BatchResult:
    plan = _Plan([job.rows] if job.rows else [])
    while True:
        try:
            return _attempt(con, job, plan)
        except duckdb.Error as exc:
            if not _refine(plan, exc):
                raise


def _refine(plan: _Plan, exc: duckdb.Error) -> bool:
    """Changes the plan after a failed attempt; False when the failure is not the batch's size nor
    a posting's (then it propagates)."""
    if plan.at is None:
        return False
    where, index = plan.at
    out_of_memory = isinstance(exc, duckdb.OutOfMemoryException)
    if where == "merge":
        chunk = plan.chunks.pop(index)
        if out_of_memory and len(chunk) > 1:
            middle = len(chunk) // 2
            plan.chunks[index:index] = [chunk[:middle], chunk[middle:]]
            plan.splits += 1
        else:  # alone, or not a matter of size: splitting would fail the same way
            plan.failed.extend((row, _reason(exc)) for row in chunk)
        return True
    if where.startswith("rejects") and out_of_memory and index not in plan.stripped:
        size = int(where.split(":")[1])
        if size > 1:
            plan.reject_chunk = size // 2
        else:
            plan.stripped[index] = f"not stored: {type(exc).__name__}"
        return True
    return False


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # already gone (a failed COMMIT ends it)
        con.execute("ROLLBACK")
    release_views(con)
    with contextlib.suppress(duckdb.Error):
        con.unregister("reject_batch")


def _attempt(con: duckdb.DuckDBPyConnection, job: _Job, plan: _Plan) -> BatchResult:
    result = BatchResult(splits=plan.splits)
    con.execute("BEGIN TRANSACTION")
    try:
        for index, chunk in enumerate(plan.chunks):
            plan.at = ("merge", index)
            result.counts.add(merge_rows(con, chunk, job.seen_at, job.version_run))
        plan.at = None
        if job.boards:
            record_boards(con, job.rows, job.now)
        reject_rows = list(job.rejects)
        if job.seen:
            moved, gone, reopened = touch_seen(
                con, job.seen, job.seen_at, job.run_id, job.source_name
            )
            result.counts.unchanged += moved
            result.counts.reopened += reopened
            for item in gone:
                reject = Reject(
                    item.payload.get("source"), item.payload.get("url"), _GONE, item.payload
                )
                reject_rows.append(_reject_row(reject, job.run_id, job.source_name, job.now))
            result.unstored += len(gone)
        for row, reason in plan.failed:
            source_name = job.source_name if job.source_name is not None else row.get("source_name")
            reject = Reject(row.get("source"), row.get("url"), reason, None)
            reject_rows.append(
                {
                    **_reject_row(reject, job.run_id, source_name, job.now),
                    "raw": row.get("raw_json"),
                }
            )
            if reason not in result.reasons:
                result.reasons.append(reason)
        result.unstored += len(plan.failed)
        _insert_rejects(con, reject_rows, plan)
        plan.at = None
        if job.record is not None:
            job.record(con, result)
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    return result


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


def _insert_rejects(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], plan: _Plan
) -> None:
    """Inserts rejects, as many at a time as the plan says; a reject that did not fit alone is
    kept without its raw payload (the reason says so)."""
    size = plan.reject_chunk or len(rows)
    for start in range(0, len(rows), size or 1):
        plan.at = (f"rejects:{size}", start)
        part = rows[start : start + size]
        for offset, row in enumerate(part):
            note = plan.stripped.get(start + offset)
            if note is not None:
                length = len(row["raw"] or "")
                part[offset] = {
                    **row,
                    "raw": None,
                    "reason": f"{row['reason']} (raw payload of {length} bytes {note})",
                }
        con.register("reject_batch", pa.Table.from_pylist(part, schema=_REJECT_SCHEMA))
        con.execute(
            "INSERT INTO rejects (run_id, source, source_name, url, reason, raw, rejected_at) "
            "SELECT run_id, source, source_name, url, reason, raw, rejected_at FROM reject_batch"
        )
        con.unregister("reject_batch")
