"""jobsift: crawl job postings into DuckDB, read them right, and query them.

Exit codes: 0 success (every source finished or was skipped); 1 a source failed, a crawl was refused
by the lock, the database was held by another process past the wait, or an input line, query or
export was bad; 2 bad arguments or configuration (for `normalize`: an input file it cannot open);
3 `crawl`: no source failed but at least one is degraded (its postings fell below half the median of
its last runs, over 5% of what it served was rejected, or a key field's fill rate dropped 20 points;
the reasons on its summary line and in `crawl_runs.reasons`); 130 interrupted by the user (Ctrl-C).

Each command is one module of this package with a `register(subparsers)` function; COMMANDS lists
them in the order `--help` shows them.
"""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version

from jobsift.crawlers.cli import crawl, discover, export, init, normalize, report, sources, sql
from jobsift.crawlers.cli.common import fail, locate
from jobsift.crawlers.runner import EXIT_INTERRUPTED, LockedError, UsageError
from jobsift.pipelines.storage.database import DatabaseBusy

COMMANDS = (crawl, sql, export, normalize, sources, report, discover, init)


def jobsift_version() -> str:
    try:
        return version("jobsift")
    except PackageNotFoundError:  # imported from a folder that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobsift", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"jobsift {jobsift_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        locate(args)
        return args.func(args)
    except UsageError as exc:
        return fail(str(exc), 2)
    except (LockedError, DatabaseBusy) as exc:
        return fail(str(exc), 1)
    except KeyboardInterrupt:  # before or after the crawl proper (Scrapy handles it during)
        return fail("interrupted", EXIT_INTERRUPTED)
