"""Dates step: every source format, relative text against the fetch time, never the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jobsift.pipelines.dates import step as dates
from jobsift.pipelines.dates.step import parse_date
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.prepare import prepare

FETCHED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _draft(**raw: Any) -> Draft:
    draft = prepare({"title": "Engineer", "fetched_at": FETCHED_AT.isoformat(), **raw})
    assert isinstance(draft, Draft)
    return draft


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 with an offset, with milliseconds, with Z
        ("2026-07-10T13:31:21-04:00", datetime(2026, 7, 10, 17, 31, 21, tzinfo=UTC)),
        ("2025-09-10T13:45:28.557+00:00", datetime(2025, 9, 10, 13, 45, 28, 557000, tzinfo=UTC)),
        ("2026-07-20T20:54:18.136Z", datetime(2026, 7, 20, 20, 54, 18, 136000, tzinfo=UTC)),
        # without a zone: UTC
        ("2026-07-28T14:23:05", datetime(2026, 7, 28, 14, 23, 5, tzinfo=UTC)),
        ("2024-12-01 04:10:21", datetime(2024, 12, 1, 4, 10, 21, tzinfo=UTC)),
        ("2026-08-05 10:10:39 UTC", datetime(2026, 8, 5, 10, 10, 39, tzinfo=UTC)),
        ("2026-06-30", datetime(2026, 6, 30, tzinfo=UTC)),
        # epochs: seconds and milliseconds told apart by magnitude, as strings and numbers
        ("1783731390", datetime(2026, 7, 11, 0, 56, 30, tzinfo=UTC)),
        ("1694463796009", datetime(2023, 9, 11, 20, 23, 16, 9000, tzinfo=UTC)),
        (1783731390, datetime(2026, 7, 11, 0, 56, 30, tzinfo=UTC)),
        (1694463796009, datetime(2023, 9, 11, 20, 23, 16, 9000, tzinfo=UTC)),
        # RFC 822 (We Work Remotely)
        ("Fri, 10 Jul 2026 22:45:30 +0000", datetime(2026, 7, 10, 22, 45, 30, tzinfo=UTC)),
        ("Fri, 10 Jul 2026 22:45:30 +0200", datetime(2026, 7, 10, 20, 45, 30, tzinfo=UTC)),
        # relative text, against FETCHED_AT
        ("3 days ago", FETCHED_AT - timedelta(days=3)),
        ("2 days ago", FETCHED_AT - timedelta(days=2)),
        ("Yesterday", FETCHED_AT - timedelta(days=1)),
        ("just now", FETCHED_AT),
        ("Today", FETCHED_AT),
        ("3 weeks ago", FETCHED_AT - timedelta(weeks=3)),
        ("an hour ago", FETCHED_AT - timedelta(hours=1)),
        ("30+ days ago", FETCHED_AT - timedelta(days=30)),
        ("Posted 5 hours ago", FETCHED_AT - timedelta(hours=5)),
        # absolute text
        ("Posted Nov 18, 2026", datetime(2026, 11, 18, tzinfo=UTC)),
        ("Nov 18, 2026", datetime(2026, 11, 18, tzinfo=UTC)),
        ("18 November 2026", datetime(2026, 11, 18, tzinfo=UTC)),
        ("Posted on: September 3rd, 2025", datetime(2025, 9, 3, tzinfo=UTC)),
    ],
)
def test_parse_date_reads_every_source_format(value: Any, expected: datetime) -> None:
    parsed = parse_date(value, FETCHED_AT)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    ["Recently added", "", "   ", "2026-02-30", "soon", "il y a 3 jours", None, True],
)
def test_parse_date_returns_none_for_what_it_cannot_read(value: Any) -> None:
    assert parse_date(value, FETCHED_AT) is None


def test_dateparser_fallback_reads_other_english_forms_as_aware_utc() -> None:
    parsed = parse_date("November 18th 2026 at 10:30 am", FETCHED_AT)
    assert parsed == datetime(2026, 11, 18, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["4 days ago", "Yesterday", "a week ago"])
def test_relative_text_follows_the_fetch_time_not_the_wall_clock(text: str) -> None:
    earlier = FETCHED_AT - timedelta(days=400)
    assert parse_date(text, FETCHED_AT) - parse_date(text, earlier) == timedelta(days=400)


def test_step_fills_posted_at_and_keeps_the_raw_text() -> None:
    draft = _draft(posted="3 days ago", valid_through="2026-12-31T00:00:00Z")
    assert list(dates.step(draft)) == []
    assert draft.overview["posted_at"] == FETCHED_AT - timedelta(days=3)
    assert draft.overview["posted_text"] == "3 days ago"
    assert draft.overview["valid_through"] == datetime(2026, 12, 31, tzinfo=UTC)
    assert draft.provenance["overview.posted_at"] == "source:posted (relative to fetched_at)"


def test_step_keeps_an_epoch_as_its_text() -> None:
    draft = _draft(posted=1783731390)
    list(dates.step(draft))
    assert draft.provenance["overview.posted_at"] == "source:posted"
    assert draft.overview["posted_text"] == "1783731390"
    assert draft.overview["posted_at"] == datetime(2026, 7, 11, 0, 56, 30, tzinfo=UTC)


def test_step_counts_unparsed_and_keeps_the_text() -> None:
    draft = _draft(posted="Recently added")
    assert list(dates.step(draft)) == ["dates/unparsed"]
    assert draft.overview["posted_at"] is None
    assert draft.overview["posted_text"] == "Recently added"


def test_step_reads_a_posted_fact_when_the_spider_left_posted_empty() -> None:
    draft = _draft(facts={"Posted": "2 days ago"})
    list(dates.step(draft))
    assert draft.overview["posted_at"] == FETCHED_AT - timedelta(days=2)
    assert draft.provenance["overview.posted_at"] == "facts:Posted (relative to fetched_at)"


def test_step_without_dates_leaves_nulls() -> None:
    draft = _draft()
    assert list(dates.step(draft)) == []
    assert draft.overview["posted_at"] is None
    assert draft.overview["posted_text"] is None
    assert draft.overview["valid_through"] is None


@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(allow_nan=True)))
def test_parse_date_never_raises(value: Any) -> None:
    parsed = parse_date(value, FETCHED_AT)
    assert parsed is None or parsed.utcoffset() == timedelta(0)
