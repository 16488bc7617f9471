"""`jobsift sql`: run SQL on a read-only connection and print the result."""

from __future__ import annotations

import argparse
import sys

from jobsift.crawlers.cli.common import fail, with_db
from jobsift.crawlers.cli.output import add_output_options, write_rows
from jobsift.crawlers.runner import UsageError
from jobsift.pipelines.storage.database import DatabaseMissing
from jobsift.pipelines.storage.query import EmptyQuery, QueryRefused, run_query

EXAMPLES = """\
examples:
  jobsift sql "SELECT title, company, countries FROM postings LIMIT 5"
  jobsift sql "SELECT * FROM crawl_runs" --format json
  jobsift sql -f report.sql --format markdown
  echo "SELECT count(*) FROM postings" | jobsift sql -
"""


def _read(source: str) -> str:
    """The query text of a file, or of standard input for `-`."""
    try:
        if source == "-":
            return sys.stdin.read()
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read the query from {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read the query from {source}: not UTF-8 text") from None


def _query(args: argparse.Namespace) -> str:
    if args.file is not None and args.query is not None:
        raise UsageError("give the query as an argument or with --file, not both")
    if args.file is not None:
        return _read(args.file)
    if args.query is None:
        raise UsageError("no query: give one as an argument, with --file FILE, or - to read stdin")
    return _read("-") if args.query == "-" else args.query


def cmd_sql(args: argparse.Namespace) -> int:
    query = _query(args)
    try:
        result = run_query(args.db, query)
    except EmptyQuery as exc:
        raise UsageError(f'{exc}: give a SQL statement such as "SELECT * FROM postings"') from None
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    except QueryRefused as exc:
        message = str(exc)
        if not message.startswith("Parser Error"):
            message += " (`jobsift sql` is read-only: no writes, files or settings; README, DuckDB)"
        return fail(f"refused: {message}", 1)
    write_rows(result.columns, result.plain_rows(), args.format, args.max_width)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sql = with_db(
        sub.add_parser(
            "sql",
            help="run SQL on a read-only connection",
            description="Run SQL on a read-only connection and print the last statement's rows.\n"
            "Lists and structs print as JSON, timestamps as ISO 8601 UTC.",
            epilog=EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    sql.add_argument("query", nargs="?", help="the SQL, or - to read it from standard input")
    sql.add_argument("-f", "--file", metavar="FILE", help="read the SQL from FILE (- for stdin)")
    add_output_options(sql)
    sql.set_defaults(func=cmd_sql)
