"""Chain functions for a real worker process with one step made slow on purpose.

`ChainWorker(item_timeout, chain="tests.support.runaway:spinning")` runs these instead of
`result.run_chain`: every payload goes through the real chain, except the one titled `RUNAWAY`,
which gets an extra step that never ends.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable
from typing import Any

from jobsift.pipelines.chain import STEPS, normalize_counted
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.runtime.result import ChainResult, run_chain

RUNAWAY = "Runaway Engineer"


def _spin(draft: Draft) -> Iterable[str]:
    """A step that loops for ever, and swallows every error the way careless code does."""
    while True:
        try:
            while True:
                pass
        except Exception:
            continue


def spinning(payload: dict[str, Any]) -> ChainResult:
    """The real chain; the runaway payload's last step never ends (the timer must stop it)."""
    if payload.get("title") != RUNAWAY:
        return run_chain(payload)
    normalize_counted(payload, steps=(*STEPS, _spin))
    raise AssertionError("unreachable: the spinning step never returns")


def stuck(payload: dict[str, Any]) -> ChainResult:
    """As `spinning`, but the runaway payload also blocks the timer's signal: only the crawl
    process's watchdog can end it."""
    if payload.get("title") == RUNAWAY:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    return spinning(payload)
