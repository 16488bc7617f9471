"""The `jobsift` command (SPEC section 2).

Exit codes: 0 success (every source finished or was skipped); 1 a source failed, a crawl was refused
by the lock, the database was held by another process past the wait, or an input line, query or
export was bad; 2 bad arguments or configuration (for `normalize`: an input file it cannot open);
130 interrupted by the user (Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from jobsift.crawlers import settings
from jobsift.crawlers.runner import (
    EXIT_INTERRUPTED,
    CrawlRun,
    LockedError,
    UsageError,
    crawl_lock,
    load_sources,
)
from jobsift.crawlers.runner import select_sources as pick_sources
from jobsift.pipelines.runtime.heap import StartupHeap
from jobsift.pipelines.runtime.lines import normalize_line
from jobsift.pipelines.storage.database import DatabaseBusy, DatabaseMissing
from jobsift.pipelines.storage.export import ExportError, export_postings
from jobsift.pipelines.storage.query import QueryRefused, run_query
from jobsift.pipelines.storage.runs import last_runs

DEFAULT_DB = Path("data/jobsift.duckdb")
DEFAULT_SOURCES = Path("data/sources.toml")


def _fail(message: str, code: int) -> int:
    print(f"jobsift: {message}", file=sys.stderr)
    return code


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


def cmd_sql(args: argparse.Namespace) -> int:
    try:
        result = run_query(args.db, args.query)
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    except QueryRefused as exc:
        message = str(exc)
        if not message.startswith("Parser Error"):
            message += " (`jobsift sql` is read-only: no writes, files or settings; README, DuckDB)"
        return _fail(f"refused: {message}", 1)
    _print_rows(result.columns, result.rows, args.format)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    out = None if str(args.out) == "-" else args.out
    try:
        count = export_postings(args.db, args.format, out, args.where, force=args.force)
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    except ExportError as exc:
        return _fail(str(exc), 1)
    print(f"wrote {count} postings to {'standard output' if out is None else out}", file=sys.stderr)
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    """Every line gives one posting on stdout or one `line N: reason` on stderr; exit 1 if any
    line was bad. Ends quietly when the reader goes away (`| head`)."""
    if args.file in (None, "-"):
        stream = sys.stdin.buffer
    else:
        try:
            stream = open(args.file, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    out, bad, number = sys.stdout.buffer, 0, 0
    try:
        with stream:
            for number, line in enumerate(stream, start=1):
                result = normalize_line(line, args.timeout)
                if result.reason is not None:
                    bad += 1
                    print(f"line {number}: {result.reason}", file=sys.stderr, flush=True)
                elif result.posting is not None:
                    out.write(result.posting)
                if number == 1:
                    # The chain's modules and reference tables (some loaded by the first line)
                    # live to the end: keep the garbage collector from rescanning them.
                    StartupHeap.freeze()
            out.flush()
    except BrokenPipeError:  # the reader closed the pipe: nothing more to say to anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as exc:  # reading the input or writing the output failed mid-way
        return _fail(f"normalize stopped after line {number}: {exc}", 1)
    except KeyboardInterrupt:
        return _fail(f"interrupted after line {number}", 130)
    return 1 if bad else 0


def cmd_sources(args: argparse.Namespace) -> int:
    sources, _ = load_sources(args.sources)
    latest = last_runs(args.db)
    rows = []
    for s in sources:
        run = latest.get(s.name)
        last = (
            f"{run.started_at:%Y-%m-%d %H:%M} UTC {run.status} ({run.scraped} postings)"
            if run
            else "never"
        )
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
    export.add_argument("--out", type=Path, required=True, help="a new file, or - for stdout")
    export.add_argument("--where", help="one SQL expression on the postings columns")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(func=cmd_export)

    normalize = sub.add_parser("normalize", help="raw postings (JSON lines) to normalized ones")
    normalize.add_argument("file", nargs="?", help="JSON lines file, or - for stdin (default)")
    normalize.add_argument(
        "--timeout",
        type=float,
        default=settings.JOBSIFT_ITEM_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit per line, 0 = none (default {settings.JOBSIFT_ITEM_TIMEOUT:g})",
    )
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
    except (LockedError, DatabaseBusy) as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:  # before or after the crawl proper (Scrapy handles it during)
        return _fail("interrupted", EXIT_INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
