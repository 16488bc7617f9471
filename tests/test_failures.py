"""Failures stay with their source: HTTP errors, retries that keep failing and unreadable bodies
are recorded on the spider (`spider.failures`, stat `jobsift/failures`), bad bodies come out as
Reject items holding the raw payload, and the crawl still ends normally.

End to end through real Scrapy against a 127.0.0.1 server, plus the same paths in-process where
`spider.failures` itself can be read. Last, transport damage that is repaired rather than
rejected (mojibake, entities: the shared helpers of `crawlers/text.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.spiders.greenhouse import GreenhouseSpider
from jobsift.crawlers.spiders.personio import PersonioSpider
from jobsift.crawlers.text import join_locations, repair_mojibake, unescape_entities
from jobsift.schemas import Reject
from scrapy import signals
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from tests.support.crawl import CrawlOutcome
from tests.support.server import Route
from tests.support.spiders import Crawl, crawl_routes, is_reject, stat

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRUNCATED_JSON = FIXTURES / "failures" / "board_truncated.json"
ERROR_PAGE = FIXTURES / "failures" / "error_page.html"
TRUNCATED_XML = FIXTURES / "failures" / "feed_truncated.xml"
BOARD_PATH = "/v1/boards/northwindlabs/jobs"
BOARD_URL_PATH = f"{BOARD_PATH}?content=true"


def crawl_board(route: Route | None, tmp_path: Path) -> Crawl:
    """The Greenhouse spider against a board path answering `route` every time (None: 404);
    RETRY_TIMES is 1 in tests."""
    routes = {} if route is None else {BOARD_PATH: route}
    return crawl_routes("greenhouse", tmp_path, routes, args={"board": "northwindlabs"})


def assert_ended_normally(outcome: CrawlOutcome) -> None:
    assert outcome.returncode == 0
    assert "'finish_reason': 'finished'" in outcome.log
    assert "Traceback" not in outcome.log


# --- HTTP errors: recorded, nothing emitted, one attempt more for retryable codes ---


@pytest.mark.parametrize(
    ("route", "attempts", "message"),
    [
        pytest.param(None, 1, "HTTP 404 at", id="404"),
        pytest.param(
            Route(ERROR_PAGE.read_bytes(), 500, content_type="text/html"),
            2,
            "HTTP 500 at",
            id="500",
        ),
        pytest.param(
            Route(b"Too Many Requests", 429, {"Retry-After": "1"}, "text/plain"),
            2,
            "HTTP 429 at",
            id="429-retry-after-keeps-failing",
        ),
    ],
)
def test_http_error_is_a_failure_of_the_source(
    route: Route | None, attempts: int, message: str, tmp_path: Path
) -> None:
    crawl = crawl_board(route, tmp_path)
    assert_ended_normally(crawl.outcome)
    assert crawl.requests == [BOARD_URL_PATH] * attempts
    assert crawl.items == []
    assert stat(crawl.log, "jobsift/failures") == 1
    assert f"greenhouse: {message} http://127.0.0.1:" in crawl.log


def test_429_waits_for_retry_after_before_its_retry(tmp_path: Path) -> None:
    route = Route(b"Too Many Requests", 429, {"Retry-After": "1"}, "text/plain")
    log = crawl_board(route, tmp_path).log
    assert "Waiting 1.0 s before retrying" in log
    assert stat(log, "jobsift/retry/waits") == 1
    assert stat(log, "retry/max_reached") == 1


# --- unreadable bodies: a Reject with the raw payload, a recorded failure ---


@pytest.mark.parametrize(
    ("route", "reason", "body"),
    [
        pytest.param(
            Route(TRUNCATED_JSON.read_bytes()),
            "body is not valid JSON (application/json): Unterminated string",
            TRUNCATED_JSON.read_text(),
            id="truncated-json",
        ),
        pytest.param(
            Route(ERROR_PAGE.read_bytes(), content_type="text/html; charset=utf-8"),
            "body is not valid JSON (text/html; charset=utf-8)",
            ERROR_PAGE.read_text(),
            id="html-error-page",
        ),
    ],
)
def test_bad_body_becomes_a_reject_with_the_raw_payload(
    route: Route, reason: str, body: str, tmp_path: Path
) -> None:
    crawl = crawl_board(route, tmp_path)
    assert_ended_normally(crawl.outcome)
    assert crawl.requests == [BOARD_URL_PATH]  # a 200 is not retried
    assert len(crawl.items) == 1
    reject = crawl.items[0]
    assert is_reject(reject)
    assert reject["source"] == "greenhouse"
    assert reject["url"].endswith(BOARD_URL_PATH)
    assert reject["reason"].startswith(reason)
    assert reject["raw"]["status"] == 200
    assert reject["raw"]["body"] == body
    assert stat(crawl.log, "jobsift/failures") == 1


def test_truncated_xml_feed_becomes_a_reject(tmp_path: Path) -> None:
    outcome = crawl_routes(
        "personio",
        tmp_path,
        {"/xml": TRUNCATED_XML},
        args={"company": "kaffeekontor"},
        content_type="application/xml",
    ).outcome
    assert_ended_normally(outcome)
    assert len(outcome.items) == 1
    assert is_reject(outcome.items[0])
    assert outcome.items[0]["reason"].startswith("body is not well-formed XML")
    assert outcome.items[0]["raw"]["body"] == TRUNCATED_XML.read_text()
    assert stat(outcome.log, "jobsift/failures") == 1


def test_one_unmappable_entry_is_rejected_and_the_rest_come_through(tmp_path: Path) -> None:
    board = b'{"jobs": [{"title": "no id here"}, {"id": 7, "title": "Kept", "content": null}]}'
    outcome = crawl_board(Route(board), tmp_path).outcome
    assert_ended_normally(outcome)
    rejects = [i for i in outcome.items if is_reject(i)]
    postings = [i for i in outcome.items if not is_reject(i)]
    assert [p["title"] for p in postings] == ["Kept"]
    assert len(rejects) == 1
    assert rejects[0]["raw"] == {"title": "no id here"}
    assert rejects[0]["reason"] == "entry not mapped: KeyError: 'id'"
    assert stat(outcome.log, "jobsift/failures") == 1


# --- in-process: the failures list itself, and that it belongs to one spider ---

SETTINGS = {"JOBSIFT_FETCHED_AT": "2026-07-20T12:00:00+00:00"}


def spider_of(cls: type[JobsiftSpider], **args: str) -> JobsiftSpider:
    return cls.from_crawler(get_crawler(cls, SETTINGS), **args)


def board_response(body: bytes, content_type: str, status: int = 200) -> Response:
    url = "http://127.0.0.1/v1/boards/acme/jobs?content=true"
    cls = Response  # what Scrapy builds for a type it does not know as text
    if "html" in content_type:
        cls = HtmlResponse
    elif any(kind in content_type for kind in ("json", "xml", "text")):
        cls = TextResponse
    headers = {"Content-Type": content_type}
    return cls(url, status=status, body=body, headers=headers, request=Request(url))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(TRUNCATED_JSON.read_bytes(), "application/json", id="truncated-json"),
        pytest.param(ERROR_PAGE.read_bytes(), "text/html", id="html-error-page"),
        pytest.param(b'{"error": "board not found"}', "application/json", id="json-without-jobs"),
        pytest.param(b"\x89PNG\r\n", "application/octet-stream", id="binary"),
    ],
)
def test_parse_records_the_failure_on_its_spider(body: bytes, content_type: str) -> None:
    spider = spider_of(GreenhouseSpider, board="acme")
    untouched = spider_of(GreenhouseSpider, board="other")
    output = list(spider.parse(board_response(body, content_type)))
    assert len(output) == 1
    assert isinstance(output[0], Reject)
    assert output[0].source == "greenhouse"
    assert output[0].raw["body"] == body.decode("utf-8", errors="replace")
    assert len(spider.failures) == 1
    assert spider.failures[0].endswith("at http://127.0.0.1/v1/boards/acme/jobs?content=true")
    assert spider.crawler.stats.get_value("jobsift/failures") == 1
    assert untouched.failures == []
    assert untouched.crawler.stats.get_value("jobsift/failures") is None


def test_http_error_reaches_the_spiders_failures() -> None:
    spider = spider_of(GreenhouseSpider, board="acme")
    response = board_response(b"Too Many Requests", "text/plain", status=429)
    spider.on_error(Failure(HttpError(response, "Ignoring non-200 response")))
    assert spider.failures == ["HTTP 429 at http://127.0.0.1/v1/boards/acme/jobs?content=true"]


def test_an_exception_in_a_callback_is_a_failure_of_that_spider() -> None:
    spider = spider_of(PersonioSpider, company="acme")
    other = spider_of(PersonioSpider, company="other")
    response = board_response(b"<workzag-jobs/>", "application/xml")
    failure = Failure(TypeError("unexpected shape"))
    spider.crawler.signals.send_catch_log(
        signals.spider_error, failure=failure, response=response, spider=spider
    )
    assert spider.failures == [
        "TypeError while reading http://127.0.0.1/v1/boards/acme/jobs?content=true: "
        "unexpected shape"
    ]
    assert other.failures == []


def test_failed_detail_keeps_the_listed_posting() -> None:
    """A detail request that fails yields the posting as listed, after recording the failure."""
    spider = spider_of(GreenhouseSpider, board="acme", pay_transparency="true")
    listed = {"id": 7, "title": "Data Engineer", "content": "&lt;p&gt;Hi&lt;/p&gt;"}
    request = spider.detail_request(board_response(b"{}", "application/json"), listed)
    response = TextResponse(request.url, status=503, body=b"", request=request)
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = request  # as Scrapy sets it for errbacks
    output = list(request.errback(failure))
    assert [item["title"] for item in output] == ["Data Engineer"]
    assert output[0]["description"] == "<p>Hi</p>"
    assert spider.failures == [f"HTTP 503 at {request.url}"]


# --- damaged text is repaired, not rejected (crawlers/text.py, shared by spiders) ---


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        pytest.param("FlorianÃ³polis", "Florianópolis", id="latin1-read-utf8"),
        pytest.param("MÃ¼nchen, Ã–sterreich", "München, Österreich", id="umlauts"),
        pytest.param("customerâ€™s", "customer’s", id="cp1252-quote"),
        pytest.param("WrocÅ‚aw", "Wrocław", id="latin-extended"),
        pytest.param("Ã\xa0 la carte", "à la carte", id="nbsp-continuation"),
        pytest.param("ðŸš€ Launch", "🚀 Launch", id="emoji"),
        pytest.param("São Paulo â€“ FlorianÃ³polis", "São Paulo – Florianópolis", id="mixed"),
    ],
)
def test_mojibake_is_repaired(damaged: str, repaired: str) -> None:
    assert repair_mojibake(damaged) == repaired
    assert repair_mojibake(repaired) == repaired  # repairing twice changes nothing more


@pytest.mark.parametrize(
    "genuine",
    [
        pytest.param("Zürich", id="umlaut"),
        pytest.param("naïve café", id="french"),
        pytest.param("l’été\xa0»", id="nbsp-guillemet"),
        pytest.param("café…”", id="ellipsis-quote"),
        pytest.param("Gruß…", id="eszett-ellipsis"),
        pytest.param("Ã", id="lone-lead"),
        pytest.param("東京オフィス", id="japanese"),
        pytest.param("", id="empty"),
    ],
)
def test_genuine_text_is_left_alone(genuine: str) -> None:
    assert repair_mojibake(genuine) == genuine


@pytest.mark.parametrize(
    ("values", "joined"),
    [
        pytest.param(
            ["Berlin, Germany ", "berlin, germany", "", None], "Berlin, Germany", id="dedup"
        ),
        pytest.param(["Dubai", "UK", "Dubai"], "Dubai | UK", id="order-kept"),
        pytest.param(["KÃ¶ln", "Köln"], "Köln", id="repaired-then-deduplicated"),
        pytest.param([None, " "], None, id="nothing"),
    ],
)
def test_join_locations(values: list[str | None], joined: str | None) -> None:
    assert join_locations(values) == joined


def test_entities_are_unescaped_once() -> None:
    assert unescape_entities("CI&amp;T") == "CI&T"
    assert unescape_entities("&amp;lt;p&amp;gt;") == "&lt;p&gt;"
    assert unescape_entities(None) is None
