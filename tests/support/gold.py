"""The hand-labelled gold set (`../shared/gold/dev.jsonl`) as the spider tests compare with it.

Used module-qualified (`from tests.support import gold`; `gold.record(...)`). A record is
`{"id", "fixture", "posting_key", "input", "gold", "notes"}`: `input` is the raw posting a spider
must emit for the capture `fixture` (every value a string, see `input_form`), `gold` holds the
normalized labels; `field` reads a normalized posting in the labels' shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.schemas import Posting

if TYPE_CHECKING:
    from _pytest.mark.structures import ParameterSet

GOLD_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "gold" / "dev.jsonl"

Record = dict[str, Any]

# Labels every spider test compares; the aggregators' tests add the two their sources decide.
CORE_LABELS = ("title", "company", "countries", "work_setting", "salary")
AGGREGATOR_LABELS = (
    "title",
    "company",
    "countries",
    "worldwide",
    "work_setting",
    "salary",
    "employment_type",
)
# With `posted_at`, which gold does not label: it is the instant of the input's `posted`.
CORE_LABELS_AND_POSTED_AT = (*CORE_LABELS, "posted_at")
ELIGIBILITY_LABELS = frozenset({"countries", "worldwide"})


@cache
def _records() -> tuple[Record, ...]:
    lines = GOLD_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def records() -> tuple[Record, ...]:
    """Every record; the test skips when ../shared is not beside the checkout."""
    if not GOLD_FILE.is_file():
        pytest.skip("../shared/gold is not beside the checkout")
    return _records()


def record(record_id: str) -> Record:
    matches = [candidate for candidate in records() if candidate["id"] == record_id]
    assert len(matches) == 1, f"{len(matches)} gold records with id {record_id}"
    return matches[0]


def record_for(fixture: str, key: str | None = None) -> Record:
    """The record of the capture `fixture` ("real/…"), and of its posting `key` when given."""
    for candidate in records():
        if candidate["fixture"] == fixture and key in (None, posting_key(candidate)):
            return candidate
    raise AssertionError(f"no gold record for {fixture} {key or ''}".rstrip())


def posting_key(record: Record) -> str:
    """The value that picks the record's posting out of its capture (an id, a slug, a URL)."""
    return str(record["posting_key"]["value"])


def input_form(key: str, value: Any) -> Any:
    """Gold `input` holds strings only: booleans "true"/"false", structured salary as JSON."""
    if value is None or isinstance(value, dict):
        return value
    if key == "salary" and isinstance(value, str) and value.startswith("{"):
        return json.loads(value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def input_of(record: Record) -> dict[str, Any]:
    """The record's `input`, every value in `input_form`."""
    return {key: input_form(key, value) for key, value in record["input"].items()}


def as_input(item: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The `keys` of a crawled item as gold `input` writes them (missing keys as None)."""
    return {key: input_form(key, item.get(key)) for key in keys}


def normalized(item: dict[str, Any]) -> Posting:
    """The item through the whole normalization chain; a Reject fails the test."""
    posting = normalize_payload(item)
    assert isinstance(posting, Posting), f"rejected: {getattr(posting, 'reason', posting)}"
    return posting


def field(posting: Posting, name: str) -> Any:
    """A field of a normalized posting in the shape gold labels it (salary without its text)."""
    if name == "salary":
        pay = posting.compensation
        if pay is None:
            return None
        return {"min": pay.min, "max": pay.max, "currency": pay.currency, "period": pay.period}
    if name in ELIGIBILITY_LABELS:
        return getattr(posting.eligibility, name)
    return getattr(posting.overview, name)


def expected(record: Record, name: str) -> Any:
    """The gold label `name`; `posted_at` (not labelled) is the instant of `input.posted`."""
    if name == "posted_at":
        return datetime.fromisoformat(record["input"]["posted"])
    return record["gold"][name]


def field_cases(record_ids: Iterable[str], names: Iterable[str]) -> list[ParameterSet]:
    """One parameter set (record id, field name) per pair, with the id "{record id}-{name}"."""
    names = tuple(names)
    return [pytest.param(r, n, id=f"{r}-{n}") for r in record_ids for n in names]
