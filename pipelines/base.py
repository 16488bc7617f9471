"""The thin Scrapy wrapper shared by every normalization step."""

from __future__ import annotations

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
        reject = Reject(source=draft.raw.source, url=draft.raw.url, reason=reason,
                        raw=draft.raw_payload)
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
