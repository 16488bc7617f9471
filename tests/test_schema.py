"""The DuckDB DDL agrees with the pydantic models, and the postings view with SPEC section 5."""

from __future__ import annotations

import types
import typing

import duckdb
import pytest
from jobsift.schemas import Posting
from jobsift.schemas.ddl import DDL, POSTING_COLUMNS, VIEW_COLUMNS, flatten, unflatten

# The view's columns as SPEC section 5 lists them (a contract check, not a second definition).
SPEC_VIEW_COLUMNS = [
    "id",
    "source",
    "source_name",
    "source_id",
    "url",
    "apply_url",
    "title",
    "company",
    "category",
    "summary",
    "seniority",
    "employment_type",
    "work_setting",
    "posted_at",
    "posted_text",
    "valid_through",
    "responsibilities",
    "tags",
    "description_text",
    "requirements_minimum",
    "requirements_preferred",
    "years_experience_min",
    "education",
    "countries",
    "eligible_countries",
    "excluded_countries",
    "regions",
    "worldwide",
    "us_states",
    "tz_min_utc_offset",
    "tz_max_utc_offset",
    "visa_sponsorship",
    "work_authorization",
    "location_text",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "status",
    "closed_at",
    "job_id",
    "first_seen_at",
    "last_seen_at",
    "fetched_at",
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for statement in DDL:
        connection.execute(statement)
    return connection


def test_postings_view_has_the_spec_columns_in_order(con: duckdb.DuckDBPyConnection) -> None:
    columns = [d[0] for d in con.execute("SELECT * FROM postings LIMIT 0").description]
    assert columns == SPEC_VIEW_COLUMNS == list(VIEW_COLUMNS)


def _leaf_paths(model: type, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            paths |= _leaf_paths(annotation, (*prefix, name))
        else:
            paths.add((*prefix, name))
    return paths


def test_every_model_leaf_has_exactly_one_column() -> None:
    assert {c.path for c in POSTING_COLUMNS} == _leaf_paths(Posting)
    assert len({c.name for c in POSTING_COLUMNS}) == len(POSTING_COLUMNS)


@pytest.mark.parametrize("column", POSTING_COLUMNS, ids=lambda c: c.name)
def test_table_column_types_match_the_model(con: duckdb.DuckDBPyConnection, column) -> None:
    types_by_name = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'posting_rows'"
        ).fetchall()
    )
    assert types_by_name[column.name] == column.sql_type


def test_list_fields_are_varchar_arrays(con: duckdb.DuckDBPyConnection) -> None:
    described = dict(
        con.execute("SELECT column_name, column_type FROM (DESCRIBE postings)").fetchall()
    )
    for name in ("responsibilities", "tags", "requirements_minimum", "countries", "regions"):
        assert described[name] == "VARCHAR[]"


def test_flatten_and_unflatten_round_trip() -> None:
    posting = Posting.model_validate(
        {
            "id": "x:1",
            "source": "x",
            "source_id": "1",
            "fetched_at": "2026-11-20T12:00:00Z",
            "overview": {"title": "T", "tags": ["a"]},
            "eligibility": {
                "countries": ["US"],
                "timezone": {"min_utc_offset": -8, "max_utc_offset": -5},
            },
            "compensation": {"min": 1, "max": 2, "currency": "USD", "period": "year"},
        }
    )
    dumped = posting.model_dump()
    row = flatten(dumped)
    assert row["tz_min_utc_offset"] == -8 and row["salary_currency"] == "USD"
    assert Posting.model_validate(unflatten(row)) == posting


@pytest.mark.parametrize(
    ("field", "value"),
    [("countries", ["usa"]), ("regions", ["WORLDWIDE"]), ("us_states", ["California"])],
)
def test_model_rejects_values_outside_the_vocabulary(field: str, value: list[str]) -> None:
    with pytest.raises(ValueError):
        Posting.model_validate(
            {
                "id": "x:1",
                "source": "x",
                "source_id": "1",
                "fetched_at": "2026-11-20T12:00:00Z",
                "eligibility": {field: value},
            }
        )
