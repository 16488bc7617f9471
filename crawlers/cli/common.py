"""What every `jobsift` command shares: default paths, the one-line failure, the --db option."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_DB = Path("data/jobsift.duckdb")
DEFAULT_SOURCES = Path("data/sources.toml")


def fail(message: str, code: int) -> int:
    print(f"jobsift: {message}", file=sys.stderr)
    return code


def with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"default {DEFAULT_DB}")
    return parser
