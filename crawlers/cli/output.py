"""Printing rows of JSON values (see storage/values.py) as a table, CSV, JSON, JSON lines or markdown.

- `table`: aligned columns that fit the terminal (`COLUMNS`, else the terminal's width, else
  DEFAULT_WIDTH when standard output is not a terminal); a cut cell ends in "…"; `max_width` N
  cuts every cell to N cells instead, 0 cuts nothing. Newlines, tabs and other control characters
  are shown escaped (`\\n`, `\\t`, `\\x1b`), lists and objects as JSON, NULL as an empty cell,
  numbers right-aligned, then a `(N rows)` line.
- `markdown`: a GitHub table (whole cells unless `max_width`), `|` escaped, newlines as `<br>`.
- `csv`: a header line then one line per row; NULL is an empty field, true/false, lists and
  objects as JSON text.
- `json`: one JSON array of objects (as sqlite-utils prints); `jsonl`: one object per line.

Every format ends quietly when its reader goes away (`| head`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from jobsift.crawlers.cli.table import aligned_table, markdown_table, truncate
from jobsift.pipelines.storage.values import plain

FORMATS = ("table", "csv", "json", "jsonl", "markdown")
DEFAULT_WIDTH = 120  # a table's width when standard output is not a terminal and COLUMNS is unset

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}"
    )


def terminal_width() -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def json_text(value: Any) -> str:
    """Compact JSON, as DuckDB's to_json writes it (the CSV export's list cells)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def text(value: Any) -> str:
    """A JSON value as one CSV field or table cell before escaping."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json_text(value)


def one_line(value: str) -> str:
    """Newlines and other control characters escaped, so a cell stays on one line."""
    return _CONTROL.sub(_escape, value)


def _markdown_cell(value: Any, max_width: int | None) -> str:
    cell = _CONTROL_BUT_NEWLINE.sub(_escape, text(value).replace("\r\n", "\n"))
    if max_width:
        cell = truncate(cell, max_width)
    return cell.replace("|", "\\|").replace("\n", "<br>")


def _unique(columns: list[str]) -> list[str]:
    """Column names as JSON keys: a repeated name gets `_1`, `_2`… (no value is dropped)."""
    seen: set[str] = set()
    names = []
    for name in columns:
        candidate, n = name, 0
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        names.append(candidate)
    return names


def _numeric(rows: list[list[Any]], count: int) -> list[bool]:
    """Which columns hold only numbers (and at least one): those are right-aligned."""
    flags = []
    for i in range(count):
        values = [row[i] for row in rows if row[i] is not None]
        flags.append(
            bool(values)
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        )
    return flags


def _table(columns: list[str], rows: list[list[Any]], max_width: int | None) -> Iterator[str]:
    header = [one_line(c) for c in columns]
    cells = [[one_line(text(v)) for v in row] for row in rows]
    if max_width:
        header = [truncate(c, max_width) for c in header]
        cells = [[truncate(c, max_width) for c in row] for row in cells]
    total = terminal_width() if max_width is None else None
    yield from aligned_table(header, cells, _numeric(rows, len(columns)), total)
    yield f"({len(rows)} row{'' if len(rows) == 1 else 's'})"


def _markdown(columns: list[str], rows: list[list[Any]], max_width: int | None) -> Iterator[str]:
    header = [_markdown_cell(c, max_width) for c in columns]
    cells = [[_markdown_cell(v, max_width) for v in row] for row in rows]
    yield from markdown_table(header, cells, _numeric(rows, len(columns)))


def _json(columns: list[str], rows: Iterable[list[Any]], lines: bool) -> Iterator[str]:
    names = _unique(columns)
    first = True
    for row in rows:
        record = json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
        if lines:
            yield record
        else:
            yield ("[" if first else ",\n ") + record
        first = False
    if not lines:
        yield "[]" if first else "]"


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """--format and --max-width, shared by the commands that print rows."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (default; fits the terminal), csv, json (one array), jsonl (one object "
        "a line) or markdown",
    )
    parser.add_argument(
        "--max-width",
        type=_width,
        metavar="N",
        help="table and markdown: cut each cell to N characters, marked with … "
        "(default: fit the table to the terminal; 0: never cut)",
    )


def write_rows(
    columns: list[str],
    rows: Iterable[list[Any]],
    fmt: str,
    max_width: int | None = None,
    out: TextIO | None = None,
) -> None:
    """Prints rows of JSON values in `fmt`; a result without columns prints nothing."""
    out = out or sys.stdout
    if not columns:
        return
    with quiet_pipe(out):
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([text(v) for v in row] for row in rows)
        elif fmt in ("json", "jsonl"):
            lines = fmt == "jsonl"
            for chunk in _json(columns, rows, lines):
                out.write(chunk + "\n" if lines else chunk)
            if not lines:
                out.write("\n")
        else:
            listed = list(rows)
            render = _markdown if fmt == "markdown" else _table
            for line in render(columns, listed, max_width):
                out.write(line + "\n")
        out.flush()


def print_rows(
    columns: list[str], rows: Iterable[Iterable[Any]], fmt: str, max_width: int | None = None
) -> None:
    """Prints rows of Python values (datetimes, lists…) as `write_rows` prints JSON values."""
    write_rows(columns, ([plain(v) for v in row] for row in rows), fmt, max_width)


@contextmanager
def quiet_pipe(out: TextIO) -> Iterator[None]:
    """Ends quietly when the reader of standard output goes away (`| head`)."""
    try:
        yield
    except BrokenPipeError:
        if out is sys.stdout:  # nothing more reaches anyone: keep the exit flush from failing
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
