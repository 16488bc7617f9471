"""The thin Scrapy wrapper shared by every normalization step, and the crawl's heap freeze."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from pipelines.draft import Draft, Reject

# A step reads and fills a Draft and returns the names of the events it counted
# (e.g. "salary/unparsed"); each becomes the Scrapy stat `jobsift/<event>`.
Step = Callable[[Draft], Iterable[str]]


def run_step(step: Step, draft: Draft) -> tuple[Draft | Reject, list[str]]:
    """Runs one step; an exception turns the draft into a reject instead of losing it."""
    try:
        return draft, list(step(draft))
    except Exception as exc:  # a bug or absurd input must not stop the crawl
        reason = f"{step.__module__}.{step.__name__} failed: {type(exc).__name__}: {exc}"
        reject = Reject(
            source=draft.raw.source, url=draft.raw.url, reason=reason, raw=draft.raw_payload
        )
        return reject, ["step_errors"]


class StepPipeline:
    """Applies `step` to every Draft; rejects and other items pass through untouched."""

    step: ClassVar[Step]

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StepPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Draft):
            return item
        result, events = run_step(type(self).step, item)
        if self.stats is not None:
            for event in events:
                self.stats.inc_value(f"jobsift/{event}")
        return result


class StartupHeap:
    """Keeps the objects alive when a crawl starts out of the garbage collector's scans.

    Why: after start-up a crawl process holds Scrapy, Twisted, the chain's modules and reference
    data, all alive to the end, and every full collection walks all of them again; freezing them
    (`gc.freeze`) cut the reactor thread's CPU by about a seventh in the 2,000-page benchmark.
    Counted, so crawlers sharing a process freeze once and thaw when the last one closes (frozen
    objects left at exit make DuckDB's bindings report leaks).
    """

    _users = 0

    @classmethod
    def freeze(cls) -> None:
        if cls._users == 0:
            gc.collect()
            gc.freeze()
        cls._users += 1

    @classmethod
    def thaw(cls) -> None:
        cls._users = max(cls._users - 1, 0)
        if cls._users == 0:
            gc.unfreeze()
