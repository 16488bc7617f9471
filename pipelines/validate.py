"""Last normalization step: the Draft must be a valid `schemas.Posting`, or it becomes a Reject."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from pipelines.draft import Draft, Reject, Valid
from schemas import Posting


def validate(draft: Draft) -> Posting | Reject:
    try:
        return Posting.model_validate({**draft.posting, "provenance": draft.provenance})
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return Reject(
            source=draft.raw.source,
            url=draft.raw.url,
            reason=f"invalid posting: {errors}",
            raw=draft.raw_payload,
        )


class ValidationPipeline:
    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Draft):
            return item
        result = validate(item)
        if isinstance(result, Reject):
            if self.stats is not None:
                self.stats.inc_value("jobsift/posting/invalid")
            return result
        return Valid(posting=result, raw=item.raw_payload)
