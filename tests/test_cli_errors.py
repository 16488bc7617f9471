"""Every bad input is one line on stderr and a documented exit code, never a traceback.

Each case is the real `jobsift` command in a child process; `--help` documents the exit codes.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jobsift.crawlers import cli
from jobsift.crawlers.cli import sql as sql_command
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.store import Store, stage_row
from jobsift.schemas import Posting

from tests.support.crawl import _env, jobsift

FETCHED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
POSTINGS = 400


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a real database, a file that is not one, a plain file and a folder."""
    root = tmp_path_factory.mktemp("errors")
    rows = []
    for n in range(POSTINGS):
        raw = {
            "source": "greenhouse",
            "source_id": str(n),
            "url": f"https://example.org/{n}",
            "title": f"Backend Engineer {n}",
            "company": "Acme",
            "description": "<p>Python services. " + "We build things. " * 40 + "</p>",
            "fetched_at": FETCHED.isoformat(),
        }
        posting = normalize_payload(raw)
        assert isinstance(posting, Posting), posting
        rows.append(stage_row(posting, raw, "run-1"))
    Store(root / "jobsift.duckdb").write_postings(rows)
    (root / "notadb.duckdb").write_text("these are not the bytes of a DuckDB file\n")
    (root / "afile").write_text("x")
    (root / "afolder").mkdir()
    (root / "taken.csv").write_text("already here\n")
    (root / "sources.toml").write_text(
        "[settings]\nJOBSIFT_PROGRESS_INTERVAL = 0\n"
        + "".join(
            f'[sources.s{n}]\nspider = "withmira"\nargs = {{ start_url = "http://127.0.0.1:9/" }}\n'
            for n in range(3000)
        )
    )
    return root


@dataclass(frozen=True)
class Bad:
    argv: tuple[str, ...]
    code: int
    says: str


DB = ("--db", "jobsift.duckdb")
BAD = {
    "sql-db-not-a-database": Bad(
        ("sql", "SELECT 1", "--db", "notadb.duckdb"), 2, "it is not a DuckDB database file"
    ),
    "sql-db-under-a-file": Bad(("sql", "SELECT 1", "--db", "afile/x.duckdb"), 2, "no database at"),
    "sources-db-not-a-database": Bad(
        ("sources", "--sources", "sources.toml", "--db", "notadb.duckdb"), 2, "not a DuckDB"
    ),
    "export-db-not-a-database": Bad(
        ("export", "--format", "csv", "--out", "x.csv", "--db", "notadb.duckdb"), 2, "not a DuckDB"
    ),
    "crawl-db-not-a-database": Bad(
        ("crawl", "s1", "--sources", "sources.toml", "--db", "notadb.duckdb"), 2, "not a DuckDB"
    ),
    "crawl-db-under-a-file": Bad(
        ("crawl", "s1", "--sources", "sources.toml", "--db", "afile/x.duckdb"),
        2,
        "cannot create the database afile/x.duckdb: afile is a file, not a folder",
    ),
    "export-out-under-a-file": Bad(
        ("export", "--format", "csv", "--out", "afile/out.csv", *DB),
        2,
        "cannot write afile/out.csv: afile is a file, not a folder",
    ),
    "export-out-deeper-under-a-file": Bad(
        ("export", "--format", "jsonl", "--out", "afile/sub/out.jsonl", *DB),
        2,
        "afile is a file, not a folder",
    ),
    "export-out-a-folder": Bad(
        ("export", "--format", "csv", "--out", "afolder", *DB), 2, "afolder: it is a folder"
    ),
    "export-out-exists": Bad(
        ("export", "--format", "csv", "--out", "taken.csv", *DB), 1, "pass --force"
    ),
    "sql-empty": Bad(("sql", "", *DB), 2, "the query is empty"),
    "sql-blank": Bad(("sql", "  \n ", *DB), 2, "the query is empty"),
    "normalize-missing-file": Bad(
        ("normalize", "missing.jsonl"), 2, "cannot read missing.jsonl: No such file"
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_input_is_one_line_and_its_exit_code(place: Path, case: str) -> None:
    bad = BAD[case]
    result = jobsift(*bad.argv, cwd=place)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("jobsift: ") and bad.says in lines[0], lines[0]
    assert result.returncode == bad.code, result.stderr


READERS = {
    "sql-table": ("sql", "SELECT * FROM range(300000)", *DB),
    "sql-csv": ("sql", "SELECT * FROM range(300000)", "--format", "csv", *DB),
    "sql-json": ("sql", "SELECT * FROM range(300000)", "--format", "json", *DB),
    "export-jsonl": ("export", "--format", "jsonl", "--out", "-", *DB),
    "export-csv": ("export", "--format", "csv", "--out", "-", *DB),
    "sources": ("sources", "--sources", "sources.toml", *DB),
}


@pytest.mark.parametrize("case", list(READERS), ids=list(READERS))
def test_a_reader_that_goes_away_ends_the_command_quietly(place: Path, case: str) -> None:
    """`jobsift ... | head -1`: the rest is not written, nothing on stderr, exit 0."""
    command = [sys.executable, "-m", "jobsift.crawlers.cli", *READERS[case]]
    with subprocess.Popen(
        command, cwd=place, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # what `head -1` does once it has its line
        stderr = proc.stderr.read().decode()
        returncode = proc.wait(timeout=120)
    assert first
    # No traceback, no "Broken pipe"; an export whose last write still fit in the pipe may say
    # what it wrote (its writer does not always learn that the reader left).
    assert stderr == "" or (case.startswith("export") and stderr.startswith("wrote ")), stderr
    assert len(stderr.splitlines()) <= 1 and "Traceback" not in stderr
    assert returncode == 0


def test_an_unexpected_error_is_one_line_and_exit_1(
    place: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A defect of jobsift itself (here: a query runner that breaks) is an internal error."""

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(sql_command, "run_query", broken)
    code = cli.main(["sql", "SELECT 1", "--db", str(place / "jobsift.duckdb")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        "jobsift: internal error: ZeroDivisionError: division by zero "
        "(run with --debug for the traceback)"
    ]
    code = cli.main(["--debug", "sql", "SELECT 1", "--db", str(place / "jobsift.duckdb")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback (most recent call last)" in err and "in broken" in err
    assert err.splitlines()[-1] == "jobsift: internal error: ZeroDivisionError: division by zero"


def test_help_documents_the_exit_codes(tmp_path: Path) -> None:
    result = jobsift("--help", cwd=tmp_path)
    assert result.returncode == 0
    codes = result.stdout[result.stdout.index("exit codes:") :]
    for code in ("0 ", "1 ", "2 ", "130 "):
        assert f"\n  {code}" in codes, codes
    assert "--debug" in result.stdout
