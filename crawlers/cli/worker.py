"""`jobsift worker`: crawl for a distributed run (`jobsift crawl --redis URL`), on any machine.

It waits for the run published in Redis (needing neither the sources file nor the database), crawls its sources with the other workers (each request
once across all of them), writes its postings to the spool, and exits 0 when the run is over;
130 when stopped by Ctrl-C, 1 when Redis cannot be reached.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jobsift.crawlers.distributed.worker import Worker
from jobsift.pipelines.storage.spool import default_spool


def cmd_worker(args: argparse.Namespace) -> int:
    spool = args.spool.expanduser() if args.spool else default_spool(args.db)
    return Worker(args.redis, spool, args.name).run(wait=args.wait)


def register(sub: argparse._SubParsersAction) -> None:
    worker = sub.add_parser("worker", help="crawl for a distributed run (`crawl --redis`)")
    worker.add_argument("--redis", required=True, metavar="URL", help="e.g. redis://host:6379/0")
    worker.add_argument(
        "--spool",
        type=Path,
        metavar="DIR",
        help="the folder the coordinator merges from, shared by every machine (default: spool/ "
        "beside the database this machine would use, as `crawl --redis` has it)",
    )
    worker.add_argument("--name", help="this worker's id (default: host-pid-random)")
    worker.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="give up (exit 0) when no run starts within this time (default: wait on)",
    )
    worker.set_defaults(func=cmd_worker, db=None)  # db: found as every command finds it
