"""Pipeline benchmark (targets: bench/README.md): crawl throughput with and without the chain, normalize rate,
memory.

    python bench/pipeline.py [--pages 5000] [--concurrency 16] [--repeat 1] [--memory-check]
                             [--profile] [--set KEY=VALUE ...] [--keep DIR] [--recrawl-only]

Generates a synthetic aggregator site (`bench/pages.py`), serves it from its own process on
127.0.0.1 (`bench/serve.py`), then crawls it with the `withmira` spider twice, each time in a fresh child process with
identical Scrapy settings: (a) no item pipelines, (b) the full `ITEM_PIPELINES` chain into a fresh
DuckDB file. Crawl time is the child's own engine time (stats `start_time` → `finish_time`, which
includes the loader's last flush). Then `jobsift normalize` runs over the raw postings read back
from `raw_postings`, pinned to one core, its start-up time (an empty input) subtracted.

Then it crawls the unchanged site once more onto the last full crawl's database (and its HTTP
cache): pages come back 304, postings skip the chain; its CPU (crawl process plus worker, set-up
included) against the crawl before it is `recrawl_cpu_ratio` (target: at most 0.25).

The line before last is exactly
`bare_pages_per_s=… full_pages_per_s=… ratio=… peak_rss_mb=… normalize_per_s=…`, the last one
`recrawl_cpu_ratio=…`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.chain_profile import profile_chain  # noqa: E402
from bench.pages import LISTING_PATH, generate_site  # noqa: E402
from bench.procstat import cpu_seconds, tree_rss_mb  # noqa: E402
from bench.serve import serving  # noqa: E402

# Identical for both crawls: only ITEM_PIPELINES (and where the loader writes) differ.
CRAWL_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "LOG_LEVEL": "WARNING",
    "JOBSIFT_PROGRESS_INTERVAL": 0,
    "TELNETCONSOLE_ENABLED": False,
}


@dataclass
class CrawlResult:
    mode: str
    items: int
    role_pages: int
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float
    reactor_cpu_seconds: float
    in_worker: int = 0
    # Crawl process from just before the crawl to its end, plus the worker (see `child_crawl`).
    total_cpu_seconds: float = 0.0
    skipped_unchanged: int = 0  # postings that skipped the chain (re-crawl)
    not_modified: int = 0  # pages answered 304 and read from the HTTP cache
    server_cpu_seconds: float = 0.0
    # RSS of the crawl process plus its children (the worker), sampled while it ran.
    rss_samples: list[float] = field(default_factory=list)

    @property
    def pages_per_s(self) -> float:
        return self.role_pages / self.seconds if self.seconds else 0.0

    @property
    def total_peak_rss_mb(self) -> float:
        """Peak of crawl process plus worker together (sampled), never below the process's own."""
        return max([self.peak_rss_mb, *self.rss_samples])


def _env() -> dict[str, str]:
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="jobsift.crawlers.settings", PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


# --- the child: one crawl in a fresh interpreter -------------------------------------------------


def child_crawl(
    start_url: str, mode: str, db: str | None, overrides: dict[str, Any]
) -> dict[str, Any]:
    """Runs one crawl in this process and returns its figures (the child prints them as JSON)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict({**CRAWL_SETTINGS, **overrides}, priority="cmdline")
    # The database's folder also holds the HTTP cache (JOBSIFT_HTTPCACHE), for every mode.
    settings.set("JOBSIFT_DB", db, priority="cmdline")
    if mode == "bare":
        settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("withmira")
    # CPU of this process over the same window as the wall time (imports and set-up excluded).
    cpu_marks: dict[str, float] = {}

    def mark(name: str) -> Any:
        def record(**_: Any) -> None:
            cpu_marks[name] = time.process_time()
            cpu_marks[f"{name} thread"] = time.thread_time()  # the reactor thread alone

        return record

    crawler.signals.connect(mark("opened"), signal=signals.spider_opened, weak=False)
    crawler.signals.connect(mark("closed"), signal=signals.spider_closed, weak=False)
    # CPU of the whole crawl, set-up included (opening the database, the worker's start-up): the
    # crawl process plus its reaped children (the normalization worker).
    started_cpu = time.process_time()
    process.crawl(crawler, start_url=start_url)
    process.start()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = time.process_time() - started_cpu + children.ru_utime + children.ru_stime
    stats = crawler.stats.get_stats() if crawler.stats else {}
    seconds = (stats["finish_time"] - stats["start_time"]).total_seconds()
    return {  # the fields of CrawlResult this process knows
        "mode": mode,
        "items": stats.get("item_scraped_count", 0) + stats.get("item_dropped_count", 0),
        "seconds": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_seconds": cpu_marks["closed"] - cpu_marks["opened"],
        "reactor_cpu_seconds": cpu_marks["closed thread"] - cpu_marks["opened thread"],
        "in_worker": stats.get("jobsift/worker/normalized", 0),
        "total_cpu_seconds": total_cpu,
        "skipped_unchanged": stats.get("jobsift/normalize/skipped_unchanged", 0),
        "not_modified": stats.get("httpcache/revalidate", 0),
    }


# --- the parent ----------------------------------------------------------------------------------


def run_crawl(
    base_url: str,
    server_pid: int,
    mode: str,
    db: Path | None,
    overrides: dict[str, Any],
    pages: int,
    fresh: bool = True,
) -> CrawlResult:
    """One crawl in a fresh child process; `db` and the HTTP cache beside it are emptied first
    unless `fresh` is False (a re-crawl of what the previous crawl stored)."""
    if db is not None and fresh:
        db.unlink(missing_ok=True)
        db.with_name(db.name + ".wal").unlink(missing_ok=True)
        shutil.rmtree(db.parent / "httpcache", ignore_errors=True)
    command = [sys.executable, str(Path(__file__).resolve()), "_crawl", base_url + LISTING_PATH,
               mode, str(db or ""), json.dumps(overrides)]  # fmt: skip
    server_cpu = cpu_seconds(server_pid)
    samples = []
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=REPO, env=_env(), stdout=subprocess.PIPE, stderr=log)
        while proc.poll() is None:  # stdout carries one short line: it cannot fill the pipe
            samples.append(tree_rss_mb(proc.pid))
            time.sleep(0.25)
        stdout = proc.stdout.read().decode() if proc.stdout else ""
        log.seek(0)
        stderr = log.read().decode(errors="replace")
    server_cpu = cpu_seconds(server_pid) - server_cpu
    if proc.returncode != 0 or not stdout.strip():
        raise RuntimeError(f"{mode} crawl failed ({proc.returncode}):\n{stderr[-4000:]}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    if stderr.strip():
        print(f"[{mode} crawl log]\n{stderr.strip()[-2000:]}", file=sys.stderr)
    if figures["items"] != pages:
        raise RuntimeError(f"{mode} crawl scraped {figures['items']} items, expected {pages}")
    # pages/s counts role pages only, not the listing pages and robots.txt also fetched.
    samples = [mb for mb in samples if mb > 0]
    return CrawlResult(
        **figures, role_pages=pages, server_cpu_seconds=server_cpu, rss_samples=samples
    )


def describe(result: CrawlResult) -> str:
    worker = ""
    if result.in_worker:
        worker = (
            f", {result.total_peak_rss_mb:.0f} MB with its worker "
            f"({result.in_worker} postings normalized in the worker)"
        )
    if result.mode == "recrawl":
        worker = (
            f"; {result.not_modified} pages answered 304, {result.skipped_unchanged} postings "
            f"skipped the chain, {result.in_worker} normalized"
        )
    return (
        f"{result.mode:>4} crawl: {result.role_pages} role pages in {result.seconds:.2f}s = "
        f"{result.pages_per_s:.1f} pages/s; CPU: reactor thread {result.reactor_cpu_seconds:.1f}s, "
        f"whole crawl process {result.cpu_seconds:.1f}s (worker excluded), server "
        f"{result.server_cpu_seconds:.1f}s ({result.server_cpu_seconds / result.seconds:.0%}); "
        f"peak RSS {result.peak_rss_mb:.0f} MB{worker}; CPU with set-up and worker "
        f"{result.total_cpu_seconds:.1f}s"
    )


def raw_postings(db: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT raw FROM raw_postings ORDER BY id").fetchall()
        stored = con.execute("SELECT count(*) FROM postings").fetchone()[0]
    finally:
        con.close()
    print(f"database: {stored} postings, {len(rows)} raw postings")
    return [row[0] for row in rows]


def _timed_normalize(input_file: Path) -> tuple[float, int]:
    """Wall seconds of `jobsift normalize FILE` pinned to one core, and its output lines."""
    command = [sys.executable, "-m", "jobsift.crawlers.cli", "normalize", str(input_file)]
    core = min(os.sched_getaffinity(0))
    output = input_file.with_suffix(".out")
    with output.open("wb") as sink:
        started = time.perf_counter()
        proc = subprocess.run(
            command,
            cwd=REPO,
            env=_env(),
            stdout=sink,
            stderr=subprocess.PIPE,
            check=False,
            preexec_fn=lambda: os.sched_setaffinity(0, {core}),
        )
        seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):  # 1 = some lines rejected, the others still came out
        raise RuntimeError(f"jobsift normalize failed:\n{proc.stderr.decode()[-3000:]}")
    with output.open("rb") as lines:
        return seconds, sum(1 for _ in lines)


def normalize_rate(raws: list[str], workdir: Path) -> float:
    """Postings/s of `jobsift normalize` (best of 2), start-up time subtracted."""
    lines = workdir / "raw.jsonl"
    lines.write_text("".join(json.dumps(json.loads(r), ensure_ascii=False) + "\n" for r in raws))
    empty = workdir / "empty.jsonl"
    empty.write_text("")
    startup = min(_timed_normalize(empty)[0] for _ in range(2))
    runs = [_timed_normalize(lines) for _ in range(2)]
    full = min(seconds for seconds, _ in runs)
    written = runs[0][1]
    if written < len(raws) * 0.9:
        raise RuntimeError(f"jobsift normalize wrote {written} of {len(raws)} postings")
    rate = len(raws) / max(full - startup, 1e-9)
    print(
        f"jobsift normalize: {len(raws)} postings ({written} written) in {full:.2f}s "
        f"(start-up {startup:.2f}s) = {rate:.1f} postings/s on one core"
    )
    return rate


def memory_check(pages: int, workdir: Path, overrides: dict[str, Any]) -> tuple[float, float]:
    """Peak RSS of the full crawl at pages/10 and at pages, each on its own site and database."""
    peaks = []
    for size in (max(pages // 10, 1), pages):
        root = workdir / f"site-{size}"
        if not root.exists():
            generate_site(root, size)
        with serving(root) as (base_url, server_pid):
            db = workdir / f"memory-{size}.duckdb"
            result = run_crawl(base_url, server_pid, "full", db, overrides, size)
        print(describe(result))
        peaks.append(result.total_peak_rss_mb)
    quarters = [result.rss_samples[len(result.rss_samples) * q // 4 - 1] for q in (1, 2, 3, 4)]
    print(
        f"RSS (crawl process + worker) at 1/4, 1/2, 3/4 and the end of the {pages}-page crawl: "
        + ", ".join(f"{mb:.0f}" for mb in quarters)
        + " MB"
    )
    small, large = peaks
    print(
        f"memory check: peak RSS {small:.1f} MB at {max(pages // 10, 1)} pages, {large:.1f} MB at "
        f"{pages} pages, ratio {large / small:.2f} for 10x the pages"
    )
    return small, large


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_crawl":
        start_url, mode, db, overrides = argv[1:5]
        print(json.dumps(child_crawl(start_url, mode, db or None, json.loads(overrides))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000, help="role pages (default 5000)")
    parser.add_argument("--per-page", type=int, default=50, help="cards per listing page")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent requests")
    parser.add_argument(
        "--repeat", type=int, default=1, help="crawl pairs to run; the median of each mode counts"
    )
    parser.add_argument("--memory-check", action="store_true", help="also crawl pages/10, compare")
    parser.add_argument(
        "--recrawl-only", action="store_true", help="only full crawl + re-crawl: the last line"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the normalization chain")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Scrapy setting for both crawls (VALUE read as JSON when it parses)",
    )
    args = parser.parse_args(argv)
    overrides = {
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
    }
    for pair in args.set:
        key, _, value = pair.partition("=")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="jobsift-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        root = workdir / f"site-{args.pages}"
        started = time.perf_counter()
        if not root.exists():
            generate_site(root, args.pages, per_page=args.per_page)
        print(f"site: {args.pages} role pages in {workdir} ({time.perf_counter() - started:.1f}s)")
        db = workdir / "full" / "bench.duckdb"
        bare_db = workdir / "bare" / "bench.duckdb"  # never written: holds the bare HTTP cache
        print(f"settings for both crawls: {json.dumps({**CRAWL_SETTINGS, **overrides})}")
        print(f"load average before: {os.getloadavg()[0]:.2f} (other processes skew the figures)")
        bares, fulls = [], []
        with serving(root) as (base_url, server_pid):
            for _ in range(args.repeat):
                # Alternating pairs, so a burst of outside load hits both modes alike.
                if not args.recrawl_only:
                    bares.append(
                        run_crawl(base_url, server_pid, "bare", bare_db, overrides, args.pages)
                    )
                    print(describe(bares[-1]))
                fulls.append(run_crawl(base_url, server_pid, "full", db, overrides, args.pages))
                print(describe(fulls[-1]))
            # The same site again, unchanged, onto the last full crawl's database and HTTP cache.
            recrawl = run_crawl(
                base_url, server_pid, "recrawl", db, overrides, args.pages, fresh=False
            )
            print(describe(recrawl))
        recrawl_ratio = recrawl.total_cpu_seconds / fulls[-1].total_cpu_seconds
        print(
            f"re-crawl of the unchanged site: {recrawl.total_cpu_seconds:.1f}s CPU against "
            f"{fulls[-1].total_cpu_seconds:.1f}s for the crawl before it = {recrawl_ratio:.1%}"
        )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        if args.recrawl_only:
            print(f"recrawl_cpu_ratio={recrawl_ratio:.3f}")
            return 0
        # The median run of each mode (the lower one of an even count): robust to a burst of
        # outside load in one run, and not flattered by one lucky run either.
        bare, full = (sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]
                      for runs in (bares, fulls))  # fmt: skip
        if args.repeat > 1:
            for name, runs in (("bare", bares), ("full", fulls)):
                spread = ", ".join(f"{rate:.1f}" for rate in sorted(r.pages_per_s for r in runs))
                print(f"{name} pages/s over {len(runs)} runs: {spread}")
        raws = raw_postings(db)
        rate = normalize_rate(raws, workdir)
        if args.profile:
            profile_chain(raws)
        if args.memory_check:
            memory_check(args.pages, workdir, overrides)
        print(
            f"bare_pages_per_s={bare.pages_per_s:.1f} full_pages_per_s={full.pages_per_s:.1f} "
            f"ratio={full.pages_per_s / bare.pages_per_s:.3f} "
            f"peak_rss_mb={full.total_peak_rss_mb:.1f} "
            f"normalize_per_s={rate:.1f}"
        )
        print(f"recrawl_cpu_ratio={recrawl_ratio:.3f}")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
