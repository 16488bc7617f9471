"""What every jobsift spider shares: its base URL setting, raw-posting stamping, failure records."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from pipelines.draft import Reject

# How much of a broken body a reject keeps: enough to see what went wrong, bounded.
REJECT_PAYLOAD_CHARS = 20_000


class JobsiftSpider(scrapy.Spider):
    """Base of every source spider.

    `base_url` comes from the setting `JOBSIFT_<NAME>_URL` (so tests and benchmarks can point a
    spider at 127.0.0.1), defaulting to the source's real scheme and host. It may be a template
    with `{company}`-style fields for hosts that carry the company.
    """

    default_base_url: ClassVar[str] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures: list[str] = []

    @property
    def base_url(self) -> str:
        configured = self.settings.get(f"JOBSIFT_{self.name.upper()}_URL")
        return (configured or self.default_base_url).rstrip("/")

    def endpoint(self, path: str, **fields: str) -> str:
        """The base URL (template fields filled) joined with the source's real path."""
        return self.base_url.format(**fields) + path.format(**fields)

    def get(self, url: str, callback: Callable[..., Any], **kwargs: Any) -> Request:
        """A request whose failures are recorded for this source instead of only logged."""
        return Request(url, callback=callback, errback=self.on_error, **kwargs)

    def fetched_at(self) -> str:
        fixed = self.settings.get("JOBSIFT_FETCHED_AT")  # lets tests freeze "now"
        return fixed or datetime.now(UTC).isoformat()

    def posting(self, response: Response | None = None, **fields: Any) -> dict[str, Any]:
        """A raw posting (SPEC section 4) of this source, stamped with when it was fetched."""
        raw = {"source": self.name, **fields, "fetched_at": self.fetched_at()}
        if response is not None:
            raw.setdefault("url", response.url)
        return raw

    def record_failure(self, message: str) -> None:
        self.failures.append(message)
        self.logger.error("%s: %s", self.name, message)
        if self.crawler is not None:
            self.crawler.stats.inc_value("jobsift/failures")

    def reject(self, response: Response, reason: str) -> Reject:
        """Records a body that could not be read as a failure and keeps it as a reject."""
        self.record_failure(f"{reason} at {response.url}")
        return Reject(
            source=self.name,
            url=response.url,
            reason=reason,
            raw={"status": response.status, "body": response.text[:REJECT_PAYLOAD_CHARS]}
            if hasattr(response, "text")
            else {"status": response.status},
        )

    def parse_json(self, response: Response) -> Iterator[Any]:
        """Yields the decoded body, or a Reject when the body is not JSON (truncated, HTML…)."""
        try:
            yield json.loads(response.text)
        except (ValueError, AttributeError) as exc:
            kind = response.headers.get(b"Content-Type", b"").decode(errors="replace")
            yield self.reject(response, f"body is not valid JSON ({kind or 'no type'}): {exc}")

    def on_error(self, failure: Failure) -> None:
        if failure.check(HttpError):
            response = failure.value.response
            self.record_failure(f"HTTP {response.status} at {response.url}")
        else:
            request = getattr(failure, "request", None)
            where = f" at {request.url}" if request is not None else ""
            self.record_failure(f"{failure.type.__name__}: {failure.getErrorMessage()}{where}")
