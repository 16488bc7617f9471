"""`jobsift sources`: the configured sources, their last run and how many postings each has."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from jobsift.crawlers.cli.common import warn, with_db, with_sources
from jobsift.crawlers.cli.output import add_output_options, write_rows
from jobsift.crawlers.config import load_sources
from jobsift.pipelines.storage.runs import last_runs, postings_per_source
from jobsift.pipelines.storage.values import iso_utc

COLUMNS = ["source", "spider", "arguments", "enabled", "last_status", "last_run", "postings"]
HUMAN_COLUMNS = ["source", "spider", "arguments", "enabled", "last status", "last run", "postings"]


def age(then: datetime, now: datetime) -> str:
    """How long ago `then` was, as people say it: `just now`, `5 min ago`, `3 h ago`, `4 d ago`.

    Both are UTC; a naive one is UTC wall time (as the database stores it).
    """
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    seconds = (now - then).total_seconds()
    if seconds < -60:
        return "in the future (clock skew)"
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 48 * 3600:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


def cmd_sources(args: argparse.Namespace) -> int:
    config = load_sources(args.sources)
    for message in config.warnings:
        warn(message)
    latest = last_runs(args.db)
    counts = postings_per_source(args.db)
    human = args.format in ("table", "markdown")
    now = datetime.now(UTC)
    rows: list[list[Any]] = []
    for s in config.sources:
        run = latest.get(s.name)
        if human:
            rows.append(
                [
                    s.name,
                    s.spider,
                    " ".join(f"{k}={v}" for k, v in s.args.items()),
                    "yes" if s.enabled else "no",
                    run.status if run else "never run",
                    age(run.started_at, now) if run else "",
                    counts.get(s.name, 0),
                ]
            )
        else:
            rows.append(
                [
                    s.name,
                    s.spider,
                    dict(s.args),
                    s.enabled,
                    run.status if run else None,
                    iso_utc(run.started_at) if run else None,
                    counts.get(s.name, 0),
                ]
            )
    write_rows(HUMAN_COLUMNS if human else COLUMNS, rows, args.format, args.max_width)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sources = with_sources(
        with_db(
            sub.add_parser(
                "sources",
                help="list configured sources and their last run",
                description="List the configured sources: spider, arguments, whether enabled, the "
                "status and age of the last run, and how many postings the database holds for each. "
                "The csv and json formats give the last run's start as ISO 8601 UTC.",
            )
        )
    )
    add_output_options(sources)
    sources.set_defaults(func=cmd_sources)
