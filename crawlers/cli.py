"""The `jobsift` command (SPEC section 2).

Exit codes: 0 success (every source finished or was skipped); 1 a source failed, a crawl was refused
by the lock, or an input line or query was bad; 2 bad arguments or configuration; 130 a crawl
interrupted by the user (Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import duckdb
from jobsift.crawlers.runner import (
    EXIT_INTERRUPTED,
    CrawlRun,
    LockedError,
    UsageError,
    crawl_lock,
    load_sources,
)
from jobsift.crawlers.runner import select_sources as pick_sources
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.storage.export import export_postings
from jobsift.schemas import Reject

DEFAULT_DB = Path("data/jobsift.duckdb")
DEFAULT_SOURCES = Path("data/sources.toml")


def _fail(message: str, code: int) -> int:
    print(f"jobsift: {message}", file=sys.stderr)
    return code


def _read_only(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.is_file():
        raise UsageError(f"no database at {db}; run `jobsift crawl` first or pass --db")
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        raise UsageError(f"cannot open {db} read-only (is a crawl writing it?): {exc}") from exc


def cmd_crawl(args: argparse.Namespace) -> int:
    sources, shared = load_sources(args.sources)
    selected = pick_sources(sources, args.source)
    if not selected:
        raise UsageError(f"no enabled source in {args.sources}; name one or enable one")
    for pair in args.set or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"--set takes KEY=VALUE, not {pair!r}")
        shared[key] = value
    with crawl_lock(args.db):
        return CrawlRun(args.db, selected, shared).run()


def _print_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: str) -> None:
    if fmt == "json":
        for row in rows:
            print(json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v[:w].ljust(w) for v, w in zip(row, widths, strict=True)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


# Statements a read-only connection can run; anything else is refused before it reaches DuckDB.
_READ_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA", "SET", "VARIABLE_SET", "RELATION"}


def cmd_sql(args: argparse.Namespace) -> int:
    con = _read_only(args.db)
    try:
        kinds = [s.type.name for s in duckdb.extract_statements(args.query)]
    except duckdb.Error as exc:
        return _fail(str(exc), 1)
    writes = [k for k in kinds if k not in _READ_STATEMENTS]
    if writes:
        return _fail(
            f"`jobsift sql` is read-only: {', '.join(writes)} statements are refused "
            "(the database is opened read-only; postings change only through `jobsift crawl`)",
            1,
        )
    try:
        cursor = con.execute(args.query)
    except duckdb.InvalidInputException as exc:
        if "read-only" in str(exc):
            return _fail(f"the database is opened read-only by `jobsift sql`; {exc}", 1)
        return _fail(str(exc), 1)
    except duckdb.Error as exc:
        return _fail(str(exc), 1)
    columns = [d[0] for d in cursor.description or []]
    _print_rows(columns, cursor.fetchall(), args.format)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    con = _read_only(args.db)
    try:
        count = export_postings(con, args.format, args.out, args.where)
    except duckdb.Error as exc:
        return _fail(f"export failed: {exc}", 1)
    print(f"wrote {count} postings to {args.out}", file=sys.stderr)
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    stream = sys.stdin if args.file in (None, "-") else open(args.file, encoding="utf-8")  # noqa: SIM115
    bad = 0
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                payload = json.loads(line)
                if not isinstance(payload, dict):
                    raise ValueError("a raw posting is a JSON object")
            except ValueError as exc:
                bad += 1
                print(f"line {number}: not a JSON object: {exc}", file=sys.stderr)
                continue
            result = normalize_payload(payload)
            if isinstance(result, Reject):
                bad += 1
                print(f"line {number}: {result.reason}", file=sys.stderr)
                continue
            sys.stdout.write(result.model_dump_json() + "\n")
    return 1 if bad else 0


def cmd_sources(args: argparse.Namespace) -> int:
    sources, _ = load_sources(args.sources)
    last_runs: dict[str, tuple[Any, ...]] = {}
    if args.db.is_file():
        con = _read_only(args.db)
        for source, started, status, scraped in con.execute(
            "SELECT source, max(started_at), arg_max(status, started_at), "
            "arg_max(scraped, started_at) FROM crawl_runs GROUP BY source"
        ).fetchall():
            last_runs[source] = (started, status, scraped)
    rows = []
    for s in sources:
        started, status, scraped = last_runs.get(s.name, (None, None, None))
        last = f"{started:%Y-%m-%d %H:%M} UTC {status} ({scraped} postings)" if started else "never"
        args_text = " ".join(f"{k}={v}" for k, v in s.args.items())
        rows.append((s.name, s.spider, args_text, "yes" if s.enabled else "no", last))
    _print_rows(["source", "spider", "arguments", "enabled", "last run"], rows, "table")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobsift", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"default {DEFAULT_DB}")
        return p

    crawl = with_db(sub.add_parser("crawl", help="run sources and load DuckDB"))
    crawl.add_argument("source", nargs="*", help="source names (default: every enabled source)")
    crawl.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    crawl.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="a setting for all sources"
    )
    crawl.set_defaults(func=cmd_crawl)

    sql = with_db(sub.add_parser("sql", help="run SQL on a read-only connection"))
    sql.add_argument("query")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.set_defaults(func=cmd_sql)

    export = with_db(sub.add_parser("export", help="write the postings view to a file"))
    export.add_argument("--format", choices=["csv", "jsonl", "parquet"], required=True)
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--where", help="SQL condition on the postings columns")
    export.set_defaults(func=cmd_export)

    normalize = sub.add_parser("normalize", help="raw postings (JSON lines) to normalized ones")
    normalize.add_argument("file", nargs="?", help="JSON lines file, or - for stdin (default)")
    normalize.set_defaults(func=cmd_normalize)

    sources = with_db(sub.add_parser("sources", help="list configured sources and their last run"))
    sources.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    sources.set_defaults(func=cmd_sources)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        return _fail(str(exc), 2)
    except LockedError as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:  # before or after the crawl proper (Scrapy handles it during)
        return _fail("interrupted", EXIT_INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
