"""What the crawl progress knows of each source: its state, counts and times (no display)."""

from __future__ import annotations

from dataclasses import dataclass

QUEUED, RUNNING, DONE, FAILED, SKIPPED, INTERRUPTED = (
    "queued",
    "running",
    "done",
    "failed",
    "skipped",
    "interrupted",
)
ENDED = (DONE, FAILED, SKIPPED, INTERRUPTED)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 posting`, `1,204 postings`."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def duration(seconds: float) -> str:
    """`4.2s`, `2m14s`, `1h03m`."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


@dataclass
class SourceProgress:
    name: str
    state: str = QUEUED
    postings: int = 0
    rejected: int = 0
    failures: int = 0
    note: str = ""
    started: float | None = None
    ended: float | None = None

    def seconds(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.ended or now) - self.started

    def counts(self) -> str:
        text = f"{plural(self.postings, 'posting')}, {self.rejected:,} rejected"
        if self.failures:
            text += f", {plural(self.failures, 'failure')}"
        return text
