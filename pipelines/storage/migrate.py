"""Forward migrations, derived from the models (`schemas/ddl.py` TABLES and VIEWS).

Opening a database of any earlier release upgrades it in place, in one transaction:

1. every table of `TABLES` that is missing is created, every column of `TABLES` that a table lacks
   is added (`ALTER TABLE ... ADD COLUMN`, null for the rows already there): a new model field
   needs no migration code;
2. the data steps in `BACKFILLS` newer than the database's `schema_version` run once each (they
   fill new columns from what the database already knows);
3. every view is recreated (a view binds its columns when it is created);
4. `jobsift_meta` records `schema_version` and `schema_hash` (a digest of the DDL), so a current
   database is recognised with one query and left alone.

Columns the models no longer have are kept (nothing is dropped); a column whose type changed is
left as it is (no automatic type migration).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import duckdb
from jobsift.pipelines.storage.jobs import assign_all
from jobsift.schemas.ddl import DDL, TABLES, VIEWS


def _fill_source_name(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2: the configured source of rows stored before `source_name` existed.

    A run id covers every source of one `jobsift crawl`, so a row is matched to its run by run id
    and spider; rows whose run is unknown or ambiguous stay null.
    """
    runs = (
        "SELECT run_id, spider, min(source) AS source FROM crawl_runs "
        "GROUP BY run_id, spider HAVING count(DISTINCT source) = 1"
    )
    for table in ("posting_rows", "rejects"):
        con.execute(
            f"UPDATE {table} SET source_name = r.source FROM ({runs}) r "
            f"WHERE {table}.source_name IS NULL AND {table}.run_id = r.run_id "
            f"AND {table}.source = r.spider"
        )


def _assign_jobs(con: duckdb.DuckDBPyConnection) -> None:
    """Version 3: a `job_id` for every posting stored before jobs existed."""
    assign_all(con)


def _open_status(con: duckdb.DuckDBPyConnection) -> None:
    """Version 4 (history): postings stored before statuses existed are open."""
    con.execute("UPDATE posting_rows SET status = 'open' WHERE status IS NULL")


# Data steps by the schema version that introduced them (version 1: the releases before
# `jobsift_meta`). Structural changes (new tables, new columns, views) need no entry here.
BACKFILLS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    2: _fill_source_name,
    3: _assign_jobs,
    4: _open_status,
}
SCHEMA_VERSION = max(BACKFILLS)
SCHEMA_HASH = hashlib.blake2b("\n".join(DDL).encode(), digest_size=8).hexdigest()


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute("SELECT key, value FROM jobsift_meta").fetchall())
    except duckdb.CatalogException:
        return {}


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database already has this code's schema (readable on a read-only connection)."""
    return _meta(con).get("schema_hash") == SCHEMA_HASH


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall():
        found.setdefault(table, set()).add(column)
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Brings the database to the current schema; returns what it changed (empty when current)."""
    meta = _meta(con)
    if meta.get("schema_hash") == SCHEMA_HASH:
        return []
    changes: list[str] = []
    con.execute("BEGIN TRANSACTION")
    try:
        existing = _columns(con)
        had_tables = bool(existing.keys() & (TABLES.keys() - {"jobsift_meta"}))
        for table, columns in TABLES.items():
            if table not in existing:
                body = ", ".join(f"{name} {sql_type}" for name, sql_type in columns)
                con.execute(f"CREATE TABLE {table} ({body})")
                changes.append(f"created {table}")
                continue
            for name, sql_type in columns:
                if name not in existing[table]:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")
                    changes.append(f"added {table}.{name}")
        version = int(meta.get("schema_version", 1 if had_tables else SCHEMA_VERSION))
        for step_version, step in sorted(BACKFILLS.items()):
            if step_version > version:
                step(con)
                changes.append(f"backfill {step_version}: {step.__name__.strip('_')}")
        for view, query in VIEWS.items():
            con.execute(f"CREATE OR REPLACE VIEW {view} AS {query}")
        con.execute("DELETE FROM jobsift_meta WHERE key IN ('schema_version', 'schema_hash')")
        con.execute(
            "INSERT INTO jobsift_meta VALUES ('schema_version', ?), ('schema_hash', ?)",
            [str(max(SCHEMA_VERSION, version)), SCHEMA_HASH],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return changes
