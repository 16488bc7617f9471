"""Politeness: Retry-After is honoured before a retry, robots.txt is obeyed, the User-Agent names
jobsift and its contact URL, and a source's minimum interval between runs is read as Scrapy would.

Waiting is checked against a fake clock (`twisted.internet.task.Clock`) and through the requests
a real crawl makes; nothing here measures wall-clock time.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jobsift.crawlers.base import min_interval
from jobsift.crawlers.middlewares import (
    RetryAfterMiddleware,
    identifying_user_agent,
    retry_after_seconds,
)
from scrapy import Spider
from scrapy.http import Request, Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.task import Clock

from tests.support.crawl import CrawlOutcome
from tests.support.server import FixtureServer, Route
from tests.support.spiders import crawl_source, stat

BOARD_PATH = "/v1/boards/northwindlabs/jobs"
BOARD = (
    Path(__file__).resolve().parent
    / "fixtures"
    / "greenhouse"
    / ("board_northwindlabs_jobs_content.json")
)
NOW = datetime(2026, 7, 20, 12, 0, 0, tzinfo=UTC)


class ScriptedServer(FixtureServer):
    """A FixtureServer that can answer a path differently on each request (the last answer
    repeats) and remembers the User-Agent of every request."""

    def __init__(self) -> None:
        self.scripts: dict[str, list[Route]] = {}
        self.user_agents: list[tuple[str, str]] = []
        super().__init__()

    def script(self, path: str, *routes: Route) -> None:
        self.scripts[path] = list(routes)

    def _lookup(self, target: str) -> Route | None:
        queue = self.scripts.get(urlsplit(target).path)
        if queue:
            return queue.pop(0) if len(queue) > 1 else queue[0]
        return super()._lookup(target)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        served = super()._handler()
        server = self

        class Recording(served):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                server.user_agents.append((self.path, self.headers.get("User-Agent", "")))
                super().do_GET()

        return Recording


def crawl(server: FixtureServer, tmp_path: Path, **settings: Any) -> CrawlOutcome:
    args = {"board": "northwindlabs"}
    return crawl_source("greenhouse", server, tmp_path, args=args, settings=settings)


# --- Retry-After: parsing and the wait before a retry ---


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        pytest.param("1", 1.0, id="delta-seconds"),
        pytest.param(" 30 ", 30.0, id="delta-seconds-padded"),
        pytest.param(b"120", 120.0, id="bytes-header"),
        pytest.param(format_datetime(NOW + timedelta(seconds=5), usegmt=True), 5.0, id="http-date"),
        pytest.param("Mon, 20 Jul 2026 12:00:07 GMT", 7.0, id="http-date-literal"),
        pytest.param(format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0, id="date-past"),
        pytest.param("-5", None, id="negative"),
        pytest.param("soon", None, id="garbage"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="absent"),
    ],
)
def test_retry_after_seconds(header: str | bytes | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, NOW) == seconds


def retry_middleware(clock: Clock | None = None, **settings: Any) -> RetryAfterMiddleware:
    crawler = get_crawler(
        Spider, {"JOBSIFT_RETRY_AFTER_MAX": 2, "JOBSIFT_RETRY_BACKOFF": 0.5, **settings}
    )
    crawler.spider = Spider.from_crawler(crawler, name="politeness")
    middleware = RetryAfterMiddleware(crawler.settings, clock=clock)
    middleware.crawler = crawler
    return middleware


def answer(status: int, retry_after: str | None = None) -> tuple[Request, Response]:
    request = Request("http://127.0.0.1/v1/boards/x/jobs")
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return request, Response(request.url, status=status, headers=headers, request=request)


@pytest.mark.parametrize(
    ("retry_after", "attempt", "wait"),
    [
        pytest.param("1", 1, 1.0, id="retry-after-under-the-cap"),
        pytest.param("3600", 1, 2.0, id="retry-after-capped"),
        pytest.param(None, 1, 0.5, id="no-header-first-backoff"),
        pytest.param(None, 2, 1.0, id="no-header-doubles"),
        pytest.param(None, 5, 2.0, id="no-header-capped"),
        pytest.param("Mon, 20 Jul 2026 12:00:01 GMT", 1, 1.0, id="http-date"),
    ],
)
def test_wait_before_a_retry(retry_after: str | None, attempt: int, wait: float) -> None:
    _, response = answer(429, retry_after)
    assert retry_middleware().wait_for(response, attempt, NOW) == wait


async def settle() -> None:
    """Lets callbacks scheduled by the fake clock run (no real time passes)."""
    for _ in range(5):
        await asyncio.sleep(0)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_is_returned_only_after_the_wait(status: int) -> None:
    clock = Clock()
    middleware = retry_middleware(clock)
    request, response = answer(status, retry_after="1")

    async def scenario() -> Any:
        pending = asyncio.ensure_future(middleware.process_response(request, response))
        await settle()
        assert not pending.done()
        clock.advance(0.9)
        await settle()
        assert not pending.done()  # 0.9 s of the 1 s asked for
        clock.advance(0.1)
        await settle()
        assert pending.done()
        return pending.result()

    retry = asyncio.run(scenario())
    assert isinstance(retry, Request)
    assert retry.url == request.url
    assert retry.meta["retry_times"] == 1
    assert retry.dont_filter
    stats = middleware.crawler.stats
    assert stats.get_value("jobsift/retry/waits") == 1
    assert stats.get_value("jobsift/retry/wait_seconds") == 1.0


@pytest.mark.parametrize(
    ("status", "meta"),
    [
        pytest.param(200, {}, id="success"),
        pytest.param(404, {}, id="not-retried-code"),
        pytest.param(429, {"dont_retry": True}, id="dont-retry"),
        pytest.param(429, {"retry_times": 1}, id="retries-used-up"),
    ],
)
def test_response_passes_through_without_waiting(status: int, meta: dict[str, Any]) -> None:
    clock = Clock()
    middleware = retry_middleware(clock, RETRY_TIMES=1)
    request, response = answer(status, retry_after="1")
    request.meta.update(meta)

    async def scenario() -> Any:
        pending = asyncio.ensure_future(middleware.process_response(request, response))
        await settle()
        assert pending.done()  # no clock advance needed
        return pending.result()

    assert asyncio.run(scenario()) is response
    assert middleware.crawler.stats.get_value("jobsift/retry/waits") is None


def test_429_with_retry_after_is_retried_after_the_wait_and_then_succeeds(tmp_path: Path) -> None:
    with ScriptedServer() as server:
        server.script(
            BOARD_PATH,
            Route(b"Too Many Requests", 429, {"Retry-After": "1"}, "text/plain"),
            Route(BOARD.read_bytes()),
        )
        outcome = crawl(server, tmp_path)
        board_requests = [r for r in server.requests if r.startswith(BOARD_PATH)]
    assert outcome.returncode == 0
    assert board_requests == [f"{BOARD_PATH}?content=true"] * 2
    assert sorted(i["source_id"] for i in outcome.items) == ["7012345001", "7012345002"]
    assert "Waiting 1.0 s before retrying" in outcome.log
    assert "(HTTP 429, Retry-After: 1)" in outcome.log
    assert stat(outcome.log, "jobsift/retry/waits") == 1
    assert stat(outcome.log, "retry/count") == 1
    assert stat(outcome.log, "jobsift/failures") == 0


# --- robots.txt ---


@pytest.mark.parametrize(
    ("robots", "allowed"),
    [
        pytest.param("User-agent: *\nDisallow: /v1/boards/\n", False, id="everyone-disallowed"),
        pytest.param("User-agent: jobsift\nDisallow: /\n", False, id="jobsift-disallowed"),
        pytest.param("User-agent: OtherBot\nDisallow: /\n", True, id="other-agent-disallowed"),
        pytest.param("User-agent: *\nDisallow: /private/\n", True, id="other-path-disallowed"),
    ],
)
def test_robots_txt_is_obeyed(robots: str, allowed: bool, tmp_path: Path) -> None:
    with ScriptedServer() as server:
        server.add("/robots.txt", robots, content_type="text/plain")
        server.add(BOARD_PATH, BOARD)
        outcome = crawl(server, tmp_path)
        board_requests = [r for r in server.requests if r.startswith(BOARD_PATH)]
    assert outcome.returncode == 0
    assert server.requests[0] == "/robots.txt"
    if allowed:
        assert len(board_requests) == 1
        assert len(outcome.items) == 2
        assert stat(outcome.log, "jobsift/failures") == 0
    else:
        assert board_requests == []
        assert outcome.items == []
        assert stat(outcome.log, "robotstxt/forbidden") == 1
        # A source that robots.txt closes yields nothing: the run must say why.
        assert stat(outcome.log, "jobsift/failures") == 1
        assert "Forbidden by robots.txt" in outcome.log


# --- User-Agent ---


@pytest.mark.parametrize(
    ("agent", "contact", "expected"),
    [
        pytest.param(
            "jobsift/0.1 (+https://a.example)",
            "https://a.example",
            "jobsift/0.1 (+https://a.example)",
            id="unchanged",
        ),
        pytest.param(
            "jobsift/0.1 (+https://a.example)",
            "https://b.example/contact",
            "jobsift/0.1 (+https://b.example/contact)",
            id="contact-changed-later",
        ),
        pytest.param(
            "jobsift/0.1",
            "https://b.example",
            "jobsift/0.1 (+https://b.example)",
            id="contact-added",
        ),
    ],
)
def test_identifying_user_agent(agent: str, contact: str, expected: str) -> None:
    settings = Settings({"USER_AGENT": agent, "JOBSIFT_CONTACT_URL": contact})
    assert identifying_user_agent(settings) == expected


def test_a_foreign_user_agent_is_made_to_name_jobsift() -> None:
    settings = Settings(
        {
            "USER_AGENT": "Scrapy/2.19 (+https://scrapy.org)",
            "JOBSIFT_CONTACT_URL": "https://b.example",
        }
    )
    assert re.fullmatch(
        r"jobsift/[\w.]+ Scrapy/2\.19 \(\+https://b\.example\)", identifying_user_agent(settings)
    )


@pytest.mark.parametrize(
    "contact",
    [
        pytest.param(None, id="project-contact-url"),
        pytest.param("https://example.org/jobsift-operator", id="contact-url-set-for-the-run"),
    ],
)
def test_user_agent_sent_names_jobsift_and_the_contact_url(
    contact: str | None, tmp_path: Path
) -> None:
    from jobsift.crawlers import settings as project

    expected_contact = contact or project.JOBSIFT_CONTACT_URL
    with ScriptedServer() as server:
        server.add(BOARD_PATH, BOARD)
        extra = {"JOBSIFT_CONTACT_URL": contact} if contact else {}
        outcome = crawl(server, tmp_path, **extra)
        agents = dict(server.user_agents)
    assert outcome.returncode == 0
    assert set(agents) == {"/robots.txt", f"{BOARD_PATH}?content=true"}  # robots.txt too
    for agent in agents.values():
        assert agent.startswith("jobsift/")
        assert f"(+{expected_contact})" in agent
    if contact:
        assert project.JOBSIFT_CONTACT_URL not in agents[f"{BOARD_PATH}?content=true"]


# --- minimum interval between runs of a source ---


class HourlySource(Spider):
    name = "hourly"
    custom_settings = {"JOBSIFT_MIN_INTERVAL": 3600}


class UnlimitedSource(Spider):
    name = "unlimited"


@pytest.mark.parametrize(
    ("spider_cls", "settings", "seconds"),
    [
        pytest.param(
            HourlySource, Settings({"JOBSIFT_MIN_INTERVAL": 0}), 3600.0, id="spider-setting"
        ),
        pytest.param(
            UnlimitedSource, Settings({"JOBSIFT_MIN_INTERVAL": 0}), 0.0, id="project-default"
        ),
        pytest.param(UnlimitedSource, {"JOBSIFT_MIN_INTERVAL": "900"}, 900.0, id="plain-dict"),
        pytest.param(HourlySource, {}, 3600.0, id="no-project-value"),
        pytest.param(UnlimitedSource, {"JOBSIFT_MIN_INTERVAL": "-5"}, 0.0, id="negative-is-none"),
        pytest.param(
            UnlimitedSource, {"JOBSIFT_MIN_INTERVAL": "soon"}, 0.0, id="unreadable-is-none"
        ),
    ],
)
def test_min_interval(
    spider_cls: type[Spider], settings: Settings | dict[str, Any], seconds: float
) -> None:
    assert min_interval(spider_cls, settings) == seconds


def test_min_interval_set_for_the_run_beats_the_spider() -> None:
    settings = Settings()
    settings.set("JOBSIFT_MIN_INTERVAL", 60, priority="cmdline")
    assert min_interval(HourlySource, settings) == 60.0
    assert settings.getfloat("JOBSIFT_MIN_INTERVAL") == 60.0  # the caller's settings untouched
    assert min_interval(HourlySource, Settings()) == 3600.0


def test_min_interval_reads_a_running_crawlers_frozen_settings() -> None:
    settings = Settings({"JOBSIFT_MIN_INTERVAL": 0})
    settings.freeze()
    assert min_interval(HourlySource, settings) == 3600.0
