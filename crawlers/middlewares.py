"""Downloader middlewares: an identifying User-Agent; retries that honour Retry-After and never
retry a host that does not resolve; off-site requests dropped, off-site redirects failures.

Wired in `crawlers/settings.py` (DOWNLOADER_MIDDLEWARES), in place of Scrapy's own
UserAgentMiddleware, RetryMiddleware and OffsiteMiddleware.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.error import DNSLookupError
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from twisted.internet.interfaces import IReactorTime

logger = logging.getLogger(__name__)

# "(+https://contact)" in a User-Agent: where a site owner can reach the operator.
_CONTACT_PART = re.compile(r"\(\+[^)]*\)")
_PRODUCT = "jobsift"
# Without a Retry-After header a retry still waits: JOBSIFT_RETRY_BACKOFF * 2^(attempt-1).
DEFAULT_RETRY_BACKOFF = 1.0
DEFAULT_RETRY_AFTER_MAX = 120.0


def _version() -> str:
    try:
        return metadata.version(_PRODUCT)
    except metadata.PackageNotFoundError:  # running from a checkout that is not installed
        return "0.1"


def identifying_user_agent(settings: BaseSettings) -> str:
    """USER_AGENT, made to name jobsift and to carry the current JOBSIFT_CONTACT_URL.

    The settings module builds USER_AGENT from the contact URL once, at import; a contact URL
    changed later (`-s JOBSIFT_CONTACT_URL=...`, a sources file) must still reach the header.
    """
    agent = (settings.get("USER_AGENT") or "").strip()
    contact = (settings.get("JOBSIFT_CONTACT_URL") or "").strip()
    if _PRODUCT not in agent.lower():
        agent = f"{_PRODUCT}/{_version()} {agent}".strip()
    if contact:
        if _CONTACT_PART.search(agent):
            agent = _CONTACT_PART.sub(lambda _: f"(+{contact})", agent, count=1)
        else:
            agent = f"{agent} (+{contact})"
    return agent


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's UserAgentMiddleware with the User-Agent from `identifying_user_agent`."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        middleware = cls(identifying_user_agent(crawler.settings))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware


def retry_after_seconds(value: str | bytes | None, now: datetime) -> float | None:
    """The wait a Retry-After header asks for: delta-seconds or an HTTP date (RFC 9110 10.2.3).

    None when absent or unreadable; 0 for a date already past. `now` is aware UTC.
    """
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT by definition
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Retries RETRY_HTTP_CODES (429, 5xx…) like Scrapy, but first waits as the server asked.

    The wait is `Retry-After` (seconds or HTTP date) when given, else an exponential backoff
    from JOBSIFT_RETRY_BACKOFF; both capped by JOBSIFT_RETRY_AFTER_MAX. It is a timer on the
    reactor, so other requests go on meanwhile. When the retries are used up the last response
    goes on to the spider, whose errback records the failure for its source.
    """

    def __init__(self, settings: BaseSettings, clock: IReactorTime | None = None) -> None:
        super().__init__(settings)
        self.wait_max = max(
            0.0, settings.getfloat("JOBSIFT_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX)
        )
        self.backoff = max(0.0, settings.getfloat("JOBSIFT_RETRY_BACKOFF", DEFAULT_RETRY_BACKOFF))
        self._clock = clock  # tests pass a twisted.internet.task.Clock

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    def wait_for(self, response: Response, attempt: int, now: datetime) -> float:
        """Seconds to wait before retry number `attempt` (1-based) of this response's request."""
        asked = retry_after_seconds(response.headers.get(b"Retry-After"), now)
        wait = asked if asked is not None else self.backoff * 2 ** (attempt - 1)
        return min(wait, self.wait_max)

    def process_exception(
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        if is_dns_failure(exception):  # retrying a name that does not resolve only adds delays
            return None
        return super().process_exception(request, exception)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:  # retries used up: the spider's errback sees the error response
            return response
        wait = self.wait_for(response, retry.meta["retry_times"], datetime.now(UTC))
        if wait > 0:
            await self._sleep(wait, request, response)
        return retry

    async def _sleep(self, seconds: float, request: Request, response: Response) -> None:
        stats = self.crawler.stats
        stats.inc_value("jobsift/retry/waits")
        stats.inc_value("jobsift/retry/wait_seconds", seconds)
        logger.info(
            "Waiting %.1f s before retrying %s (HTTP %d, Retry-After: %s)",
            seconds,
            request.url,
            response.status,
            response.headers.get(b"Retry-After", b"-").decode("latin-1"),
        )
        clock = self._clock
        if clock is None:
            from twisted.internet import reactor  # the running one; never install one on import

            clock = reactor  # type: ignore[assignment]
        await maybe_deferred_to_future(deferLater(clock, seconds, _nothing))


def _nothing() -> Any:
    return None


def is_dns_failure(exception: BaseException) -> bool:
    return isinstance(exception, CannotResolveHostError | DNSLookupError)


class UnresolvedHostMiddleware:
    """Fails every further request to a host whose name did not resolve in this crawl, at once.

    Offline, a source otherwise waits its politeness delay (DOWNLOAD_DELAY) before each request
    only to fail the same lookup again. Placed after RobotsTxtMiddleware, so a page request
    waiting for its robots.txt sees that robots.txt's lookup failure.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.unresolved: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnresolvedHostMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        host = urlparse_cached(request).hostname or ""
        if host in self.unresolved:
            self.crawler.stats.inc_value("jobsift/dns/skipped")
            raise CannotResolveHostError(f"{host} did not resolve earlier in this crawl")

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        host = urlparse_cached(request).hostname or ""
        if is_dns_failure(exception) and host not in self.unresolved:
            self.unresolved[host] = str(exception)
            self.crawler.stats.inc_value("jobsift/dns/failed")


class SourceOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's OffsiteMiddleware (hosts from each spider's `allowed_domains`, which jobsift
    spiders take from their base URL), which also says what it dropped.

    A dropped request is counted (`offsite/filtered`) and logged; a dropped *redirect* means the
    source moved elsewhere, which is recorded as a failure of the source with the redirect chain.

    The answer is kept per host: a jobsift spider's `allowed_domains` is derived from its settings
    and arguments, which do not change while it runs, and Scrapy would derive it again (and match
    the host against it) twice per request.
    """

    def __init__(self, stats: Any) -> None:
        super().__init__(stats)
        self.hosts: dict[str, bool] = {}

    def should_follow(self, request: Request, spider: Any) -> bool:
        host = urlparse_cached(request).hostname or ""
        follow = self.hosts.get(host)
        if follow is None:
            follow = self.hosts[host] = super().should_follow(request, spider)
        return follow

    def process_request(self, request: Request, spider: Any = None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest:
            owner = self.crawler.spider
            chain = request.meta.get("redirect_urls") or []
            if chain and hasattr(owner, "record_failure"):
                allowed = ", ".join(getattr(owner, "allowed_domains", None) or [])
                owner.record_failure(
                    f"off-site redirect dropped: {' -> '.join([*chain, request.url])} "
                    f"(the source's hosts: {allowed})"
                )
            else:
                logger.warning("Dropped off-site request %s", request.url)
            raise
