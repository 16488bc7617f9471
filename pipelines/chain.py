"""The normalization chain, declared once: prepare → STEPS in order → validate.

The crawl (`jobsift.pipelines.runtime.NormalizePipeline`, in-process or in its worker) and
`jobsift normalize` both call `normalize_counted`; there is no other way through the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from jobsift.pipelines.classification.step import step as classification
from jobsift.pipelines.compensation.step import step as compensation
from jobsift.pipelines.dates.step import step as dates
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.eligibility.step import step as eligibility
from jobsift.pipelines.prepare import prepare
from jobsift.pipelines.sections.step import step as sections
from jobsift.pipelines.validate import validate
from jobsift.schemas import Posting, Reject

# A step reads and fills a Draft and returns the names of the events it counted
# (e.g. "salary/unparsed"); each becomes the Scrapy stat `jobsift/<event>`.
Step = Callable[[Draft], Iterable[str]]

# The order matters: eligibility reads the sections' items, compensation the cleaned title's
# context, dates nothing but the raw fields.
STEPS: tuple[Step, ...] = (sections, eligibility, classification, compensation, dates)


def run_step(step: Step, draft: Draft) -> tuple[Draft | Reject, list[str]]:
    """Runs one step; an exception turns the draft into a reject instead of losing it."""
    try:
        return draft, list(step(draft))
    except Exception as exc:  # a bug or absurd input must not stop the crawl
        reason = f"{step.__module__}.{step.__name__} failed: {type(exc).__name__}: {exc}"
        reject = Reject(
            source=draft.raw.source, url=draft.raw.url, reason=reason, raw=draft.raw_payload
        )
        return reject, ["step_errors"]


def _payload_field(payload: Any, key: str) -> str | None:
    value = dict.get(payload, key) if isinstance(payload, dict) else None
    return value if isinstance(value, str) else None


def normalize_counted(
    payload: dict[str, Any], steps: Sequence[Step] = STEPS, now: datetime | None = None
) -> tuple[Posting | Reject, list[str]]:
    """prepare → steps → validate, with the events the crawl counts in Scrapy stats."""
    try:
        draft = prepare(payload, now=now)
    except Exception as exc:  # prepare must never lose a payload either
        reason = f"prepare failed: {type(exc).__name__}: {exc}"
        source, url = _payload_field(payload, "source"), _payload_field(payload, "url")
        return Reject(source, url, reason, payload), ["step_errors"]
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
    """One raw posting through every step."""
    return normalize_counted(payload, now=now)[0]
