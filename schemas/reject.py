"""A payload that could not become a posting: what spiders and the chain hand the loader instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Reject:
    """The loader writes it to `rejects` with its reason and the raw payload as JSON."""

    source: str | None
    url: str | None
    reason: str
    raw: Any
