"""DuckDB DDL derived from the pydantic models (docs/tables.md).

The flat `postings` columns are computed by walking `Posting`: a leaf keeps its own name unless the
field declares a `column` in its json_schema_extra. Nothing here lists the posting's fields by hand.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin

from jobsift.schemas.posting import Posting
from pydantic import BaseModel

# The key fields whose fill rate per run tells whether a source still gives what it gave
# (`crawl_runs.fill_<name>`); storage/history.py says what "filled" means for each.
HEALTH_FIELDS: tuple[str, ...] = (
    "work_setting",
    "location",  # countries or worldwide
    "salary",
    "responsibilities",
    "requirements_minimum",
    "posted_at",
)

# Columns the store adds around the posting itself. `source_name` is the configured source of the
# run that stored the row (`crawl_runs.source`, e.g. "greenhouse-gitlab"; `source` is the spider).
STORE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("content_hash", "VARCHAR"),
    ("first_seen_at", "TIMESTAMP"),
    ("last_seen_at", "TIMESTAMP"),
    ("run_id", "VARCHAR"),
    ("source_name", "VARCHAR"),
    # `open`, or `closed` since `closed_at`: missing from a complete listing of its source, or its
    # `valid_through` passed (storage/history.py). A closed posting seen again reopens.
    ("status", "VARCHAR"),
    ("closed_at", "TIMESTAMP"),
)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql_type: str
    path: tuple[str, ...]  # attribute path inside a Posting dump


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _sql_type(annotation: Any) -> str:
    annotation = _unwrap_optional(annotation)
    if get_origin(annotation) is list:
        return _sql_type(get_args(annotation)[0]) + "[]"
    if get_origin(annotation) is dict:
        return "JSON"
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return "BOOLEAN"
        if issubclass(annotation, Enum | str):
            return "VARCHAR"
        if issubclass(annotation, int):
            return "BIGINT"
        if issubclass(annotation, float):
            return "DOUBLE"
        if issubclass(annotation, datetime):
            return "TIMESTAMP"
    raise TypeError(f"no DuckDB type for {annotation!r}")


def _walk(model: type[BaseModel], path: tuple[str, ...]) -> list[Column]:
    columns: list[Column] = []
    for name, field in model.model_fields.items():
        annotation = _unwrap_optional(field.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns.extend(_walk(annotation, (*path, name)))
            continue
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        column_name = str(extra.get("column", name))
        columns.append(Column(column_name, _sql_type(field.annotation), (*path, name)))
    return columns


POSTING_COLUMNS: tuple[Column, ...] = tuple(_walk(Posting, ()))
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in POSTING_COLUMNS)
if len(set(COLUMN_NAMES)) != len(COLUMN_NAMES):
    raise RuntimeError(f"two posting fields map to one column: {COLUMN_NAMES}")


def flatten(posting: dict[str, Any]) -> dict[str, Any]:
    """A `Posting.model_dump()` as one flat row keyed by column name."""
    row: dict[str, Any] = {}
    for column in POSTING_COLUMNS:
        value: Any = posting
        for part in column.path:
            value = value.get(part) if isinstance(value, dict) else None
            if value is None:
                break
        row[column.name] = value
    return row


def unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """The nested posting of a flat row (inverse of `flatten`); empty sub-objects become null."""
    nested: dict[str, Any] = {}
    for column in POSTING_COLUMNS:
        target = nested
        for part in column.path[:-1]:
            target = target.setdefault(part, {})
        target[column.path[-1]] = row.get(column.name)
    tz = nested["eligibility"].get("timezone") or {}
    if all(v is None for v in tz.values()):
        nested["eligibility"]["timezone"] = None
    comp = nested.get("compensation") or {}
    if all(v is None for v in comp.values()):
        nested["compensation"] = None
    return nested


def _table(name: str, columns: list[tuple[str, str]]) -> str:
    body = ",\n  ".join(f"{col} {typ}" for col, typ in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  {body}\n);"


_ROW_COLUMNS = [(c.name, c.sql_type) for c in POSTING_COLUMNS] + list(STORE_COLUMNS)

# The `postings` view: every posting column but provenance and the salary text, in the model's order;
# the configured source after the spider's, then the store's first/last seen times.
_HIDDEN = ("provenance", "salary_text", "fetched_at")
VIEW_COLUMNS: tuple[str, ...] = (
    *(
        name
        for c in COLUMN_NAMES
        if c not in _HIDDEN
        for name in ((c, "source_name") if c == "source" else (c,))
    ),
    "status",
    "closed_at",
    "job_id",
    "first_seen_at",
    "last_seen_at",
    "fetched_at",
)

# Every table and its columns, in order. The store creates missing tables and adds missing columns
# from this mapping when it opens an older database (pipelines/storage/migrate.py), so a new model
# field needs no migration code of its own.
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    # Current version of every posting; `postings` is the public face of it.
    "posting_rows": tuple(_ROW_COLUMNS),
    # Every distinct version ever seen, so a posting's history survives updates.
    "posting_versions": (
        ("id", "VARCHAR"),
        ("content_hash", "VARCHAR"),
        ("run_id", "VARCHAR"),
        ("fetched_at", "TIMESTAMP"),
        ("posting", "JSON"),
    ),
    "raw_postings": (
        ("id", "VARCHAR"),
        ("source", "VARCHAR"),
        ("run_id", "VARCHAR"),
        ("fetched_at", "TIMESTAMP"),
        ("raw", "JSON"),
        # Digest of the raw posting without `fetched_at` (storage/staging.py `raw_hash`): a
        # re-crawl that serves the same raw posting skips normalization.
        ("raw_hash", "VARCHAR"),
    ),
    "crawl_runs": (
        ("run_id", "VARCHAR"),
        ("source", "VARCHAR"),
        ("spider", "VARCHAR"),
        ("args", "JSON"),
        ("started_at", "TIMESTAMP"),
        ("finished_at", "TIMESTAMP"),
        ("status", "VARCHAR"),
        ("scraped", "BIGINT"),
        ("new", "BIGINT"),
        ("updated", "BIGINT"),
        ("unchanged", "BIGINT"),
        ("rejected", "BIGINT"),
        ("failures", "BIGINT"),
        ("error", "VARCHAR"),
        # The crawl process that wrote the run: a `running` run whose process is gone is stale.
        ("pid", "BIGINT"),
        ("host", "VARCHAR"),
        # Source health (storage/history.py): postings closed and reopened by the run, whether it
        # listed the whole source (only then are absent postings closed), why it was partial,
        # the fill rate (0..1) of each key field over the run's postings, why it is `degraded`.
        ("closed", "BIGINT"),
        ("reopened", "BIGINT"),
        ("complete", "BOOLEAN"),
        ("partial", "VARCHAR"),
        *((f"fill_{name}", "DOUBLE") for name in HEALTH_FIELDS),
        ("reasons", "VARCHAR"),
    ),
    # Every change of a posting's status, so the gaps of a reopened posting stay visible:
    # `closed` (with `reason`: absent from a complete listing, or valid_through passed) and
    # `reopened`.
    "posting_events": (
        ("id", "VARCHAR"),
        ("source_name", "VARCHAR"),
        ("run_id", "VARCHAR"),
        ("happened_at", "TIMESTAMP"),
        ("event", "VARCHAR"),
        ("reason", "VARCHAR"),
    ),
    "rejects": (
        ("run_id", "VARCHAR"),
        ("source", "VARCHAR"),
        ("url", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("raw", "JSON"),
        ("rejected_at", "TIMESTAMP"),
        ("source_name", "VARCHAR"),
    ),
    # The job of each posting (pipelines/identity): postings of one job on several sources share a
    # `job_id`; `source_rank` orders them in `jobs` (0: the company's own board), `block_key` and
    # `link_keys` are what later postings are matched on, `matched_by` how this one joined its job.
    "posting_jobs": (
        ("id", "VARCHAR"),
        ("job_id", "VARCHAR"),
        ("source_rank", "BIGINT"),
        ("block_key", "VARCHAR"),
        ("link_keys", "VARCHAR[]"),
        ("matched_by", "VARCHAR"),
    ),
    # ATS boards the postings link to (pipelines/storage/boards.py); `configured` when a source of
    # the sources file crawls it. `posting_ids` keeps the first few postings that led there.
    "boards": (
        ("board", "VARCHAR"),
        ("ats", "VARCHAR"),
        ("token", "VARCHAR"),
        ("spider", "VARCHAR"),
        ("args", "JSON"),
        ("first_seen_at", "TIMESTAMP"),
        ("last_seen_at", "TIMESTAMP"),
        ("postings", "BIGINT"),
        ("posting_ids", "VARCHAR[]"),
        ("configured", "BOOLEAN"),
    ),
    # Spool batches merged into this database (pipelines/storage/spool_merge.py), one row each,
    # written in the batch's own transaction: a batch id found here is never merged again.
    # `postings`, `rejects`: rows in the batch; `new` .. `expired`: what its merge did, as
    # `crawl_runs` counts them; `unstored`: postings that could not be stored (kept in rejects).
    "spool_batches": (
        ("batch_id", "VARCHAR"),
        ("run_id", "VARCHAR"),
        ("source", "VARCHAR"),
        ("worker", "VARCHAR"),
        ("merged_at", "TIMESTAMP"),
        ("postings", "BIGINT"),
        ("rejects", "BIGINT"),
        ("new", "BIGINT"),
        ("updated", "BIGINT"),
        ("unchanged", "BIGINT"),
        ("reopened", "BIGINT"),
        ("expired", "BIGINT"),
        ("unstored", "BIGINT"),
    ),
    # The store's own facts about the database, e.g. its schema version.
    "jobsift_meta": (("key", "VARCHAR"), ("value", "VARCHAR")),
}

# Views are recreated after every migration (a view binds its columns when it is created).
# `jobs`: one row per job, the fields of its best posting (lowest source rank, then the earliest
# seen), every posting of the job best first as {id, source, source_name, url}, the earliest
# first_seen_at and the latest last_seen_at.
_JOB_FIELDS = [
    c for c in VIEW_COLUMNS if c not in ("id", "job_id", "first_seen_at", "last_seen_at")
]
_JOBS = f"""
WITH ranked AS (
  SELECT p.*, row_number() OVER (
    PARTITION BY p.job_id ORDER BY j.source_rank NULLS LAST, p.first_seen_at, p.id) AS position
  FROM postings p JOIN posting_jobs j USING (id) WHERE p.job_id IS NOT NULL
), grouped AS (
  SELECT job_id, count(*) AS posting_count,
    list({{'id': id, 'source': source, 'source_name': source_name, 'url': url}} ORDER BY position)
      AS postings,
    min(first_seen_at) AS first_seen_at, max(last_seen_at) AS last_seen_at
  FROM ranked GROUP BY job_id
)
SELECT r.job_id, r.id AS posting_id, {", ".join("r." + c for c in _JOB_FIELDS)},
  g.posting_count, g.postings, g.first_seen_at, g.last_seen_at
FROM ranked r JOIN grouped g USING (job_id) WHERE r.position = 1
"""
VIEWS: dict[str, str] = {
    "postings": "SELECT "
    + ", ".join(VIEW_COLUMNS)
    + " FROM posting_rows LEFT JOIN posting_jobs USING (id)",
    "jobs": _JOBS,
}

DDL: tuple[str, ...] = (
    *(_table(name, list(columns)) for name, columns in TABLES.items()),
    *(f"CREATE OR REPLACE VIEW {name} AS {query};" for name, query in VIEWS.items()),
)
