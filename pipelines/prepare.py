"""First step: a spider's raw payload becomes a Draft (or a Reject), its description parsed once."""

from __future__ import annotations

import hashlib
import html
from datetime import UTC, datetime
from typing import Any

from jobsift.pipelines.document.model import collapse, parse_document
from jobsift.pipelines.draft import Draft
from jobsift.schemas import RawPosting, Reject
from pydantic import ValidationError


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
    return Draft(
        raw=raw, raw_payload=payload, fetched_at=fetched_at, document=document, posting=posting
    )
