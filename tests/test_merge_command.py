"""`jobsift merge` as a user runs it, on the spool of a real crawl served on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from jobsift.pipelines.storage.runs import Runs

from tests.support.crawl import jobsift
from tests.support.server import FixtureServer
from tests.support.spool import SPOOL, crawl, make_site

ROLES = 12
RUN = "dist-cli"


@pytest.fixture(scope="module")
def spool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    site = make_site(tmp / "site", ROLES, broken=0)
    with FixtureServer(root=site.root) as server:
        outcome = crawl(
            server,
            tmp / "work",
            SPOOL,
            RUN,
            JOBSIFT_SPOOL=str(tmp / "spool"),
            JOBSIFT_WORKER_ID="w1",
            JOBSIFT_BATCH_SIZE=5,
        )
    assert outcome.returncode == 0, outcome.log[-3000:]
    return tmp / "spool"


def _count(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_merge_loads_every_batch_once(spool: Path, tmp_path: Path) -> None:
    db = tmp_path / "data" / "jobsift.duckdb"
    first = jobsift("merge", "--spool", str(spool), "--db", str(db), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (
        f"merge: run {RUN} source mira: 3 batches, {ROLES} postings ({ROLES} new, 0 updated, "
        "0 unchanged), 0 rejects" in first.stdout
    )
    assert "merge: 3 batches merged, 0 already merged, 0 left" in first.stdout
    again = jobsift("merge", "--spool", str(spool), "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "merge: 0 batches merged, 3 already merged, 0 left\n"
    assert (_count(db, "postings"), _count(db, "spool_batches")) == (ROLES, 3)


def test_merge_names_what_it_left_and_finishes_an_orphaned_run(spool: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data" / "spool"  # the default: spool/ beside the database
    shutil.copytree(spool, copy)
    db = tmp_path / "data" / "jobsift.duckdb"
    half = copy / RUN / "w7-mira-000001-00000001.postings.parquet"
    half.write_bytes(next((copy / RUN).glob("*.postings.parquet")).read_bytes()[:500])
    # The coordinator recorded the run, then died: the run is still `running`.
    Runs(db).start(RUN, "mira", "withmira", {})
    result = jobsift("merge", "--db", str(db), "--run", RUN, "--finish", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"  left: batch w7-mira-000001-00000001 of run {RUN}: no manifest" in result.stdout
    assert f"merge: run {RUN} source mira: finished" in result.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status, scraped, complete FROM crawl_runs").fetchall() == [
            ("finished", ROLES, True)
        ]


def test_no_spool_beside_the_database_is_nothing_to_merge(tmp_path: Path) -> None:
    db = tmp_path / "data" / "jobsift.duckdb"
    result = jobsift("merge", "--db", str(db), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"merge: nothing to merge (no spool folder at {db.parent / 'spool'})\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--spool", "nowhere"], "jobsift: no spool folder at nowhere; pass --spool\n"),
        (["--finish"], "jobsift: --finish needs --run RUN_ID\n"),
        (["--run", "nosuchrun"], "jobsift: no run nosuchrun in the spool "),
    ],
    ids=["no spool", "finish without run", "unknown run"],
)
def test_bad_arguments_are_one_line(
    spool: Path, tmp_path: Path, argv: list[str], message: str
) -> None:
    if "nowhere" not in argv:
        argv = ["--spool", str(spool), *argv]
    result = jobsift("merge", "--db", str(tmp_path / "j.duckdb"), *argv, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert result.stdout == ""
