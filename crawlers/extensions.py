"""Scrapy extensions of jobsift, its stats collector and log formatter (`crawlers/settings.py`)."""

from __future__ import annotations

import logging
from typing import Any

from jobsift.pipelines.runtime.heap import StartupHeap
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.logformatter import LogFormatter
from scrapy.statscollectors import MemoryStatsCollector
from twisted.python.failure import Failure


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


class QuickStatsCollector(MemoryStatsCollector):
    """Scrapy's in-memory stats, read and counted without Scrapy 2.19's per-access shim.

    That shim (`StatsCollector.__getattribute__`, which wraps the methods to warn about a
    deprecated `spider` argument) runs on every attribute read, including the collector's own
    reads of its dict, and cost about 5% of a re-crawl's CPU. jobsift passes no `spider` argument.
    """

    __getattribute__ = object.__getattribute__


class QuietLogFormatter(LogFormatter):
    """Scrapy's log messages, without building the DEBUG record of every page crawled and every
    item scraped when LOG_LEVEL drops DEBUG anyway (two records per page, about 3% of a re-crawl's
    CPU). With LOG_LEVEL = DEBUG they are logged as before."""

    def __init__(self, debug: bool = True) -> None:
        super().__init__()
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietLogFormatter:
        level = crawler.settings.get("LOG_LEVEL") or "DEBUG"
        numeric = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
        return cls(debug=not isinstance(numeric, int) or numeric <= logging.DEBUG)

    def crawled(self, request: Request, response: Response, spider: Spider) -> Any:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item: Any, response: Response | Failure, spider: Spider) -> Any:
        return super().scraped(item, response, spider) if self.debug else None
