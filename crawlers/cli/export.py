"""`jobsift export`: write the postings view to a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jobsift.crawlers.cli.common import fail, with_db
from jobsift.crawlers.runner import UsageError
from jobsift.pipelines.storage.database import DatabaseMissing
from jobsift.pipelines.storage.export import ExportError, ExportPathError, export_postings


def cmd_export(args: argparse.Namespace) -> int:
    out = None if str(args.out) == "-" else args.out
    try:
        count = export_postings(args.db, args.format, out, args.where, force=args.force)
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    except ExportPathError as exc:
        raise UsageError(str(exc)) from None
    except ExportError as exc:
        return fail(str(exc), 1)
    where = "standard output" if out is None else out
    print(f"wrote {count:,} posting{'' if count == 1 else 's'} to {where}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    export = with_db(sub.add_parser("export", help="write the postings view to a file"))
    export.add_argument("--format", choices=["csv", "jsonl", "parquet"], required=True)
    export.add_argument("--out", type=Path, required=True, help="a new file, or - for stdout")
    export.add_argument("--where", help="one SQL expression on the postings columns")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(func=cmd_export)
