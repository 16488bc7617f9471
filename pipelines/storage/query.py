"""`jobsift sql`: a user's statements on the locked-down read-only connection.

What keeps it read-only is DuckDB itself (see `database.READER_CONFIG`): the file is attached
read-only, file system and network access are off, extensions cannot be installed and the
configuration is locked. jobsift does not parse the statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobsift.pipelines.storage.database import READ_WAIT, Database


@dataclass(slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_query(db_path: str | Path, query: str, wait: float = READ_WAIT) -> QueryResult:
    """Runs `query` (one or more statements); the last statement's rows come back.

    Raises `duckdb.Error` for what DuckDB refuses, `DatabaseBusy`/`DatabaseMissing` for the file.
    """
    with Database(db_path).reader(wait) as con:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description or []]
        return QueryResult(columns, cursor.fetchall() if cursor.description else [])
