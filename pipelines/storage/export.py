"""`jobsift export`: the postings view (or a filtered subset) through DuckDB's COPY."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from jobsift.schemas import Posting
from jobsift.schemas.ddl import POSTING_COLUMNS, VIEW_COLUMNS, Column

_OPTIONAL_GROUPS = {
    # Nested objects that are null as a whole when every leaf is null (SPEC section 3).
    ("compensation",),
    ("eligibility", "timezone"),
}


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _value(column: Column) -> str:
    if column.sql_type == "TIMESTAMP":  # UTC wall time, written as ISO 8601 (SPEC section 3)
        return f"strftime({column.name}, '%Y-%m-%dT%H:%M:%S.%fZ')"
    return column.name


def _struct(columns: list[Column], depth: int, prefix: tuple[str, ...]) -> str:
    """A DuckDB struct literal rebuilding the nested posting from flat columns."""
    groups: dict[str, list[Column]] = {}
    for column in columns:
        groups.setdefault(column.path[depth], []).append(column)
    fields = []
    for key, members in groups.items():
        if len(members) == 1 and len(members[0].path) == depth + 1:
            fields.append(f"'{key}': {_value(members[0])}")
            continue
        inner = _struct(members, depth + 1, (*prefix, key))
        if (*prefix, key) in _OPTIONAL_GROUPS:
            all_null = " AND ".join(f"{m.name} IS NULL" for m in members)
            inner = f"CASE WHEN {all_null} THEN NULL ELSE {inner} END"
        fields.append(f"'{key}': {inner}")
    return "{" + ", ".join(fields) + "}"


def nested_select() -> str:
    """SELECT expression whose columns are the top-level keys of the nested posting."""
    top: dict[str, list[Column]] = {}
    for column in POSTING_COLUMNS:
        top.setdefault(column.path[0], []).append(column)
    parts = []
    for key, members in top.items():
        if len(members) == 1 and len(members[0].path) == 1:
            parts.append(f"{_value(members[0])} AS {key}")
            continue
        struct = _struct(members, 1, (key,))
        if (key,) in _OPTIONAL_GROUPS:
            all_null = " AND ".join(f"{m.name} IS NULL" for m in members)
            struct = f"CASE WHEN {all_null} THEN NULL ELSE {struct} END"
        parts.append(f"{struct} AS {key}")
    return ", ".join(parts)


def export_query(fmt: str, where: str | None) -> str:
    condition = f" WHERE {where}" if where else ""
    if fmt == "jsonl":
        # Same rows as the postings view, shaped as the nested posting (SPEC section 3).
        ids = f"SELECT id FROM postings{condition}"
        return f"SELECT {nested_select()} FROM posting_rows WHERE id IN ({ids}) ORDER BY id"
    return f"SELECT {', '.join(VIEW_COLUMNS)} FROM postings{condition} ORDER BY id"


def export_postings(
    con: duckdb.DuckDBPyConnection, fmt: str, out: Path, where: str | None = None
) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    options = {
        "csv": "FORMAT csv, HEADER true",
        "jsonl": "FORMAT json",
        "parquet": "FORMAT parquet",
    }
    query = export_query(fmt, where)
    con.execute(f"COPY ({query}) TO {_quote_path(out)} ({options[fmt]})")
    count: Any = con.execute(f"SELECT count(*) FROM ({query})").fetchone()
    return int(count[0])


# Checked at import: the nested export must have exactly the posting's top-level keys.
assert {c.path[0] for c in POSTING_COLUMNS} == set(Posting.model_fields), "export shape drifted"
