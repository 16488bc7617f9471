"""What `jobsift renormalize` reads: the stored raw postings to run through the current chain.

The selection (`select_ids`) goes through the same locked-down read-only connection as `jobsift
export`: `--where` is one expression bound by DuckDB to a relation of the `postings` columns plus
`raw` and `raw_hash` (never text pasted into a statement), `--source` a bound constant. The raw
payloads are then read batch by batch (`stored_raw`) and the results written back through the
store's merge (`Store.write_renormalized`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from jobsift.pipelines.storage.database import READ_WAIT, Database
from jobsift.pipelines.storage.query import one_line

_SELECTION = "SELECT p.*, r.raw, r.raw_hash FROM postings p JOIN raw_postings r ON r.id = p.id"


class RenormalizeError(Exception):
    """A selection DuckDB refused (a bad `--where`); nothing was written."""


@dataclass(slots=True)
class StoredRaw:
    """A stored raw payload and what its row keeps through re-normalization."""

    id: str
    payload: Any
    source_name: str | None
    run_id: str | None
    fetched_at: datetime | None


def select_ids(
    db_path: str | Path, source: str | None, where: str | None, wait: float = READ_WAIT
) -> list[str]:
    """Ids of the stored postings to re-normalize: of `source` (a configured source or a spider)
    and matching the `where` expression, in id order."""
    try:
        with Database(db_path).reader(wait) as con:
            rel = con.sql(_SELECTION)
            if source is not None:
                value = duckdb.ConstantExpression(source)
                rel = rel.filter(
                    (duckdb.ColumnExpression("source_name") == value)
                    | (duckdb.ColumnExpression("source") == value)
                )
            if where:
                rel = rel.filter(where)  # one expression, parsed and bound by DuckDB
            return [row[0] for row in rel.project("id").order("id").fetchall()]
    except duckdb.Error as exc:
        raise RenormalizeError(f"cannot select postings: {one_line(exc)}") from None


def stored_raw(db_path: str | Path, ids: list[str], wait: float = 60.0) -> list[StoredRaw]:
    """The raw payloads of `ids` with their rows' source, run and fetch time."""
    with Database(db_path, wait=wait).writer() as con:
        con.register("wanted_ids", pa.table({"id": pa.array(ids, pa.string())}))
        try:
            rows = con.execute(
                "SELECT r.id, r.raw, p.source_name, p.run_id, p.fetched_at FROM raw_postings r "
                "JOIN posting_rows p ON p.id = r.id JOIN wanted_ids w ON w.id = r.id "
                "ORDER BY r.id"
            ).fetchall()
        finally:
            con.unregister("wanted_ids")
    return [
        StoredRaw(i, json.loads(raw), name, run, fetched) for i, raw, name, run, fetched in rows
    ]
