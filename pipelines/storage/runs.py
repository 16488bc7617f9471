"""`crawl_runs`: one row per (run id, configured source). Every query on it lives here.

Statuses: `running` while a crawl works, then `finished`, `degraded` (finished, but its figures
fell against its recent runs: `reasons`, see `health`), `failed`, `skipped` or `interrupted`.
Each call opens the database for itself and closes it (see `database.Database`).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jobsift.pipelines.storage import health, history
from jobsift.pipelines.storage.database import READ_WAIT, Database
from jobsift.pipelines.storage.history import Listing
from jobsift.pipelines.storage.staging import BatchCounts, to_json, utc_naive
from jobsift.schemas.ddl import HEALTH_FIELDS

# Statuses of a run that went to the end of its source (a degraded one too).
DONE = ("finished", "degraded")


@dataclass(frozen=True, slots=True)
class RunRow:
    """One source's run as `summary` reports it."""

    source: str
    status: str
    scraped: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    failures: int
    error: str | None
    seconds: float
    closed: int = 0
    partial: str | None = None
    reasons: str | None = None


@dataclass(frozen=True, slots=True)
class LastRun:
    """A configured source's latest run, as `jobsift sources` shows it."""

    started_at: datetime
    status: str
    scraped: int


def _now() -> datetime | None:
    return utc_naive(datetime.now(UTC))


class Runs:
    """The run log of one database file. `wait`: seconds to wait for another process's hold."""

    def __init__(self, path: str | Path, wait: float = 60.0) -> None:
        self.db = Database(path, wait=wait)

    def start(self, run_id: str, source: str, spider: str, args: dict[str, Any]) -> None:
        """Records a source's run as `running` by this process (creating or migrating the
        database first)."""
        with self.db.writer() as con:
            con.execute(
                "INSERT INTO crawl_runs (run_id, source, spider, args, started_at, status, "
                "scraped, new, updated, unchanged, rejected, failures, pid, host) "
                "VALUES (?, ?, ?, ?, ?, 'running', 0, 0, 0, 0, 0, 0, ?, ?)",
                [run_id, source, spider, to_json(args), _now(), os.getpid(), socket.gethostname()],
            )

    def finish(
        self,
        run_id: str,
        source: str,
        status: str,
        counts: BatchCounts,
        rejected: int,
        failures: list[str],
        listing: Listing | None = None,
    ) -> str:
        """Closes a source's run with its status, counts, health and first 20 failure reasons.

        In one transaction: measures the run's fill rates and, for a finished run, whether it is
        degraded (then its status is `degraded`); closes the postings a whole listing did not see
        (not when the count halved: that is more likely a broken source than closed jobs), and
        those whose valid_through has passed. Returns the status recorded.
        """
        listing = listing or Listing()
        scraped = counts.new + counts.updated + counts.unchanged
        now = _now()
        error = "; ".join(failures[:20]) or None
        base = [now, scraped, counts.new, counts.updated, counts.unchanged, rejected, len(failures)]
        sets = (
            "finished_at = ?, scraped = ?, new = ?, updated = ?, unchanged = ?, rejected = ?, "
            "failures = ?, status = ?, error = ?"
        )
        with self.db.writer() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                found = con.execute(
                    "SELECT started_at FROM crawl_runs WHERE run_id = ? AND source = ?",
                    [run_id, source],
                ).fetchone()
                started = found[0] if found else None
                measured = health.measure(
                    con, run_id, source, started, (scraped, rejected), status == "finished"
                )
                whole = status == "finished" and listing.whole and scraped > 0
                closes = whole and started is not None and not measured.count_dropped
                closed = history.expire(con, run_id, source, now) + counts.expired
                if closes:
                    closed += history.close_absent(con, run_id, source, started, now)
                final = "degraded" if measured.reasons else status
                fills = ", ".join(f"fill_{name} = ?" for name in HEALTH_FIELDS)
                con.execute(
                    f"UPDATE crawl_runs SET {sets}, closed = ?, reopened = ?, complete = ?, "
                    f"partial = ?, reasons = ?, {fills} WHERE run_id = ? AND source = ?",
                    [
                        *base,
                        final,
                        error,
                        closed,
                        counts.reopened,
                        closes,
                        "; ".join(listing.partial) or None,
                        "; ".join(measured.reasons) or None,
                        *measured.fills.values(),
                        run_id,
                        source,
                    ],
                )
                con.execute("COMMIT")
            except Exception as exc:  # whatever it is, the run must not stay `running`
                # The run is recorded all the same, failed: its history could not be settled.
                con.execute("ROLLBACK")
                final = "failed"
                why = f"history not recorded: {type(exc).__name__}: {exc}"
                error = "; ".join(filter(None, [error, why]))
                con.execute(
                    f"UPDATE crawl_runs SET {sets} WHERE run_id = ? AND source = ?",
                    [*base, final, error.splitlines()[0], run_id, source],
                )
        return final

    def fail(self, run_id: str, source: str, spider: str, args: dict[str, Any], error: str) -> None:
        """Marks a source's run `failed` with `error` appended, recording the run if it had no row
        (a crawler that failed before its loader opened)."""
        with self.db.writer() as con:
            exists = con.execute(
                "SELECT count(*) FROM crawl_runs WHERE run_id = ? AND source = ?",
                [run_id, source],
            ).fetchone()
            if not exists or not exists[0]:
                con.execute(
                    "INSERT INTO crawl_runs (run_id, source, spider, args, started_at, status, "
                    "scraped, new, updated, unchanged, rejected, failures) "
                    "VALUES (?, ?, ?, ?, ?, 'failed', 0, 0, 0, 0, 0, 1)",
                    [run_id, source, spider, to_json(args), _now()],
                )
            con.execute(
                "UPDATE crawl_runs SET status = 'failed', finished_at = ?, "
                "error = concat_ws('; ', error, ?) WHERE run_id = ? AND source = ?",
                [_now(), error, run_id, source],
            )

    def skip(
        self, run_id: str, source: str, spider: str, args: dict[str, Any], reason: str
    ) -> None:
        """Records a source that was not crawled (e.g. inside its minimum interval) as `skipped`."""
        with self.db.writer() as con:
            now = _now()
            con.execute(
                "INSERT INTO crawl_runs (run_id, source, spider, args, started_at, finished_at, "
                "status, scraped, new, updated, unchanged, rejected, failures, error) "
                "VALUES (?, ?, ?, ?, ?, ?, 'skipped', 0, 0, 0, 0, 0, 0, ?)",
                [run_id, source, spider, to_json(args), now, now, reason],
            )

    def running(self) -> list[tuple[str, str]]:
        """(run id, source) of every run still marked `running`."""
        return [(run_id, source) for run_id, source, _, _ in self.running_processes()]

    def running_processes(self) -> list[tuple[str, str, int | None, str | None]]:
        """(run id, source, pid, host) of every run still marked `running`."""
        with self.db.writer() as con:
            rows = con.execute(
                "SELECT run_id, source, pid, host FROM crawl_runs WHERE status = 'running' "
                "ORDER BY started_at"
            ).fetchall()
        return [(str(r), str(s), p, h) for r, s, p, h in rows]

    def interrupt(self, run_id: str, sources: list[str], reason: str) -> None:
        """Marks these sources' runs `interrupted` (the reason appended to any error), with
        `scraped` from the rows each actually stored."""
        if not sources:
            return
        with self.db.writer() as con:
            con.execute(
                "UPDATE crawl_runs SET status = 'interrupted', "
                "finished_at = coalesce(finished_at, ?), error = concat_ws('; ', error, ?), "
                "scraped = greatest(scraped, (SELECT count(*) FROM posting_rows p "
                "WHERE p.run_id = crawl_runs.run_id AND p.source_name = crawl_runs.source)) "
                "WHERE run_id = ? AND list_contains(?, source)",
                [_now(), reason, run_id, sources],
            )

    def mark_interrupted(self, reason: str = "the crawl process ended before the run did") -> int:
        """Marks every `running` run `interrupted` and sets its `scraped` from the rows it stored.

        Call it only where no other crawl can be running (under the crawl lock). Returns how many.
        """
        with self.db.writer() as con:
            stale = con.execute(
                "SELECT count(*) FROM crawl_runs WHERE status = 'running'"
            ).fetchone()
            if not stale or not stale[0]:
                return 0
            con.execute(
                "UPDATE crawl_runs SET status = 'interrupted', "
                "finished_at = coalesce(finished_at, ?), "
                "error = concat_ws('; ', error, ?), "
                "scraped = greatest(scraped, (SELECT count(*) FROM posting_rows p "
                "WHERE p.run_id = crawl_runs.run_id AND p.source_name = crawl_runs.source)) "
                "WHERE status = 'running'",
                [_now(), reason],
            )
            return int(stale[0])

    def last_finished_at(self, source: str) -> datetime | None:
        """Start time (UTC, naive) of the source's latest finished (or degraded) run; None if none.

        The minimum-interval check compares it with `utc_naive(datetime.now(UTC))`.
        """
        with self.db.writer() as con:
            row = con.execute(
                "SELECT max(started_at) FROM crawl_runs "
                "WHERE source = ? AND list_contains(?, status)",
                [source, list(DONE)],
            ).fetchone()
        return row[0] if row else None

    def summary(self, run_id: str) -> list[RunRow]:
        """Every source's row of one run, by source name."""
        with self.db.writer() as con:
            rows = con.execute(
                "SELECT source, status, scraped, new, updated, unchanged, rejected, failures, "
                "error, epoch(finished_at - started_at), closed, partial, reasons "
                "FROM crawl_runs WHERE run_id = ? ORDER BY source",
                [run_id],
            ).fetchall()
        return [
            RunRow(
                s,
                st,
                sc or 0,
                n or 0,
                u or 0,
                un or 0,
                r or 0,
                f or 0,
                e,
                float(secs or 0),
                c or 0,
                p,
                why,
            )
            for s, st, sc, n, u, un, r, f, e, secs, c, p, why in rows
        ]


def last_runs(path: str | Path, wait: float = READ_WAIT) -> dict[str, LastRun]:
    """Each configured source's latest run, read-only (empty when there is no database yet)."""
    db = Database(path)
    if not db.path.is_file():
        return {}
    with db.reader(wait) as con:
        rows = con.execute(
            "SELECT source, max(started_at), arg_max(status, started_at), "
            "arg_max(scraped, started_at) FROM crawl_runs GROUP BY source"
        ).fetchall()
    return {
        source: LastRun(started, status, scraped or 0) for source, started, status, scraped in rows
    }


def postings_per_source(path: str | Path, wait: float = READ_WAIT) -> dict[str, int]:
    """How many postings the database holds per configured source (empty without a database)."""
    db = Database(path)
    if not db.path.is_file():
        return {}
    with db.reader(wait) as con:
        rows = con.execute(
            "SELECT source_name, count(*) FROM postings WHERE source_name IS NOT NULL "
            "GROUP BY source_name"
        ).fetchall()
    return {str(source): int(count) for source, count in rows}
