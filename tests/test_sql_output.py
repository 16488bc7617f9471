"""`jobsift sql`, `export` and `sources` output as a user reads it and a script parses it, over a
real database written by the project's store (lists with commas, quotes and newlines; timestamps
with fractions of a second; a long description)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.staging import BatchCounts
from jobsift.pipelines.storage.store import Store, stage_row
from jobsift.schemas import Posting
from wcwidth import wcswidth

from tests.support.crawl import _env, jobsift

TAGS = ["comma, inside", 'a "quoted" word', "two\nlines", "Zürich 東京", "pipe | here"]
LONG = "First paragraph of a long description.\nSecond line, " + "x" * 300 + " END-OF-TEXT"
RAW = [
    {
        "source": "greenhouse",
        "source_id": "1",
        "url": "https://example.org/1",
        "title": "Senior Backend Engineer",
        "company": "Acme | Co",
        "location": "Remote - Canada",
        "posted": "2026-11-18T09:00:00.25Z",
        "description": "<h3>Requirements</h3><ul><li>5+ years of Python.</li></ul>",
        "salary": "$150,000 – $180,000 USD per year",
        "fetched_at": "2026-11-20T12:00:00.123456+00:00",
    },
    {
        "source": "lever",
        "source_id": "2",
        "title": "Designer",
        "company": 'Beta, "Inc"',
        "posted": "2026-11-19T10:30:00+02:00",
        "description": "Plain text.",
        "fetched_at": "2026-11-20T12:00:00+00:00",
    },
]


def _posting(raw: dict[str, object]) -> Posting:
    posting = normalize_payload(raw)
    assert isinstance(posting, Posting), posting
    if raw["source"] == "greenhouse":  # what no normalizer leaves, but a list may hold
        overview = posting.overview.model_copy(update={"tags": TAGS, "description_text": LONG})
        posting = posting.model_copy(update={"overview": overview})
    return posting


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "jobsift.duckdb"
    rows = [stage_row(_posting(raw), raw, "run-1") for raw in RAW]
    rows[0]["source_name"] = "gh-acme"  # the configured source, as the loader sets it
    Store(path).write_postings(rows)
    runs = Runs(path)
    runs.start("run-1", "gh-acme", "greenhouse", {"board": "acme", "note": "a, b"})
    runs.finish("run-1", "gh-acme", "finished", BatchCounts(new=1), 0, [])
    return path


def sql(db: Path, *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return jobsift("sql", *argv, "--db", str(db), cwd=db.parent, stdin=stdin)


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # the width tables fit (standard output is a pipe here)


def test_a_list_with_commas_quotes_and_newlines_survives_the_csv_export(db: Path) -> None:
    out = db.parent / "postings.csv"
    result = jobsift("export", "--format", "csv", "--out", str(out), "--db", str(db), cwd=db.parent)
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in csv.DictReader(out.open(newline="", encoding="utf-8"))}
    assert json.loads(rows["greenhouse:1"]["tags"]) == TAGS
    assert json.loads(rows["lever:2"]["tags"]) == []
    assert json.loads(rows["greenhouse:1"]["eligible_countries"]) == ["CA"]
    assert rows["greenhouse:1"]["description_text"] == LONG


def test_a_list_survives_sql_csv(db: Path) -> None:
    result = sql(db, "SELECT id, tags FROM postings ORDER BY id", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [json.loads(r["tags"]) for r in rows] == [TAGS, []]


def _export_jsonl(db: Path) -> dict[str, dict]:
    out = db.parent / "postings.jsonl"
    result = jobsift(
        "export", "--format", "jsonl", "--out", str(out), "--db", str(db), cwd=db.parent
    )
    assert result.returncode == 0, result.stderr
    return {p["id"]: p for p in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_sql_json_timestamps_equal_the_jsonl_export(db: Path) -> None:
    exported = _export_jsonl(db)
    result = sql(
        db,
        "SELECT id, fetched_at, posted_at, valid_through FROM postings ORDER BY id",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["greenhouse:1", "lever:2"]
    for row in rows:
        posting = exported[row["id"]]
        assert row["fetched_at"] == posting["fetched_at"]
        assert row["posted_at"] == posting["overview"]["posted_at"]
        assert row["valid_through"] == posting["overview"]["valid_through"]
    assert rows[0]["fetched_at"] == "2026-11-20T12:00:00.123456Z"
    assert rows[1]["posted_at"] == "2026-11-19T08:30:00Z"  # +02:00 stored and shown as UTC
    csv_out = jobsift("export", "--format", "csv", "--out", "-", "--db", str(db), cwd=db.parent)
    by_id = {r["id"]: r for r in csv.DictReader(io.StringIO(csv_out.stdout, newline=""))}
    assert [by_id[r["id"]]["posted_at"] for r in rows] == [r["posted_at"] for r in rows]


def test_sql_json_is_one_array_and_jsonl_one_object_a_line(db: Path) -> None:
    query = "SELECT id, tags, worldwide, salary_min FROM postings ORDER BY id"
    array = json.loads(sql(db, query, "--format", "json").stdout)
    lines = [json.loads(line) for line in sql(db, query, "--format", "jsonl").stdout.splitlines()]
    assert array == lines
    assert array[0] == {
        "id": "greenhouse:1",
        "tags": TAGS,
        "worldwide": False,
        "salary_min": 150000,
    }


def test_json_columns_are_not_encoded_twice(db: Path) -> None:
    result = sql(db, "SELECT args, [args] AS listed FROM crawl_runs", "--format", "json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["args"] == {"board": "acme", "note": "a, b"}
    assert row["listed"] == [{"board": "acme", "note": "a, b"}]
    table = sql(db, "SELECT args FROM crawl_runs").stdout
    assert '{"board":"acme","note":"a, b"}' in table


def test_table_shows_lists_as_json_and_newlines_escaped(db: Path) -> None:
    result = sql(db, "SELECT id, tags FROM postings ORDER BY id", "--max-width", "0")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 2 + 1  # header, dashes, two rows, the count
    assert (
        json.dumps(TAGS, ensure_ascii=False, separators=(",", ":")).replace("\n", "") not in lines
    )
    assert (
        '["comma, inside","a \\"quoted\\" word","two\\nlines","Zürich 東京","pipe | here"]'
        in (lines[2])
    )
    assert "['" not in result.stdout
    assert lines[-1] == "(2 rows)"


def _width(line: str) -> int:
    return wcswidth(line)


@pytest.mark.parametrize("columns", ["40", "80", "120"])
def test_a_table_fits_the_terminal_and_marks_what_it_cut(
    db: Path, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = sql(db, "SELECT id, title, tags, description_text FROM postings ORDER BY id")
    assert result.returncode == 0, result.stderr
    assert all(_width(line) <= int(columns) for line in result.stdout.splitlines())
    assert "…" in result.stdout
    assert "END-OF-TEXT" not in result.stdout


def test_max_width_zero_shows_whole_cells(db: Path) -> None:
    result = sql(db, "SELECT id, description_text FROM postings ORDER BY id", "--max-width", "0")
    assert result.returncode == 0, result.stderr
    assert LONG.replace("\n", "\\n") in result.stdout
    assert "…" not in result.stdout


def test_max_width_cuts_every_cell(db: Path) -> None:
    result = sql(db, "SELECT id, company, description_text FROM postings", "--max-width", "10")
    assert result.returncode == 0, result.stderr
    body = result.stdout.splitlines()[2:-1]
    cells = [cell for line in body for cell in re.split(r"\s{2,}", line.strip())]
    assert cells and all(_width(cell) <= 10 for cell in cells)
    assert "First par…" in result.stdout


def test_markdown_table_is_well_formed(db: Path) -> None:
    result = sql(
        db,
        "SELECT id, company, tags, tags[3] AS third, salary_min FROM postings ORDER BY id",
        "--format",
        "markdown",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4  # header, rule, two rows: no cell broke a line
    cells = [re.split(r"(?<!\\)\|", line)[1:-1] for line in lines]
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines)
    assert {len(row) for row in cells} == {5}
    assert all(re.fullmatch(r" -+:? ", rule) for rule in cells[1])
    assert cells[1][4].strip().endswith(":")  # numbers right-aligned
    assert cells[2][1].strip() == "Acme \\| Co"
    assert "pipe \\| here" in cells[2][2] and "two\\nlines" in cells[2][2]  # JSON's escape
    assert cells[2][3].strip() == "two<br>lines"


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (("-f", "{file}"), None),
        (("--file", "{file}"), None),
        (("-",), "SELECT count(*) AS n FROM postings"),
        (("--file", "-"), "SELECT count(*) AS n FROM postings"),
    ],
    ids=["-f", "--file", "stdin", "--file -"],
)
def test_a_query_from_a_file_or_standard_input(
    db: Path, argv: tuple[str, ...], stdin: str | None
) -> None:
    query = db.parent / "count.sql"
    query.write_text("-- how many\nSELECT count(*) AS n FROM postings;\n", encoding="utf-8")
    args = [a.format(file=query) for a in argv]
    result = sql(db, *args, "--format", "json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"n": 2}]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("",), None, "the query is empty"),
        (("   \n",), None, "the query is empty"),
        (("-- only a comment",), None, "no SQL statement"),
        (("-",), "", "the query is empty"),
        ((), None, "no query"),
        (("SELECT 1", "-f", "q.sql"), None, "not both"),
        (("-f", "missing.sql"), None, "cannot read the query from missing.sql"),
        (("--max-width", "-1", "SELECT 1"), None, "must be 0"),
    ],
    ids=["empty", "blank", "comment", "empty-stdin", "none", "both", "missing-file", "width"],
)
def test_a_bad_query_is_one_line_and_exit_2(
    db: Path, argv: tuple[str, ...], stdin: str | None, message: str
) -> None:
    result = sql(db, *argv, stdin=stdin)
    assert result.returncode == 2, result
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines() if not line.startswith(("usage:", " "))]
    assert len(said) == 1, result.stderr  # one line (argparse prints its usage before it)


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl", "markdown"])
def test_piping_into_head_ends_quietly(db: Path, fmt: str) -> None:
    query = "SELECT range AS n, repeat('x', 100) AS filler FROM range(5000)"
    command = [sys.executable, "-m", "jobsift.crawlers.cli", "sql", query, "--db", str(db)]
    proc = subprocess.Popen(
        [*command, "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=db.parent,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, errors
    assert first and errors == ""


def test_sources_is_an_aligned_table_with_status_count_and_age(db: Path) -> None:
    sources = db.parent / "sources.toml"
    sources.write_text(
        '[sources.gh-acme]\nspider = "greenhouse"\nargs = { board = "acme" }\n'
        '[sources.off]\nspider = "lever"\nenabled = false\nargs = { company = "x" }\n',
        encoding="utf-8",
    )
    argv = ("sources", "--sources", str(sources), "--db", str(db))
    table = jobsift(*argv, cwd=db.parent)
    assert table.returncode == 0, table.stderr
    header, rule, *rows, count = table.stdout.splitlines()
    assert re.split(r"\s{2,}", header) == [
        "source",
        "spider",
        "arguments",
        "enabled",
        "last status",
        "last run",
        "postings",
    ]
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    assert len(starts) == 7
    for row in rows:  # every column starts under its header
        assert all(row[s - 1] == " " and row[s] != " " for s in starts[1:4]), row
    assert re.search(
        r"gh-acme\s+greenhouse\s+board=acme\s+yes\s+finished\s+(just now|\d+ min ago)\s+1$", rows[0]
    )
    assert re.search(r"off\s+lever\s+company=x\s+no\s+never run\s+0$", rows[1])
    assert count == "(2 rows)"
    machine = jobsift(*argv, "--format", "json", cwd=db.parent)
    first, second = json.loads(machine.stdout)
    assert first["arguments"] == {"board": "acme"} and first["enabled"] is True
    assert first["last_status"] == "finished" and first["postings"] == 1
    assert datetime.fromisoformat(first["last_run"]).tzinfo == UTC
    assert first["last_run"].endswith("Z")
    assert second == {
        "source": "off",
        "spider": "lever",
        "arguments": {"company": "x"},
        "enabled": False,
        "last_status": None,
        "last_run": None,
        "postings": 0,
    }
