"""`jobsift sources`: the configured sources and their last run."""

from __future__ import annotations

import argparse
from pathlib import Path

from jobsift.crawlers.cli.common import DEFAULT_SOURCES, with_db
from jobsift.crawlers.cli.output import print_rows
from jobsift.crawlers.runner import load_sources
from jobsift.pipelines.storage.runs import last_runs


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
    print_rows(["source", "spider", "arguments", "enabled", "last run"], rows, "table")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sources = with_db(sub.add_parser("sources", help="list configured sources and their last run"))
    sources.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    sources.set_defaults(func=cmd_sources)
