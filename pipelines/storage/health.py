"""Source health (README, "History and source health"): figures of a run and whether its source is degraded.

Each run of a source records the fill rate (0..1) of the key fields over the postings it stored or
saw (`crawl_runs.fill_<field>`). It is `degraded` when, against the median of the source's last
`BASELINE_RUNS` finished (or degraded) runs, needing at least `BASELINE_MIN` of them:

- its postings fall by more than half (fewer than half the median);
- a key field's fill rate drops by more than `FILL_DROP` (20 points);

or, with no baseline needed, when more than `REJECT_RATE` (5%) of what it was served was rejected.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from jobsift.pipelines.storage.database import READ_WAIT, Database
from jobsift.pipelines.storage.history import SEEN
from jobsift.schemas.ddl import HEALTH_FIELDS

BASELINE_RUNS = 5
BASELINE_MIN = 3
REJECT_RATE = 0.05
FILL_DROP = 0.20

# What "filled" means for each key field, as SQL over `posting_rows`.
FILLED: dict[str, str] = {
    "work_setting": "work_setting IS NOT NULL",
    "location": "coalesce(worldwide, false) OR len(coalesce(countries, [])) > 0",
    "salary": "salary_min IS NOT NULL OR salary_max IS NOT NULL",
    "responsibilities": "len(coalesce(responsibilities, [])) > 0",
    "requirements_minimum": "len(coalesce(requirements_minimum, [])) > 0",
    "posted_at": "posted_at IS NOT NULL",
}
if tuple(FILLED) != HEALTH_FIELDS:
    raise RuntimeError("storage.health.FILLED must define every ddl.HEALTH_FIELDS entry, in order")

COUNT_DROP = "postings"  # the first word of the reason of a count that halved


@dataclass(frozen=True, slots=True)
class Health:
    """One run's figures as measured, and why it is degraded (empty: it is not)."""

    fills: dict[str, float | None]
    reasons: list[str]

    @property
    def count_dropped(self) -> bool:
        return any(reason.startswith(COUNT_DROP) for reason in self.reasons)


def fill_rates(
    con: duckdb.DuckDBPyConnection, run_id: str, source: str, started_at: datetime | None
) -> dict[str, float | None]:
    """Fill rate of each key field over the postings this run stored or saw (None: no posting)."""
    parts = ", ".join(f"avg(CASE WHEN {sql} THEN 1.0 ELSE 0.0 END)" for sql in FILLED.values())
    row = con.execute(
        f"SELECT {parts} FROM posting_rows WHERE {SEEN}", [source, run_id, started_at]
    ).fetchone()
    return dict(zip(FILLED, row or [None] * len(FILLED), strict=True))


def baseline(con: duckdb.DuckDBPyConnection, run_id: str, source: str) -> list[dict[str, Any]]:
    """The source's last BASELINE_RUNS finished or degraded runs before `run_id`, newest first."""
    fills = ", ".join(f"fill_{name}" for name in HEALTH_FIELDS)
    cursor = con.execute(
        f"SELECT scraped, {fills} FROM crawl_runs WHERE source = ? AND run_id <> ? "
        "AND status IN ('finished', 'degraded') ORDER BY started_at DESC LIMIT ?",
        [source, run_id, BASELINE_RUNS],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def degradation(
    scraped: int, rejected: int, fills: dict[str, float | None], history: list[dict[str, Any]]
) -> list[str]:
    """Why a run with these figures is degraded against `history` (its baseline runs)."""
    reasons = []
    counts = [run["scraped"] for run in history if run["scraped"] is not None]
    if len(counts) >= BASELINE_MIN:
        median = statistics.median(counts)
        if scraped < median / 2:
            reasons.append(
                f"{COUNT_DROP} fell to {scraped} from a median of {median:g} "
                f"over the last {len(counts)} runs"
            )
    served = scraped + rejected
    if served and rejected / served > REJECT_RATE:
        reasons.append(
            f"rejects {rejected / served:.1%} of {served} served (over {REJECT_RATE:.0%})"
        )
    for name, value in fills.items():
        before = [run[f"fill_{name}"] for run in history if run[f"fill_{name}"] is not None]
        if value is None or len(before) < BASELINE_MIN:
            continue
        median = statistics.median(before)
        if median - value > FILL_DROP + 1e-9:
            reasons.append(
                f"{name} filled {value:.0%} against a median of {median:.0%} "
                f"(-{(median - value) * 100:.0f} points)"
            )
    return reasons


def measure(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    started_at: datetime | None,
    counts: tuple[int, int],
    judged: bool,
) -> Health:
    """Fill rates of the run and, when `judged` (it finished), why it is degraded against its
    baseline; `counts` are its (scraped, rejected)."""
    scraped, rejected = counts
    fills = fill_rates(con, run_id, source, started_at)
    if not judged:
        return Health(fills, [])
    return Health(fills, degradation(scraped, rejected, fills, baseline(con, run_id, source)))


@dataclass(frozen=True, slots=True)
class RunHealth:
    """One row of `jobsift report`: a source's run with its figures."""

    source: str
    run_id: str
    started_at: datetime | None
    status: str
    scraped: int
    new: int
    updated: int
    unchanged: int
    closed: int
    rejected: int
    complete: bool | None
    fills: dict[str, float | None]
    reasons: str | None


def health_history(
    path: str | Path, source: str | None = None, runs: int = 10, wait: float = READ_WAIT
) -> list[RunHealth]:
    """Each source's last `runs` runs (skipped ones left out), by source then oldest first."""
    db = Database(path)
    fills = ", ".join(f"fill_{name}" for name in HEALTH_FIELDS)
    query = (
        "SELECT * FROM (SELECT source, run_id, started_at, status, scraped, new, updated, "
        f"unchanged, closed, rejected, complete, {fills}, coalesce(reasons, error) AS reasons, "
        "row_number() OVER (PARTITION BY source ORDER BY started_at DESC) AS recent "
        "FROM crawl_runs WHERE status <> 'skipped' AND (? IS NULL OR source = ?)) "
        "WHERE recent <= ? ORDER BY source, started_at"
    )
    with db.reader(wait) as con:
        rows = con.execute(query, [source, source, runs]).fetchall()
    out = []
    for row in rows:
        head, fill_values, reasons = row[:11], row[11 : 11 + len(HEALTH_FIELDS)], row[-2]
        counts = [int(v or 0) for v in head[4:10]]
        out.append(
            RunHealth(
                head[0],
                head[1],
                head[2],
                head[3],
                *counts,
                head[10],
                dict(zip(HEALTH_FIELDS, fill_values, strict=True)),
                reasons,
            )
        )
    return out
