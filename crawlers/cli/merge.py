"""`jobsift merge`: load the spool batches of a distributed crawl into DuckDB (the one writer).

Every complete batch not merged yet is written through the same merge as a local crawl, and
recorded in `spool_batches` in its own transaction, so running it again changes nothing. A batch
without its manifest (its worker died while writing it) or whose files do not match the manifest
is left where it is and named. With `--finish`, each source of the run still `running` (its
coordinator is gone) gets its `crawl_runs` row from the batches and the workers' end records, as a
local run would; that needs the crawl lock, so it never runs beside a live coordinator.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jobsift.crawlers.cli.common import with_db
from jobsift.crawlers.runner import UsageError, crawl_lock
from jobsift.pipelines.storage.runs import Runs
from jobsift.pipelines.storage.spool import default_spool, run_folders
from jobsift.pipelines.storage.spool_merge import SpoolMerge, finish_from_spool, merge_spool

EXAMPLES = """\
examples:
  jobsift merge                          every batch of the spool beside the database
  jobsift merge --spool /mnt/shared/spool --db data/jobsift.duckdb
  jobsift merge --run 3f2a9c1b7d4e --finish

exit: 0 merged, or nothing to merge (batches left incomplete are listed, not an error); 1 postings
that could not be stored (kept in rejects) or a run that --finish recorded as failed; 2 bad
arguments (no folder at --spool, no such run).
"""


def _report(result: SpoolMerge) -> None:
    for (run_id, source), done in sorted(result.merged.items()):
        c = done.counts
        print(
            f"merge: run {run_id} source {source}: {done.batches} batches, {done.postings} "
            f"postings ({c.new} new, {c.updated} updated, {c.unchanged} unchanged), "
            f"{done.rejects + done.unstored} rejects"
        )
    print(
        f"merge: {result.batches} batches merged, {result.already} already merged, "
        f"{len(result.incomplete)} left"
    )
    for left in result.incomplete:
        print(f"  left: batch {left.batch_id} of run {left.run_id}: {left.why}")


def cmd_merge(args: argparse.Namespace) -> int:
    if args.finish and args.run is None:
        raise UsageError("--finish needs --run RUN_ID")
    spool = (args.spool or default_spool(args.db)).expanduser()
    if not spool.is_dir() and args.spool is None and args.run is None:
        print(f"merge: nothing to merge (no spool folder at {spool})")
        return 0
    if not spool.is_dir():
        raise UsageError(f"no spool folder at {spool}; pass --spool")
    if args.run is not None and not run_folders(spool, args.run):
        raise UsageError(f"no run {args.run} in the spool {spool}")
    result = merge_spool(args.db, spool, args.run)
    _report(result)
    code = 1 if any(done.unstored for done in result.merged.values()) else 0
    if args.finish:
        with crawl_lock(args.db):
            running = [s for r, s in Runs(args.db).running() if r == args.run]
            for source in running:
                status = finish_from_spool(args.db, spool, args.run, source)
                print(f"merge: run {args.run} source {source}: {status}")
                code = 1 if status == "failed" else code
    return code


def register(sub: argparse._SubParsersAction) -> None:
    cmd = with_db(
        sub.add_parser(
            "merge",
            help="load a distributed crawl's spool batches into DuckDB",
            description=__doc__.splitlines()[0],
            epilog=EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    cmd.add_argument(
        "--spool",
        type=Path,
        metavar="DIR",
        help="the spool folder the workers write (default: spool/ beside the database)",
    )
    cmd.add_argument("--run", metavar="RUN_ID", help="only the batches of this run")
    cmd.add_argument(
        "--finish",
        action="store_true",
        help="with --run: record each of its sources still `running` from the spool",
    )
    cmd.set_defaults(func=cmd_merge)
