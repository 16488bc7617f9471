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
) -> tuple[int, list[SeenUnchanged]]:
    """Moves the rows of `seen` to this run; returns (rows moved, the ones with no row left).

    Runs inside the caller's transaction (no BEGIN/COMMIT of its own).
    """
    if not seen:
        return 0, []
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
    return len(found), missing
