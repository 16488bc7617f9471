"""Workable spider: the real widget capture and an own multi-location account, by real Scrapy."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pipelines.chain import normalize_payload
from pipelines.draft import Reject
from tests.support.crawl import CrawlOutcome, scrapy_crawl
from tests.support.server import FixtureServer

OWN = Path(__file__).resolve().parent / "fixtures" / "workable"
CAPTURE = "workable_widget_accounts_crewai_details_2026-07.json"
# name: (shortcode, gold record id, posted_at in UTC from the date-only published_on)
GOLD_POSTINGS = {
    "crewai-csm-latam": ("3862836931", "workable-crewai-csm-latam", "2026-06-30T00:00:00+00:00"),
    "crewai-fde-east-coast": (
        "96051E9EDE",
        "workable-crewai-fde-east-coast",
        "2026-04-09T00:00:00+00:00",
    ),
}
RAW_FIELDS = (
    "url",
    "title",
    "company",
    "location",
    "description",
    "posted",
    "salary",
    "employment_type",
)
NORMALIZED_FIELDS = ("title", "company", "countries", "work_setting", "salary")


def is_reject(item: dict[str, Any]) -> bool:
    return {"reason", "raw"} <= item.keys()


def failure_count(log: str) -> int:
    found = re.search(r"'jobsift/failures': (\d+)", log)
    return int(found.group(1)) if found else 0


def normalized(item: dict[str, Any]) -> dict[str, Any]:
    """The normalized fields the gold set labels, in gold's shape."""
    result = normalize_payload(item)
    assert not isinstance(result, Reject), result.reason
    posting = result.model_dump()
    pay = posting["compensation"]
    return {
        "title": posting["overview"]["title"],
        "company": posting["overview"]["company"],
        "countries": posting["eligibility"]["countries"],
        "work_setting": posting["overview"]["work_setting"],
        "salary": pay and {key: pay[key] for key in ("min", "max", "currency", "period")},
        "posted_at": posting["overview"]["posted_at"],
    }


def crawl_account(account: str, body: Path, tmp_path: Path) -> tuple[CrawlOutcome, list[str]]:
    with FixtureServer() as server:
        server.add(f"/api/v1/widget/accounts/{account}", body)
        outcome = scrapy_crawl(
            "workable",
            tmp_path,
            args={"account": account},
            settings={"JOBSIFT_WORKABLE_URL": server.url},
        )
        return outcome, list(server.requests)


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict[str, dict[str, Any]]:
    lines = (shared / "gold" / "dev.jsonl").read_text().splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


@pytest.fixture(scope="module")
def real_crawl(
    real_fixtures: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CrawlOutcome, list[str]]:
    capture = real_fixtures / "workable" / CAPTURE
    return crawl_account("crewai", capture, tmp_path_factory.mktemp("crewai"))


def crawled_posting(real_crawl: tuple[CrawlOutcome, list[str]], name: str) -> dict[str, Any]:
    shortcode = GOLD_POSTINGS[name][0]
    matches = [i for i in real_crawl[0].items if i.get("source_id") == shortcode]
    assert len(matches) == 1, f"job {shortcode} came out {len(matches)} times"
    return matches[0]


def test_every_captured_job_comes_through_without_rejects(
    real_crawl: tuple[CrawlOutcome, list[str]], real_fixtures: Path
) -> None:
    outcome, requests = real_crawl
    capture = json.loads((real_fixtures / "workable" / CAPTURE).read_text())
    assert outcome.returncode == 0, outcome.log[-2000:]
    assert [i for i in outcome.items if is_reject(i)] == []
    assert sorted(i["source_id"] for i in outcome.items) == sorted(
        j["shortcode"] for j in capture["jobs"]
    )
    assert failure_count(outcome.log) == 0
    assert "/api/v1/widget/accounts/crewai?details=true" in requests


@pytest.mark.parametrize("field", RAW_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_posting_equals_gold_input(
    name: str, field: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    assert item.get(field) == gold[GOLD_POSTINGS[name][1]]["input"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_telecommuting_flag_as_given(
    name: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    assert item["remote"] is True
    assert gold[GOLD_POSTINGS[name][1]]["input"]["remote"] == "true"


def test_on_site_job_keeps_its_false_flag(real_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    by_id = {i["source_id"]: i for i in real_crawl[0].items}
    assert by_id["0AB5665160"]["remote"] is False
    assert by_id["0AB5665160"]["location"] == "San Francisco, California, United States"


@pytest.mark.parametrize("field", NORMALIZED_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posting_matches_gold(
    name: str, field: str, real_crawl: tuple[CrawlOutcome, list[str]], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    assert normalized(item)[field] == gold[GOLD_POSTINGS[name][1]]["gold"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posted_at(name: str, real_crawl: tuple[CrawlOutcome, list[str]]) -> None:
    item = crawled_posting(real_crawl, name)
    assert normalized(item)["posted_at"] == datetime.fromisoformat(GOLD_POSTINGS[name][2])


# --- own fixture: several locations, one of them hidden, and a part-time role ---


@pytest.fixture(scope="module")
def own_item(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    body = OWN / "account_harborfinch_details_multi_location.json"
    outcome, _ = crawl_account("harborfinch", body, tmp_path_factory.mktemp("harborfinch"))
    assert outcome.returncode == 0
    assert len(outcome.items) == 1
    return outcome.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param("source_id", "7C1D2E3F4A", id="source_id"),
        pytest.param("company", "Harbor & Finch", id="company"),
        # Hidden locations are not shown on the posting, so they are not passed on.
        pytest.param("location", "Lisbon, Lisbon, Portugal | Spain", id="location"),
        pytest.param("country_codes", ["PT", "ES", "IE"], id="country_codes"),
        pytest.param("posted", "2026-07-21", id="posted"),
        pytest.param("employment_type", "Part-time", id="employment_type"),
        pytest.param("remote", True, id="remote"),
        pytest.param("apply_url", "https://apply.workable.com/j/7C1D2E3F4A/apply", id="apply_url"),
    ],
)
def test_own_account_raw(field: str, expected: Any, own_item: dict[str, Any]) -> None:
    assert own_item.get(field) == expected


OWN_NORMALIZED = {
    "title": "Customer Support Specialist",
    "company": "Harbor & Finch",
    "countries": ["ES", "PT"],
    "work_setting": "remote",
    "salary": None,
    "posted_at": datetime.fromisoformat("2026-07-21T00:00:00+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_account_normalized(field: str, own_item: dict[str, Any]) -> None:
    assert normalized(own_item)[field] == OWN_NORMALIZED[field]


def test_missing_account_argument_is_a_clear_error(tmp_path: Path) -> None:
    with FixtureServer() as server:
        outcome = scrapy_crawl("workable", tmp_path, settings={"JOBSIFT_WORKABLE_URL": server.url})
        assert server.requests == []
    assert outcome.returncode != 0
    assert "needs -a account=" in outcome.log
