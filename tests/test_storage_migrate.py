"""A database of an older release opens with the current code and is upgraded in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.pipelines.storage.migrate import SCHEMA_VERSION, migrate
from jobsift.pipelines.storage.query import run_query
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.store import Store
from jobsift.schemas.ddl import POSTING_COLUMNS, TABLES, VIEW_COLUMNS

from tests.conftest import PROJECT_FIXTURES

OLD_DDL = PROJECT_FIXTURES / "storage" / "ddl-2a10048.sql"

# (id, spider, run id): r1 ran one configured source of greenhouse, r2 two of lever (ambiguous),
# r9 is no known run.
OLD_POSTINGS = [
    ("greenhouse:1", "greenhouse", "r1"),
    ("greenhouse:2", "greenhouse", "r1"),
    ("lever:1", "lever", "r2"),
    ("lever:2", "lever", "r9"),
]
OLD_RUNS = [
    ("r1", "greenhouse-gitlab", "greenhouse"),
    ("r2", "lever-a", "lever"),
    ("r2", "lever-b", "lever"),
]


def _old_database(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(OLD_DDL.read_text())
        for posting_id, spider, run_id in OLD_POSTINGS:
            con.execute(
                "INSERT INTO posting_rows (id, source, source_id, title, content_hash, "
                "first_seen_at, last_seen_at, run_id) VALUES (?, ?, ?, 'Engineer', 'h', "
                "TIMESTAMP '2026-11-01', TIMESTAMP '2026-11-02', ?)",
                [posting_id, spider, posting_id.split(":")[1], run_id],
            )
        for run_id, source, spider in OLD_RUNS:
            con.execute(
                "INSERT INTO crawl_runs (run_id, source, spider, started_at, status, scraped) "
                "VALUES (?, ?, ?, TIMESTAMP '2026-11-01', 'finished', 2)",
                [run_id, source, spider],
            )
        con.execute(
            "INSERT INTO rejects (run_id, source, url, reason) VALUES ('r1', 'greenhouse', 'u', 'x')"
        )


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize("opened_by", ["crawl", "sql"])
def test_an_old_release_database_is_migrated_in_place(tmp_path: Path, opened_by: str) -> None:
    db = tmp_path / "old.duckdb"
    _old_database(db)
    if opened_by == "crawl":
        assert Runs(db).running() == []  # the first thing a crawl does with the database
    else:
        assert run_query(db, "SELECT count(*) FROM postings").rows == [(4,)]
    assert _rows(db, "SELECT id, source_name FROM postings ORDER BY id") == [
        ("greenhouse:1", "greenhouse-gitlab"),
        ("greenhouse:2", "greenhouse-gitlab"),
        ("lever:1", None),  # two configured sources of lever in run r2: not guessed
        ("lever:2", None),  # no such run
    ]
    assert _rows(db, "SELECT source_name FROM rejects") == [("greenhouse-gitlab",)]
    assert dict(_rows(db, "SELECT key, value FROM jobsift_meta"))["schema_version"] == str(
        SCHEMA_VERSION
    )
    with duckdb.connect(str(db), read_only=True) as con:
        assert [d[0] for d in con.sql("FROM postings").description] == list(VIEW_COLUMNS)
        # History and source health: the new columns and table appear, old postings are open.
        for table in ("crawl_runs", "posting_events"):
            found = [d[0] for d in con.sql(f"FROM {table}").description]
            assert found == [name for name, _ in TABLES[table]], table
    assert _rows(db, "SELECT DISTINCT status, closed_at FROM postings") == [("open", None)]
    # Postings per configured source: the join the old schema could not answer.
    assert _rows(
        db,
        "SELECT r.source, count(*) FROM postings p JOIN posting_rows USING (id) "
        "JOIN crawl_runs r ON r.run_id = posting_rows.run_id AND r.source = p.source_name "
        "GROUP BY 1",
    ) == [("greenhouse-gitlab", 2)]


def test_a_current_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    _old_database(db)
    Store(db).ensure_schema()
    with duckdb.connect(str(db)) as con:
        assert migrate(con) == []


def test_a_new_model_field_becomes_a_column_without_migration_code(tmp_path: Path) -> None:
    """A database written before a field existed: simulated by removing that field's column."""
    db = tmp_path / "j.duckdb"
    Store(db).ensure_schema()
    dropped = POSTING_COLUMNS[-1].name
    with duckdb.connect(str(db)) as con:
        con.execute("DROP VIEW postings")
        con.execute(f"ALTER TABLE posting_rows DROP COLUMN {dropped}")
        con.execute("DELETE FROM jobsift_meta")
        changes = migrate(con)
    assert f"added posting_rows.{dropped}" in changes
    assert (dropped,) in _rows(
        db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'posting_rows'"
    )
