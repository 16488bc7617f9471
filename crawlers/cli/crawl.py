"""`jobsift crawl`: run the configured sources and load DuckDB.

Exit 0 when every source finished (or was skipped), 1 when any failed, 2 on bad arguments or
configuration, 3 when none failed but at least one is `degraded` (its count fell below half the
median of its last runs, its reject rate passed 5%, or a key field's fill rate dropped 20 points;
see `pipelines/storage/health.py`), 130 when stopped by Ctrl-C.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jobsift.crawlers.cli.common import DEFAULT_SOURCES, with_db
from jobsift.crawlers.runner import CrawlRun, UsageError, crawl_lock, load_sources
from jobsift.crawlers.runner import select_sources as pick_sources


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


def register(sub: argparse._SubParsersAction) -> None:
    crawl = with_db(sub.add_parser("crawl", help="run sources and load DuckDB"))
    crawl.add_argument("source", nargs="*", help="source names (default: every enabled source)")
    crawl.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    crawl.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="a setting for all sources"
    )
    crawl.set_defaults(func=cmd_crawl)
