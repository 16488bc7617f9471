"""`jobsift sql`: a user's statements on the locked-down read-only connection.

What keeps it read-only is DuckDB itself (see `database.READER_CONFIG`): the file is attached
read-only, file system and network access are off, extensions cannot be installed and the
configuration is locked. jobsift does not parse the statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from jobsift.pipelines.storage.database import READ_WAIT, Database
from jobsift.pipelines.storage.values import Convert, converters


class QueryRefused(Exception):
    """DuckDB refused or failed the statement; the message is its first line."""


class EmptyQuery(Exception):
    """The query holds no statement (nothing, or only comments)."""


def one_line(exc: Exception) -> str:
    """DuckDB's message without its multi-line hints."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(slots=True)
class QueryResult:
    """The last statement's columns and rows as DuckDB's Python client gives them; `types` is
    DuckDB's name of each column's type and `plain_rows()` the rows as JSON values (see values.py).
    """

    columns: list[str]
    rows: list[tuple[Any, ...]]
    types: list[str] = field(default_factory=list)
    convert: list[Convert] = field(default_factory=list, repr=False)

    def plain_rows(self) -> Iterator[list[Any]]:
        """Each row as JSON values: lists and structs as lists and dicts, JSON decoded,
        timestamps as ISO 8601 UTC text."""
        for row in self.rows:
            yield [convert(value) for convert, value in zip(self.convert, row, strict=True)]


def run_query(db_path: str | Path, query: str, wait: float = READ_WAIT) -> QueryResult:
    """Runs `query` (one or more statements); the last statement's rows come back.

    Raises `EmptyQuery` for a query without a statement (checked before the file is opened),
    `QueryRefused` for what DuckDB refuses, `DatabaseBusy`/`DatabaseMissing` for the file.
    A last statement that returns no rows (`SET`, `CREATE`) gives a result without columns.
    """
    if not query.strip():
        raise EmptyQuery("the query is empty")
    with Database(db_path).reader(wait) as con:
        try:
            cursor = con.execute(query)
            if cursor is None:  # DuckDB found no statement: only comments
                raise EmptyQuery("the query holds no SQL statement (only comments)")
            if not cursor.description:
                return QueryResult([], [])
            kinds = [d[1] for d in cursor.description]
            return QueryResult(
                [d[0] for d in cursor.description],
                cursor.fetchall(),
                [str(kind) for kind in kinds],
                converters(kinds),
            )
        except duckdb.Error as exc:
            raise QueryRefused(one_line(exc)) from None
