"""`jobsift report`: source health over time, as a table or one HTML file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jobsift.crawlers.cli.common import with_db
from jobsift.crawlers.cli.output import add_output_options, print_rows
from jobsift.crawlers.cli.report_html import render_html
from jobsift.crawlers.runner import UsageError
from jobsift.pipelines.storage.database import DatabaseMissing
from jobsift.pipelines.storage.health import RunHealth, health_history
from jobsift.schemas.ddl import HEALTH_FIELDS

# Short column headers of the key fields' fill rates.
FILL_HEADERS = {
    "work_setting": "setting%",
    "location": "location%",
    "salary": "salary%",
    "responsibilities": "resp%",
    "requirements_minimum": "req%",
    "posted_at": "posted%",
}
COLUMNS = [
    "source",
    "started_at",
    "status",
    "postings",
    "new",
    "updated",
    "unchanged",
    "closed",
    "rejected",
    *(FILL_HEADERS[name] for name in HEALTH_FIELDS),
    "reasons",
]


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def table_row(run: RunHealth) -> tuple[object, ...]:
    counts = (run.scraped, run.new, run.updated, run.unchanged, run.closed, run.rejected)
    fills = (percent(run.fills[name]) for name in HEALTH_FIELDS)
    return (run.source, run.started_at, run.status, *counts, *fills, run.reasons)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def cmd_report(args: argparse.Namespace) -> int:
    try:
        runs = health_history(args.db, args.source, args.runs)
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    if args.source and not runs:
        raise UsageError(f"no runs of source {args.source!r} in {args.db}")
    print_rows(COLUMNS, [table_row(run) for run in runs], args.format, args.max_width)
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(runs, str(args.db)), encoding="utf-8")
        print(f"jobsift: wrote {args.html}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    report = with_db(
        sub.add_parser("report", help="source health over time: counts, fill rates, degraded runs")
    )
    report.add_argument("--html", type=Path, metavar="FILE", help="also write one HTML file")
    report.add_argument("--source", help="one configured source (default: all)")
    report.add_argument(
        "--runs", type=positive, default=10, metavar="N", help="last N runs per source (10)"
    )
    add_output_options(report)
    report.set_defaults(func=cmd_report)
