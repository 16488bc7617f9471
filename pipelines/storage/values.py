"""Query results as plain JSON values, and the one text of a timestamp.

`jobsift sql` prints, and `jobsift export` writes, the same values: lists and structs as JSON
arrays and objects (JSON columns decoded once, never a string of JSON inside JSON), timestamps as
ISO 8601 UTC text. A timestamp's text is the one pydantic gives a posting (`normalize`):
`2026-11-20T12:00:00Z`, with `.ffffff` only when there are fractions of a second. `iso_sql` is
that text in DuckDB (for COPY-style exports), `iso_utc` in Python (for query results).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import duckdb

Convert = Callable[[Any], Any]


def iso_sql(expr: str, with_time_zone: bool = False) -> str:
    """A DuckDB expression giving the ISO 8601 UTC text of the timestamp `expr` (NULL stays NULL).

    `expr` is a TIMESTAMP holding UTC wall time (as jobsift stores them) or, with
    `with_time_zone`, a TIMESTAMP WITH TIME ZONE.
    """
    value = f"timezone('UTC', {expr})" if with_time_zone else expr
    return (
        f"(strftime({value}, '%Y-%m-%dT%H:%M:%S') || CASE WHEN microsecond({value}) % 1000000 = 0 "
        f"THEN '' ELSE strftime({value}, '.%f') END || 'Z')"
    )


def iso_utc(value: datetime) -> str:
    """The ISO 8601 UTC text of a timestamp; a naive one is UTC wall time (how jobsift stores)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds" if value.microsecond else "seconds") + "Z"


def iso_duration(value: timedelta) -> str:
    """An interval as an ISO 8601 duration: `P3DT2H`, `PT0.5S`, `-PT1M`."""
    total = value // timedelta(microseconds=1)
    sign, total = ("-", -total) if total < 0 else ("", total)
    days, rest = divmod(total, 86_400_000_000)
    hours, rest = divmod(rest, 3_600_000_000)
    minutes, micros = divmod(rest, 60_000_000)
    seconds = f"{micros / 1_000_000:.6f}".rstrip("0").rstrip(".") if micros else ""
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not days and not clock:
        return "PT0S"
    return f"{sign}P{f'{days}D' if days else ''}{f'T{clock}' if clock else ''}"


def _blob(value: bytes) -> str:
    """DuckDB's own text of a BLOB: printable ASCII as is, every other byte as \\xNN."""
    return "".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\x{b:02X}" for b in value)


def plain(value: Any) -> Any:
    """A value DuckDB's Python client returned, as a JSON value (None, bool, int, float, str,
    list, dict). Not-a-number and infinite floats become None (JSON has neither)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k if isinstance(k, str) else _key(k): plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, timedelta):
        return iso_duration(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return _blob(bytes(value))
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def _key(key: Any) -> str:
    """A MAP key that is not text, as the text of its JSON value."""
    converted = plain(key)
    return converted if isinstance(converted, str) else json.dumps(converted, ensure_ascii=False)


def _json(value: Any) -> Any:
    if not isinstance(value, str):
        return plain(value)
    try:
        return json.loads(value)
    except ValueError:
        return value


def _has_json(kind: duckdb.DuckDBPyType) -> bool:
    if str(kind) == "JSON":
        return True
    if kind.id in ("list", "array", "struct", "map", "union"):
        return any(_has_json(child) for _, child in kind.children)
    return False


def converter(kind: duckdb.DuckDBPyType) -> Convert:
    """A function turning a value of a column of this DuckDB type into a plain JSON value.

    JSON values (a JSON column, or JSON inside a list, struct or map) are decoded; everything
    else goes through `plain`.
    """
    if not _has_json(kind):
        return plain
    if str(kind) == "JSON":
        return _json
    if kind.id in ("list", "array"):
        item = converter(kind.children[0][1])
        return lambda v: None if v is None else [item(x) for x in v]
    if kind.id == "struct":
        fields = {name: converter(child) for name, child in kind.children}
        return lambda v: None if v is None else {k: fields.get(k, plain)(x) for k, x in v.items()}
    if kind.id == "map":
        value = converter(kind.children[1][1])
        return lambda v: (
            None
            if v is None
            else {k if isinstance(k, str) else _key(k): value(x) for k, x in v.items()}
        )
    return plain  # a union: which member a value is cannot be told, so JSON stays text


def converters(kinds: list[duckdb.DuckDBPyType]) -> list[Convert]:
    return [converter(kind) for kind in kinds]
