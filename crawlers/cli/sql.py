"""`jobsift sql`: run SQL on a read-only connection."""

from __future__ import annotations

import argparse

from jobsift.crawlers.cli.common import fail, with_db
from jobsift.crawlers.cli.output import print_rows
from jobsift.crawlers.runner import UsageError
from jobsift.pipelines.storage.database import DatabaseMissing
from jobsift.pipelines.storage.query import QueryRefused, run_query


def cmd_sql(args: argparse.Namespace) -> int:
    if not args.query.strip():
        raise UsageError('the query is empty; e.g. jobsift sql "SELECT count(*) FROM postings"')
    try:
        result = run_query(args.db, args.query)
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    except QueryRefused as exc:
        message = str(exc)
        if not message.startswith("Parser Error"):
            message += " (`jobsift sql` is read-only: no writes, files or settings; README, DuckDB)"
        return fail(f"refused: {message}", 1)
    print_rows(result.columns, result.rows, args.format)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sql = with_db(sub.add_parser("sql", help="run SQL on a read-only connection"))
    sql.add_argument("query")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.set_defaults(func=cmd_sql)
