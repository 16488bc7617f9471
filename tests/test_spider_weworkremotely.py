"""We Work Remotely spider: the real RSS capture served at `/remote-jobs.rss` on 127.0.0.1.

Raw postings are checked against the gold `input` of the same postings, normalized ones (the
chain run in this process) against the gold labels. The capture has no `country`, no skills
list and no other zone than +0000: an own feed covers them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes

SPIDER = "weworkremotely"
PATH = "/remote-jobs.rss"
RSS = "application/rss+xml; charset=utf-8"
OWN_FEED = Path(__file__).resolve().parent / "fixtures" / SPIDER / "remote-jobs_usa_only.rss"
CAPTURE = "weworkremotely/wwr_remote-jobs_rss_2026-07-10.xml"
FETCHED_AT = "2026-07-11T00:00:00+00:00"
JOBS = "https://weworkremotely.com/remote-jobs/"

# Gold postings of the capture, with the UTC instants of their `pubDate` and `expires_at`.
GOLD_DATES = {
    "weworkremotely-mathmo-maths-coach-anywhere": (
        datetime(2026, 7, 10, 22, 45, 30, tzinfo=UTC),
        datetime(2026, 8, 9, 22, 45, 30, tzinfo=UTC),
    ),
    "weworkremotely-qase-developer-advocate-na": (
        datetime(2026, 7, 10, 19, 44, 50, tzinfo=UTC),
        datetime(2026, 8, 9, 19, 44, 50, tzinfo=UTC),
    ),
    "weworkremotely-qase-support-specialist-shifts": (
        datetime(2026, 7, 10, 13, 52, 20, tzinfo=UTC),
        datetime(2026, 8, 9, 13, 52, 20, tzinfo=UTC),
    ),
}


def crawl(body: bytes | Path, content_type: str = RSS) -> Parsed:
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return parse_routes(SPIDER, {PATH: body}, settings=settings, content_type=content_type)


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Parsed:
    return crawl(real_fixtures / CAPTURE)


@pytest.fixture(scope="module")
def own_crawl() -> Parsed:
    return crawl(OWN_FEED)


def test_capture_comes_through_whole_without_rejects(
    real_crawl: Parsed, real_fixtures: Path
) -> None:
    feed = Selector(text=(real_fixtures / CAPTURE).read_text(encoding="utf-8"), type="xml")
    guids = feed.xpath("/rss/channel/item/guid/text()").getall()
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert "jobsift/failures" not in real_crawl.log
    assert real_crawl.requests == [PATH]
    assert [item["source_id"] for item in real_crawl.items] == guids
    assert all(item["source"] == SPIDER and item["title"] for item in real_crawl.items)
    for item in real_crawl.items:
        normalized(item)  # no posting of the real capture is rejected by the chain


@pytest.fixture(scope="module")
def gold_item(real_crawl: Parsed) -> ItemOf:
    return lambda record: real_crawl.by_id(gold.posting_key(record))


class TestGold(GoldChecks):
    GOLD = {record_id: dates[0] for record_id, dates in GOLD_DATES.items()}
    LABELS = gold.AGGREGATOR_LABELS


@pytest.mark.parametrize("gold_id", list(GOLD_DATES))
def test_gold_posting_dates(gold_id: str, real_crawl: Parsed) -> None:
    posting = normalized(real_crawl.by_id(gold.posting_key(gold.record(gold_id))))
    assert (posting.overview.posted_at, posting.overview.valid_through) == GOLD_DATES[gold_id]


@pytest.mark.parametrize(
    ("slug", "headquarters", "tags", "category"),
    [
        pytest.param("mathmo-maths-coach", "London", [], "All Other Remote", id="mathmo"),
        pytest.param(
            "apex-trade-entry-level-crypto-market-specialist",
            "Aberdeen, City of",
            ["Cryptocurrency"],
            "All Other Remote",
            id="apex-skills",
        ),
        pytest.param("qase-developer-advocate", "Delaware", [], "Sales and Marketing", id="qase"),
    ],
)
def test_capture_extras(
    slug: str, headquarters: str, tags: list[str], category: str, real_crawl: Parsed
) -> None:
    item = real_crawl.by_id(JOBS + slug)
    assert (item["headquarters"], item["tags"], item["category"]) == (headquarters, tags, category)
    assert item["valid_through"].endswith("+0000")  # RFC 822, passed as given


def test_description_is_decoded_once(real_crawl: Parsed, own_crawl: Parsed) -> None:
    description = real_crawl.by_id(JOBS + "mathmo-maths-coach")["description"]
    assert description.startswith('<img src="https://we-work-remotely.imgix.net/logos/')
    assert "&lt;p&gt;" not in description
    # `&amp;amp;` in the feed is `&amp;` in the HTML: decoding twice would lose the entity.
    own = own_crawl.by_id(JOBS + "fieldnote-labs-senior-django-developer")["description"]
    assert "Senior Django Developer &amp; mentor" in own


@pytest.mark.parametrize(
    ("slug", "field", "expected"),
    [
        pytest.param(
            "fieldnote-labs-senior-django-developer",
            "location",
            "USA Only | United States | New York",
            id="region-country-state",
        ),
        pytest.param(
            "fieldnote-labs-senior-django-developer",
            "headquarters",
            "New York",
            id="state-is-headquarters",
        ),
        pytest.param(
            "fieldnote-labs-senior-django-developer",
            "tags",
            ["Python", "Django", "PostgreSQL"],
            id="skills-split",
        ),
        pytest.param(
            "fieldnote-labs-senior-django-developer", "employment_type", "Full-Time", id="type"
        ),
        pytest.param(
            "kettle-co-contract-illustrator",
            "title",
            "Kettle & Co: Contract Illustrator",
            id="title-entity-decoded",
        ),
        pytest.param(
            "kettle-co-contract-illustrator",
            "location",
            "Europe Only",
            id="empty-country-and-state-dropped",
        ),
        pytest.param("kettle-co-contract-illustrator", "headquarters", None, id="no-state"),
        pytest.param("kettle-co-contract-illustrator", "valid_through", None, id="no-expiry"),
        pytest.param(
            "kettle-co-contract-illustrator",
            "posted",
            "Sun, 12 Jul 2026 18:00:00 -0400",
            id="rfc822-as-given",
        ),
    ],
)
def test_own_feed_fields(slug: str, field: str, expected: Any, own_crawl: Parsed) -> None:
    assert len(own_crawl.items) == 2
    assert own_crawl.by_id(JOBS + slug).get(field) == expected


@pytest.mark.parametrize(
    ("slug", "countries", "posted_at"),
    [
        pytest.param(
            "fieldnote-labs-senior-django-developer",
            ["US"],
            datetime(2026, 7, 13, 9, 15, tzinfo=UTC),
            id="usa-only",
        ),
        pytest.param(
            "kettle-co-contract-illustrator",
            [],
            datetime(2026, 7, 12, 22, 0, tzinfo=UTC),
            id="europe-only-offset-date",
        ),
    ],
)
def test_own_feed_normalized(
    slug: str, countries: list[str], posted_at: datetime, own_crawl: Parsed
) -> None:
    posting = normalized(own_crawl.by_id(JOBS + slug))
    assert posting.overview.posted_at == posted_at
    assert posting.eligibility.countries == countries


def test_feed_sent_as_bytes_still_parses(real_fixtures: Path) -> None:
    # Some servers send RSS as application/octet-stream: the XML declaration still decides.
    result = crawl(real_fixtures / CAPTURE, content_type="application/octet-stream")
    assert len(result.items) == 4
    assert result.items[0]["title"] == "Mathmo: Maths Coach"
    assert "jobsift/failures" not in result.log


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
            "not an RSS feed",
            id="html-page",
        ),
        pytest.param(
            b"<?xml version='1.0'?><rss><channel><item><title>Qase: Dev",
            "well-formed",
            id="truncated-feed",
        ),
    ],
)
def test_broken_feed_becomes_a_reject(body: bytes, reason: str) -> None:
    result = crawl(body, content_type="text/html")
    assert result.returncode == 0
    assert len(result.items) == 1
    assert reason in result.items[0]["reason"]
    assert "'jobsift/failures': 1" in result.log
