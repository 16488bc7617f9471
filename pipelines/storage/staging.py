"""Postings as rows for the store: flat columns, a content hash, JSON copies, one Arrow schema."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from jobsift.schemas import Posting
from jobsift.schemas.ddl import POSTING_COLUMNS, flatten
from jobsift.schemas.posting import RELATIVE_DATE_MARK

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "VARCHAR[]": pa.list_(pa.string()),
    "TIMESTAMP": pa.timestamp("us"),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "BIGINT": pa.int64(),
    "JSON": pa.string(),
}
# A staged row: the posting's columns, what the loader adds (hash, run, configured source) and the
# JSON copies of the posting and of its raw payload.
_STAGE_EXTRA = (
    ("content_hash", "VARCHAR"),
    ("run_id", "VARCHAR"),
    ("source_name", "VARCHAR"),
    ("posting_json", "JSON"),
    ("raw_json", "JSON"),
    ("raw_hash", "VARCHAR"),
)
STAGE_SCHEMA = pa.schema(
    [(c.name, _ARROW_TYPES[c.sql_type]) for c in POSTING_COLUMNS]
    + [(name, _ARROW_TYPES[typ]) for name, typ in _STAGE_EXTRA]
)


def utc_naive(value: datetime | None) -> datetime | None:
    """DuckDB TIMESTAMP columns hold UTC wall time."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


# Keys of a raw posting that change with every fetch without the posting changing.
VOLATILE_RAW_KEYS = frozenset({"fetched_at"})


def raw_hash(payload: dict[str, Any]) -> str:
    """A digest of a raw posting as served, its volatile keys (`fetched_at`) left out: equal
    digests mean the source served the same posting again (`raw_postings.raw_hash`)."""
    kept = {k: v for k, v in payload.items() if k not in VOLATILE_RAW_KEYS}
    text = json.dumps(kept, ensure_ascii=False, sort_keys=True, default=_json_default)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(slots=True)
class SeenUnchanged:
    """A raw posting the source served exactly as stored before (same `raw_hash`): it skips the
    chain, and the loader only moves its row's `last_seen_at` (counted `unchanged`)."""

    raw_hash: str
    fetched_at: datetime | None
    payload: dict[str, Any]  # kept until the batch is written, in case the row has gone


@dataclass(slots=True)
class StagedPosting:
    """A valid posting staged for the loader (`stage_row`); the loader sets its run and source."""

    row: dict[str, Any]

    @property
    def posting(self) -> Posting:
        """The posting itself, rebuilt from the staged JSON (for pipelines placed before the loader)."""
        fetched_at = self.row["fetched_at"]  # kept out of the JSON (it is not content)
        if fetched_at is not None and fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        return Posting.model_validate(
            {**json.loads(self.row["posting_json"]), "fetched_at": fetched_at}
        )


@dataclass(slots=True)
class BatchCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0  # closed postings seen again (also counted as updated or unchanged)
    expired: int = 0  # postings stored closed because their valid_through has passed

    def add(self, other: BatchCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.reopened += other.reopened
        self.expired += other.expired


def stage_row(posting: Posting, raw: dict[str, Any], run_id: str) -> dict[str, Any]:
    """One posting as a row of the staging table (flat columns, hash, JSON copies)."""
    posting_json = posting.model_dump_json(exclude={"fetched_at"})
    hashed = posting_json
    if posting.provenance.get("overview.posted_at", "").endswith(RELATIVE_DATE_MARK):
        # A date read from "3 days ago" moves with every fetch; it alone is not a new version.
        hashed = posting.model_dump_json(
            exclude={"fetched_at": True, "overview": {"posted_at", "posted_text"}}
        )
    row = flatten(posting.model_dump())
    for column in POSTING_COLUMNS:
        if column.sql_type == "TIMESTAMP":
            row[column.name] = utc_naive(row[column.name])
        elif column.sql_type == "JSON":
            row[column.name] = to_json(row[column.name])
    row["content_hash"] = hashlib.blake2b(hashed.encode(), digest_size=16).hexdigest()
    row["run_id"] = run_id
    row["source_name"] = None
    row["posting_json"] = posting_json
    row["raw_json"] = to_json(raw)
    row["raw_hash"] = raw_hash(raw)
    return row
