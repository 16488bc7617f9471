"""The benchmark's synthetic aggregator: its pages are ones the `withmira` spider reads."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.pages import RolePage, generate_site
from tests.support.crawl import scrapy_crawl
from tests.support.server import FixtureServer

ROLES = 20
PER_PAGE = 8  # 3 listing pages, so pagination is crawled too


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[RolePage]]:
    root = tmp_path_factory.mktemp("site")
    return root, generate_site(root, ROLES, per_page=PER_PAGE)


@pytest.fixture(scope="module")
def crawled(
    site: tuple[Path, list[RolePage]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[dict], list[str], int]:
    root, _ = site
    with FixtureServer(root=root) as server:
        outcome = scrapy_crawl(
            "withmira",
            tmp_path_factory.mktemp("crawl"),
            args={"start_url": f"{server.url}/remote-jobs/"},
        )
        requested = list(server.requests)
    return outcome.items, requested, outcome.returncode


def test_every_generated_role_is_crawled_once(crawled: tuple, site: tuple) -> None:
    items, _, returncode = crawled
    roles = site[1]
    assert returncode == 0
    assert len(items) == ROLES
    assert Counter(i["source_id"] for i in items) == Counter(r.slug for r in roles)


def test_every_listing_page_is_followed(crawled: tuple) -> None:
    _, requested, _ = crawled
    listings = {path for path in requested if path.startswith("/remote-jobs/")}
    assert listings == {"/remote-jobs/", "/remote-jobs/page/2/", "/remote-jobs/page/3/"}


@pytest.mark.parametrize("field", ["title", "company", "posted"])
def test_role_fields_read_by_the_spider(crawled: tuple, site: tuple, field: str) -> None:
    items, _, _ = crawled
    by_slug = {r.slug: r for r in site[1]}
    for item in items:
        assert item[field] == getattr(by_slug[item["source_id"]], field), item["url"]


def test_each_role_has_sections_locations_and_facts(crawled: tuple) -> None:
    items, _, _ = crawled
    for item in items:
        assert item["description"].count("<h4>") >= 2, item["url"]
        assert item["location"], item["url"]
        assert item["facts"]["Seniority signal"], item["url"]
        assert item["remote"] in {"Remote", "Hybrid", "On-site"}, item["url"]


def test_the_site_varies_like_real_listings(tmp_path: Path) -> None:
    roles = generate_site(tmp_path, 300)
    assert len({r.title for r in roles}) > 50
    assert {r.setting for r in roles} == {"Remote", "Hybrid", "On-site"}
    posted_kinds = {"ago" if r.posted.endswith("ago") else r.posted.split()[0] for r in roles}
    assert posted_kinds == {"ago", "Posted", "Recently"}


def test_the_same_seed_gives_the_same_site(tmp_path: Path) -> None:
    first = generate_site(tmp_path / "a", 30)
    second = generate_site(tmp_path / "b", 30)
    assert first == second
    page = f"jobs/{first[3].slug}/index.html"
    assert (tmp_path / "a" / page).read_bytes() == (tmp_path / "b" / page).read_bytes()
