"""hackernews spider: story search, comment paging, posting rule, header splitting, normalization."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jobsift.crawlers.spiders.hackernews import (
    Header,
    header_line,
    is_posting,
    newest_hiring_story,
    split_header,
)

from tests.conftest import PROJECT_FIXTURES, SHARED
from tests.support import gold
from tests.support.crawl import CrawlOutcome
from tests.support.gold import normalized
from tests.support.server import FixtureServer
from tests.support.spiders import Crawl, crawl_routes, crawl_source, index_by

OWN = PROJECT_FIXTURES / "hackernews"
REAL_CAPTURE = "real/hackernews/hn_algolia_whoishiring_2026-07_reduced.json"
REAL_STORY = "48747976"
OWN_STORY = "48355200"
STORY_SEARCH = (
    "/api/v1/search_by_date?tags=story,author_whoishiring&query=who%20is%20hiring&hitsPerPage=20"
)
FETCHED_AT = "2026-07-12T00:00:00+00:00"


def comments_path(story: str, page: int, before: int | None = None) -> str:
    path = f"/api/v1/search_by_date?tags=comment,story_{story}&hitsPerPage=500&page={page}"
    return path + (f"&numericFilters=created_at_i%3C%3D{before}" if before is not None else "")


def crawl(
    server: FixtureServer, tmp_path: Path, args: dict[str, str] | None = None
) -> CrawlOutcome:
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return crawl_source("hackernews", server, tmp_path, args=args, settings=settings)


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return index_by(items, "source_id")


# --- header splitting (pure) -------------------------------------------------------------------

# Header(company, title, location, remote, employment_type, salary, visa, links)
HEADER_CASES = {
    "five-parts-remote-us-k-range": (
        "Acme | Senior Backend Engineer | REMOTE (US) | Full-time | $150k-$200k",
        Header(
            "Acme", "Senior Backend Engineer", "REMOTE (US)", "REMOTE", "Full-time", "$150k-$200k"
        ),
    ),
    "three-parts-city": (
        "Northwind | Data Scientist | Berlin",
        Header("Northwind", "Data Scientist", "Berlin"),
    ),
    "place-before-role": (
        "Acme | Onsite | Staff Engineer | San Francisco, CA",
        Header("Acme", "Staff Engineer", "Onsite | San Francisco, CA", "Onsite"),
    ),
    "url-part-and-hybrid": (
        "Acme (YC W21) | https://acme.com/careers | Platform Engineer | Hybrid, NYC",
        Header(
            "Acme (YC W21)",
            "Platform Engineer",
            "Hybrid, NYC",
            "Hybrid",
            links=("https://acme.com/careers",),
        ),
    ),
    "bare-domain-part": (
        "Loom Labs | loomlabs.io | Android Developer | Remote",
        Header("Loom Labs", "Android Developer", "Remote", "Remote", links=("loomlabs.io",)),
    ),
    "no-role-word-first-free-part-is-title": (
        "Acme | Wizard | London, UK",
        Header("Acme", "Wizard", "London, UK"),
    ),
    "on-premises-is-not-onsite": (
        "Wave | On-Premises SRE | Remote (EMEA) | Permanent (Full-time)"
        " | Salary up to $185,500 + equity",
        Header(
            "Wave",
            "On-Premises SRE",
            "Remote (EMEA)",
            "Remote",
            "Permanent (Full-time)",
            "Salary up to $185,500 + equity",
        ),
    ),
    "remote-or-onsite": (
        "Acme | QA Engineer | Remote (US) or Onsite in NYC",
        Header("Acme", "QA Engineer", "Remote (US) or Onsite in NYC", "Remote | Onsite"),
    ),
    "two-roles-euro-salary": (
        "Fernhaus | Backend Developer | Product Designer | Munich | €70k–90k",
        Header("Fernhaus", "Backend Developer | Product Designer", "Munich", salary="€70k–90k"),
    ),
    "pound-salary-and-visa": (
        "Quillworks | Staff iOS Engineer | London, UK | £95,000 - £120,000"
        " | Visa sponsorship available",
        Header(
            "Quillworks",
            "Staff iOS Engineer",
            "London, UK",
            salary="£95,000 - £120,000",
            visa="Visa sponsorship available",
        ),
    ),
    "code-after-amount": (
        "Acme | ML Engineer | Toronto | 120-150k CAD | Contract",
        Header("Acme", "ML Engineer", "Toronto", None, "Contract", "120-150k CAD"),
    ),
    "prose-after-a-pipe-is-ignored": (
        "Acme | Backend Engineer | Remote | We are a small team that builds payment rails for"
        " rural cooperatives and we care a lot about careful engineering",
        Header("Acme", "Backend Engineer", "Remote", "Remote"),
    ),
}


@pytest.mark.parametrize(("header", "expected"), HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_split_header(header: str, expected: Header) -> None:
    assert split_header(header) == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Acme | Engineer | Remote<p>More text", "Acme | Engineer | Remote"),
        ("Acme | Engineer\nStack: Go", "Acme | Engineer"),
        ('Acme &amp; Co | <a href="x">Dev</a> | NYC<p>x', "Acme & Co | Dev | NYC"),
    ],
    ids=["p-marker", "newline", "entities-and-tags"],
)
def test_header_line(comment: str, expected: str) -> None:
    assert header_line(comment) == expected


LONG_BODY = "<p>We build tools for small clinics and we are hiring across the stack."
POSTING_CASES = {
    "top-level-with-header": (
        {"parent_id": 1, "comment_text": "Acme | Engineer | Remote" + LONG_BODY},
        True,
    ),
    "story-id-as-string": ({"parent_id": "1", "comment_text": "Acme | Engineer" + LONG_BODY}, True),
    "reply": ({"parent_id": 99, "comment_text": "Acme | Engineer | Remote" + LONG_BODY}, False),
    "no-pipe-header": (
        {"parent_id": 1, "comment_text": "This Dot Labs\nOpen roles: Leads" + LONG_BODY},
        False,
    ),
    "pipe-only-in-body": (
        {"parent_id": 1, "comment_text": "We are hiring!<p>Role | Remote | US" + LONG_BODY},
        False,
    ),
    "deleted": ({"parent_id": 1, "comment_text": "[deleted]"}, False),
    "no-text": ({"parent_id": 1, "comment_text": None}, False),
    "too-short": ({"parent_id": 1, "comment_text": "Acme | Hiring | Ping me"}, False),
}


@pytest.mark.parametrize(("hit", "expected"), POSTING_CASES.values(), ids=POSTING_CASES.keys())
def test_is_posting(hit: dict[str, Any], expected: bool) -> None:
    assert is_posting(hit, "1") is expected


def test_newest_hiring_story_skips_other_whoishiring_threads() -> None:
    hits = json.loads((OWN / "stories.json").read_text())["hits"]
    assert newest_hiring_story(hits) == REAL_STORY
    assert newest_hiring_story([h for h in hits if "hired" in h["title"]]) is None


# --- the real capture, crawled ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    capture = SHARED / "fixtures" / REAL_CAPTURE
    if not capture.is_file():
        pytest.skip("../shared is not beside the checkout")
    routes = {STORY_SEARCH: OWN / "stories.json", comments_path(REAL_STORY, 0): capture}
    settings = {"JOBSIFT_FETCHED_AT": FETCHED_AT}
    return crawl_routes("hackernews", tmp_path_factory.mktemp("hn-real"), routes, settings=settings)


def capture_hits() -> dict[str, dict[str, Any]]:
    hits = json.loads((SHARED / "fixtures" / REAL_CAPTURE).read_text())["hits"]
    return {hit["objectID"]: hit for hit in hits}


def test_real_capture_finds_story_then_reads_its_comments(real_crawl: Crawl) -> None:
    assert STORY_SEARCH in real_crawl.requests
    assert comments_path(REAL_STORY, 0) in real_crawl.requests
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]


def test_real_capture_yields_every_posting_and_no_reject(real_crawl: Crawl) -> None:
    # 7 hits: one reply (48859053) and one comment without a "|" header (48804695) are skipped.
    items = real_crawl.items
    assert sorted(by_id(items)) == ["48837669", "48842567", "48843116", "48860201", "48868436"]
    assert len(items) == 5
    assert all(item["source"] == "hackernews" and "reason" not in item for item in items)


RAW_EXPECTED = {
    "resortpass": (
        "48868436",
        {
            "title": "Senior Software Engineer, Frontend",
            "company": "ResortPass",
            "location": "New York, NY | Onsite",
            "remote": "Onsite",
            "employment_type": "Full-time",
            "salary": "$160k–$180k ($210k for senior band) + Equity",
            "visa": "Visa possible for exceptional candidates",
        },
    ),
    "wave": (
        "48843116",
        {
            "title": "On-Premises SRE",
            "company": "Wave",
            "location": "Remote (EMEA)",
            "remote": "Remote",
            "employment_type": "Permanent (Full-time)",
            "salary": "Salary up to $185,500 + equity",
        },
    ),
    "zeitlabs": (
        "48842567",
        {
            "title": "Senior Frontend Engineer",
            "company": "Zeitlabs",
            "location": "Remote (UTC+3)",
            "remote": "Remote",
            "employment_type": "Full time or Full time contract",
            "salary": None,
        },
    ),
    "qase": (
        "48860201",
        {
            "title": "Developer Advocate | Technical Customer Support Specialist",
            "company": "Qase",
            "location": "REMOTE",
            "remote": "REMOTE",
            "employment_type": "Full-time",
        },
    ),
    "trinsic": (
        "48837669",
        {"title": "Senior Product Engineer", "company": "Trinsic", "location": "REMOTE (Europe)"},
    ),
}


@pytest.mark.parametrize(("object_id", "expected"), RAW_EXPECTED.values(), ids=RAW_EXPECTED.keys())
def test_real_capture_raw_fields(
    real_crawl: Crawl, object_id: str, expected: dict[str, Any]
) -> None:
    item = by_id(real_crawl.items)[object_id]
    hit = capture_hits()[object_id]
    assert item["url"] == f"https://news.ycombinator.com/item?id={object_id}"
    assert item["description"] == hit["comment_text"]
    assert item["author"] == hit["author"]
    assert item["posted"] == hit["created_at"]
    assert item["story_id"] == REAL_STORY
    assert item["fetched_at"] == FETCHED_AT
    assert {key: item.get(key) for key in expected} == expected


# --- normalized, against the gold labels of the same postings -----------------------------------

GOLD_POSTINGS = {"resortpass": "48868436", "zeitlabs": "48842567", "wave": "48843116"}


@pytest.mark.parametrize("field", gold.CORE_LABELS_AND_POSTED_AT)
@pytest.mark.parametrize("object_id", GOLD_POSTINGS.values(), ids=GOLD_POSTINGS.keys())
def test_real_capture_normalized(real_crawl: Crawl, object_id: str, field: str) -> None:
    record = gold.record_for(REAL_CAPTURE, object_id)
    posting = normalized(by_id(real_crawl.items)[object_id])
    assert gold.field(posting, field) == gold.expected(record, field)


# --- own fixtures: story argument, paging, capped threads, failures -----------------------------


def test_story_argument_skips_the_story_search(server: FixtureServer, tmp_path: Path) -> None:
    server.add(comments_path(OWN_STORY, 0), OWN / "comments_page0.json")
    server.add(comments_path(OWN_STORY, 1), OWN / "comments_page1.json")
    outcome = crawl(server, tmp_path, args={"story": OWN_STORY})
    assert not any("tags=story," in request for request in server.requests)
    assert sorted(by_id(outcome.items)) == ["48361772", "48419550", "48420117"]


def test_pages_until_nb_pages(server: FixtureServer, tmp_path: Path) -> None:
    server.add(comments_path(OWN_STORY, 0), OWN / "comments_page0.json")
    server.add(comments_path(OWN_STORY, 1), OWN / "comments_page1.json")
    outcome = crawl(server, tmp_path, args={"story": OWN_STORY})
    comment_requests = [r for r in server.requests if "tags=comment" in r]
    assert comment_requests == [comments_path(OWN_STORY, 0), comments_path(OWN_STORY, 1)]
    items = by_id(outcome.items)
    # Page 0: a reply is skipped; page 1: a deleted comment and a one-liner are skipped.
    assert sorted(items) == ["48361772", "48419550", "48420117"]
    assert items["48419550"]["title"] == "Backend Developer (Go), Product Designer"
    assert items["48419550"]["location"] == "Berlin, Germany | Hybrid (2 days in office)"
    assert items["48361772"]["salary"] == "£95,000 - £120,000"
    assert items["48420117"]["location"] == "REMOTE (US, Canada)"


def test_capped_thread_continues_before_the_oldest_comment(
    server: FixtureServer, tmp_path: Path
) -> None:
    for page in (0, 1):
        body = json.loads((OWN / f"comments_page{page}.json").read_text())
        body["nbHits"] = 1003  # more than nbPages * hitsPerPage: Algolia's 1,000-hit cap
        server.add(comments_path(OWN_STORY, page), json.dumps(body))
    oldest = min(
        hit["created_at_i"]
        for page in (0, 1)
        for hit in json.loads((OWN / f"comments_page{page}.json").read_text())["hits"]
    )
    server.add(comments_path(OWN_STORY, 0, before=oldest), OWN / "comments_before_oldest.json")
    outcome = crawl(server, tmp_path, args={"story": OWN_STORY})
    assert comments_path(OWN_STORY, 0, before=oldest) in server.requests
    # The overlapping comment (48361772) comes once; the older posting (48360871) is added.
    assert sorted(i["source_id"] for i in outcome.items) == [
        "48360871",
        "48361772",
        "48419550",
        "48420117",
    ]


def test_story_search_without_a_hiring_story_is_a_failure(
    server: FixtureServer, tmp_path: Path
) -> None:
    stories = json.loads((OWN / "stories.json").read_text())
    stories["hits"] = [h for h in stories["hits"] if "hiring" not in h["title"]]
    server.add(STORY_SEARCH, json.dumps(stories))
    outcome = crawl(server, tmp_path)
    assert outcome.items == []
    assert 'no "Ask HN: Who is hiring?" story found' in outcome.log
    assert "'jobsift/failures': 1" in outcome.log


def test_malformed_comments_body_becomes_a_reject(server: FixtureServer, tmp_path: Path) -> None:
    server.add(comments_path(OWN_STORY, 0), "<html>Bad gateway</html>", content_type="text/html")
    outcome = crawl(server, tmp_path, args={"story": OWN_STORY})
    assert len(outcome.items) == 1
    assert outcome.items[0]["reason"].startswith("body is not valid JSON (text/html)")
    assert outcome.items[0]["raw"]["body"] == "<html>Bad gateway</html>"


def test_http_error_is_recorded(server: FixtureServer, tmp_path: Path) -> None:
    server.add(comments_path(OWN_STORY, 0), "{}", status=503)
    outcome = crawl(server, tmp_path, args={"story": OWN_STORY})
    assert outcome.items == []
    assert f"HTTP 503 at {server.url}{comments_path(OWN_STORY, 0)}" in outcome.log


def test_non_numeric_story_is_refused_at_start(server: FixtureServer, tmp_path: Path) -> None:
    outcome = crawl(server, tmp_path, args={"story": "latest"})
    assert outcome.returncode != 0 or outcome.items == []
    assert "story must be a numeric item id" in outcome.log
    assert server.requests == []
