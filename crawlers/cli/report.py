"""`jobsift report`: source health over time (SPEC section 5), as a table or one HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from jobsift.crawlers.cli.common import with_db
from jobsift.crawlers.cli.output import print_rows
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
    "started (UTC)",
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


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}"


def table_row(run: RunHealth) -> tuple[object, ...]:
    started = f"{run.started_at:%Y-%m-%d %H:%M}" if run.started_at else ""
    counts = (run.scraped, run.new, run.updated, run.unchanged, run.closed, run.rejected)
    fills = (percent(run.fills[name]) for name in HEALTH_FIELDS)
    return (run.source, started, run.status, *counts, *fills, run.reasons or "")


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
    print_rows(COLUMNS, [table_row(run) for run in runs], "table")
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(runs, str(args.db)), encoding="utf-8")
        print(f"wrote {args.html}")
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
    report.set_defaults(func=cmd_report)
