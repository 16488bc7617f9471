"""A time limit for one item, so that a runaway normalization costs that item, not the crawl.

`time_limit(seconds)` arms a one-shot real-time timer (SIGALRM); when it fires inside the block,
`ItemTimeout` is raised wherever the chain is (Python code and `re` matching both check for
signals), the block ends and the caller turns the item into a reject. `ItemTimeout` derives from
BaseException so that a step's own `except Exception` (which turns a bug into a reject) cannot
swallow it and carry on with the item.

The same limit applies wherever an item is normalized: in the crawl's worker process, in the crawl
process when it has no worker, and in `jobsift normalize`. A timer needs the main thread of a
process on a system with `setitimer` (not Windows); elsewhere, or inside someone else's running
timer, the block runs without a limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class ItemTimeout(BaseException):
    """The item's time is up (raised inside the chain by the timer)."""


def timeout_reason(seconds: float) -> str:
    return f"normalization stopped after {seconds:g} s (the item time limit, JOBSIFT_ITEM_TIMEOUT)"


def _usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raises ItemTimeout in the block once it has run `seconds` (None or 0: no limit)."""
    if not seconds or seconds <= 0 or not _usable():
        yield
        return
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        nonlocal armed
        if armed:  # a late signal after the block ended must not raise anywhere else
            armed = False
            raise ItemTimeout(seconds)

    # None: a handler set outside Python; the default is the nearest thing to restore.
    previous = signal.signal(signal.SIGALRM, expire) or signal.SIG_DFL
    theirs = 0.0
    try:  # from here on, wherever the timer fires, the finally below cleans up
        theirs, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
        if theirs:  # someone else's timer was running: it stays, this block gets no limit
            armed = False
            signal.setitimer(signal.ITIMER_REAL, theirs)
            signal.signal(signal.SIGALRM, previous)
        yield
    finally:
        try:
            armed = False  # from here on the handler does nothing
        finally:  # also when the timer fired right before the line above
            if not theirs:
                signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
