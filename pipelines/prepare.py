"""First step: a spider's raw payload becomes a Draft (or a Reject), its description parsed once."""

from __future__ import annotations

import hashlib
import html
import logging
import os
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from pipelines.document import collapse, parse_document
from pipelines.draft import Draft, Reject
from pipelines.text_facts import read_text_facts
from schemas import RawPosting

logger = logging.getLogger(__name__)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = collapse(html.unescape(value))
    return value or None


def _source_id(raw: RawPosting) -> str:
    if raw.source_id:
        return str(raw.source_id).strip()
    if raw.url:
        return raw.url
    basis = f"{raw.title}|{raw.company}|{raw.description}".encode()
    return hashlib.blake2b(basis, digest_size=8).hexdigest()


def _tags(values: list[str]) -> list[str]:
    """Cleaned tags in order, the first spelling of each case-insensitive duplicate kept."""
    tags: list[str] = []
    folded: set[str] = set()
    for value in values:
        tag = _clean(str(value))
        if tag and tag.casefold() not in folded:
            folded.add(tag.casefold())
            tags.append(tag)
    return tags


def prepare(payload: dict[str, Any], now: datetime | None = None) -> Draft | Reject:
    """Validates the raw payload and seeds the nested posting with what needs no interpretation."""
    try:
        raw = RawPosting.from_mapping(payload)
    except (ValidationError, ValueError, TypeError) as exc:
        reason = f"invalid raw posting: {exc}".replace("\n", " ")
        return Reject(
            source=payload.get("source"), url=payload.get("url"), reason=reason, raw=payload
        )
    fetched_at = raw.fetched_at or now or datetime.now(UTC)
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    fetched_at = fetched_at.astimezone(UTC)
    document = parse_document(raw.description)
    source = raw.source or "unknown"
    source_id = _source_id(raw)
    posting: dict[str, Any] = {
        "id": f"{source}:{source_id}",
        "source": source,
        "source_id": source_id,
        "url": raw.url,
        "apply_url": raw.apply_url,
        "fetched_at": fetched_at,
        "overview": {
            "title": _clean(raw.title),
            "company": _clean(raw.company),
            "category": _clean(raw.extra.get("category")),
            "summary": _clean(raw.extra.get("summary")),
            "tags": _tags(raw.tags),
            "description_text": document.text,
        },
        "requirements": {},
        "eligibility": {"location_text": _clean(raw.location)},
        "compensation": None,
    }
    facts = read_text_facts(raw.description, has_title=bool(raw.title and raw.title.strip()))
    return Draft(
        raw=raw,
        raw_payload=payload,
        fetched_at=fetched_at,
        document=document,
        posting=posting,
        text_facts=facts.values,
        text_fact_labels=facts.labels,
    )


class PreparePipeline:
    """Raw payloads become Drafts; in a crawl, the whole chain may run in a worker process.

    With `JOBSIFT_NORMALIZE_WORKER` on (the default when the machine has a second CPU) and the
    plain chain configured, payloads go to `pipelines.worker` and come back staged or rejected;
    see that module for why and how.
    """

    def __init__(self, stats: StatsCollector | None = None, worker_steps: list[str] | None = None):
        self.stats = stats
        self.worker_steps = worker_steps
        self.worker: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PreparePipeline:
        return cls(crawler.stats, _worker_steps(crawler))

    def open_spider(self) -> None:
        if self.worker_steps is None:
            return
        from pipelines.worker import ChainWorker

        try:
            self.worker = ChainWorker.acquire(self.worker_steps)
        except OSError as exc:  # no process or socket to be had: normalize here instead
            logger.warning("no normalization worker (%s); normalizing in the crawl process", exc)

    def close_spider(self) -> None:
        if self.worker is not None:
            self.worker.release()
            self.worker = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        if self.worker is not None and self.worker.alive:
            return self._in_worker(item)
        return self._here(item)

    def _here(self, item: dict[str, Any]) -> Draft | Reject:
        result = prepare(item)
        if isinstance(result, Reject) and self.stats is not None:
            self.stats.inc_value("jobsift/raw/invalid")
        return result

    async def _in_worker(self, item: dict[str, Any]) -> Any:
        from pipelines.worker import WorkerUnavailable

        try:
            result = await self.worker.normalize(item)
        except WorkerUnavailable:
            return self._here(item)
        if self.stats is not None:
            self.stats.inc_value("jobsift/worker/normalized")
            for event in result.events:
                self.stats.inc_value(f"jobsift/{event}")
        return result.item


def _worker_steps(crawler: Crawler) -> list[str] | None:
    """The step pipelines a worker would run, or None when items stay in the crawl process."""
    from scrapy.utils.asyncio import is_asyncio_available
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object

    from pipelines.worker import offloadable_steps

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not crawler.settings.getbool("JOBSIFT_NORMALIZE_WORKER", (cpus or 1) > 1):
        return None
    if not is_asyncio_available():  # replies are read by the asyncio loop
        return None
    paths = build_component_list(
        crawler.settings.get_component_priority_dict_with_base("ITEM_PIPELINES")
    )
    return offloadable_steps(load_object(p) if isinstance(p, str) else p for p in paths)
