"""The job of every posting (`posting_jobs`), assigned in the store's transaction after each batch.

Only the postings a batch wrote (new or changed) are placed; a posting that already has a job keeps
it, so a `job_id` is stable across runs. Each one is compared with the stored postings that share
one of its link keys or its block (`pipelines.identity`): two indexed lookups per batch, never
all pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa
from jobsift.pipelines.identity.match import Candidate, assign, candidate

# The posting columns matching reads.
_FIELDS = (
    "id, source, source_name, company, title, url, apply_url, countries, eligible_countries, "
    "worldwide, work_setting, description_text"
)
_BACKFILL_CHUNK = 2000


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def assign_jobs(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Places the postings of `rows` (flat posting rows already in `posting_rows`) in jobs and
    records them in `posting_jobs`; runs inside the caller's transaction. Returns id -> job_id."""
    if not rows:
        return {}
    ids = [row["id"] for row in rows]
    con.register("job_batch_ids", pa.table({"id": pa.array(ids, pa.string())}))
    try:
        previous = {
            r[0]: (r[1], r[2])
            for r in con.execute(
                "SELECT id, job_id, matched_by FROM posting_jobs "
                "WHERE id IN (SELECT id FROM job_batch_ids) AND job_id IS NOT NULL"
            ).fetchall()
        }
        new = [candidate(row, previous.get(row["id"], (None, None))[0]) for row in rows]
        known = _known(con, new)
        result = assign(new, known, _job_sources(con, known))
        con.execute("DELETE FROM posting_jobs WHERE id IN (SELECT id FROM job_batch_ids)")
    finally:
        con.unregister("job_batch_ids")
    table = pa.table(
        {
            "id": pa.array([c.id for c in new], pa.string()),
            "job_id": pa.array([result[c.id][0] for c in new], pa.string()),
            "source_rank": pa.array([c.rank for c in new], pa.int64()),
            "block_key": pa.array([c.block for c in new], pa.string()),
            "link_keys": pa.array([list(c.links) for c in new], pa.list_(pa.string())),
            "matched_by": pa.array(
                [previous[c.id][1] if result[c.id][1] == "kept" else result[c.id][1] for c in new],
                pa.string(),
            ),
        }
    )
    con.register("job_rows", table)
    try:
        con.execute(
            "INSERT INTO posting_jobs (id, job_id, source_rank, block_key, link_keys, matched_by) "
            "SELECT id, job_id, source_rank, block_key, link_keys, matched_by FROM job_rows"
        )
    finally:
        con.unregister("job_rows")
    return {c.id: result[c.id][0] for c in new}


def _known(con: duckdb.DuckDBPyConnection, new: list[Candidate]) -> list[Candidate]:
    """Stored postings (not in the batch) that share a link key or a block with one of `new`."""
    keys = sorted({key for c in new for key in c.links})
    blocks = sorted({c.block for c in new if c.block is not None})
    if not keys and not blocks:
        return []
    con.register("job_keys", pa.table({"key": pa.array(keys, pa.string())}))
    con.register("job_blocks", pa.table({"block": pa.array(blocks, pa.string())}))
    try:
        cursor = con.execute(
            f"SELECT {_FIELDS}, job_id, block_key, link_keys, source_rank FROM posting_rows JOIN ("
            "  SELECT * FROM posting_jobs WHERE block_key IN (SELECT block FROM job_blocks)"
            "  UNION SELECT * FROM posting_jobs WHERE id IN (SELECT id FROM ("
            "    SELECT id, unnest(link_keys) AS key FROM posting_jobs"
            "  ) WHERE key IN (SELECT key FROM job_keys))"
            ") USING (id) "
            "WHERE id NOT IN (SELECT id FROM job_batch_ids) AND job_id IS NOT NULL "
            "ORDER BY first_seen_at NULLS FIRST, id"
        )
        return [candidate(row, row["job_id"]) for row in _dicts(cursor)]
    finally:
        con.unregister("job_keys")
        con.unregister("job_blocks")


def _job_sources(con: duckdb.DuckDBPyConnection, known: list[Candidate]) -> list[tuple[str, str]]:
    """(job_id, configured source) of every posting of the jobs `known` belong to."""
    jobs = sorted({c.job_id for c in known if c.job_id is not None})
    if not jobs:
        return []
    con.register("job_ids", pa.table({"job_id": pa.array(jobs, pa.string())}))
    try:
        return con.execute(
            "SELECT DISTINCT j.job_id, coalesce(p.source_name, p.source) FROM posting_jobs j "
            "JOIN posting_rows p USING (id) WHERE j.job_id IN (SELECT job_id FROM job_ids)"
        ).fetchall()
    finally:
        con.unregister("job_ids")


def assign_all(con: duckdb.DuckDBPyConnection) -> None:
    """Places every stored posting without a job (a database from before `job_id`), earliest
    seen first, in chunks; runs inside the caller's transaction."""
    while True:
        cursor = con.execute(
            f"SELECT {_FIELDS} FROM posting_rows WHERE id NOT IN "
            "(SELECT id FROM posting_jobs WHERE job_id IS NOT NULL) "
            f"ORDER BY first_seen_at NULLS LAST, id LIMIT {_BACKFILL_CHUNK}"
        )
        rows = _dicts(cursor)
        if not rows:
            return
        assign_jobs(con, rows)
