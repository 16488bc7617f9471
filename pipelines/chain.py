"""The normalization chain without Scrapy, in the order `crawlers.settings.ITEM_PIPELINES` declares."""

from __future__ import annotations

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


def normalize_payload(payload: dict[str, Any], now: datetime | None = None) -> Posting | Reject:
    """One raw posting through every step: the same functions the Scrapy pipelines run."""
    draft = prepare(payload, now=now)
    if isinstance(draft, Reject):
        return draft
    for step in ordered_steps():
        draft, _events = run_step(step, draft)
        if isinstance(draft, Reject):
            return draft
    return validate(draft)
