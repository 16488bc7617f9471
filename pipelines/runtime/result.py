"""One raw payload through the chain to what the loader writes: a staged row or a reject."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jobsift.pipelines.chain import normalize_counted
from jobsift.pipelines.storage.store import StagedPosting, stage_row
from jobsift.schemas import Reject


@dataclass(slots=True)
class ChainResult:
    """The chain's answer for one payload, and the events to count in Scrapy stats."""

    item: StagedPosting | Reject
    events: list[str]


def run_chain(payload: dict[str, Any]) -> ChainResult:
    """`normalize_counted`, then the staged row (the loader fills in its run id)."""
    result, events = normalize_counted(payload)
    if isinstance(result, Reject):
        return ChainResult(result, events)
    return ChainResult(StagedPosting(stage_row(result, payload, run_id="")), events)


def chain_failure(payload: Any, exc: BaseException) -> ChainResult:
    """What a payload becomes when the chain itself broke on it: a reject with the reason."""
    fields: dict[str, Any] = payload if isinstance(payload, dict) else {}
    source, url = dict.get(fields, "source"), dict.get(fields, "url")
    reason = f"normalization failed: {type(exc).__name__}: {exc}"
    return ChainResult(
        Reject(
            source if isinstance(source, str) else None,
            url if isinstance(url, str) else None,
            reason,
            payload,
        ),
        ["step_errors"],
    )
