"""Personio spider: the real XML feed capture and an own feed, crawled by real Scrapy."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.etree
import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.gold_checks import GoldChecks, ItemOf
from tests.support.parse import Parsed, parse_routes
from tests.support.spiders import failure_count, index_by

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


def crawl_feed(body: Path, args: dict[str, str] | None = None) -> Parsed:
    args = args or {"company": "parent"}
    return parse_routes("personio", {"/xml": body}, args=args, content_type=XML)


@pytest.fixture(scope="module")
def real_crawl(real_fixtures: Path) -> Parsed:
    return crawl_feed(real_fixtures / "personio" / CAPTURE)


def crawled_posting(real_crawl: Parsed, name: str) -> dict[str, Any]:
    return real_crawl.by_id(GOLD_POSTINGS[name][0])


@pytest.fixture(scope="module")
def gold_item(real_crawl: Parsed) -> ItemOf:
    names = {value[1]: name for name, value in GOLD_POSTINGS.items()}
    return lambda record: crawled_posting(real_crawl, names[record["id"]])


class TestGold(GoldChecks):
    GOLD = {v[1]: datetime.fromisoformat(v[2]) for v in GOLD_POSTINGS.values()}
    RAW_FIELDS = RAW_FIELDS


def test_every_position_of_the_feed_comes_through_without_rejects(
    real_crawl: Parsed, real_fixtures: Path
) -> None:
    feed = lxml.etree.parse(str(real_fixtures / "personio" / CAPTURE))
    ids = [node.text for node in feed.iterfind("position/id")]
    assert real_crawl.returncode == 0, real_crawl.log[-2000:]
    assert real_crawl.rejects == []
    # The feed repeats no id, but count each position anyway (11 in the capture).
    assert len(real_crawl.items) == len(ids) == 11
    assert sorted(i["source_id"] for i in real_crawl.items) == sorted(ids)
    assert failure_count(real_crawl.log) == 0
    assert "/xml" in real_crawl.requests


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_salary_information_as_given(name: str, real_crawl: Parsed) -> None:
    item = crawled_posting(real_crawl, name)
    given = gold.record(GOLD_POSTINGS[name][1])["input"]["salary"]
    assert item["salary"] == (json.loads(given) if given else None)


@pytest.mark.parametrize("name", GOLD_POSTINGS)
def test_raw_url_is_the_positions_public_page(name: str, real_crawl: Parsed) -> None:
    """The feed has no job URL (gold input says null); the job page is /job/{id} on its host."""
    item = crawled_posting(real_crawl, name)
    assert item["url"] == f"{real_crawl.base_url}/job/{GOLD_POSTINGS[name][0]}"


def test_position_without_subcompany_has_no_company(real_crawl: Parsed) -> None:
    by_id = index_by(real_crawl.items, "source_id")
    assert by_id["2140221"]["company"] is None
    assert by_id["2140224"]["location"] == "Remote"


# --- own fixture: additional offices, no subcompany, empty salary information, language ---


@pytest.fixture(scope="module")
def own_crawl() -> Parsed:
    body = OWN / "positions_kaffeekontor_additional_offices.xml"
    args = {"company": "kaffeekontor", "language": "de"}
    return crawl_feed(body, args)


def test_language_argument_is_sent(own_crawl: Parsed) -> None:
    assert "/xml?language=de" in own_crawl.requests


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
def test_own_position_raw(field: str, expected: Any, own_crawl: Parsed) -> None:
    assert len(own_crawl.items) == 1
    assert own_crawl.items[0].get(field) == expected


OWN_NORMALIZED = {
    "title": "Supply Chain Planner",
    "company": None,
    "countries": ["DE"],
    "work_setting": "remote",  # "Remote" is one of the offices the position is open to
    "salary": None,
    "posted_at": datetime.fromisoformat("2026-07-06T07:12:44+00:00"),
}


@pytest.mark.parametrize("field", OWN_NORMALIZED)
def test_own_position_normalized(field: str, own_crawl: Parsed) -> None:
    assert gold.field(normalized(own_crawl.items[0]), field) == OWN_NORMALIZED[field]


def test_missing_company_argument_is_a_clear_error() -> None:
    crawl = parse_routes("personio", {})
    assert crawl.all_requests == []
    assert crawl.returncode != 0
    assert "needs -a company=" in crawl.log
