"""`jobsift crawl`: run the configured sources and load DuckDB.

Exit 0 when every source finished (or was skipped), 1 when any failed, 2 on bad arguments or
configuration, 3 when none failed but at least one is `degraded` (its count fell below half the
median of its last runs, its reject rate passed 5%, or a key field's fill rate dropped 20 points;
see `pipelines/storage/health.py`), 130 when stopped by Ctrl-C.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jobsift.crawlers.cli.common import warn, with_db, with_sources
from jobsift.crawlers.config import check_spiders, load_sources, parse_set
from jobsift.crawlers.distributed.coordinator import DistributedRun
from jobsift.crawlers.runner import CrawlRun, UsageError, crawl_lock
from jobsift.crawlers.runner import select_sources as pick_sources


def cmd_crawl(args: argparse.Namespace) -> int:
    config = load_sources(args.sources)
    overrides, set_warnings = parse_set(args.set or [])
    for message in config.warnings + set_warnings:
        warn(message)
    selected = pick_sources(config.sources, args.source)
    if not selected:
        raise UsageError(f"no enabled source in {config.label}; name one or enable one")
    check_spiders(selected)  # before the lock: a mistake leaves no file behind
    shared = {**config.settings, **overrides}
    if args.spool and not args.redis:
        raise UsageError("--spool is for a distributed crawl: give --redis URL too")
    with crawl_lock(args.db):
        if args.redis:
            spool = args.spool.expanduser() if args.spool else None
            return DistributedRun(args.db, selected, shared, args.redis, spool).run()
        return CrawlRun(args.db, selected, shared).run()


def register(sub: argparse._SubParsersAction) -> None:
    crawl = with_sources(with_db(sub.add_parser("crawl", help="run sources and load DuckDB")))
    crawl.add_argument("source", nargs="*", help="source names (default: every enabled source)")
    crawl.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="a setting for all sources"
    )
    crawl.add_argument(
        "--redis",
        metavar="URL",
        help="coordinate a distributed crawl: `jobsift worker --redis URL` processes crawl",
    )
    crawl.add_argument(
        "--spool",
        type=Path,
        metavar="DIR",
        help="with --redis: the folder workers write to (default: spool/ beside the database)",
    )
    crawl.set_defaults(func=cmd_crawl)
