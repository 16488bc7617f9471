"""`jobsift sql` cannot write files (DuckDB's own controls); `export --where` is one bound
expression; exports never overwrite by accident. The command's own `main` runs in this process
(the same code path as the installed command, without a Python start-up per case)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from jobsift.crawlers.cli import main
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.store import Store, stage_row
from jobsift.schemas import Posting

from tests.support.crawl import jobsift as real_jobsift


@dataclass
class Outcome:
    returncode: int
    stdout: bytes
    stderr: str


@pytest.fixture
def jobsift(capsysbinary: pytest.CaptureFixture[bytes]):
    def run(*argv: str) -> Outcome:
        code = main(list(argv))
        out, err = capsysbinary.readouterr()
        return Outcome(code, out, err.decode())

    return run


RAW = {
    "source": "lever",
    "source_id": "2",
    "title": "Designer",
    "company": "Beta",
    "description": "Plain text.",
    "fetched_at": "2026-11-20T12:00:00+00:00",
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "jobsift.duckdb"
    posting = normalize_payload(RAW)
    assert isinstance(posting, Posting)
    Store(path).write_postings([stage_row(posting, RAW, "run-1")])
    return path


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "attempt",
    [
        "EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'",
        "COPY postings TO '{target}'",
        "IMPORT DATABASE '{folder}'",
        "SET enable_profiling = 'json'; SET profiling_output = '{target}'; SELECT 1",
        "SET profiling_output = '{target}'",
        "SET log_query_path = '{target}'; SELECT 1",
        "ATTACH '{target}' AS other",
        "SELECT * FROM read_text('{db}')",
    ],
)
def test_sql_cannot_write_or_read_files(db: Path, tmp_path: Path, attempt: str, jobsift) -> None:
    target = tmp_path / "written.out"
    before = _files(tmp_path)
    query = attempt.format(target=target, folder=tmp_path, db=db)
    result = jobsift("sql", query, "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.startswith("jobsift: refused: ") and result.stderr.count("\n") == 1
    assert result.stdout == b""
    assert not target.exists()
    assert _files(tmp_path) == before


def test_export_where_injection_is_refused_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    """Through the installed command in its own process, as the issue's report ran it."""
    stolen = tmp_path / "stolen.csv"
    out = tmp_path / "out.csv"
    where = f"1=1) TO '{stolen}' (FORMAT csv); COPY (SELECT id FROM postings WHERE 1=1"
    argv = ("export", "--format", "csv", "--out", str(out), "--where", where, "--db", str(db))
    result = real_jobsift(*argv, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("jobsift: export failed: Parser Error")
    assert result.stderr.count("\n") == 1
    assert not stolen.exists() and not out.exists()


def test_export_keeps_an_existing_file_unless_forced(db: Path, tmp_path: Path, jobsift) -> None:
    out = tmp_path / "postings.csv"
    out.write_text("keep me\n")
    argv = ("export", "--format", "csv", "--out", str(out), "--db", str(db))
    refused = jobsift(*argv)
    assert refused.returncode == 1 and "pass --force" in refused.stderr
    assert out.read_text() == "keep me\n"
    forced = jobsift(*argv, "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_text().startswith("id,source,source_name,")


@pytest.mark.parametrize(
    ("fmt", "start"),
    [("csv", b"id,source,"), ("jsonl", b'{"id":"lever:2"'), ("parquet", b"PAR1")],
)
def test_export_to_standard_output(
    db: Path, tmp_path: Path, fmt: str, start: bytes, jobsift
) -> None:
    argv = ["export", "--format", fmt, "--out", "-", "--where", "company = 'Beta'", "--db", str(db)]
    result = jobsift(*argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(start)
    assert "wrote 1 posting to standard output" in result.stderr
    assert _files(tmp_path) == {"jobsift.duckdb"}
