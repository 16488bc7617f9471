"""The lines `jobsift crawl` prints at the end: one per source, or one per spider for many."""

from __future__ import annotations

from jobsift.crawlers.progress_model import plural
from jobsift.pipelines.storage.runs import RunRow


def summary_line(row: RunRow) -> str:
    """`greenhouse-gitlab: finished, 120 postings (3 new, ...) ... in 4.2s | reasons`."""
    if row.status == "skipped":
        return f"{row.source}: {row.error}"
    line = (
        f"{row.source}: {row.status}, {plural(row.scraped, 'posting')} ({row.new} new, "
        f"{row.updated} updated, {row.unchanged} unchanged, {row.closed} closed), "
        f"{row.rejected} rejected, {plural(row.failures, 'failure')} in {row.seconds:.1f}s"
    )
    if row.partial:
        line += f" | partial: {row.partial}"
    if row.reasons:
        line += f" | degraded: {row.reasons}"
    if row.error:
        line += f" | {row.error}"
    return line


def spider_line(spider: str, rows: list[RunRow]) -> str:
    """The finished sources of one spider, summed: `greenhouse: 980 sources finished, ...`."""
    scraped = sum(r.scraped for r in rows)
    return (
        f"{spider}: {plural(len(rows), 'source')} finished, {plural(scraped, 'posting')} "
        f"({sum(r.new for r in rows):,} new, {sum(r.updated for r in rows):,} updated, "
        f"{sum(r.unchanged for r in rows):,} unchanged, {sum(r.closed for r in rows):,} closed), "
        f"{sum(r.rejected for r in rows):,} rejected"
    )
