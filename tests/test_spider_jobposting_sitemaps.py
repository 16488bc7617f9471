"""jobposting spider: pages found through a sitemap index or a sitemap, picked by a pattern."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import PROJECT_FIXTURES
from tests.support.crawl import CrawlOutcome, scrapy_crawl
from tests.support.server import FixtureServer
from tests.support.spiders import index_by

OWN = PROJECT_FIXTURES / "jobposting"
HTML = "text/html; charset=utf-8"


def crawl(tmp_path: Path, args: dict[str, str]) -> CrawlOutcome:
    """A real crawl: Scrapy's sitemap walk, its robots.txt and its failures, through HTTP."""
    return scrapy_crawl("jobposting", tmp_path, args=args)


def by_title(outcome: CrawlOutcome) -> dict[str, dict[str, Any]]:
    return index_by(outcome.items, "title")


def serve_sitemaps(server: FixtureServer) -> None:
    for name, path in (
        ("sitemap_index", "/sitemap_index.xml"),
        ("sitemap_jobs", "/sitemaps/jobs.xml"),
        ("sitemap_pages", "/sitemaps/pages.xml"),
    ):
        body = (OWN / f"{name}.xml").read_text().replace("{base}", server.url)
        server.add(path, body, content_type="application/xml")
    server.add("/jobs/backend-engineer.html", OWN / "telecommute.html", content_type=HTML)
    server.add("/jobs/data-analyst.html", OWN / "graph.html", content_type=HTML)
    server.add("/jobs/site-reliability-engineer.html", OWN / "no_jsonld.html", content_type=HTML)
    server.add("/jobs/", "<html><body><h1>All jobs</h1></body></html>", content_type=HTML)
    server.add("/about.html", "<html><body><h1>About us</h1></body></html>", content_type=HTML)


def test_sitemap_index_is_followed_and_pattern_selects_pages(
    server: FixtureServer, tmp_path: Path
) -> None:
    serve_sitemaps(server)
    args = {"sitemap": f"{server.url}/sitemap_index.xml", "pattern": r"/jobs/[\w-]+\.html$"}
    outcome = crawl(tmp_path, args)
    assert {"/sitemaps/jobs.xml", "/sitemaps/pages.xml"} <= set(server.requests)
    assert "/jobs/" not in server.requests and "/about.html" not in server.requests
    assert sorted(by_title(outcome)) == [
        "Data Analyst",
        "Senior Backend Engineer",
        "Site Reliability Engineer",
    ]


def test_sitemap_without_pattern_reads_every_page(server: FixtureServer, tmp_path: Path) -> None:
    serve_sitemaps(server)
    outcome = crawl(tmp_path, {"sitemap": f"{server.url}/sitemaps/pages.xml"})
    assert sorted(by_title(outcome)) == ["About us", "Site Reliability Engineer"]


def test_broken_sitemap_page_and_json_are_failures(server: FixtureServer, tmp_path: Path) -> None:
    server.add("/sitemap.xml", "<html><body>Maintenance</body></html>", content_type=HTML)
    outcome = crawl(tmp_path, {"sitemap": f"{server.url}/sitemap.xml"})
    assert outcome.items == []
    assert f"not a sitemap at {server.url}/sitemap.xml" in outcome.log

    outcome = crawl(tmp_path, {"urls": f"{server.url}/jobs/gone.html"})
    assert outcome.items == []
    assert f"HTTP 404 at {server.url}/jobs/gone.html" in outcome.log

    server.add(
        "/jobs/cut.json", '{"@type": "JobPosting", "title": "Wel', content_type="application/json"
    )
    outcome = crawl(tmp_path, {"urls": f"{server.url}/jobs/cut.json"})
    [reject] = outcome.items
    assert reject["reason"].startswith("body is not valid JSON (application/json)")
    assert reject["raw"]["body"] == '{"@type": "JobPosting", "title": "Wel'
