"""A distributed crawl on this machine: pages/s for 1, 2 and 3 workers, Redis memory per queued
request, and the spool merge rate.

    python bench/distributed.py [--roles 2000] [--workers 1 2 3] [--queued 20000] [--local]

Generates one aggregator site (`bench/pages.py`, `--roles` role pages), serves it from its own
process (`bench/serve.py`), and for each worker count starts a fresh redis-server, that many
`jobsift worker` processes and `jobsift crawl --redis` (the coordinator, which merges the spool into
a fresh database as batches come); pages/s = role pages / seconds from the coordinator's start to
its exit (every posting merged, every run recorded). `--local` adds a one-process `jobsift crawl`.

Redis memory: INFO used_memory before and after queueing `--queued` requests of the site (as the
coordinator and workers queue them: duplicate-filter fingerprint, pickled request, counter).
Merge rate: `bench/merge.py`'s `measure_merge` (`--merge-rows` generated postings as spool batches
merged into a fresh database, every posting new), rows/s; and the last crawl's own spool merged
again into a fresh database (`remerge_rows_per_s`, a check on the same figure from a real crawl).
The last line has every figure as key=value.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from jobsift.crawlers.config import project_settings  # noqa: E402
from jobsift.crawlers.distributed.frontier import Frontier, connect, encode, fingerprint  # noqa: E402
from jobsift.crawlers.spiders.withmira import WithmiraSpider  # noqa: E402
from jobsift.pipelines.storage.database import Database  # noqa: E402
from jobsift.pipelines.storage.spool_merge import merge_spool  # noqa: E402
from scrapy.crawler import Crawler  # noqa: E402

from bench.merge import measure_merge  # noqa: E402
from bench.pages import generate_site  # noqa: E402
from bench.serve import serving  # noqa: E402
from tests.support.distributed import (  # noqa: E402
    coordinator,
    local_crawl,
    postings,
    workers,
    write_sources,
)
from tests.support.redis import redis_server  # noqa: E402

SETTINGS = {
    "JOBSIFT_WORKER_TIMEOUT": 10,
    "JOBSIFT_HOST_CONCURRENCY": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


def crawl_distributed(work: Path, sources: Path, count: int, roles: int) -> float:
    """Seconds of one coordinator run with `count` workers (fresh Redis, spool and database)."""
    work.mkdir(parents=True)
    spool, db = work / "spool", work / "jobsift.duckdb"
    with redis_server(work / "redis") as url, workers(url, spool, count, work) as crew:
        began = time.perf_counter()
        crawl = coordinator(db, sources, url, spool, work)
        _, err = crawl.communicate(timeout=3600)
        seconds = time.perf_counter() - began
        if crawl.returncode != 0 or crew.wait() != [0] * count:
            sys.exit(f"the distributed crawl failed:\n{err[-2000:]}\n{crew.stderr()[-2000:]}")
    stored = len(postings(db))
    if stored != roles:
        sys.exit(f"{count} worker(s): {stored} postings stored, {roles} served")
    return seconds


def redis_bytes_per_request(work: Path, base_url: str, queued: int) -> float:
    """used_memory growth per request queued the way the frontier queues them."""
    settings = project_settings()
    spider = WithmiraSpider.from_crawler(
        Crawler(WithmiraSpider, settings, init_reactor=False), start_url=f"{base_url}/remote-jobs/"
    )
    with redis_server(work / "redis-memory") as url:
        client = connect(url)
        frontier = Frontier(client, "memory")
        before = int(client.info("memory")["used_memory"])
        for n in range(queued):
            request = spider.get(f"{base_url}/jobs/role-{n}/", spider.parse_role)
            frontier.push("mira", fingerprint(request), encode(request, spider))
        after = int(client.info("memory")["used_memory"])
        client.close()
    return (after - before) / queued


def remerge_rate(work: Path, spool: Path) -> tuple[int, float]:
    """(rows, rows/s) of merging a finished run's spool into a fresh database."""
    db = Database(work / "remerge.duckdb")
    with db.writer():
        pass  # the database and its tables exist before the clock starts
    began = time.perf_counter()
    rows = merge_spool(db.path, spool).rows
    seconds = time.perf_counter() - began
    return rows, rows / seconds if seconds else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--queued", type=int, default=20_000)
    parser.add_argument("--merge-rows", type=int, default=20_000)
    parser.add_argument("--local", action="store_true", help="also a one-process crawl")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    work = Path(tempfile.mkdtemp(prefix="jobsift-distributed-"))
    root = work / "site"
    generate_site(root, args.roles)
    figures: dict[str, str] = {}
    extra: dict[str, str] = {}  # figures besides the last line's
    with serving(root) as (base_url, _):
        sources = write_sources(
            work / "sources.toml",
            {"mira": {"spider": "withmira", "args": {"start_url": f"{base_url}/remote-jobs/"}}},
            SETTINGS,
        )
        if args.local:
            (work / "local").mkdir()
            began = time.perf_counter()
            done = local_crawl(work / "local" / "jobsift.duckdb", sources, work / "local")
            seconds = time.perf_counter() - began
            if done.returncode != 0:
                sys.exit(f"the local crawl failed: {done.stderr[-2000:]}")
            extra["local_pages_per_s"] = f"{args.roles / seconds:.1f}"
            print(f"one process: {args.roles} pages in {seconds:.1f} s", flush=True)
        for count in args.workers:
            seconds = crawl_distributed(work / f"w{count}", sources, count, args.roles)
            figures[f"workers_{count}_pages_per_s"] = f"{args.roles / seconds:.1f}"
            print(f"{count} worker(s): {args.roles} pages in {seconds:.1f} s", flush=True)
        per_request = redis_bytes_per_request(work, base_url, args.queued)
    last = work / f"w{args.workers[-1]}" / "spool"
    rows, rate = remerge_rate(work, last)
    print(
        f"re-merge: {rows} rows of the last crawl's spool into a fresh database: {rate:.0f} rows/s"
    )
    merged = measure_merge(rows=args.merge_rows, workdir=work)
    print(f"merge: {merged.line()}")
    print(f"redis: {per_request:.0f} bytes per queued request ({args.queued} queued)")
    extra["remerge_rows_per_s"] = f"{rate:.0f}"
    figures["merge_rows_per_s"] = f"{merged.merge_rows_per_s:.0f}"
    figures["redis_bytes_per_request"] = f"{per_request:.0f}"
    shutil.rmtree(work, ignore_errors=True)
    print(" ".join(f"{key}={value}" for key, value in extra.items()))
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
