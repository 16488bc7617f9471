"""`jobsift sql`: a user's statements on the locked-down read-only connection.

What keeps it read-only is DuckDB itself (see `database.READER_CONFIG`): the file is attached
read-only, file system and network access are off, extensions cannot be installed and the
configuration is locked. jobsift does not parse the statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from jobsift.pipelines.storage.database import READ_WAIT, Database


class QueryRefused(Exception):
    """DuckDB refused or failed the statement; the message is its first line."""


def one_line(exc: Exception) -> str:
    """DuckDB's message without its multi-line hints."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_query(db_path: str | Path, query: str, wait: float = READ_WAIT) -> QueryResult:
    """Runs `query` (one or more statements); the last statement's rows come back.

    Raises `QueryRefused` for what DuckDB refuses, `DatabaseBusy`/`DatabaseMissing` for the file.
    """
    with Database(db_path).reader(wait) as con:
        try:
            cursor = con.execute(query)
            if cursor is None:  # nothing but whitespace or comments
                return QueryResult([], [])
            columns = [d[0] for d in cursor.description or []]
            return QueryResult(columns, cursor.fetchall() if cursor.description else [])
        except duckdb.Error as exc:
            raise QueryRefused(one_line(exc)) from None
