"""What every `jobsift` command shares: the one-line failure and warning, the --db and --sources
options and where they point when not given (`jobsift.crawlers.home`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jobsift.crawlers.config import UsageError
from jobsift.crawlers.home import resolve

LOOKUP = "default: $JOBSIFT_HOME, else ./data if it has sources.toml, else the user data folder"


def fail(message: str, code: int) -> int:
    print(f"jobsift: {message}", file=sys.stderr)
    return code


def warn(message: str) -> None:
    print(f"jobsift: warning: {message}", file=sys.stderr)


def with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--db", type=Path, metavar="PATH", help=f"the DuckDB file, jobsift.duckdb ({LOOKUP})"
    )
    return parser


def with_sources(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        help=f"the sources file, sources.toml ({LOOKUP}; without one, the starter shipped with jobsift)",
    )
    return parser


def locate(args: argparse.Namespace) -> None:
    """Fills in the --db and --sources a command takes and was not given (the one lookup).
    `args.sources` stays None when the starter shipped with jobsift is to be read."""
    if not hasattr(args, "db") and not hasattr(args, "sources"):
        return
    try:
        paths = resolve(getattr(args, "sources", None), getattr(args, "db", None))
    except NotADirectoryError as exc:
        raise UsageError(str(exc)) from None
    if hasattr(args, "db"):
        args.db = paths.db
    if hasattr(args, "sources"):
        args.sources = paths.sources
