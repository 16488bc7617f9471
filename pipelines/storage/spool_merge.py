"""The one writer: spool batches into DuckDB, and a distributed run's `crawl_runs` rows from them.

`merge_spool` loads every complete batch of the spool (`spool.py`) not merged yet, each through the
same write as a local crawl's batch (`store.write_batch_to`: postings merged, boards, rejects) and,
in that batch's transaction, records it in `spool_batches`. So a batch is merged once or not at
all: merging again changes nothing, and a coordinator that dies mid-merge leaves no half batch.
A batch without its manifest (its worker died while writing it) or whose files do not match its
manifest is never merged; it is reported.

`finish_from_spool` closes one source's run of a distributed crawl as a local crawl's loader does
(`Runs.finish`: counts, failures, health, closing by absence), from the counts its batches recorded
and the workers' end records.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from jobsift.pipelines.storage.database import Database
from jobsift.pipelines.storage.history import Listing
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.spool import (
    Incomplete,
    Manifest,
    check,
    read_ends,
    read_rejects,
    read_rows,
    read_seen,
    scan,
)
from jobsift.pipelines.storage.staging import BatchCounts, utc_naive
from jobsift.pipelines.storage.store import BatchResult, Record, write_batch_to

# Seconds the merge holds the database before letting readers in between two batches.
HOLD = 5.0
_COUNTS = "new, updated, unchanged, reopened, expired"


class AlreadyMerged(Exception):
    """The batch was merged (by another merge of this process) while this one read it."""


@dataclass(slots=True)
class SourceMerge:
    """What one merge loaded for one source of one run."""

    run_id: str
    source: str
    batches: int = 0
    postings: int = 0
    rejects: int = 0
    unstored: int = 0
    counts: BatchCounts = field(default_factory=BatchCounts)


@dataclass(slots=True)
class SpoolMerge:
    """What one `merge_spool` did: per (run, source), batches already merged, batches left."""

    merged: dict[tuple[str, str], SourceMerge] = field(default_factory=dict)
    already: int = 0
    incomplete: list[Incomplete] = field(default_factory=list)

    @property
    def batches(self) -> int:
        return sum(s.batches for s in self.merged.values())

    @property
    def rows(self) -> int:
        return sum(s.postings for s in self.merged.values())


def merged_batches(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT batch_id FROM spool_batches").fetchall()}


def record_batch(manifest: Manifest) -> Record:
    """Records the batch as merged, inside its transaction (refusing a batch merged meanwhile)."""

    def record(con: duckdb.DuckDBPyConnection, result: BatchResult) -> None:
        found = con.execute(
            "SELECT count(*) FROM spool_batches WHERE batch_id = ?", [manifest.batch_id]
        ).fetchone()
        if found and found[0]:
            raise AlreadyMerged(manifest.batch_id)
        c = result.counts
        con.execute(
            "INSERT INTO spool_batches (batch_id, run_id, source, worker, merged_at, postings, "
            f"rejects, {_COUNTS}, unstored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                manifest.batch_id,
                manifest.run_id,
                manifest.source,
                manifest.worker,
                utc_naive(datetime.now(UTC)),
                manifest.postings,
                manifest.rejects,
                c.new,
                c.updated,
                c.unchanged,
                c.reopened,
                c.expired,
                result.unstored,
            ],
        )

    return record


def _merge_one(con: duckdb.DuckDBPyConnection, manifest: Manifest, out: SpoolMerge) -> None:
    why = check(manifest)
    if why is None:
        try:
            rows, rejects, seen = read_rows(manifest), read_rejects(manifest), read_seen(manifest)
        except (OSError, pa.ArrowException, ValueError) as exc:
            why = (
                f"unreadable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            )
    if why is not None:
        out.incomplete.append(Incomplete(manifest.run_id, manifest.batch_id, why))
        return
    try:
        result = write_batch_to(
            con, rows, rejects, manifest.run_id, manifest.source, seen, record_batch(manifest)
        )
    except AlreadyMerged:
        out.already += 1
        return
    key = (manifest.run_id, manifest.source)
    done = out.merged.setdefault(key, SourceMerge(*key))
    done.batches += 1
    done.postings += manifest.postings
    done.rejects += manifest.rejects
    done.unstored += result.unstored
    done.counts.add(result.counts)


def merge_spool(
    db_path: str | Path,
    spool_dir: str | Path,
    run_id: str | None = None,
    source: str | None = None,
    wait: float = 60.0,
) -> SpoolMerge:
    """Merges every complete batch of the spool (of one run, of one source) not merged yet."""
    spool = Path(spool_dir)
    manifests, incomplete = scan(spool, run_id)
    if source is not None:
        manifests = [m for m in manifests if m.source == source]
    out = SpoolMerge(incomplete=incomplete)
    db = Database(db_path, wait=wait)
    pending = list(manifests)
    while pending:
        # One opening for many batches (fast), released every HOLD seconds for readers.
        with db.writer() as con:
            done = merged_batches(con)
            opened = time.monotonic()
            while pending and time.monotonic() - opened < HOLD:
                manifest = pending.pop(0)
                if manifest.batch_id in done:
                    out.already += 1
                else:
                    _merge_one(con, manifest, out)
    return out


def finish_from_spool(
    db_path: str | Path,
    spool_dir: str | Path,
    run_id: str,
    source: str,
    extra_failures: tuple[str, ...] | list[str] = (),
    wait: float = 60.0,
) -> str:
    """Records the end of one source's run of a distributed crawl; returns its status.

    Merges the source's batches still in the spool first. Counts: the sums of its merged batches;
    failures and partial reasons: those of every worker's end record (and `extra_failures`, e.g.
    from the coordinator); a complete listing only if every worker says so. A batch an end record
    names that was not merged, or no end record at all, fails the run: something may be missing.
    """
    spool = Path(spool_dir)
    merge = merge_spool(db_path, spool, run_id, source, wait)
    with Database(db_path, wait=wait).writer() as con:
        started = con.execute(
            "SELECT count(*) FROM crawl_runs WHERE run_id = ? AND source = ?", [run_id, source]
        ).fetchone()
        if not started or not started[0]:
            raise LookupError(f"no run {run_id} of source {source!r} in {db_path}")
        sums = con.execute(
            f"SELECT {', '.join(f'coalesce(sum({c}), 0)' for c in _COUNTS.split(', '))}, "
            "coalesce(sum(rejects), 0), coalesce(sum(unstored), 0) "
            "FROM spool_batches WHERE run_id = ? AND source = ?",
            [run_id, source],
        ).fetchone()
        merged = {
            row[0]
            for row in con.execute(
                "SELECT batch_id FROM spool_batches WHERE run_id = ? AND source = ?",
                [run_id, source],
            ).fetchall()
        }
    new, updated, unchanged, reopened, expired, rejects, unstored = (int(v) for v in sums or ())
    counts = BatchCounts(new, updated, unchanged, reopened, expired)
    ends = read_ends(spool, run_id, source)
    failures: list[str] = []
    partial: list[str] = []
    for end in ends:
        failures += [f for f in end.failures if f not in failures]
        partial += [p for p in end.partial if p not in partial]
    if not ends:
        failures.append("no worker recorded the end of its crawl in the spool")
    missing = [b for end in ends for b in end.batches if b not in merged]
    if missing:
        why = {i.batch_id: i.why for i in merge.incomplete}
        named = "; ".join(f"{b} ({why.get(b, 'not in the spool')})" for b in missing[:3])
        failures.append(f"{len(missing)} spool batch(es) of this run not merged: {named}")
    if unstored:
        failures.append(f"DuckDB write failed for {unstored} postings, stored in rejects")
    failures += [f for f in extra_failures if f not in failures]
    listing = Listing(
        complete=bool(ends) and all(end.complete_listing for end in ends), partial=tuple(partial)
    )
    status = "failed" if failures else "finished"
    return Runs(db_path, wait=wait).finish(
        run_id, source, status, counts, rejects + unstored, failures, listing
    )
