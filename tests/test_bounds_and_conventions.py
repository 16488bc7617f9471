"""Dates that cannot be a posting's date are not stored (provenance says why), and source
conventions live in reference data, never as source names in normalizer code."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.classification import step as classification
from jobsift.pipelines.dates import step as dates
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.prepare import prepare
from jobsift.pipelines.reference.sources import conventions

REPO = Path(__file__).resolve().parents[1]
FETCHED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _dated(**raw: Any) -> tuple[Draft, list[str]]:
    draft = prepare({"title": "Engineer", "fetched_at": FETCHED_AT.isoformat(), **raw})
    assert isinstance(draft, Draft)
    return draft, list(dates.step(draft))


@pytest.mark.parametrize(
    ("posted", "why"),
    [
        (-62135596800, "0001-01-01 is outside 1990-2100"),  # .NET DateTime.MinValue epoch
        (0.5, "1970-01-01 is outside"),
        ("1969-07-20", "1969-07-20 is outside"),
        ("2150-01-01T00:00:00Z", "2150-01-01 is outside"),
        ("9999-12-31", "9999-12-31 is outside"),
    ],
)
def test_dates_outside_the_plausible_years_are_not_stored(posted: Any, why: str) -> None:
    draft, events = _dated(posted=posted)
    assert draft.overview["posted_at"] is None
    assert "dates/out_of_range" in events
    assert draft.provenance["overview.posted_at"].startswith("not stored (source:posted)")
    assert why in draft.provenance["overview.posted_at"]


@pytest.mark.parametrize("posted", [True, False])
def test_a_boolean_date_is_a_reject_naming_the_field(posted: bool) -> None:
    result = prepare({"title": "Engineer", "fetched_at": FETCHED_AT.isoformat(), "posted": posted})
    assert not isinstance(result, Draft)
    assert "posted" in result.reason


@pytest.mark.parametrize(
    ("posted", "year"),
    [("1990-01-01", 1990), ("2100-12-31", 2100), (1767225600, 2026), ("Nov 18, 2026", 2026)],
)
def test_dates_inside_the_years_are_kept(posted: Any, year: int) -> None:
    draft, events = _dated(posted=posted)
    assert draft.overview["posted_at"].year == year
    assert events == []


def test_valid_through_is_bounded_too() -> None:
    draft, events = _dated(valid_through="1900-01-01")
    assert draft.overview["valid_through"] is None
    assert events == ["dates/out_of_range"]
    assert "outside" in draft.provenance["overview.valid_through"]


@pytest.mark.parametrize(
    ("source", "key", "value"),
    [
        ("weworkremotely", "title_format", "company: role"),
        ("remoteok", "salary_currency", "USD"),
        ("greenhouse", "title_format", None),
        (None, "salary_currency", None),
    ],
)
def test_source_conventions_are_reference_data(source: str | None, key: str, value: Any) -> None:
    assert conventions(source).get(key) == value


def test_a_company_role_title_is_split_by_convention_only() -> None:
    wwr = prepare({"source": "weworkremotely", "title": "Acme: Senior Engineer"})
    other = prepare({"source": "greenhouse", "title": "Acme: Senior Engineer"})
    assert isinstance(wwr, Draft) and isinstance(other, Draft)
    list(classification.step(wwr))
    list(classification.step(other))
    assert (wwr.overview["company"], wwr.overview["title"]) == ("Acme", "Senior Engineer")
    assert other.overview["title"] == "Acme: Senior Engineer"


def _spider_names() -> list[str]:
    return sorted(p.stem for p in (REPO / "crawlers" / "spiders").glob("*.py") if p.stem[0] != "_")


_NORMALIZERS = sorted(p for p in (REPO / "pipelines").rglob("*.py") if "reference" not in p.parts)


@pytest.mark.parametrize("module", _NORMALIZERS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_normalizer_tests_a_source_name(module: Path) -> None:
    code = module.read_text("utf-8")
    names = "|".join(re.escape(n) for n in _spider_names())
    assert not re.search(rf"""["'](?:{names})["']""", code), f"{module.name} names a source"


@pytest.mark.parametrize(
    "title",
    [" " * 30_000, "Engineer" + " " * 30_000 + "- Remote", " - " * 10_000, "| " * 20_000],
    ids=["spaces", "spaces-inside", "dashes", "pipes"],
)
def test_absurd_titles_are_read_without_stalling(title: str) -> None:
    # Moderate sizes that took minutes when a title reader was quadratic in whitespace runs.
    posting = normalize_payload(
        {"source": "t", "source_id": "1", "title": title, "description": "d"}
    )
    assert posting.source_id == "1"
    assert posting.overview.title is None or len(posting.overview.title) <= len(title)
