"""The normalization chain without Scrapy, in the order `crawlers.settings.ITEM_PIPELINES` declares."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from scrapy.utils.misc import load_object

from pipelines.base import Step, StepPipeline, run_step
from pipelines.draft import Reject
from pipelines.prepare import prepare
from pipelines.validate import validate
from schemas import Posting


@cache
def ordered_steps() -> tuple[Step, ...]:
    from crawlers import settings

    ordered = sorted(settings.ITEM_PIPELINES.items(), key=lambda kv: kv[1])
    classes = [load_object(path) for path, _ in ordered]
    return tuple(cls.step for cls in classes if issubclass(cls, StepPipeline))


def normalize_counted(
    payload: dict[str, Any], steps: Sequence[Step], now: datetime | None = None
) -> tuple[Posting | Reject, list[str]]:
    """prepare → steps → validate, with the events the pipelines would count in Scrapy stats."""
    draft = prepare(payload, now=now)
    if isinstance(draft, Reject):
        return draft, ["raw/invalid"]
    events: list[str] = []
    for step in steps:
        result, step_events = run_step(step, draft)
        events.extend(step_events)
        if isinstance(result, Reject):
            return result, events
        draft = result
    posting = validate(draft)
    if isinstance(posting, Reject):
        events.append("posting/invalid")
    return posting, events


def normalize_payload(payload: dict[str, Any], now: datetime | None = None) -> Posting | Reject:
    """One raw posting through every step: the same functions the Scrapy pipelines run."""
    return normalize_counted(payload, ordered_steps(), now=now)[0]
