"""Cheap re-crawls over 127.0.0.1: conditional requests, 304s read from the HTTP cache, unchanged
raw postings skipping the chain (only `last_seen_at` moves), changed ones normalized again.

One site (the benchmark's generated aggregator) served by a server that sends ETags and answers
If-None-Match with 304, crawled four times into one database with real Scrapy and every pipeline.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from jobsift.crawlers.httpcache import (
    RECORDED_META,
    REVALIDATED_META,
    KeptPageMetaRefreshMiddleware,
)
from scrapy.http import HtmlResponse, Request
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from bench.pages import generate_site
from tests.support.crawl import scrapy_crawl
from tests.support.server import FixtureServer

ROLES = 12
PER_PAGE = 5  # 3 listing pages


@dataclass
class Crawl:
    returncode: int
    stats: dict[str, int]
    conditional: list[tuple[str, int]]  # (path, status) of the conditional requests it made
    rows: dict[str, tuple]  # id -> (last_seen_at, first_seen_at, content_hash, run_id)
    versions: dict[str, int]
    run: tuple  # its crawl_runs row: status, scraped, new, updated, unchanged


def _stats(log: str) -> dict[str, int]:
    found = re.findall(r"'((?:jobsift|httpcache)/[^']+)': (\d+)", log)
    return {key: int(value) for key, value in found}


def _read(db: Path) -> tuple[dict[str, tuple], dict[str, int], tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT id, last_seen_at, first_seen_at, content_hash, run_id FROM posting_rows"
            ).fetchall()
        }
        versions = dict(
            con.execute("SELECT id, count(*) FROM posting_versions GROUP BY id").fetchall()
        )
        run = con.execute(
            "SELECT status, scraped, new, updated, unchanged FROM crawl_runs "
            "ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return rows, versions, run


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Crawl], list[str], str]:
    """Crawl 1 (first), 2 (unchanged site), 3 (one role page changed), 4 (one page failing)."""
    root = tmp_path_factory.mktemp("site")
    roles = generate_site(root, ROLES, per_page=PER_PAGE)
    work = tmp_path_factory.mktemp("crawl")
    done: list[Crawl] = []
    changed = roles[3].slug
    with FixtureServer(root=root, validators=True) as server:
        for number in range(4):
            if number == 1:
                # Role pages answered 304 must not be parsed again: blank their kept copies, so
                # parsing one would give a reject ("no h1") instead of its posting.
                cache = sqlite3.connect(work / "data" / "httpcache" / "withmira.sqlite")
                with cache:
                    blanked = cache.execute(
                        "UPDATE responses SET body = ? WHERE url LIKE '%/jobs/%'",
                        (b"<html><body></body></html>",),
                    ).rowcount
                cache.close()
                assert blanked == ROLES
            if number == 2:
                page = root / "jobs" / changed / "index.html"
                html = page.read_text()
                assert "</h1>" in html
                page.write_text(html.replace("</h1>", " II</h1>", 1))
            if number == 3:
                server.add(f"/jobs/{roles[5].slug}/", "server error", status=500)
            before = len(server.conditional)
            outcome = scrapy_crawl(
                "withmira",
                work,
                args={"start_url": f"{server.url}/remote-jobs/"},
                pipelines=True,
            )
            rows, versions, run = _read(work / "data" / "jobsift.duckdb")
            done.append(
                Crawl(
                    outcome.returncode,
                    _stats(outcome.log),
                    server.conditional[before:],
                    rows,
                    versions,
                    run,
                )
            )
    return done, [r.slug for r in roles], changed


def test_the_first_crawl_normalizes_every_posting(crawls: tuple) -> None:
    first = crawls[0][0]
    assert first.returncode == 0
    assert first.run == ("finished", ROLES, ROLES, 0, 0)
    assert first.conditional == []  # nothing was kept yet
    assert first.stats.get("jobsift/normalize/skipped_unchanged", 0) == 0
    assert first.stats["httpcache/store"] == ROLES + 3  # role pages and listing pages


def test_an_unchanged_site_skips_the_chain_and_only_moves_last_seen(crawls: tuple) -> None:
    first, second = crawls[0][:2]
    assert second.returncode == 0
    assert second.run == ("finished", ROLES, 0, 0, ROLES)
    # The chain did not run: every posting was recognised by its raw digest.
    assert second.stats["jobsift/normalize/skipped_unchanged"] == ROLES
    assert second.stats.get("jobsift/worker/normalized", 0) == 0
    assert second.versions == first.versions and set(second.versions.values()) == {1}
    assert second.rows.keys() == first.rows.keys()
    for key, (last_seen, first_seen, content, run_id) in second.rows.items():
        assert last_seen > first.rows[key][0], key
        assert (first_seen, content) == first.rows[key][1:3], key
        assert run_id != first.rows[key][3], key  # the row was seen by this run


def test_a_role_page_answered_304_is_not_parsed_again(crawls: tuple) -> None:
    second = crawls[0][1]
    # Its kept copy was blanked after the first crawl: the postings came from the replay.
    assert second.stats["jobsift/replay/pages"] == ROLES
    assert second.stats["jobsift/replay/postings"] == ROLES
    assert second.stats.get("jobsift/rejected", 0) == 0


def test_unchanged_pages_are_asked_for_conditionally_and_answered_304(crawls: tuple) -> None:
    second = crawls[0][1]
    paths = [path for path, _ in second.conditional]
    assert len(paths) == ROLES + 3 and len(set(paths)) == ROLES + 3
    assert {status for _, status in second.conditional} == {304}
    assert second.stats["httpcache/revalidate"] == ROLES + 3
    assert second.stats.get("httpcache/store", 0) == 0  # a 304 rewrites nothing


def test_a_changed_page_is_fetched_and_normalized_again(crawls: tuple) -> None:
    done, _, changed = crawls
    second, third = done[1], done[2]
    key = f"withmira:{changed}"
    assert third.returncode == 0
    assert third.run == ("finished", ROLES, 0, 1, ROLES - 1)
    assert (f"/jobs/{changed}/", 200) in third.conditional
    assert sum(status == 200 for _, status in third.conditional) == 1
    assert third.stats["jobsift/normalize/skipped_unchanged"] == ROLES - 1
    assert third.versions[key] == 2
    assert third.rows[key][2] != second.rows[key][2]  # new content hash
    assert third.rows[key][1] == second.rows[key][1]  # first seen kept


def test_a_failing_page_is_not_covered_by_its_kept_copy(crawls: tuple) -> None:
    done, slugs, _ = crawls
    third, fourth = done[2], done[3]
    failing = f"withmira:{slugs[5]}"
    assert fourth.run[0] == "failed"
    assert fourth.run[1] == ROLES - 1  # the failing page's posting was not seen
    assert fourth.rows[failing][0] == third.rows[failing][0]  # so its last_seen_at stayed


@pytest.mark.parametrize(
    ("meta", "redirected"),
    [
        pytest.param({}, True, id="fetched"),
        pytest.param({REVALIDATED_META: True}, True, id="answered-304-nothing-recorded"),
        pytest.param(
            {REVALIDATED_META: True, RECORDED_META: ("parse_role", "[]")},
            False,
            id="answered-304-postings-recorded",
        ),
    ],
)
def test_a_kept_page_is_searched_for_a_meta_refresh_unless_its_postings_are_replayed(
    meta: dict, redirected: bool
) -> None:
    # A kept page whose callback ran on this very body (postings recorded) did not redirect then.
    crawler = get_crawler(Spider, {"METAREFRESH_ENABLED": True})
    crawler.spider = Spider("withmira")
    middleware = KeptPageMetaRefreshMiddleware.from_crawler(crawler)
    body = b'<html><head><meta http-equiv="refresh" content="0; url=/moved/"></head></html>'
    request = Request("http://127.0.0.1/jobs/a/", meta=dict(meta))
    response = HtmlResponse(request.url, body=body, request=request)
    result = middleware.process_response(request, response)
    assert isinstance(result, Request) is redirected
    if redirected:
        assert result.url == "http://127.0.0.1/moved/"
