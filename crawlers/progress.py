"""What `jobsift crawl` shows while it runs, on standard error.

On a terminal: a live table, one row per source, with its state (queued, running, done, failed,
skipped, interrupted), postings, rejects, failures and time. Anywhere else (a log file, cron, a
pipe): plain lines, only when something changes — a source starts, finishes, fails or is skipped,
and at most every JOBSIFT_PROGRESS_INTERVAL seconds a count line for a source whose counts moved.
After the crawl the runner prints `total_line` below the per-source summary.

The runner feeds it: `watch` connects a crawler's signals, `skipped` and `start_failed` report what
happens outside a crawler, `start`/`stop` bracket the reactor. Counts are read from each crawler's
stats on every tick: nothing runs per posting.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TextIO

from jobsift.crawlers.progress_groups import GROUP_ABOVE, GroupedLines, group_sources
from jobsift.crawlers.progress_model import (
    DONE,
    ENDED,
    FAILED,
    INTERRUPTED,
    QUEUED,
    RUNNING,
    SKIPPED,
    SourceProgress,
    duration,
    plural,
)
from rich.console import Console, Group
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text
from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

STYLES = {
    QUEUED: "dim",
    RUNNING: "cyan",
    DONE: "green",
    FAILED: "bold red",
    SKIPPED: "yellow",
    INTERRUPTED: "magenta",
}
# Seconds between redraws of the live table.
LIVE_REFRESH = 0.25


class Display(Protocol):
    def changed(self, source: SourceProgress, now: float) -> None: ...
    def tick(self, sources: Iterable[SourceProgress], now: float) -> None: ...
    def close(self, sources: Iterable[SourceProgress], now: float) -> None: ...


class Quiet:
    """JOBSIFT_PROGRESS_INTERVAL = 0: nothing while the crawl runs."""

    def changed(self, source: SourceProgress, now: float) -> None:
        pass

    def tick(self, sources: Iterable[SourceProgress], now: float) -> None:
        pass

    def close(self, sources: Iterable[SourceProgress], now: float) -> None:
        pass


class PlainLines:
    """A line per change, a count line per source at most every `interval` seconds."""

    def __init__(self, stream: TextIO, interval: float) -> None:
        self.stream = stream
        self.interval = interval
        self.reported: dict[str, tuple[int, int, int, float]] = {}

    def _line(self, text: str) -> None:
        self.stream.write(f"progress: {text}\n")
        self.stream.flush()

    def changed(self, source: SourceProgress, now: float) -> None:
        if source.state == RUNNING:
            self._line(f"{source.name}: running")
        elif source.state == SKIPPED:
            self._line(f"{source.name}: skipped ({source.note})")
        elif source.state in ENDED:
            line = f"{source.name}: {source.state} after {duration(source.seconds(now))}, "
            line += source.counts()
            if source.note:
                line += f" | {source.note}"
            self._line(line)
        self.reported[source.name] = (source.postings, source.rejected, source.failures, now)

    def tick(self, sources: Iterable[SourceProgress], now: float) -> None:
        for source in sources:
            if source.state != RUNNING:
                continue
            counts = (source.postings, source.rejected, source.failures)
            last = self.reported.get(source.name)
            if last is not None and (last[:3] == counts or now - last[3] < self.interval):
                continue
            self._line(f"{source.name}: {source.counts()} so far")
            self.reported[source.name] = (*counts, now)

    def close(self, sources: Iterable[SourceProgress], now: float) -> None:
        pass


def table(sources: Iterable[SourceProgress], now: float, width: int = 100) -> Table:
    """The live display: one row per source, `width` columns wide at most."""
    sources = list(sources)
    grid = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    # Every column but the last keeps its width; the note gets what is left of the line.
    names = min(30, max([6] + [len(s.name) for s in sources]))
    grid.add_column("source", no_wrap=True, overflow="ellipsis", min_width=names, max_width=30)
    grid.add_column("state", no_wrap=True, min_width=11)
    for name, least in (("postings", 8), ("rejected", 8), ("failures", 8), ("time", 6)):
        grid.add_column(name, justify="right", no_wrap=True, min_width=least)
    note = max(8, width - names - 11 - 3 * 8 - 6 - 2 * 6)
    grid.add_column("", overflow="ellipsis", no_wrap=True, max_width=note)
    for s in sources:
        state: Any = Text(s.state, style=STYLES[s.state])
        if s.state == RUNNING:
            state = Spinner("dots", text=state, style=STYLES[RUNNING])
        time_text = duration(s.seconds(now)) if s.state not in (QUEUED, SKIPPED) else ""
        grid.add_row(
            s.name,
            state,
            f"{s.postings:,}",
            f"{s.rejected:,}",
            Text(f"{s.failures:,}", style="red" if s.failures else ""),
            time_text,
            Text(s.note, style="dim"),
        )
    return grid


class LiveTable:
    """A rich live table, drawn from the first tick, redrawn on every tick and change; left on
    the screen when done (the runner stops it only when some source was crawled)."""

    def __init__(self, console: Console, sources: Callable[[], list[SourceProgress]]) -> None:
        self.sources = sources
        self.live = Live(
            console=console, auto_refresh=False, redirect_stdout=False, redirect_stderr=False
        )
        self.started = False

    def _draw(self, now: float) -> None:
        if not self.started:
            self.live.start()
            self.started = True
        grid = table(self.sources(), now, self.live.console.width)
        self.live.update(Group(grid), refresh=True)

    def changed(self, source: SourceProgress, now: float) -> None:
        if self.started:  # skips decided before the crawl wait for its first tick
            self._draw(now)

    def tick(self, sources: Iterable[SourceProgress], now: float) -> None:
        self._draw(now)

    def close(self, sources: Iterable[SourceProgress], now: float) -> None:
        self._draw(now)
        self.live.stop()


class CrawlProgress:
    """The state of every source of one crawl, shown by one `Display`."""

    def __init__(
        self,
        names: Iterable[str],
        interval: float,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        console: Console | None = None,
        groups: dict[str, str] | None = None,
    ) -> None:
        self.clock = clock
        self.began = clock()
        self.sources = {name: SourceProgress(name) for name in names}
        self.crawlers: dict[str, Crawler] = {}
        # Receivers connected with weak=False (closures would die at once otherwise): Scrapy's
        # dispatcher holds them in a process-wide table, so `forget` disconnects them, else each
        # finished crawler (engine, middlewares, stats) would stay in memory to the end.
        self.receivers: dict[str, list[tuple[Any, Callable[..., None]]]] = {}
        self.loop: task.LoopingCall | None = None
        stream = stream if stream is not None else sys.stderr
        console = console or Console(file=stream, highlight=False)
        self.display: Display
        # Many sources (a thousand boards) are shown per spider: `groups` maps source to spider.
        many = groups is not None and len(self.sources) > GROUP_ABOVE
        if interval <= 0:
            self.display, self.period = Quiet(), 0.0
        elif console.is_terminal and not console.is_dumb_terminal:
            if many and groups is not None:
                rows = groups
                self.display = LiveTable(
                    console, lambda: group_sources(self.sources.values(), rows)
                )
            else:
                self.display = LiveTable(console, lambda: list(self.sources.values()))
            self.period = min(interval, LIVE_REFRESH)
        elif many and groups is not None:
            self.display, self.period = GroupedLines(stream, interval, groups), interval
        else:
            self.display, self.period = PlainLines(stream, interval), interval

    def elapsed(self) -> float:
        return self.clock() - self.began

    # --- fed by the runner ---

    def watch(self, name: str, crawler: Crawler) -> None:
        """Follows a crawler: opened, closed, its counts."""
        self.crawlers[name] = crawler
        receivers = self.receivers[name] = []

        def opened(spider: Any) -> None:
            self._set(name, RUNNING)
            # Connected now, after the loader's own handler (its pipeline exists from here on), so
            # the status the loader recorded is known when this one runs.
            crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)
            receivers.append((signals.spider_closed, closed))

        def closed(spider: Any, reason: str) -> None:
            self._count(name)
            status = crawler.stats.get_value("jobsift/status") if crawler.stats else None
            failures = list(getattr(spider, "failures", []))
            if reason == "shutdown":
                state = INTERRUPTED
            elif status == "failed" or (status is None and (reason != "finished" or failures)):
                state = FAILED
            else:
                state = DONE
            note = failures[0] if failures and state == FAILED else ""
            if state == FAILED and not note and reason != "finished":
                note = f"crawl ended: {reason}"
            self._set(name, state, note)

        crawler.signals.connect(opened, signal=signals.spider_opened, weak=False)
        receivers.append((signals.spider_opened, opened))

    def forget(self, name: str) -> None:
        """A source's crawl is over: its last counts are kept, its crawler is let go (memory stays
        flat however many sources a crawl runs one after another)."""
        self._count(name)
        crawler = self.crawlers.pop(name, None)
        for signal, receiver in self.receivers.pop(name, []):
            if crawler is not None:
                crawler.signals.disconnect(receiver, signal=signal, weak=False)

    def skipped(self, name: str, reason: str) -> None:
        self._set(name, SKIPPED, reason.removeprefix("skipped: "))

    def start_failed(self, name: str, error: str) -> None:
        """A crawler that failed outside its spider (it may never have opened)."""
        self._count(name)
        source = self.sources[name]
        source.failures = max(source.failures, 1)
        self._set(name, FAILED, error)

    def start(self) -> None:
        """Starts the periodic ticks (call once the reactor is installed, before it runs)."""
        if self.period > 0 and self.loop is None:
            self.loop = task.LoopingCall(self.tick)
            self.loop.start(self.period, now=True)

    def stop(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for name in self.crawlers:
            self._count(name)
        self.display.close(self.sources.values(), self.clock())

    def tick(self) -> None:
        for name in self.crawlers:
            self._count(name)
        self.display.tick(self.sources.values(), self.clock())

    # --- internals ---

    def _count(self, name: str) -> None:
        crawler = self.crawlers.get(name)
        stats = getattr(crawler, "stats", None)
        if stats is None:
            return
        source = self.sources[name]
        source.postings = stats.get_value("item_scraped_count", 0)
        source.rejected = stats.get_value("jobsift/rejected", 0)
        source.failures = stats.get_value("jobsift/failures", 0) + sum(
            v for k, v in stats.get_stats().items() if k.startswith("spider_exceptions/")
        )

    def _set(self, name: str, state: str, note: str = "") -> None:
        source = self.sources[name]
        if source.state in ENDED and state != FAILED:
            return  # an end is final (a start failure after the close still shows)
        now = self.clock()
        if state == RUNNING and source.started is None:
            source.started = now
        if state in ENDED:
            source.started = source.started if source.started is not None else now
            source.ended = now
        source.state, source.note = state, note or source.note
        self.display.changed(source, now)


def total_line(rows: Iterable[Any], seconds: float) -> str:
    """`3 sources: 2 finished, 1 failed; 1,204 postings (57 new), 3 rejected in 2m14s`."""
    rows = list(rows)
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row.status] = statuses.get(row.status, 0) + 1
    order = ["finished", "failed", "interrupted", "skipped"]
    named = sorted(statuses, key=lambda s: (order.index(s) if s in order else len(order), s))
    parts = ", ".join(f"{statuses[s]:,} {s}" for s in named)
    scraped = sum(row.scraped for row in rows)
    new = sum(row.new for row in rows)
    rejected = sum(row.rejected for row in rows)
    return (
        f"{plural(len(rows), 'source')}: {parts}; {plural(scraped, 'posting')} ({new:,} new), "
        f"{rejected:,} rejected in {duration(seconds)}"
    )
