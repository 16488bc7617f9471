"""`jobsift renormalize`: the current chain over the stored raw postings, without any network.

Each selected raw posting takes the crawl's own path (`runtime.result.run_chain`: prepare → steps
→ validate → staged row) and the result goes through the store's merge: a posting whose normalized
content changed gets a new version (run id `renormalize-<time>`), an unchanged one is left alone,
first and last seen times are kept, and a raw posting the chain now refuses is recorded in
`rejects` (its row stays as it was). Holds the crawl lock, so it never runs beside a crawl.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from jobsift.crawlers import settings
from jobsift.crawlers.cli.common import fail, with_db
from jobsift.crawlers.runner import UsageError, crawl_lock
from jobsift.pipelines.runtime.result import run_chain_limited
from jobsift.pipelines.storage.database import DatabaseMissing
from jobsift.pipelines.storage.renormalize import RenormalizeError, select_ids, stored_raw
from jobsift.pipelines.storage.store import BatchCounts, StagedPosting, Store
from jobsift.schemas import Reject

BATCH = 500
EXAMPLES = """\
examples:
  jobsift renormalize                                 every stored posting
  jobsift renormalize --source greenhouse-gitlab      one configured source (or a spider)
  jobsift renormalize --where "posted_at > now() - INTERVAL 30 DAY"
  jobsift renormalize --where "raw->>'location' = 'Worldwide'"
"""


def renormalize(
    db: str, source: str | None, where: str | None, timeout: float | None
) -> tuple[int, BatchCounts, int]:
    """(examined, what the merge did, rejected) for the selected stored postings."""
    ids = select_ids(db, source, where)
    store = Store(db)
    version_run = "renormalize-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    counts, examined, rejected = BatchCounts(), 0, 0
    for start in range(0, len(ids), BATCH):
        rows, rejects = [], []
        for stored in stored_raw(db, ids[start : start + BATCH]):
            examined += 1
            item = run_chain_limited(stored.payload, timeout).item
            if isinstance(item, Reject):
                rejects.append((item, stored.source_name))
                continue
            assert isinstance(item, StagedPosting)
            # What the crawl that stored it wrote stays: its run, source and fetch time.
            item.row.update(
                run_id=stored.run_id, source_name=stored.source_name, fetched_at=stored.fetched_at
            )
            rows.append(item.row)
        result = store.write_renormalized(rows, rejects, version_run)
        counts.new += result.counts.new
        counts.updated += result.counts.updated
        counts.unchanged += result.counts.unchanged
        rejected += len(rejects) + result.unstored
    return examined, counts, rejected


def cmd_renormalize(args: argparse.Namespace) -> int:
    timeout = args.timeout or None
    if not args.db.is_file():
        raise UsageError(f"no database at {args.db}; run `jobsift crawl` first or pass --db")
    try:
        with crawl_lock(args.db):
            examined, counts, rejected = renormalize(args.db, args.source, args.where, timeout)
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    except RenormalizeError as exc:
        return fail(str(exc), 1)
    changed = counts.updated + counts.new
    print(
        f"renormalize: {examined} examined, {changed} changed, {counts.unchanged} unchanged, "
        f"{rejected} rejected"
    )
    return 1 if rejected else 0


def register(sub: argparse._SubParsersAction) -> None:
    cmd = with_db(
        sub.add_parser(
            "renormalize",
            help="re-run the current normalizers over the stored raw postings (no network)",
            description=__doc__.splitlines()[0],
            epilog=EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    cmd.add_argument("--source", metavar="S", help="only this configured source (or spider)")
    cmd.add_argument(
        "--where",
        metavar="SQL",
        help="one SQL expression on the postings columns (and raw, raw_hash)",
    )
    cmd.add_argument(
        "--timeout",
        type=float,
        default=settings.JOBSIFT_ITEM_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit per posting, 0 = none (default {settings.JOBSIFT_ITEM_TIMEOUT:g})",
    )
    cmd.set_defaults(func=cmd_renormalize)
