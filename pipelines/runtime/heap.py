"""The crawl process's heap freeze (shared by the crawl extension and the worker process)."""

from __future__ import annotations

import gc

# Allocations (less deallocations) between two collections of the youngest generation while
# frozen (Python's default: 700). A crawl makes and drops many short-lived objects per request
# (deferreds, headers, requests); collecting them 30 times less often took about a twentieth off a
# re-crawl's CPU, for a few MB of garbage cycles that wait longer.
YOUNG_THRESHOLD = 20_000


class StartupHeap:
    """Keeps the objects alive when a crawl starts out of the garbage collector's scans.

    Why: after start-up a crawl process holds Scrapy, Twisted, the chain's modules and reference
    data, all alive to the end, and every full collection walks all of them again; freezing them
    (`gc.freeze`) cut the reactor thread's CPU by about a seventh in the 2,000-page benchmark.
    Young collections are also made rarer (`YOUNG_THRESHOLD`) until the thaw.
    Counted, so crawlers sharing a process freeze once and thaw when the last one closes (frozen
    objects left at exit make DuckDB's bindings report leaks).
    """

    _users = 0
    _threshold: tuple[int, ...] = ()

    @classmethod
    def freeze(cls) -> None:
        if cls._users == 0:
            gc.collect()
            gc.freeze()
            cls._threshold = gc.get_threshold()
            gc.set_threshold(max(YOUNG_THRESHOLD, cls._threshold[0]), *cls._threshold[1:])
        cls._users += 1

    @classmethod
    def thaw(cls) -> None:
        cls._users = max(cls._users - 1, 0)
        if cls._users == 0:
            gc.unfreeze()
            if cls._threshold:
                gc.set_threshold(*cls._threshold)
