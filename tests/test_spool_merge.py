"""The one writer: spool batches of real crawls merged into DuckDB give the rows of a local crawl,
merging twice changes nothing, a half-written batch is never merged, and a distributed run ends
with the `crawl_runs` row a local run would have."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.spool import (
    Batch,
    EndRecord,
    read_rejects,
    scan,
    write_batch,
    write_end,
)
from jobsift.pipelines.storage.spool_merge import finish_from_spool, merge_spool

from tests.support.server import FixtureServer
from tests.support.spool import LOCAL, SPOOL, crawl, make_site

ROLES = 23
GONE = 3  # roles missing from the second crawl's site
BROKEN = 1  # role pages without a title: rejects (more would degrade the run: reject rate)
SOURCE = "mira"
ARGS: dict[str, str] = {}
# posting_rows columns that tell when and by which run a row was written, not what it holds.
WHEN = {"run_id", "first_seen_at", "last_seen_at", "closed_at"}
RUN_COLUMNS = (
    "status, reasons, scraped, new, updated, unchanged, rejected, failures, closed, complete"
)


def _query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _columns(db: Path, table: str) -> list[str]:
    rows = _query(db, f"SELECT * FROM {table} LIMIT 0")
    assert rows == []
    with duckdb.connect(str(db), read_only=True) as con:
        return [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]


def _content(db: Path) -> dict[str, Any]:
    """Everything the database holds about postings, without when or by which run."""
    kept = [c for c in _columns(db, "posting_rows") if c not in WHEN]
    return {
        "postings": _query(db, f"SELECT {', '.join(kept)} FROM posting_rows ORDER BY id"),
        "versions": _query(
            db, "SELECT id, content_hash, posting FROM posting_versions ORDER BY 1, 2"
        ),
        "raw": _query(
            db, "SELECT id, source, fetched_at, raw, raw_hash FROM raw_postings ORDER BY id"
        ),
        "jobs": _query(db, "SELECT * FROM posting_jobs ORDER BY id"),
        "rejects": _query(
            db, "SELECT source, source_name, url, reason, raw FROM rejects ORDER BY url"
        ),
        "events": _query(db, "SELECT id, event, reason FROM posting_events ORDER BY id, event"),
        "boards": _query(db, "SELECT board, postings FROM boards ORDER BY board"),
    }


@dataclass
class Crawls:
    local: Path  # database of two local crawls (the whole site, then GONE roles fewer)
    merged: Path  # database of the same two crawls through the spool
    spool: Path
    runs: tuple[str, str]


def _distributed(db: Path, spool: Path, run_id: str) -> str:
    Runs(db).start(run_id, SOURCE, "withmira", ARGS)  # as the coordinator does
    merge_spool(db, spool, run_id)
    return finish_from_spool(db, spool, run_id, SOURCE)


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    tmp = tmp_path_factory.mktemp("merge")
    local, merged, spool = tmp / "local.duckdb", tmp / "merged.duckdb", tmp / "spool"
    sites = [
        make_site(tmp / "site-1", ROLES, BROKEN),
        make_site(tmp / "site-2", ROLES - GONE, BROKEN),
    ]
    runs = ("dist-1", "dist-2")
    with FixtureServer(root=sites[0].root) as server:
        for number, (site, run_id) in enumerate(zip(sites, runs, strict=True)):
            server.roots = [site.root]  # the same site, GONE roles fewer the second time
            here = crawl(server, tmp / "work", LOCAL, f"local-{number}", JOBSIFT_DB=str(local))
            assert here.returncode == 0, here.log[-3000:]
            spooled = crawl(
                server,
                tmp / "work",
                SPOOL,
                run_id,
                JOBSIFT_SPOOL=str(spool),
                JOBSIFT_WORKER_ID="w1",
                JOBSIFT_BATCH_SIZE=4,
            )
            assert spooled.returncode == 0, spooled.log[-3000:]
            _distributed(merged, spool, run_id)
    return Crawls(local, merged, spool, runs)


def test_the_spool_gives_the_rows_of_a_local_crawl(crawls: Crawls) -> None:
    local, merged = _content(crawls.local), _content(crawls.merged)
    assert len(merged["postings"]) == ROLES - BROKEN  # broken pages are rejects
    assert len(merged["rejects"]) == 2 * BROKEN
    assert len(merged["events"]) == GONE
    for table in local:
        assert merged[table] == local[table], table


def test_a_distributed_run_ends_as_a_local_one(crawls: Crawls) -> None:
    local = _query(crawls.local, f"SELECT {RUN_COLUMNS} FROM crawl_runs ORDER BY started_at")
    merged = _query(crawls.merged, f"SELECT {RUN_COLUMNS} FROM crawl_runs ORDER BY started_at")
    assert merged == local
    kept = ROLES - BROKEN - GONE
    assert merged == [
        ("finished", None, ROLES - BROKEN, ROLES - BROKEN, 0, 0, BROKEN, 0, 0, True),
        ("finished", None, kept, 0, 0, kept, BROKEN, 0, GONE, True),
    ]
    statuses = _query(crawls.merged, "SELECT status, count(*) FROM postings GROUP BY 1 ORDER BY 1")
    assert statuses == [("closed", GONE), ("open", kept)]


def _snapshot(db: Path) -> dict[str, Any]:
    tables = ["posting_rows", "posting_versions", "posting_events", "raw_postings", "rejects"]
    out: dict[str, Any] = {t: _query(db, f"SELECT count(*) FROM {t}") for t in tables}
    out["seen"] = _query(db, "SELECT id, last_seen_at, run_id FROM posting_rows ORDER BY id")
    out["runs"] = _query(db, "SELECT * FROM crawl_runs ORDER BY started_at")
    out["batches"] = _query(db, "SELECT * FROM spool_batches ORDER BY batch_id")
    return out


def test_merging_again_changes_nothing(crawls: Crawls, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(crawls.merged, db)
    before = _snapshot(db)
    manifests, _ = scan(crawls.spool)
    assert len(before["batches"]) == len(manifests) > 2
    again = merge_spool(db, crawls.spool)
    assert (again.batches, again.already, again.incomplete) == (0, len(manifests), [])
    assert _snapshot(db) == before


def _renamed(table: Any, suffix: str) -> Any:
    """A batch's rows as other postings (ids no database holds yet)."""
    ids = pc.binary_join_element_wise(table.column("id"), suffix, "")
    return table.set_column(table.schema.get_field_index("id"), "id", ids)


def test_a_batch_without_its_manifest_is_never_merged(crawls: Crawls, tmp_path: Path) -> None:
    db, spool = tmp_path / "copy.duckdb", tmp_path / "spool"
    shutil.copy(crawls.merged, db)
    shutil.copytree(crawls.spool, spool)
    folder = spool / crawls.runs[0]
    source = next(m for m in scan(spool)[0] if m.run_id == crawls.runs[0] and m.postings == 4)
    table = _renamed(pq.read_table(source.path("postings")), "-half")
    # A worker died after its Parquet file, before the manifest.
    pq.write_table(table, folder / "w9-mira-000001-0000aaaa.postings.parquet")
    # One died in the middle of the Parquet file.
    whole = source.path("postings").read_bytes()
    (folder / "w9-mira-000002-0000bbbb.postings.parquet").write_bytes(whole[: len(whole) // 2])
    # A manifest whose file was cut afterwards (it does not match the manifest).
    rows = _renamed(table, "-cut").to_pylist()
    cut = write_batch(spool, Batch("w9-mira-000003-0000cccc", crawls.runs[0], SOURCE, "w9", rows))
    parquet = folder / "w9-mira-000003-0000cccc.postings.parquet"
    parquet.write_bytes(parquet.read_bytes()[:-100])
    before = _snapshot(db)

    result = merge_spool(db, spool)
    assert result.batches == 0
    assert sorted((i.batch_id, i.why.split(" ")[0]) for i in result.incomplete) == [
        ("w9-mira-000001-0000aaaa", "no"),
        ("w9-mira-000002-0000bbbb", "no"),
        ("w9-mira-000003-0000cccc", "its"),
    ]
    assert "has" in next(i.why for i in result.incomplete if i.batch_id.endswith("cccc"))
    assert _snapshot(db) == before
    assert cut.is_file()

    # The batch the dead worker left is merged once someone writes it whole, with its manifest.
    write_batch(
        spool, Batch("w9-mira-000004-0000dddd", crawls.runs[0], SOURCE, "w9", table.to_pylist())
    )
    done = merge_spool(db, spool)
    assert (done.batches, done.rows) == (1, 4)
    assert _query(db, "SELECT count(*) FROM posting_rows WHERE id LIKE '%-half'") == [(4,)]


def test_end_records_decide_the_status_and_closing(crawls: Crawls, tmp_path: Path) -> None:
    db, spool = tmp_path / "copy.duckdb", tmp_path / "spool"
    shutil.copy(crawls.merged, db)
    shutil.copytree(crawls.spool, spool)
    run_id = "dist-3"
    manifests = [m for m in scan(spool)[0] if m.run_id == crawls.runs[1]]
    # A third run whose batches are the second run's, and two workers: one was shut down.
    for m in manifests:
        rows = (
            [dict(r, run_id=run_id) for r in pq.read_table(m.path("postings")).to_pylist()]
            if m.path("postings")
            else []
        )
        write_batch(
            spool,
            Batch(m.batch_id.replace("w1", "w2"), run_id, SOURCE, "w2", rows, read_rejects(m)),
        )
    ids = [m.batch_id.replace("w1", "w2") for m in manifests]
    write_end(
        spool,
        EndRecord(
            run_id,
            SOURCE,
            "w2",
            "finished",
            partial=("max_pages=1 reached",),
            complete_listing=True,
            batches=tuple(ids[:-1]),
        ),
    )
    write_end(
        spool,
        EndRecord(
            run_id,
            SOURCE,
            "w3",
            "shutdown",
            ("crawl ended: shutdown",),
            complete_listing=True,
            batches=(ids[-1], "w3-mira-000009-0000eeee"),
        ),
    )
    Runs(db).start(run_id, SOURCE, "withmira", ARGS)
    assert finish_from_spool(db, spool, run_id, SOURCE) == "failed"
    (run,) = _query(
        db,
        "SELECT status, scraped, closed, complete, partial, error FROM crawl_runs WHERE run_id = ?",
        [run_id],
    )
    kept = ROLES - BROKEN - GONE
    assert run[:5] == ("failed", kept, 0, False, "max_pages=1 reached")
    assert "crawl ended: shutdown" in run[5]
    assert (
        "1 spool batch(es) of this run not merged: w3-mira-000009-0000eeee (not in the spool)"
        in run[5]
    )
