"""Source conventions (reference data): what a source's fields mean, read by the normalizers.

`sources.toml` holds one table per source name; normalizers ask for a convention by key and never
test a source's name in code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("sources.toml")


@cache
def _all() -> dict[str, dict[str, Any]]:
    with _FILE.open("rb") as handle:
        return tomllib.load(handle)


def conventions(source: str | None) -> dict[str, Any]:
    """Every convention of one source ({} for a source with none)."""
    return _all().get(source or "", {})
