"""`jobsift sources`: the configured sources and their last run."""

from __future__ import annotations

import argparse

from jobsift.crawlers.cli.common import warn, with_db, with_sources
from jobsift.crawlers.cli.output import print_rows
from jobsift.crawlers.config import load_sources
from jobsift.pipelines.storage.runs import last_runs


def cmd_sources(args: argparse.Namespace) -> int:
    config = load_sources(args.sources)
    for message in config.warnings:
        warn(message)
    latest = last_runs(args.db)
    rows = []
    for s in config.sources:
        run = latest.get(s.name)
        last = (
            f"{run.started_at:%Y-%m-%d %H:%M} UTC {run.status} ({run.scraped} postings)"
            if run
            else "never"
        )
        args_text = " ".join(f"{k}={v}" for k, v in s.args.items())
        rows.append((s.name, s.spider, args_text, "yes" if s.enabled else "no", last))
    print_rows(["source", "spider", "arguments", "enabled", "last run"], rows, "table")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sources = with_sources(
        with_db(sub.add_parser("sources", help="list configured sources and their last run"))
    )
    sources.set_defaults(func=cmd_sources)
