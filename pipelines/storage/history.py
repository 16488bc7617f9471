"""Open and closed postings (README, "History and source health"); every query about a posting's status.

A posting is `open` while its source lists it. It is `closed`:

- when a run of its configured source (`posting_rows.source_name`) listed the whole source (a
  spider with `complete_listing`, not marked partial, finished without failure, not degraded by its
  count, at least one posting) and did not see it (`close_absent`, at the end of the run);
- when its `valid_through` has passed (`statuses` when it is stored, `expire` at the end of every
  run of its source, whatever the run's status).

A closed posting seen again is reopened. Each change is a row of `posting_events`, so the gaps of a
posting that went away and came back stay in its history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

OPEN, CLOSED, REOPENED = "open", "closed", "reopened"
ABSENT = "absent from a complete listing of its source"
EXPIRED = "its valid_through has passed"
SEEN_AGAIN = "seen again"

_EVENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source_name", pa.string()),
        ("run_id", pa.string()),
        ("happened_at", pa.timestamp("us")),
        ("event", pa.string()),
        ("reason", pa.string()),
    ]
)
_OPEN = "coalesce(status, 'open') = 'open'"  # rows stored before statuses existed are open


@dataclass(slots=True)
class Statuses:
    """The status columns of a batch being written and the events they make."""

    status: list[str] = field(default_factory=list)
    closed_at: list[datetime | None] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    reopened: int = 0
    expired: int = 0


def statuses(
    batch: pa.Table,
    stored: dict[str, tuple[str | None, datetime | None]],
    seen_at: datetime | None,
) -> Statuses:
    """Status and closed_at of every row of a batch: seen now, so open unless its valid_through
    has passed. `stored` maps the ids already stored to their (status, closed_at)."""
    out = Statuses()
    columns = (batch.column(name).to_pylist() for name in ("id", "valid_through", "source_name"))
    run_ids = batch.column("run_id").to_pylist()
    for (posting_id, valid_through, source_name), run_id in zip(
        zip(*columns, strict=True), run_ids, strict=True
    ):
        before, before_closed = stored.get(posting_id, (None, None))
        if seen_at is None:  # re-read, not seen (`jobsift renormalize`): the status stays
            out.status.append(before or OPEN)
            out.closed_at.append(before_closed)
            continue
        event = {
            "id": posting_id,
            "source_name": source_name,
            "run_id": run_id,
            "happened_at": seen_at,
        }
        if valid_through is not None and seen_at is not None and valid_through < seen_at:
            out.status.append(CLOSED)
            out.closed_at.append(before_closed if before == CLOSED else valid_through)
            if before != CLOSED:
                out.events.append({**event, "event": CLOSED, "reason": EXPIRED})
                out.expired += 1
        else:
            out.status.append(OPEN)
            out.closed_at.append(None)
            if before == CLOSED:
                out.events.append({**event, "event": REOPENED, "reason": SEEN_AGAIN})
                out.reopened += 1
    return out


def insert_events(con: duckdb.DuckDBPyConnection, events: list[dict[str, Any]]) -> None:
    if not events:
        return
    con.register("batch_events", pa.Table.from_pylist(events, schema=_EVENT_SCHEMA))
    try:
        con.execute(
            "INSERT INTO posting_events (id, source_name, run_id, happened_at, event, reason) "
            "SELECT id, source_name, run_id, happened_at, event, reason FROM batch_events"
        )
    finally:
        con.unregister("batch_events")


def _close(
    con: duckdb.DuckDBPyConnection,
    where: str,
    params: list[Any],
    run_id: str,
    now: datetime | None,
    reason: str,
    closed_at: str,
) -> int:
    """Closes the open rows matching `where` with one event each; returns how many.

    `closed_at` is the SQL of the closing time: `?` (now) or a column.
    """
    condition = f"{_OPEN} AND {where}"
    found = con.execute(f"SELECT count(*) FROM posting_rows WHERE {condition}", params).fetchone()
    if not found or not found[0]:
        return 0
    con.execute(
        "INSERT INTO posting_events (id, source_name, run_id, happened_at, event, reason) "
        f"SELECT id, source_name, ?, ?, '{CLOSED}', ? FROM posting_rows WHERE {condition}",
        [run_id, now, reason, *params],
    )
    con.execute(
        f"UPDATE posting_rows SET status = '{CLOSED}', closed_at = {closed_at} WHERE {condition}",
        [*([now] if closed_at == "?" else []), *params],
    )
    return int(found[0])


# The postings of a source that a run saw: stored by it (`run_id`) or seen since it started (a
# store path that only moves `last_seen_at` counts too). Parameters: source, run id, started at.
SEEN = "source_name = ? AND (run_id = ? OR last_seen_at >= ?)"


def close_absent(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    started_at: datetime,
    now: datetime | None,
) -> int:
    """Closes the open postings of `source` that the run `run_id` (started at `started_at`) did
    not see. A posting whose page this run rejected (same URL) was listed, so it stays open.
    """
    where = (
        f"source_name = ? AND NOT coalesce({SEEN}, false) AND (url IS NULL OR url NOT IN "
        "(SELECT url FROM rejects WHERE run_id = ? AND source_name = ? AND url IS NOT NULL))"
    )
    params = [source, source, run_id, started_at, run_id, source]
    return _close(con, where, params, run_id, now, ABSENT, "?")


def expire(con: duckdb.DuckDBPyConnection, run_id: str, source: str, now: datetime | None) -> int:
    """Closes the open postings of `source` whose valid_through has passed (closed_at: that date)."""
    where = "source_name = ? AND valid_through < ?"
    return _close(con, where, [source, now], run_id, now, EXPIRED, "valid_through")


@dataclass(frozen=True, slots=True)
class Listing:
    """What a spider says about the run's coverage of its source.

    `complete`: the spider lists the whole source (an ATS board, every page); `partial`: why this
    run did not (a cap or a page limit was hit). Only a complete, not partial listing closes by
    absence.
    """

    complete: bool = False
    partial: tuple[str, ...] = ()

    @property
    def whole(self) -> bool:
        return self.complete and not self.partial
