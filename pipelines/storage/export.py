"""`jobsift export`: the postings view (or a filtered subset) as CSV, JSON lines or Parquet.

The export reads through the same locked-down read-only connection as `jobsift sql` (it cannot
write files itself); jobsift writes the file from DuckDB's Arrow stream. `--where` is one
expression bound to the postings relation (`DuckDBPyRelation.filter`), never text pasted into a
statement: anything that is not one expression over the view's columns is refused by DuckDB's
parser.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pa_parquet
from jobsift.pipelines.storage.database import READ_WAIT, Database, path_problem
from jobsift.pipelines.storage.query import one_line
from jobsift.pipelines.storage.values import iso_sql
from jobsift.schemas import Posting
from jobsift.schemas.ddl import POSTING_COLUMNS, Column

FORMATS = ("csv", "jsonl", "parquet")
_ROWS_PER_BATCH = 2048

_OPTIONAL_GROUPS = {
    # Nested objects that are null as a whole when every leaf is null (docs/posting.md).
    ("compensation",),
    ("eligibility", "timezone"),
}


class ExportError(Exception):
    """An export that was refused or failed; nothing is left at the output path."""


class ExportPathError(ExportError):
    """The output path cannot be written (a folder, a path under a file, no permission)."""


def _value(column: Column) -> str:
    if column.sql_type == "TIMESTAMP":  # UTC wall time, written as ISO 8601 (docs/posting.md)
        return iso_sql(column.name)
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


def nested_posting() -> str:
    """A DuckDB struct expression that is the nested posting (docs/posting.md) of a flat row."""
    return _struct(list(POSTING_COLUMNS), 0, ())


@contextmanager
def _output(out: Path | None, force: bool) -> Iterator[IO[bytes]]:
    """The file to write (created new unless `force`), or standard output when `out` is None."""
    if out is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    if out.is_dir():
        raise ExportPathError(f"cannot write {out}: it is a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = open(out, "wb" if force else "xb")  # noqa: SIM115 (closed below)
    except FileExistsError:
        if not out.parent.is_dir():
            raise ExportPathError(f"cannot write {out}: {path_problem(OSError(), out)}") from None
        raise ExportError(f"{out} exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise ExportPathError(f"cannot write {out}: {path_problem(exc, out)}") from None
    try:
        with handle:
            yield handle
    except BaseException:
        os.unlink(out)
        raise


def _csv_cell(name: str, kind: duckdb.DuckDBPyType) -> str:
    """A column as the text of its CSV cells: lists and structs as JSON (the same text `jobsift
    sql --format csv` prints), timestamps as ISO 8601 UTC, the rest as DuckDB's own text."""
    if str(kind) in ("VARCHAR", "JSON"):
        return f"{name}::VARCHAR AS {name}"
    if kind.id in ("list", "array", "struct", "map", "union"):
        return f"to_json({name})::VARCHAR AS {name}"
    if kind.id == "timestamp":
        return f"{iso_sql(name)} AS {name}"
    if kind.id == "timestamp with time zone":
        return f"{iso_sql(name, with_time_zone=True)} AS {name}"
    return f"CAST({name} AS VARCHAR) AS {name}"


def _as_text(rel: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Every column as text for CSV, which has no lists or timestamps of its own."""
    return rel.project(
        ", ".join(_csv_cell(name, kind) for name, kind in zip(rel.columns, rel.types, strict=True))
    )


def _write(fmt: str, reader: pa.RecordBatchReader, handle: IO[bytes]) -> int:
    count = 0
    if fmt == "jsonl":
        for batch in reader:
            for line in batch.column(0).to_pylist():
                handle.write(line.encode() + b"\n")
            count += batch.num_rows
        return count
    writer: pa_csv.CSVWriter | pa_parquet.ParquetWriter
    if fmt == "csv":
        # Column names are plain identifiers: the header needs no quotes (pyarrow quotes it).
        handle.write((",".join(reader.schema.names) + "\n").encode())
        options = pa_csv.WriteOptions(quoting_style="needed", include_header=False)
        writer = pa_csv.CSVWriter(handle, reader.schema, write_options=options)
    else:
        writer = pa_parquet.ParquetWriter(handle, reader.schema)
    with writer:
        for batch in reader:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def export_postings(
    db_path: str | Path,
    fmt: str,
    out: Path | None,
    where: str | None = None,
    force: bool = False,
    wait: float = READ_WAIT,
) -> int:
    """Writes the postings (those matching the `where` expression) to `out` (None: stdout).

    Raises `ExportError` for an existing file without `force`, a bad `where` or a failed query.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}")
    try:
        return _export(db_path, fmt, out, where, force, wait)
    except duckdb.Error as exc:
        raise ExportError(f"export failed: {one_line(exc)}") from None


def _export(
    db_path: str | Path, fmt: str, out: Path | None, where: str | None, force: bool, wait: float
) -> int:
    with Database(db_path).reader(wait) as con:
        postings = con.table("postings")
        if where:
            # One expression, parsed and bound by DuckDB against the view's columns.
            postings = postings.filter(where)
        con.register("export_ids", postings.project("id").to_arrow_table())
        if fmt == "jsonl":
            rel = con.sql(
                f"SELECT to_json({nested_posting()})::VARCHAR AS posting FROM posting_rows "
                "WHERE id IN (SELECT id FROM export_ids) ORDER BY id"
            )
        else:
            rel = con.sql(
                "SELECT * FROM postings WHERE id IN (SELECT id FROM export_ids) ORDER BY id"
            )
            if fmt == "csv":
                rel = _as_text(rel)
        reader = rel.to_arrow_reader(_ROWS_PER_BATCH)
        with _output(out, force) as handle:
            return _write(fmt, reader, handle)


# Checked at import: the nested export must have exactly the posting's top-level keys.
assert {c.path[0] for c in POSTING_COLUMNS} == set(Posting.model_fields), "export shape drifted"
