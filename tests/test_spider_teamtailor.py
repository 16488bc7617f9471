"""Teamtailor spider: the real RSS feed (`tt:` namespace, `remoteStatus`) and JSON feeds, and own
RSS pages for `per_page`/`offset` paging."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jobsift.pipelines.reference.geo import _remote_values

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes

RSS = "teamtailor_jobs-rss_upcloud_after-2026-09-04_descriptions-shortened.xml"
JSON_FEEDS = {
    "carrtalent": "teamtailor_jobs-json-feed_carrtalent-na_2026-07-17.json",
    "knaufsemea": "teamtailor_jobs-json-feed_knaufsemea_2026-07-13.json",
    "tiptapp": "teamtailor_jobs-json-feed_tiptapp_2026-07-13.json",
}
SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-09-05T00:00:00+00:00"}
RSS_TYPE = "application/rss+xml"

BI_ANALYST = "d8938509-ff5a-4755-a5f7-5f89a0ac791e"
FULL_STACK = "2a4eb6a0-7aa9-4acf-bcce-4d8b37287035"
HOME_BUYING = "091a38aa-eb4d-4fd3-bf52-32d3da50fc75"
TIPTAPP = "a6ddf853-4a3f-4fb3-8afa-3b409e239055"
EU = [
    *[
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ],
]


@pytest.fixture(scope="module")
def real(real_fixtures: Path) -> Path:
    return real_fixtures / "teamtailor"


@pytest.fixture(scope="module")
def crawls(real: Path) -> dict[str, Parsed]:
    found = {
        "upcloud": parse_routes(
            "teamtailor",
            {"/jobs.rss": real / RSS},
            args={"company": "upcloud"},
            settings=SETTINGS,
            content_type=RSS_TYPE,
        )
    }
    for company, capture in JSON_FEEDS.items():
        found[company] = parse_routes(
            "teamtailor",
            {"/jobs.json": real / capture},
            args={"company": company, "feed": "json"},
            settings=SETTINGS,
        )
    return found


def item(crawls: dict[str, Parsed], source_id: str) -> dict[str, Any]:
    return next(i for c in crawls.values() for i in c.items if i["source_id"] == source_id)


NAMED: dict[str, dict[str, Any]] = {
    BI_ANALYST: {
        "title": "Business Intelligence Analyst",
        "company": "UpCloud",  # the channel title
        "countries": ["FI"],
        "work_setting": "hybrid",  # remoteStatus
        "salary": None,
        "posted_at": datetime.fromisoformat("2026-09-04T11:50:13+00:00"),  # RFC 822, +0300
    },
    FULL_STACK: {
        "title": "Full Stack Developer",
        "countries": EU,  # location name "EU"
        "work_setting": "remote",  # remoteStatus "fully" (`remote_values` in sources.toml)
        "posted_at": datetime.fromisoformat("2026-06-23T13:35:08+00:00"),
    },
    HOME_BUYING: {
        "title": "Home Buying Specialist",
        "countries": ["US"],
        # baseSalary with numbers as strings
        "salary": {"min": 120000.0, "max": 130000.0, "currency": "USD", "period": "year"},
        "posted_at": datetime.fromisoformat("2026-07-08T20:39:47+00:00"),
    },
    TIPTAPP: {
        "title": "Business & Finance Manager",
        "company": "Tiptapp",
        "countries": ["SE"],
        "work_setting": "hybrid",  # the JSON feed has no remote field: from the text
        "salary": None,
        "posted_at": datetime.fromisoformat("2026-06-18T15:11:27+00:00"),
    },
}
CASES = [
    pytest.param(key, name, id=f"{key[:8]}-{name}")
    for key, fields in NAMED.items()
    for name in fields
]


@pytest.mark.parametrize(("key", "name"), CASES)
def test_named_postings_normalize(crawls: dict[str, Parsed], key: str, name: str) -> None:
    assert gold.field(normalized(item(crawls, key)), name) == NAMED[key][name]


@pytest.mark.parametrize(
    ("company", "count"), [("upcloud", 2), ("carrtalent", 2), ("knaufsemea", 3), ("tiptapp", 1)]
)
def test_every_item_comes_through(crawls: dict[str, Parsed], company: str, count: int) -> None:
    crawl = crawls[company]
    assert len(crawl.items) == count
    assert crawl.rejects == [] and crawl.failure_count == 0


def test_rss_fields_with_the_tt_namespace(crawls: dict[str, Parsed]) -> None:
    posting = item(crawls, BI_ANALYST)
    assert posting["location"] == "Helsinki, Finland"
    assert (posting["department"], posting["role"]) == ("Finance", "Business Intelligence Analyst")
    assert posting["remote"] == "hybrid"
    assert (
        posting["url"]
        == "https://upcloud.teamtailor.com/jobs/8323453-business-intelligence-analyst"
    )
    assert posting["description"].startswith("<p><span>We are looking for a <strong>")
    assert item(crawls, FULL_STACK)["location"] == "EU, Helsinki, Finland"
    assert item(crawls, FULL_STACK)["remote"] == "fully"


def test_json_feed_fields(crawls: dict[str, Parsed]) -> None:
    posting = item(crawls, HOME_BUYING)
    assert posting["job_id"] == "659554"  # the number in the URL, also `identifier.value`
    assert posting["location"] == "Miami, US"
    assert posting["salary"]["value"]["minValue"] == "120000"  # as given
    first = crawls["carrtalent"].by_id("f3d44a3f-d698-4f8f-b8f4-0e34874c90c9")
    assert first["location"] is None  # no jobLocation at all
    knauf = crawls["knaufsemea"].by_id("a97df59d-7a99-4387-8956-8e032e8bf793")
    assert knauf["location"] == "Engis, BE"  # the region "WE&I" is not a place


# --- paging: per_page/offset on the RSS feed (own pages built from the real items) ---


def rss_page(real: Path, copies: int, start: int = 0) -> bytes:
    """The real feed with its first item repeated `copies` times under new guids."""
    text = (real / RSS).read_text(encoding="utf-8")
    first = re.search(r"<item>.*?</item>", text, re.S)
    assert first is not None
    items = "".join(
        first.group(0).replace(BI_ANALYST, f"00000000-0000-0000-0000-{start + n:012d}")
        for n in range(copies)
    )
    head, tail = text.split("<item>", 1)[0], text.rsplit("</item>", 1)[1]
    return (head + items + tail).encode()


def test_rss_pages_until_a_short_page(real: Path) -> None:
    routes = {
        "/jobs.rss?per_page=100&offset=0": rss_page(real, 100),
        "/jobs.rss?per_page=100&offset=100": rss_page(real, 3, start=100),
    }
    crawl = parse_routes("teamtailor", routes, {"company": "x"}, SETTINGS, RSS_TYPE)
    assert crawl.requests == list(routes)
    assert len({i["source_id"] for i in crawl.items}) == 103
    assert crawl.failure_count == 0


def test_a_feed_that_ignores_offset_is_read_once(real: Path) -> None:
    crawl = parse_routes(
        "teamtailor", {"/jobs.rss": rss_page(real, 100)}, {"company": "x"}, SETTINGS, RSS_TYPE
    )
    assert crawl.requests == [
        "/jobs.rss?per_page=100&offset=0",
        "/jobs.rss?per_page=100&offset=100",
    ]
    assert len(crawl.items) == 100


def test_unknown_board_is_a_failure() -> None:
    """An unknown board answers 404 with an empty body."""
    crawl = parse_routes("teamtailor", {}, {"company": "nobody", "feed": "json"}, SETTINGS)
    assert crawl.items == []
    assert crawl.failures == ["HTTP 404 at http://127.0.0.1:8000/jobs.json"]


def test_a_truncated_feed_is_a_reject(real: Path) -> None:
    body = (real / RSS).read_bytes()[:1500]
    crawl = parse_routes("teamtailor", {"/jobs.rss": body}, {"company": "x"}, SETTINGS, RSS_TYPE)
    assert [r["reason"][:30] for r in crawl.rejects] == ["body is not well-formed XML (a"]
    assert crawl.failure_count == 1


@pytest.mark.parametrize(
    ("value", "setting"),
    [("fully", "remote"), ("Fully", "remote"), ("hybrid", "hybrid"), ("none", None)],
)
def test_remote_status_values(value: str, setting: str | None) -> None:
    """`remoteStatus` through the source's `remote_values` convention, then the common words."""
    raw = {
        "source": "teamtailor",
        "title": "Engineer",
        "remote": value,
        "fetched_at": SETTINGS["JOBSIFT_FETCHED_AT"],
    }
    assert gold.field(normalized(raw), "work_setting") == setting


def test_a_wrong_remote_values_convention_is_refused() -> None:
    with pytest.raises(ValueError, match=r"remote_values: unknown \['sometimes'\]"):
        _remote_values("x", {"remote_values": {"fully": "sometimes"}})


def test_unknown_feed_is_a_clear_error() -> None:
    crawl = parse_routes("teamtailor", {}, {"company": "x", "feed": "atom"})
    assert crawl.returncode == 1 and "-a feed must be rss or json" in crawl.error
