"""The item that travels down the pipeline chain: a raw posting being normalized, or a reject."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jobsift.pipelines.document.model import Document
from jobsift.schemas import RawPosting


@dataclass(slots=True)
class Draft:
    """A raw posting plus the normalized posting being built from it.

    `posting` has the nested shape of `schemas.Posting` (overview / requirements / eligibility /
    compensation); each step fills its own keys. `provenance` maps a field path to its origin.
    """

    raw: RawPosting
    raw_payload: dict[str, Any]
    fetched_at: datetime
    document: Document
    posting: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def overview(self) -> dict[str, Any]:
        return self.posting["overview"]

    @property
    def requirements(self) -> dict[str, Any]:
        return self.posting["requirements"]

    @property
    def eligibility(self) -> dict[str, Any]:
        return self.posting["eligibility"]
