"""Gem spider: the real job board API array (legacy numeric and opaque base64 ids)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes

SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-03-11T12:00:00+00:00"}
CAPTURE = "gem_job-board-v0_job-posts_gem_after-2026-03-10_content-truncated.json"
LEGACY = "4965519002"
OPAQUE = "am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL"


@pytest.fixture(scope="module")
def board(real_fixtures: Path) -> Parsed:
    routes = {"/job_board/v0/gem/job_posts/": real_fixtures / "gem" / CAPTURE}
    return parse_routes("gem", routes, {"board": "gem"}, SETTINGS)


NAMED: dict[str, dict[str, Any]] = {
    LEGACY: {
        "title": "Software Engineer",
        "countries": ["US"],
        "work_setting": "hybrid",  # location_type
        "salary": None,
        "employment_type": "full_time",
        "posted_at": datetime.fromisoformat("2020-11-17T15:37:23+00:00"),  # first_published_at
    },
    OPAQUE: {
        "title": "Senior Software Engineer - Core ATS",
        "company": "Gem",  # from the text ("About Gem"): the API names no company
        "countries": ["US"],
        "work_setting": "hybrid",
        "posted_at": datetime.fromisoformat("2025-12-04T18:31:33.628000+00:00"),
    },
}
CASES = [pytest.param(k, n, id=f"{k[:8]}-{n}") for k, fields in NAMED.items() for n in fields]


@pytest.mark.parametrize(("key", "name"), CASES)
def test_named_postings_normalize(board: Parsed, key: str, name: str) -> None:
    assert gold.field(normalized(board.by_id(key)), name) == NAMED[key][name]


def test_every_post_comes_through(board: Parsed) -> None:
    assert len(board.items) == 2 and board.rejects == [] and board.failure_count == 0
    assert board.requests == ["/job_board/v0/gem/job_posts/"]


def test_both_id_forms_are_kept_as_given(board: Parsed) -> None:
    legacy, opaque = board.by_id(LEGACY), board.by_id(OPAQUE)
    assert (legacy["internal_job_id"], legacy["requisition_id"]) == ("4117748002", "95")
    assert opaque["internal_job_id"] == "am9iOtWWIryHC4MCePdOyVZu2qU"
    assert opaque["url"] == f"https://jobs.gem.com/gem/{OPAQUE}"


def test_fields_as_given(board: Parsed) -> None:
    post = board.by_id(LEGACY)
    assert post["location"] == "San Francisco, United States"  # location and office, once
    assert (post["remote"], post["employment_type"]) == ("hybrid", "full_time")
    assert (post["departments"], post["offices"]) == (["Engineering"], ["San Francisco"])
    assert post["description"].startswith("<h2>Role Details</h2>")
    assert post["updated_at"] == "2026-03-10T21:20:54.077Z"


def test_plain_content_when_the_html_is_missing() -> None:
    body = b'[{"id": "1", "title": "Engineer", "content_plain": "Build things.\\u00a0Daily."}]'
    crawl = parse_routes("gem", {"/job_board/v0/x/job_posts/": body}, {"board": "x"}, SETTINGS)
    assert crawl.by_id("1")["description"] == "Build things.\u00a0Daily."
