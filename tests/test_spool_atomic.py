"""A spool batch is merged whole or not at all: a merge killed outright (kill -9) between batches
or inside one leaves committed batches only, and merging again completes the spool exactly as one
uninterrupted merge does; a batch merged meanwhile by another merge is refused in its transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jobsift.pipelines.storage.database import Database
from jobsift.pipelines.storage.spool import read_rows, scan
from jobsift.pipelines.storage.spool_merge import (
    AlreadyMerged,
    merge_spool,
    record_batch,
)
from jobsift.pipelines.storage.store import write_batch_to

from bench.merge import staged_rows, write_spool
from tests.support.crawl import _env

ROWS, BATCH = 3000, 50


def _content(db: Path) -> dict[str, Any]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "rows": con.execute(
                "SELECT id, content_hash, status, run_id FROM posting_rows ORDER BY id"
            ).fetchall(),
            "versions": con.execute("SELECT count(*) FROM posting_versions").fetchall(),
            "raw": con.execute("SELECT count(*), count(DISTINCT id) FROM raw_postings").fetchall(),
            "jobs": con.execute("SELECT count(*), count(DISTINCT id) FROM posting_jobs").fetchall(),
            "batches": con.execute(
                "SELECT batch_id, postings, new FROM spool_batches ORDER BY 1"
            ).fetchall(),
        }


@pytest.fixture(scope="module")
def spool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("atomic")
    write_spool(tmp / "spool", staged_rows(ROWS, 60, tmp), "run-atomic", BATCH)
    return tmp / "spool"


def test_a_killed_merge_leaves_whole_batches_and_merging_again_completes(
    spool: Path, tmp_path: Path
) -> None:
    clean = tmp_path / "clean.duckdb"
    merge_spool(clean, spool)
    db = tmp_path / "killed.duckdb"
    command = [sys.executable, "-m", "jobsift.crawlers.cli", "merge"]
    proc = subprocess.Popen(
        [*command, "--spool", str(spool), "--db", str(db)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = db.with_name(db.name + ".wal")
    deadline = time.monotonic() + 120
    # Until the log holds a committed batch (the schema alone is a few KB of it).
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 100_000:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Database(db).writer() as con:  # replays the committed part of the log
        done = len(con.execute("SELECT batch_id FROM spool_batches").fetchall())
        stored = con.execute("SELECT count(*) FROM posting_rows").fetchone()
    assert 0 < done < ROWS // BATCH  # killed mid-merge
    assert stored is not None and stored[0] == done * BATCH  # whole batches only
    again = merge_spool(db, spool)
    assert (again.already, again.batches) == (done, ROWS // BATCH - done)
    assert _content(db) == _content(clean)


def test_a_batch_merged_meanwhile_is_refused_inside_its_transaction(
    spool: Path, tmp_path: Path
) -> None:
    db = tmp_path / "j.duckdb"
    merge_spool(db, spool)
    before = _content(db)
    manifest = scan(spool)[0][0]
    rows = [dict(r, id=f"{r['id']}-again") for r in read_rows(manifest)]
    with Database(db).writer() as con, pytest.raises(AlreadyMerged):
        write_batch_to(
            con, rows, [], manifest.run_id, manifest.source, None, record_batch(manifest)
        )
    assert _content(db) == before  # its postings were rolled back with it
