"""Merge rate of the one writer: staged rows written as spool batches, merged into a fresh DuckDB.

```
python bench/merge.py                       # 100,000 postings in batches of 500
python bench/merge.py --rows 20000          # quicker
python bench/merge.py --rows 100000 --batch-size 500 --pages 1000
```

What it does:

1. `pages.py` writes `--pages` role pages of the synthetic aggregator; each page is read by the
   `withmira` spider's own callback (no network) and normalized once by the chain.
2. Those postings are repeated up to `--rows` staged rows with distinct ids, URLs, companies and
   raw digests (each copy is a posting of its own for the merge and for job matching).
3. The rows are written as spool batches of `--batch-size` (`spool.write_batch`: Parquet files,
   manifest last), as a worker does; the write is timed (`spool_write_rows_per_s`).
4. `merge_spool` loads every batch into a fresh DuckDB file (every posting new), then the same
   postings again under other run ids (every posting unchanged, the steady state of a nightly
   re-crawl). Each pass is five runs of a fifth of the rows, timed apart from the first batch read
   to the last commit, so the rate is seen as the database grows.

The last line is exactly `merge_rows_per_s=… recrawl_merge_rows_per_s=… spool_bytes_per_1000=…`:
rows per second of the first merge and of the re-crawl merge, and the Parquet bytes of the spool
per 1,000 postings. `measure_merge()` returns the same figures to other scripts
(`bench/distributed.py`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from jobsift.crawlers.spiders.withmira import WithmiraSpider  # noqa: E402
from jobsift.pipelines.chain import normalize_payload  # noqa: E402
from jobsift.pipelines.storage.spool import Batch, write_batch  # noqa: E402
from jobsift.pipelines.storage.spool_merge import merge_spool  # noqa: E402
from jobsift.pipelines.storage.staging import stage_row  # noqa: E402
from jobsift.schemas import Reject  # noqa: E402
from scrapy.http import HtmlResponse  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from bench.pages import generate_site  # noqa: E402

BASE = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class MergeFigures:
    rows: int
    batches: int
    spool_bytes: int
    db_bytes: int  # the DuckDB file after the first merge
    write_seconds: float
    merge_seconds: list[float]  # run 1 (every posting new), per slice of the rows
    recrawl_seconds: list[float]  # run 2 (every posting unchanged), per slice
    cpu_seconds: tuple[float, float] = (0.0, 0.0)  # CPU of the process (all threads), per pass

    @property
    def slice_rows(self) -> int:
        return self.rows // len(self.merge_seconds)

    @property
    def merge_rows_per_s(self) -> float:
        return self.rows / sum(self.merge_seconds)

    @property
    def recrawl_rows_per_s(self) -> float:
        return self.rows / sum(self.recrawl_seconds)

    @property
    def spool_bytes_per_1000(self) -> float:
        return self.spool_bytes * 1000 / self.rows

    def line(self) -> str:
        return (
            f"merge_rows_per_s={self.merge_rows_per_s:.0f} "
            f"recrawl_merge_rows_per_s={self.recrawl_rows_per_s:.0f} "
            f"spool_bytes_per_1000={self.spool_bytes_per_1000:.0f}"
        )


def normalized_pages(pages: int, workdir: Path) -> list[tuple[Any, dict[str, Any]]]:
    """(posting, raw) of `pages` generated role pages, each read by the spider and normalized."""
    root = workdir / "site"
    roles = generate_site(root, pages)
    crawler = get_crawler(WithmiraSpider, {"JOBSIFT_FETCHED_AT": "2026-11-20T12:00:00+00:00"})
    spider = crawler._create_spider(start_url=f"{BASE}/remote-jobs/")
    out = []
    for role in roles:
        url = f"{BASE}/jobs/{role.slug}/"
        body = (root / "jobs" / role.slug / "index.html").read_bytes()
        response = HtmlResponse(url=url, body=body, encoding="utf-8")
        for raw in spider.parse_role(response):
            if isinstance(raw, dict):
                posting = normalize_payload(raw)
                if not isinstance(posting, Reject):
                    out.append((posting, raw))
    return out


def staged_rows(count: int, pages: int, workdir: Path) -> list[dict[str, Any]]:
    """`count` staged rows with distinct ids, made from the normalized generated pages."""
    base = [stage_row(posting, raw, "bench") for posting, raw in normalized_pages(pages, workdir)]
    rows = []
    for n in range(count):
        row = dict(base[n % len(base)])
        copy = n // len(base)
        if copy:
            suffix = f"-{copy}"
            for key in ("id", "source_id", "url", "apply_url"):
                if row.get(key):
                    row[key] = f"{row[key]}{suffix}"
            row["company"] = f"{row.get('company') or 'Company'}{suffix}"
            row["raw_hash"] = hashlib.blake2b(
                f"{row['raw_hash']}{suffix}".encode(), digest_size=16
            ).hexdigest()
        rows.append(row)
    return rows


def write_spool(
    spool: Path, rows: list[dict[str, Any]], run_id: str, batch_size: int, worker: str = "bench"
) -> tuple[int, int]:
    """Writes `rows` as spool batches of one run; returns (batches, Parquet bytes)."""
    batches = 0
    for seq, start in enumerate(range(0, len(rows), batch_size), start=1):
        part = [
            dict(r, run_id=run_id, source_name="bench") for r in rows[start : start + batch_size]
        ]
        batch_id = f"{worker}-bench-{seq:06d}-{run_id[-8:]}"
        write_batch(spool, Batch(batch_id, run_id, "bench", worker, part))
        batches += 1
    size = sum(p.stat().st_size for p in (spool / run_id).glob("*.parquet"))
    return batches, size


def measure_merge(
    rows: int = 100_000,
    batch_size: int = 500,
    pages: int = 1000,
    workdir: Path | None = None,
    slices: int = 5,
) -> MergeFigures:
    """Writes `rows` staged rows as spool batches and times their merge into a fresh DuckDB, then
    the merge of the same rows again (unchanged). Each pass is `slices` runs of rows/slices rows,
    timed apart, so the rate is seen as the database grows."""
    with tempfile.TemporaryDirectory(prefix="jobsift-merge-", dir=workdir) as tmp:
        folder = Path(tmp)
        staged = staged_rows(rows, pages, folder)
        spool, db = folder / "spool", folder / "merge.duckdb"
        step = -(-rows // slices)
        parts = [staged[start : start + step] for start in range(0, rows, step)]
        started = time.perf_counter()
        batches = size = 0
        for number, part in enumerate(parts):
            made, written = write_spool(spool, part, f"new-{number:04d}", batch_size)
            batches, size = batches + made, size + written
        write_seconds = time.perf_counter() - started
        for number, part in enumerate(parts):
            write_spool(spool, part, f"again-{number:04d}", batch_size)
        timed: dict[str, list[float]] = {"new": [], "again": []}
        cpu = []
        for kind, times in timed.items():
            cpu_started = time.process_time()
            for number, part in enumerate(parts):
                started = time.perf_counter()
                result = merge_spool(db, spool, f"{kind}-{number:04d}")
                times.append(time.perf_counter() - started)
                assert result.rows == len(part) and not result.incomplete, result
                if kind == "new" and number == len(parts) - 1:
                    db_bytes = db.stat().st_size
            cpu.append(time.process_time() - cpu_started)
        return MergeFigures(
            rows,
            batches,
            size,
            db_bytes,
            write_seconds,
            timed["new"],
            timed["again"],
            (cpu[0], cpu[1]),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="staged rows (default 100000)")
    parser.add_argument("--batch-size", type=int, default=500, help="rows per batch (500)")
    parser.add_argument("--pages", type=int, default=1000, help="distinct generated pages (1000)")
    args = parser.parse_args(argv)
    figures = measure_merge(args.rows, args.batch_size, args.pages)
    print(
        f"{figures.rows} rows in {figures.batches} batches of {args.batch_size}: spool written "
        f"in {figures.write_seconds:.1f} s ({figures.rows / figures.write_seconds:.0f} rows/s, "
        f"{figures.spool_bytes / 1e6:.1f} MB of Parquet)"
    )
    print(
        f"DuckDB file after the first merge: {figures.db_bytes / 1e6:.1f} MB "
        f"({figures.db_bytes * 1000 / figures.rows / 1e6:.2f} MB per 1,000 postings)"
    )
    passes = (("new", figures.merge_seconds), ("unchanged", figures.recrawl_seconds))
    for (name, times), cpu in zip(passes, figures.cpu_seconds, strict=True):
        rates = ", ".join(f"{figures.slice_rows / t:.0f}" for t in times)
        print(
            f"merge, every posting {name}: {sum(times):.1f} s ({cpu:.1f} s CPU, "
            f"{figures.rows / cpu:.0f} rows per CPU second); rows/s per slice of "
            f"{figures.slice_rows} as the database grows: {rates}"
        )
    print(f"spool_write_rows_per_s={figures.rows / figures.write_seconds:.0f}")
    print(figures.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
