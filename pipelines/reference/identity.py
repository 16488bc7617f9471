"""Identity rules (reference data): which links, names and titles say "the same job".

`identity.toml` holds the URL rules, word lists, thresholds and the order of source kinds; each
source's kind is in `sources.toml` under `[<source>.identity]`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from jobsift.pipelines.reference.sources import conventions

_FILE = Path(__file__).with_name("identity.toml")


@cache
def rules() -> dict[str, Any]:
    with _FILE.open("rb") as handle:
        return tomllib.load(handle)


@cache
def source_rank(source: str | None) -> int:
    """0 for the best kind of source (a company's own board); unknown sources rank last."""
    order: list[str] = rules()["kind_order"]
    kind = conventions(source).get("identity", {}).get("kind")
    return order.index(kind) if kind in order else len(order)
