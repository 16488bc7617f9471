"""The `jobsift` command as a user runs it: sql, export, normalize, sources, the crawl lock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from jobsift.crawlers.runner import crawl_lock
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.store import Store, stage_row
from jobsift.schemas import Posting

from tests.conftest import PROJECT_FIXTURES
from tests.support.crawl import jobsift
from tests.support.server import FixtureServer

FETCHED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

RAW = [
    {
        "source": "greenhouse",
        "source_id": "1",
        "url": "https://example.org/1",
        "title": "Senior Backend Engineer",
        "company": "Acme",
        "location": "Remote - Canada",
        "remote": "remote",
        "posted": "2026-11-18T09:00:00Z",
        "description": "<h3>Requirements</h3><ul><li>5+ years of Python.</li></ul>",
        "salary": "$150,000 – $180,000 USD per year",
        "tags": ["Python"],
        "fetched_at": FETCHED.isoformat(),
    },
    {
        "source": "lever",
        "source_id": "2",
        "title": "Designer",
        "company": 'Beta, "Inc"',
        "description": "Plain text, with a comma; and a\nnew line.",
        "fetched_at": FETCHED.isoformat(),
    },
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "jobsift.duckdb"
    store = Store(path)
    rows = []
    for raw in RAW:
        posting = normalize_payload(raw)
        assert isinstance(posting, Posting), posting
        rows.append(stage_row(posting, raw, "run-1"))
    store.write_postings(rows)
    return path


def test_sql_prints_a_table(db: Path, tmp_path: Path) -> None:
    result = jobsift(
        "sql", "SELECT id, title FROM postings ORDER BY id", "--db", str(db), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "greenhouse:1" in result.stdout and "Designer" in result.stdout
    assert "(2 rows)" in result.stdout


def test_sql_json_format(db: Path, tmp_path: Path) -> None:
    result = jobsift(
        "sql",
        "SELECT id FROM postings ORDER BY id",
        "--db",
        str(db),
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert [row["id"] for row in json.loads(result.stdout)] == [
        "greenhouse:1",
        "lever:2",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM postings",
        "DROP TABLE posting_rows",
        "INSERT INTO rejects (reason) VALUES ('x')",
    ],
)
def test_sql_refuses_writes_with_a_read_only_message(db: Path, tmp_path: Path, query: str) -> None:
    result = jobsift("sql", query, "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert "read-only" in result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM postings").fetchone() == (2,)


def test_sql_without_a_database_is_a_usage_error(tmp_path: Path) -> None:
    result = jobsift("sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb"), cwd=tmp_path)
    assert result.returncode == 2
    assert "no database" in result.stderr


def test_parquet_export_equals_the_postings_view(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "postings.parquet"
    result = jobsift(
        "export", "--format", "parquet", "--out", str(out), "--db", str(db), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        parquet = f"read_parquet('{out}')"
        assert con.execute(f"SELECT count(*) FROM {parquet}").fetchone() == (2,)
        for left, right in ((parquet, "postings"), ("postings", parquet)):
            missing = con.execute(
                f"SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right}"
            ).fetchall()
            assert missing == []
        view_columns = [d[0] for d in con.execute("SELECT * FROM postings LIMIT 0").description]
        file_columns = [d[0] for d in con.execute(f"SELECT * FROM {parquet} LIMIT 0").description]
        assert file_columns == view_columns


def test_csv_export_with_a_filter(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "remote.csv"
    result = jobsift(
        "export",
        "--format",
        "csv",
        "--out",
        str(out),
        "--where",
        "source = 'lever'",
        "--db",
        str(db),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with duckdb.connect() as con:
        rows = con.execute(f"SELECT id, company FROM read_csv('{out}')").fetchall()
    assert rows == [("lever:2", 'Beta, "Inc"')]


def test_jsonl_export_is_the_nested_posting(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "postings.jsonl"
    result = jobsift(
        "export", "--format", "jsonl", "--out", str(out), "--db", str(db), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    postings = {p["id"]: Posting.model_validate(p) for p in lines}
    assert set(postings) == {"greenhouse:1", "lever:2"}
    assert postings["greenhouse:1"].fetched_at == FETCHED
    assert postings["greenhouse:1"].overview.tags == ["Python"]
    assert {p["id"]: p["compensation"] for p in lines}["lever:2"] is None
    expected = normalize_payload(RAW[0])
    assert isinstance(expected, Posting)
    assert postings["greenhouse:1"].model_dump() == expected.model_dump()


def test_normalize_prints_good_lines_and_names_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps(RAW[0]),
        "{not json",
        json.dumps({"source": "x", "company": "No title"}),
        "",
        json.dumps(RAW[1]),
        "[1, 2]",
    ]
    result = jobsift("normalize", "-", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 1
    out = [Posting.model_validate_json(line) for line in result.stdout.splitlines()]
    assert [p.id for p in out] == ["greenhouse:1", "lever:2"]
    errors = result.stderr.splitlines()
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 6"]
    assert "title or a description" in errors[1]


def test_normalize_reads_a_file(tmp_path: Path) -> None:
    source = tmp_path / "raw.jsonl"
    source.write_text(json.dumps(RAW[1]) + "\n")
    result = jobsift("normalize", str(source), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["overview"]["company"] == 'Beta, "Inc"'


def test_a_second_crawl_is_refused_while_one_holds_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "jobsift.duckdb"
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[sources.s]\nspider = "withmira"\nargs = { start_url = "http://127.0.0.1:9/" }\n'
    )
    with crawl_lock(db):
        result = jobsift("crawl", "--db", str(db), "--sources", str(sources), cwd=tmp_path)
    assert result.returncode == 1
    assert "another crawl is running" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("crawl", "nosuchsource"), "unknown source"),
        (("crawl", "--sources", "missing.toml"), "sources file not found"),
    ],
)
def test_bad_crawl_arguments_exit_2(tmp_path: Path, argv: tuple[str, ...], message: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.toml").write_text('[sources.a]\nspider = "withmira"\n')
    result = jobsift(*argv, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


def test_sources_lists_the_shipped_sources(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[1] / "data" / "sources.toml"
    result = jobsift(
        "sources", "--sources", str(shipped), "--db", str(tmp_path / "x.duckdb"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "withmira" in result.stdout and "never" in result.stdout


def test_a_source_inside_its_minimum_interval_is_skipped(tmp_path: Path) -> None:
    db = tmp_path / "jobsift.duckdb"
    sources = tmp_path / "sources.toml"
    with FixtureServer(root=PROJECT_FIXTURES / "withmira") as server:
        sources.write_text(
            "[settings]\nAUTOTHROTTLE_ENABLED = false\nJOBSIFT_PROGRESS_INTERVAL = 0\n"
            f'[sources.polite]\nspider = "withmira"\nargs = {{ start_url = "{server.url}/our-jobs/" }}\n'
            "settings = { JOBSIFT_MIN_INTERVAL = 3600 }\n"
        )
        argv = ("crawl", "--db", str(db), "--sources", str(sources))
        first = jobsift(*argv, cwd=tmp_path)
        second = jobsift(*argv, cwd=tmp_path)
    assert first.returncode == 3, first.stderr  # degraded: the site's malformed pages
    assert second.returncode == 0, second.stderr
    assert "polite: skipped: ran 0 min ago" in second.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        statuses = con.execute("SELECT status FROM crawl_runs ORDER BY started_at").fetchall()
    assert statuses == [("degraded",), ("skipped",)]
