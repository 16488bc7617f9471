"""The DuckDB database: schema, batched posting writes, runs and rejects.

A batch is staged as one Arrow table and merged in one transaction: unchanged postings only move
`last_seen_at`, changed ones are replaced (keeping `first_seen_at`), new ones appended. No per-row
upsert (`ON CONFLICT`) is used, because it is two orders of magnitude slower than set operations.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from jobsift.schemas import Posting, Reject
from jobsift.schemas.ddl import DDL, POSTING_COLUMNS, STORE_COLUMNS, flatten
from jobsift.schemas.posting import RELATIVE_DATE_MARK

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "VARCHAR[]": pa.list_(pa.string()),
    "TIMESTAMP": pa.timestamp("us"),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "BIGINT": pa.int64(),
    "JSON": pa.string(),
}
_STAGE_EXTRA = [("posting_json", "JSON"), ("raw_json", "JSON")]
STAGE_SCHEMA = pa.schema(
    [(c.name, _ARROW_TYPES[c.sql_type]) for c in POSTING_COLUMNS]
    + [
        (name, _ARROW_TYPES[typ])
        for name, typ in (("content_hash", "VARCHAR"), ("run_id", "VARCHAR"))
    ]
    + [(name, _ARROW_TYPES[typ]) for name, typ in _STAGE_EXTRA]
)
# DuckDB keeps every block it wrote in memory up to its limit (80% of RAM by default), so a long
# crawl's resident memory would grow with the database; the loader's merges need far less.
MEMORY_LIMIT = "128MB"
_POSTING_COLS = ", ".join(c.name for c in POSTING_COLUMNS)
_ROW_COLS = _POSTING_COLS + ", " + ", ".join(name for name, _ in STORE_COLUMNS)


def utc_naive(value: datetime | None) -> datetime | None:
    """DuckDB TIMESTAMP columns hold UTC wall time."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


@dataclass(slots=True)
class StagedPosting:
    """A valid posting staged for the loader (`stage_row`); the loader sets its run id."""

    row: dict[str, Any]

    @property
    def posting(self) -> Posting:
        """The posting itself, rebuilt from the staged JSON (for pipelines placed before the loader)."""
        fetched_at = self.row["fetched_at"]  # kept out of the JSON (it is not content)
        if fetched_at is not None and fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        return Posting.model_validate(
            {**json.loads(self.row["posting_json"]), "fetched_at": fetched_at}
        )


@dataclass(slots=True)
class BatchCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def stage_row(posting: Posting, raw: dict[str, Any], run_id: str) -> dict[str, Any]:
    """One posting as a row of the staging table (flat columns, hash, JSON copies)."""
    posting_json = posting.model_dump_json(exclude={"fetched_at"})
    hashed = posting_json
    if posting.provenance.get("overview.posted_at", "").endswith(RELATIVE_DATE_MARK):
        # A date read from "3 days ago" moves with every fetch; it alone is not a new version.
        hashed = posting.model_dump_json(
            exclude={"fetched_at": True, "overview": {"posted_at", "posted_text"}}
        )
    row = flatten(posting.model_dump())
    for column in POSTING_COLUMNS:
        if column.sql_type == "TIMESTAMP":
            row[column.name] = utc_naive(row[column.name])
        elif column.sql_type == "JSON":
            row[column.name] = to_json(row[column.name])
    row["content_hash"] = hashlib.blake2b(hashed.encode(), digest_size=16).hexdigest()
    row["run_id"] = run_id
    row["posting_json"] = posting_json
    row["raw_json"] = to_json(raw)
    return row


class Store:
    """One read-write DuckDB connection per database file per process, shared by every crawler."""

    _open: dict[str, tuple[Store, int]] = {}
    _lock = threading.Lock()

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), config={"memory_limit": MEMORY_LIMIT})
        # Loaders write from their own threads; one batch at a time keeps transactions apart.
        self.write_lock = threading.Lock()
        self.ensure_schema()

    @classmethod
    def acquire(cls, path: str | Path) -> Store:
        key = str(Path(path).resolve())
        with cls._lock:
            store, users = cls._open.get(key, (None, 0))
            if store is None:
                store = cls(path)
            cls._open[key] = (store, users + 1)
            return store

    def release(self) -> None:
        key = str(self.path.resolve())
        with self._lock:
            store, users = self._open.get(key, (self, 1))
            if users <= 1:
                self._open.pop(key, None)
                self.con.close()
            else:
                self._open[key] = (store, users - 1)

    def ensure_schema(self) -> None:
        for statement in DDL:
            self.con.execute(statement)

    def start_run(self, run_id: str, source: str, spider: str, args: dict[str, Any]) -> None:
        self.con.execute(
            "INSERT INTO crawl_runs (run_id, source, spider, args, started_at, status, scraped, "
            "new, updated, unchanged, rejected, failures) "
            "VALUES (?, ?, ?, ?, ?, 'running', 0, 0, 0, 0, 0, 0)",
            [run_id, source, spider, to_json(args), utc_naive(datetime.now(UTC))],
        )

    def finish_run(
        self,
        run_id: str,
        source: str,
        status: str,
        counts: BatchCounts,
        rejected: int,
        failures: list[str],
    ) -> None:
        error = "; ".join(failures[:20]) or None
        self.con.execute(
            "UPDATE crawl_runs SET finished_at = ?, status = ?, scraped = ?, new = ?, updated = ?, "
            "unchanged = ?, rejected = ?, failures = ?, error = ? "
            "WHERE run_id = ? AND source = ?",
            [
                utc_naive(datetime.now(UTC)),
                status,
                counts.new + counts.updated + counts.unchanged,
                counts.new,
                counts.updated,
                counts.unchanged,
                rejected,
                len(failures),
                error,
                run_id,
                source,
            ],
        )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own to the same database, for use from another thread."""
        return self.con.cursor()

    def write_postings(
        self, rows: list[dict[str, Any]], con: duckdb.DuckDBPyConnection | None = None
    ) -> BatchCounts:
        """Merges one batch of staged rows in one transaction; the last row of an id wins.

        `con` is a `cursor()` when called from a thread other than the one that opened the store.
        """
        if not rows:
            return BatchCounts()
        unique = list({row["id"]: row for row in rows}.values())
        batch = pa.Table.from_pylist(unique, schema=STAGE_SCHEMA)  # noqa: F841 (read by SQL)
        con = con or self.con
        # first/last seen are when jobsift loaded the posting, whatever fetched_at says.
        seen_at = utc_naive(datetime.now(UTC))
        with self.write_lock:
            con.execute("BEGIN TRANSACTION")
            try:
                # DuckDB reads `batch` from this frame (a replacement scan), so it stays here.
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE stage AS SELECT b.*, "
                    "p.first_seen_at AS old_first_seen, p.content_hash AS old_hash, "
                    "p.id IS NOT NULL AS existed FROM batch b LEFT JOIN posting_rows p ON p.id = b.id"
                )
                counts = self._merge_stage(con, seen_at)
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return counts

    @staticmethod
    def _merge_stage(con: duckdb.DuckDBPyConnection, seen_at: datetime | None) -> BatchCounts:
        """Applies the temp table `stage` (the batch joined with what is stored) to every table."""
        new, updated, unchanged = con.execute(
            "SELECT count(*) FILTER (NOT existed), "
            "count(*) FILTER (existed AND old_hash <> content_hash), "
            "count(*) FILTER (existed AND old_hash = content_hash) FROM stage"
        ).fetchone()
        con.execute(
            "UPDATE posting_rows SET last_seen_at = $seen, fetched_at = s.fetched_at, "
            "run_id = s.run_id FROM stage s "
            "WHERE posting_rows.id = s.id AND s.existed AND s.old_hash = s.content_hash",
            {"seen": seen_at},
        )
        con.execute(
            "DELETE FROM posting_rows WHERE id IN "
            "(SELECT id FROM stage WHERE existed AND old_hash <> content_hash)"
        )
        con.execute(
            f"INSERT INTO posting_rows ({_ROW_COLS}) SELECT {_POSTING_COLS}, content_hash, "
            "coalesce(old_first_seen, $seen), $seen, run_id FROM stage "
            "WHERE NOT existed OR old_hash <> content_hash",
            {"seen": seen_at},
        )
        con.execute(
            "INSERT INTO posting_versions SELECT id, content_hash, run_id, fetched_at, "
            "posting_json FROM stage WHERE NOT existed OR old_hash <> content_hash"
        )
        con.execute("DELETE FROM raw_postings WHERE id IN (SELECT id FROM stage)")
        con.execute(
            "INSERT INTO raw_postings SELECT id, source, run_id, fetched_at, raw_json FROM stage"
        )
        con.execute("DROP TABLE stage")
        return BatchCounts(new=new, updated=updated, unchanged=unchanged)

    def write_rejects(
        self, run_id: str, rejects: list[Reject], con: duckdb.DuckDBPyConnection | None = None
    ) -> None:
        if not rejects:
            return
        now = utc_naive(datetime.now(UTC))
        reject_batch = pa.Table.from_pylist(  # noqa: F841 (read by SQL)
            [
                {
                    "run_id": run_id,
                    "source": r.source,
                    "url": r.url,
                    "reason": r.reason,
                    "raw": to_json(r.raw),
                    "rejected_at": now,
                }
                for r in rejects
            ]
        )
        con = con or self.con
        with self.write_lock:
            con.execute(
                "INSERT INTO rejects (run_id, source, url, reason, raw, rejected_at) "
                "SELECT run_id, source, url, reason, raw, rejected_at FROM reject_batch"
            )


# --- Which process a crawl run belongs to (added on the `crawl` branch; merge into the runs API) ---
# `jobsift crawl` records its pid and host on its runs; a later crawl (which holds the crawl lock,
# so no other crawl of this database is alive) marks a `running` run whose process is gone
# `interrupted`, so no run stays `running` after a kill -9 or a forced stop.


def ensure_run_process_columns(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS pid BIGINT")
    con.execute("ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS host VARCHAR")


def record_run_process(con: duckdb.DuckDBPyConnection, run_id: str, pid: int, host: str) -> None:
    ensure_run_process_columns(con)
    con.execute(
        "UPDATE crawl_runs SET pid = ?, host = ? WHERE run_id = ? AND pid IS NULL",
        [pid, host, run_id],
    )


def running_runs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int | None, str | None]]:
    """(run_id, source, pid, host) of every run whose row still says `running`."""
    ensure_run_process_columns(con)
    return con.execute(
        "SELECT run_id, source, pid, host FROM crawl_runs WHERE status = 'running' "
        "ORDER BY started_at"
    ).fetchall()


def mark_runs_interrupted(
    con: duckdb.DuckDBPyConnection, run_id: str, sources: list[str], reason: str
) -> None:
    """Sets these runs `interrupted` with the reason (kept after any failure already recorded)."""
    if not sources:
        return
    con.execute(
        "UPDATE crawl_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?), "
        "error = concat_ws('; ', error, ?) WHERE run_id = ? AND list_contains(?, source)",
        [utc_naive(datetime.now(UTC)), reason, run_id, sources],
    )
