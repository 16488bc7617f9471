"""The spiders' shared helpers: JSON bodies, POST requests, rejects, flags passed as given."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jobsift.crawlers.base import JobsiftSpider
from jobsift.crawlers.text import collapse, flags_as_given
from jobsift.schemas import Reject
from scrapy.utils.test import get_crawler

from tests.support.parse import response_for


class ExampleSpider(JobsiftSpider):
    name = "example"
    default_base_url = "https://api.example.org"


@pytest.fixture
def spider() -> ExampleSpider:
    crawler = get_crawler(ExampleSpider)
    instance = ExampleSpider.from_crawler(crawler)
    crawler.spider = instance
    return instance


def body(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@pytest.mark.parametrize(
    ("given", "key", "entries"),
    [
        pytest.param([{"id": 1}], None, [{"id": 1}], id="bare-array"),
        pytest.param({"jobs": [{"id": 1}], "total": 1}, "jobs", [{"id": 1}], id="under-a-key"),
        pytest.param({"jobs": []}, "jobs", [], id="empty-list"),
    ],
)
def test_json_page_gives_body_and_entries(
    spider: ExampleSpider, given: Any, key: str | None, entries: list[Any]
) -> None:
    page = spider.json_page(response_for("https://api.example.org/x", body(given)), key)
    assert page == (given, entries)
    assert spider.failures == []


@pytest.mark.parametrize(
    ("given", "key", "reason"),
    [
        pytest.param(
            {"jobs": "none"}, "jobs", "expected a JSON object with a 'jobs' list", id="str"
        ),
        pytest.param([1], "jobs", "expected a JSON object with a 'jobs' list", id="array"),
        pytest.param({"a": 1}, None, "expected a JSON array, got dict", id="object"),
        pytest.param('{"jobs": [', "jobs", "body is not valid JSON", id="truncated"),
    ],
)
def test_json_page_rejects_other_shapes(
    spider: ExampleSpider, given: Any, key: str | None, reason: str
) -> None:
    page = spider.json_page(response_for("https://api.example.org/x", body(given)), key)
    assert isinstance(page, Reject) and page.reason.startswith(reason)
    assert len(spider.failures) == 1


@pytest.mark.parametrize(
    ("given", "ok"),
    [
        pytest.param({"id": 1}, True, id="object"),
        pytest.param([{"id": 1}], False, id="array"),
        pytest.param("<html>", False, id="html"),
    ],
)
def test_json_object(spider: ExampleSpider, given: Any, ok: bool) -> None:
    found = spider.json_object(response_for("https://api.example.org/x", body(given)))
    assert (found == given) if ok else isinstance(found, Reject)


def test_post_json_sends_the_payload_and_records_failures(spider: ExampleSpider) -> None:
    request = spider.post_json(
        "https://api.example.org/search", spider.parse, {"q": "python", "page": 2}
    )
    assert request.method == "POST"
    assert json.loads(request.body) == {"q": "python", "page": 2}
    assert request.headers[b"Content-Type"] == b"application/json"
    assert request.errback == spider.on_error


def test_page_reject_is_not_a_failure_of_the_source(spider: ExampleSpider) -> None:
    response = response_for("https://site.example/jobs/x/", "<html></html>", "text/html")
    reject = spider.page_reject(response, "role page has no title")
    assert reject.url == "https://site.example/jobs/x/" and reject.raw["status"] == 200
    assert spider.failures == []


@pytest.mark.parametrize(
    ("source", "keys", "expected"),
    [
        pytest.param(
            {"remote": False, "hybrid": True, "on_site": False, "city": "Berlin"},
            ("remote", "hybrid", "on_site"),
            '{"remote":false,"hybrid":true,"on_site":false}',
            id="all-three",
        ),
        pytest.param({"hybrid": True}, ("remote", "hybrid"), '{"hybrid":true}', id="one-given"),
        pytest.param({"city": "Berlin"}, ("remote", "hybrid"), None, id="none-given"),
        pytest.param({"remote": None}, ("remote",), '{"remote":null}', id="null-as-given"),
    ],
)
def test_flags_pass_as_given(source: dict[str, Any], keys: tuple[str, ...], expected: str) -> None:
    assert flags_as_given(source, keys) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("  Senior\n\tEngineer\u00a0 ", "Senior Engineer"), ("", ""), ("one", "one")],
)
def test_collapse(text: str, expected: str) -> None:
    assert collapse(text) == expected
