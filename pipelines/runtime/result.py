"""One raw payload through the chain to what the loader writes: a staged row or a reject."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jobsift.pipelines.chain import normalize_counted
from jobsift.pipelines.runtime.limit import ItemTimeout, time_limit, timeout_reason
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
    return _reject(payload, f"normalization failed: {type(exc).__name__}: {exc}", "step_errors")


def _reject(payload: Any, reason: str, event: str) -> ChainResult:
    fields: dict[str, Any] = payload if isinstance(payload, dict) else {}
    source, url = dict.get(fields, "source"), dict.get(fields, "url")
    return ChainResult(
        Reject(
            source if isinstance(source, str) else None,
            url if isinstance(url, str) else None,
            reason,
            payload,
        ),
        [event],
    )


def timed_out(payload: Any, seconds: float) -> ChainResult:
    """What a payload becomes when its time limit ran out: a reject saying so."""
    return _reject(payload, timeout_reason(seconds), "item_timeouts")


def run_chain_limited(
    payload: dict[str, Any],
    seconds: float | None,
    chain: Callable[[dict[str, Any]], ChainResult] = run_chain,
) -> ChainResult:
    """`run_chain` within the item time limit; a bug or the limit costs this payload only."""
    try:
        with time_limit(seconds):
            return chain(payload)
    except ItemTimeout:
        return timed_out(payload, seconds or 0)
    except Exception as exc:
        return chain_failure(payload, exc)
