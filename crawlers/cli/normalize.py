"""`jobsift normalize`: raw postings (JSON lines) to normalized ones, without Scrapy."""

from __future__ import annotations

import argparse
import os
import sys

from jobsift.crawlers import settings
from jobsift.crawlers.cli.common import fail
from jobsift.crawlers.runner import UsageError
from jobsift.pipelines.runtime.heap import StartupHeap
from jobsift.pipelines.runtime.lines import normalize_line


def cmd_normalize(args: argparse.Namespace) -> int:
    """Every line gives one posting on stdout or one `line N: reason` on stderr; exit 1 if any
    line was bad. Ends quietly when the reader goes away (`| head`)."""
    if args.file in (None, "-"):
        stream = sys.stdin.buffer
    else:
        try:
            stream = open(args.file, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    out, bad, number = sys.stdout.buffer, 0, 0
    try:
        with stream:
            for number, line in enumerate(stream, start=1):
                result = normalize_line(line, args.timeout)
                if result.reason is not None:
                    bad += 1
                    print(f"line {number}: {result.reason}", file=sys.stderr, flush=True)
                elif result.posting is not None:
                    out.write(result.posting)
                if number == 1:
                    # The chain's modules and reference tables (some loaded by the first line)
                    # live to the end: keep the garbage collector from rescanning them.
                    StartupHeap.freeze()
            out.flush()
    except BrokenPipeError:  # the reader closed the pipe: nothing more to say to anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as exc:  # reading the input or writing the output failed mid-way
        return fail(f"normalize stopped after line {number}: {exc}", 1)
    except KeyboardInterrupt:
        return fail(f"interrupted after line {number}", 130)
    return 1 if bad else 0


def register(sub: argparse._SubParsersAction) -> None:
    normalize = sub.add_parser("normalize", help="raw postings (JSON lines) to normalized ones")
    normalize.add_argument("file", nargs="?", help="JSON lines file, or - for stdin (default)")
    normalize.add_argument(
        "--timeout",
        type=float,
        default=settings.JOBSIFT_ITEM_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit per line, 0 = none (default {settings.JOBSIFT_ITEM_TIMEOUT:g})",
    )
    normalize.set_defaults(func=cmd_normalize)
