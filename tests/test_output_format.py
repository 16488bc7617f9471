"""The pieces of readable output: table layout, cell text, JSON values of DuckDB types, the text of
a timestamp (the same in Python and in DuckDB), the age of a run."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone

import duckdb
import pytest
from jobsift.crawlers.cli.output import one_line, write_rows
from jobsift.crawlers.cli.sources import age
from jobsift.crawlers.cli.table import MIN_WIDTH, fit, truncate, width
from jobsift.pipelines.storage.values import converters, iso_duration, iso_sql, iso_utc

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("natural", "available", "expected"),
    [
        ([10, 20], 40, [10, 20]),  # fits: unchanged
        ([10, 50, 50], 60, [10, 25, 25]),  # the widest share what is left
        ([3, 100], 20, [3, 17]),
        ([30, 30, 30], 9, [MIN_WIDTH] * 3),  # never below the minimum, even if wider
        ([2, 40], 5, [2, MIN_WIDTH]),
    ],
    ids=["fits", "shares", "one-wide", "too-many", "narrow-kept"],
)
def test_fit(natural: list[int], available: int, expected: list[int]) -> None:
    assert fit(natural, available) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("a longer text", 6, "a lon…"),
        ("東京都千代田区", 7, "東京都…"),  # two cells a character
        ("whole", 0, "whole"),
    ],
    ids=["short", "exact", "ascii", "wide", "no-limit"],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
    assert limit == 0 or width(truncate(text, limit)) <= limit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("tab\there", "tab\\there"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("line\u2028sep", "line\\u2028sep"),
        ("plain ü 東京", "plain ü 東京"),
    ],
    ids=["newline", "crlf", "tab", "escape", "line-separator", "plain"],
)
def test_one_line(text: str, expected: str) -> None:
    assert one_line(text) == expected


@pytest.mark.parametrize(
    ("then", "expected"),
    [
        (NOW - timedelta(seconds=20), "just now"),
        (NOW - timedelta(minutes=5, seconds=59), "5 min ago"),
        (NOW - timedelta(hours=3, minutes=10), "3 h ago"),
        (NOW - timedelta(hours=47), "47 h ago"),
        (NOW - timedelta(days=4, hours=1), "4 d ago"),
        (datetime(2026, 12, 6, 9, 0), "3 h ago"),  # naive: UTC wall time, as stored
        (NOW + timedelta(minutes=10), "in the future (clock skew)"),
    ],
    ids=["seconds", "minutes", "hours", "two-days", "days", "naive", "future"],
)
def test_age(then: datetime, expected: str) -> None:
    assert age(then, NOW) == expected


@pytest.mark.parametrize(
    "stamp",
    [
        datetime(2026, 11, 20, 12, 0),
        datetime(2026, 11, 20, 12, 0, 0, 250000),
        datetime(2026, 11, 20, 12, 0, 0, 1),
        datetime(1999, 1, 2, 3, 4, 5, 999999),
    ],
    ids=str,
)
def test_timestamp_text_is_the_same_in_python_and_duckdb(stamp: datetime) -> None:
    with duckdb.connect() as con:
        (in_sql,) = con.execute(
            f"SELECT {iso_sql('t')} FROM (SELECT ?::TIMESTAMP AS t)", [stamp]
        ).fetchone()
        (with_zone,) = con.execute(
            f"SELECT {iso_sql('t', with_time_zone=True)} FROM (SELECT ?::TIMESTAMPTZ AS t)",
            [stamp.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=-5)))],
        ).fetchone()
    assert in_sql == with_zone == iso_utc(stamp)
    assert datetime.fromisoformat(in_sql) == stamp.replace(tzinfo=UTC)


def test_iso_utc_converts_an_aware_time_to_utc() -> None:
    berlin = datetime(2026, 6, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    assert iso_utc(berlin) == "2026-06-01T12:30:00Z"


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(days=3, hours=2), "P3DT2H"),
        (timedelta(seconds=0.5), "PT0.5S"),
        (timedelta(minutes=-1), "-PT1M"),
        (timedelta(days=1, seconds=61), "P1DT1M1S"),
    ],
    ids=["zero", "days-hours", "fraction", "negative", "mixed"],
)
def test_iso_duration(delta: timedelta, expected: str) -> None:
    assert iso_duration(delta) == expected


def _plain(query: str) -> list:
    with duckdb.connect() as con:
        cursor = con.execute(query)
        convert = converters([d[1] for d in cursor.description])
        (row,) = cursor.fetchall()
    return [c(v) for c, v in zip(convert, row, strict=True)]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("""'{"a": [1, 2]}'::JSON""", {"a": [1, 2]}),
        ("""['{"a": 1}'::JSON, NULL]""", [{"a": 1}, None]),
        ("""{'k': '[true]'::JSON, 'n': 'text'}""", {"k": [True], "n": "text"}),
        ("""MAP {'m': '{"x": null}'::JSON}""", {"m": {"x": None}}),
        ("['GB', 'US']", ["GB", "US"]),
        ("{'when': TIMESTAMP '2026-01-02 03:04:05'}", {"when": "2026-01-02T03:04:05Z"}),
        ("TIMESTAMPTZ '2026-01-02 03:04:05+02'", "2026-01-02T01:04:05Z"),
        ("DATE '2026-01-02'", "2026-01-02"),
        ("12.50::DECIMAL(6,2)", 12.5),
        ("12::DECIMAL(6,2)", 12),
        ("'nan'::DOUBLE", None),
        ("INTERVAL 90 MINUTE", "PT1H30M"),
        ("'a\\x0A\\x5C'::BLOB", "a\\x0A\\x5C"),
        ("MAP {1: 'one'}", {"1": "one"}),
        ("'{not json'::VARCHAR", "{not json"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
def test_duckdb_values_as_json_values(expression: str, expected: object) -> None:
    (value,) = _plain(f"SELECT {expression} AS v")
    assert value == expected
    json.dumps(value)  # a JSON value, whatever DuckDB gave


def _render(fmt: str, columns: list[str], rows: list[list], max_width: int | None = None) -> str:
    out = io.StringIO()
    write_rows(columns, rows, fmt, max_width, out=out)
    return out.getvalue()


def test_json_keeps_repeated_column_names_apart() -> None:
    assert json.loads(_render("json", ["a", "a", "a_1"], [[1, 2, 3]])) == [
        {"a": 1, "a_1": 2, "a_1_1": 3}
    ]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("json", "[]\n"), ("jsonl", ""), ("csv", "a,b\n"), ("table", "a  b\n-  -\n(0 rows)\n")],
)
def test_no_rows(fmt: str, expected: str) -> None:
    assert _render(fmt, ["a", "b"], []) == expected


def test_a_statement_without_columns_prints_nothing() -> None:
    assert _render("table", [], []) == ""


def test_table_aligns_numbers_right_and_shows_null_as_blank() -> None:
    text = _render("table", ["name", "n"], [["a", 5], ["bb", 1234], ["c", None]], max_width=0)
    assert text.splitlines() == [
        "name     n",
        "----  ----",
        "a        5",
        "bb    1234",
        "c",
        "(3 rows)",
    ]
