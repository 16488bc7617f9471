"""Personio spider: the real XML feed capture and an own feed, crawled by real Scrapy."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.etree
import pytest

from pipelines.chain import normalize_payload
from pipelines.draft import Reject
from tests.support.crawl import CrawlOutcome, scrapy_crawl
from tests.support.server import FixtureServer

OWN = Path(__file__).resolve().parent / "fixtures" / "personio"
CAPTURE = "personio_xml_positions_wp-plugin-testdata.xml"
XML = "application/xml; charset=utf-8"
# name: (position id, gold record id, posted_at in UTC)
GOLD_POSTINGS = {
    "junior-compliance-manager-salary": (
        "2140230",
        "personio-junior-compliance-manager",
        "2024-09-24T10:49:59+00:00",
    ),
    "programme-coordinator-no-salary": (
        "2140228",
        "personio-programme-coordinator",
        "2024-09-24T10:41:39+00:00",
    ),
}
RAW_FIELDS = ("title", "company", "location", "description", "posted", "employment_type", "remote")
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


def crawl_feed(
    body: Path, tmp_path: Path, args: dict[str, str] | None = None
) -> tuple[CrawlOutcome, list[str], str]:
    with FixtureServer() as server:
        server.add("/xml", body, content_type=XML)
        outcome = scrapy_crawl(
            "personio",
            tmp_path,
            args=args or {"company": "parent"},
            settings={"JOBSIFT_PERSONIO_URL": server.url},
        )
        return outcome, list(server.requests), server.url


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict[str, dict[str, Any]]:
    lines = (shared / "gold" / "dev.jsonl").read_text().splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


@pytest.fixture(scope="module")
def real_crawl(
    real_fixtures: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CrawlOutcome, list[str], str]:
    return crawl_feed(real_fixtures / "personio" / CAPTURE, tmp_path_factory.mktemp("parent"))


def crawled_posting(real_crawl: tuple[CrawlOutcome, list[str], str], name: str) -> dict[str, Any]:
    position_id = GOLD_POSTINGS[name][0]
    matches = [i for i in real_crawl[0].items if i.get("source_id") == position_id]
    assert len(matches) == 1, f"position {position_id} came out {len(matches)} times"
    return matches[0]


def test_every_position_of_the_feed_comes_through_without_rejects(
    real_crawl: tuple[CrawlOutcome, list[str], str], real_fixtures: Path
) -> None:
    outcome, requests, _ = real_crawl
    feed = lxml.etree.parse(str(real_fixtures / "personio" / CAPTURE))
    ids = [node.text for node in feed.iterfind("position/id")]
    assert outcome.returncode == 0, outcome.log[-2000:]
    assert [i for i in outcome.items if is_reject(i)] == []
    # The feed repeats no id, but count each position anyway (11 in the capture).
    assert len(outcome.items) == len(ids) == 11
    assert sorted(i["source_id"] for i in outcome.items) == sorted(ids)
    assert failure_count(outcome.log) == 0
    assert "/xml" in requests


@pytest.mark.parametrize("field", RAW_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_posting_equals_gold_input(
    name: str,
    field: str,
    real_crawl: tuple[CrawlOutcome, list[str], str],
    gold: dict[str, Any],
) -> None:
    item = crawled_posting(real_crawl, name)
    assert item.get(field) == gold[GOLD_POSTINGS[name][1]]["input"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_salary_information_as_given(
    name: str, real_crawl: tuple[CrawlOutcome, list[str], str], gold: dict[str, Any]
) -> None:
    item = crawled_posting(real_crawl, name)
    given = gold[GOLD_POSTINGS[name][1]]["input"]["salary"]
    assert item["salary"] == (json.loads(given) if given else None)


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_url_is_the_positions_public_page(
    name: str, real_crawl: tuple[CrawlOutcome, list[str], str]
) -> None:
    """The feed has no job URL (gold input says null); the job page is /job/{id} on its host."""
    item = crawled_posting(real_crawl, name)
    assert item["url"] == f"{real_crawl[2]}/job/{GOLD_POSTINGS[name][0]}"


def test_position_without_subcompany_has_no_company(
    real_crawl: tuple[CrawlOutcome, list[str], str],
) -> None:
    by_id = {i["source_id"]: i for i in real_crawl[0].items}
    assert by_id["2140221"]["company"] is None
    assert by_id["2140224"]["location"] == "Remote"


@pytest.mark.parametrize("field", NORMALIZED_FIELDS)
@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posting_matches_gold(
    name: str,
    field: str,
    real_crawl: tuple[CrawlOutcome, list[str], str],
    gold: dict[str, Any],
) -> None:
    item = crawled_posting(real_crawl, name)
    assert normalized(item)[field] == gold[GOLD_POSTINGS[name][1]]["gold"][field]


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_normalized_posted_at(name: str, real_crawl: tuple[CrawlOutcome, list[str], str]) -> None:
    item = crawled_posting(real_crawl, name)
    assert normalized(item)["posted_at"] == datetime.fromisoformat(GOLD_POSTINGS[name][2])


# --- own fixture: additional offices, no subcompany, empty salary information, language ---


@pytest.fixture(scope="module")
def own_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlOutcome, list[str], str]:
    body = OWN / "positions_kaffeekontor_additional_offices.xml"
    args = {"company": "kaffeekontor", "language": "de"}
    return crawl_feed(body, tmp_path_factory.mktemp("kaffeekontor"), args)


def test_language_argument_is_sent(own_crawl: tuple[CrawlOutcome, list[str], str]) -> None:
    assert "/xml?language=de" in own_crawl[1]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param("source_id", "1834567", id="source_id"),
        pytest.param("title", "Supply Chain Planner (m/w/d)", id="title"),
        pytest.param("company", None, id="company"),
        pytest.param("location", "Hamburg | Berlin | Remote", id="location"),
        pytest.param(
            "description",
            "<h3>Deine Aufgaben</h3><ul><li>Du planst den Rohkaffee-Einkauf für unsere "
            "Röstereien</li><li>Du steuerst unsere Logistikpartner</li></ul>"
            "<h3>Dein Profil</h3><ul><li>Mindestens 2 Jahre Erfahrung in der Disposition</li></ul>",
            id="description",
        ),
        pytest.param("employment_type", "permanent | full-or-part-time", id="employment_type"),
        pytest.param("salary", None, id="empty-salary-information"),
        pytest.param("tags", ["Logistik", "Einkauf", "SAP"], id="tags"),
        pytest.param("posted", "2026-07-06T09:12:44+02:00", id="posted"),
    ],
)
def test_own_position_raw(
    field: str, expected: Any, own_crawl: tuple[CrawlOutcome, list[str], str]
) -> None:
    assert len(own_crawl[0].items) == 1
    assert own_crawl[0].items[0].get(field) == expected


OWN_NORMALIZED = {
    "title": "Supply Chain Planner",
    "company": None,
    "countries": ["DE"],
    "work_setting": "remote",  # "Remote" is one of the offices the position is open to
    "salary": None,
    "posted_at": datetime.fromisoformat("2026-07-06T07:12:44+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_position_normalized(
    field: str, own_crawl: tuple[CrawlOutcome, list[str], str]
) -> None:
    assert normalized(own_crawl[0].items[0])[field] == OWN_NORMALIZED[field]


def test_missing_company_argument_is_a_clear_error(tmp_path: Path) -> None:
    with FixtureServer() as server:
        outcome = scrapy_crawl("personio", tmp_path, settings={"JOBSIFT_PERSONIO_URL": server.url})
        assert server.requests == []
    assert outcome.returncode != 0
    assert "needs -a company=" in outcome.log
