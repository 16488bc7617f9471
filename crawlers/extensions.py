"""Scrapy extensions of jobsift (enabled in `crawlers/settings.py`)."""

from __future__ import annotations

from jobsift.pipelines.runtime.heap import StartupHeap
from scrapy import signals
from scrapy.crawler import Crawler


class FreezeStartupHeap:
    """Freezes the objects alive at spider start out of the garbage collector's scans.

    Enabled for every crawl, with or without item pipelines, so benchmarks compare like with like.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FreezeStartupHeap:
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        StartupHeap.freeze()

    def spider_closed(self) -> None:
        StartupHeap.thaw()
