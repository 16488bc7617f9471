"""jobsift: crawl job postings into DuckDB, read them right, and query them.

Each command is one module of this package with a `register(subparsers)` function; COMMANDS lists
them in the order `--help` shows them. Every error is one line on stderr (`jobsift: ...`) and one of
the exit codes of EXIT_CODES; a traceback only with `--debug`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from importlib.metadata import PackageNotFoundError, version

from jobsift.crawlers.cli import (
    crawl,
    discover,
    export,
    init,
    merge,
    normalize,
    renormalize,
    report,
    sources,
    sql,
    worker,
)
from jobsift.crawlers.cli.common import fail, locate
from jobsift.crawlers.distributed.frontier import FrontierUnavailable
from jobsift.crawlers.runner import EXIT_INTERRUPTED, LockedError, UsageError
from jobsift.pipelines.storage.database import DatabaseBusy, DatabaseUnusable

COMMANDS = (
    crawl,
    worker,
    sql,
    export,
    normalize,
    renormalize,
    merge,
    sources,
    report,
    discover,
    init,
)


def jobsift_version() -> str:
    try:
        return version("jobsift")
    except PackageNotFoundError:  # imported from a folder that was never installed
        return "unknown"


EXIT_CODES = """\
exit codes:
  0    success: every source finished or was skipped (also when the reader of the
       output goes away early, as `| head` does)
  1    a source failed; a crawl refused by the lock; the database held by another
       process past the wait; a bad input line, query or export; postings a merge
       could not store; an internal error
  2    bad arguments or configuration: unknown source, bad sources file, a --db that
       is not a DuckDB database or cannot be created, an --out that cannot be
       written, an empty query, a `normalize` input file it cannot open
  3    `crawl`: no source failed but one is degraded (postings below half the
       median of its last runs, over 5% rejected, or a key field's fill rate down
       20 points; the reasons on its summary line and in crawl_runs.reasons)
  130  interrupted by the user (Ctrl-C)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobsift",
        description=__doc__.splitlines()[0],
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"jobsift {jobsift_version()}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected error"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def _reader_gone() -> int:
    """The reader of stdout went away (`| head`): nothing more to say to anyone, exit 0."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        locate(args)
        return args.func(args)
    except UsageError as exc:
        return fail(str(exc), 2)
    except DatabaseUnusable as exc:
        return fail(str(exc), 2)
    except (LockedError, DatabaseBusy, FrontierUnavailable) as exc:
        return fail(str(exc), 1)
    except KeyboardInterrupt:  # before or after the crawl proper (Scrapy handles it during)
        return fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        text = str(exc).strip()
        detail = f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__
        hint = "" if args.debug else " (run with --debug for the traceback)"
        return fail(f"internal error: {detail}{hint}", 1)
