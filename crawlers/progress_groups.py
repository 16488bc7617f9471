"""Progress of a crawl of many sources, shown per spider (one row or line per ATS, not per board).

A crawl of 1,000 configured Greenhouse boards would otherwise print 2,000 start and end lines or a
table of 1,000 rows. Above GROUP_ABOVE sources, `crawlers/progress.py` shows these aggregates
instead; a source that fails is still named the moment it fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from jobsift.crawlers.progress_model import (
    DONE,
    FAILED,
    INTERRUPTED,
    QUEUED,
    RUNNING,
    SKIPPED,
    SourceProgress,
    duration,
    plural,
)

# More sources than this are shown grouped by spider.
GROUP_ABOVE = 30
_ORDER = (RUNNING, QUEUED, DONE, FAILED, SKIPPED, INTERRUPTED)


def group_sources(
    sources: Iterable[SourceProgress], groups: dict[str, str]
) -> list[SourceProgress]:
    """One SourceProgress per group: summed counts, the group's state and how many are in each."""
    members: dict[str, list[SourceProgress]] = {}
    for source in sources:
        members.setdefault(groups.get(source.name, source.name), []).append(source)
    out = []
    for key, items in members.items():
        states = {state: sum(s.state == state for s in items) for state in _ORDER}
        state = next(s for s in (RUNNING, QUEUED, FAILED, INTERRUPTED, DONE, SKIPPED) if states[s])
        if state == FAILED and states[DONE]:
            state = DONE  # most finished; the failures are in the note and counts
        started = [s.started for s in items if s.started is not None]
        ended = [s.ended for s in items if s.ended is not None]
        tally = ", ".join(f"{n:,} {name}" for name, n in states.items() if n)
        failed = [s for s in items if s.state == FAILED]
        note = (
            f"{len(failed):,} failed, first: {failed[0].name}: {failed[0].note}" if failed else ""
        )
        out.append(
            SourceProgress(
                name=f"{key} ({plural(len(items), 'source')}: {tally})",
                state=state,
                postings=sum(s.postings for s in items),
                rejected=sum(s.rejected for s in items),
                failures=sum(s.failures for s in items),
                note=note,
                started=min(started) if started else None,
                ended=max(ended) if ended and len(ended) == len(items) else None,
            )
        )
    return out


class GroupedLines:
    """Plain lines for many sources: a failure at once, else one line per spider per interval."""

    def __init__(self, stream: TextIO, interval: float, groups: dict[str, str]) -> None:
        self.stream = stream
        self.interval = interval
        self.groups = groups
        self.reported: dict[str, tuple[str, float]] = {}

    def _line(self, text: str) -> None:
        self.stream.write(f"progress: {text}\n")
        self.stream.flush()

    def changed(self, source: SourceProgress, now: float) -> None:
        if source.state == FAILED:
            line = f"{source.name}: failed after {duration(source.seconds(now))}, {source.counts()}"
            self._line(line + (f" | {source.note}" if source.note else ""))

    def tick(self, sources: Iterable[SourceProgress], now: float, final: bool = False) -> None:
        for group in group_sources(sources, self.groups):
            text = f"{group.name}, {group.counts()}"
            last = self.reported.get(group.name.split(" (")[0])
            if last is not None and (
                last[0] == text or (now - last[1] < self.interval and not final)
            ):
                continue
            self._line(text)
            self.reported[group.name.split(" (")[0]] = (text, now)

    def close(self, sources: Iterable[SourceProgress], now: float) -> None:
        self.tick(sources, now, final=True)
