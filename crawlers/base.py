"""What every jobsift spider shares: its base URL setting, raw-posting stamping, failure records."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import lxml.etree
import scrapy
from jobsift.schemas import Reject
from parsel import Selector
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings, Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

REJECT_PAYLOAD_CHARS = 20_000
# Request meta key of `get(..., fallback=...)`: what to yield when the request fails.
FALLBACK_META = "jobsift_fallback"
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}

# Response meta key: invalid UTF-8 sequences replaced when the JSON body was decoded.
DECODE_META = "jobsift_decode_replacements"

# An XML parser that never fetches anything and never guesses: a truncated feed is an error.
_XML_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _meta(response: Response) -> dict[str, Any]:
    """The request meta of a response, or a throwaway dict for a response built without one."""
    return response.meta if response.request is not None else {}


def min_interval(spider_cls: type[scrapy.Spider], settings: BaseSettings | dict[str, Any]) -> float:
    """Seconds that must pass between two runs of this source (`JOBSIFT_MIN_INTERVAL`, 0 = none).

    Resolved the way Scrapy resolves the crawl's own settings: the spider's `custom_settings`
    override the project's, and a value set on the command line or per source overrides both.
    """
    merged = settings.copy() if isinstance(settings, BaseSettings) else Settings(settings)
    merged.frozen = False  # a copy of a running crawler's settings comes out frozen too
    spider_cls.update_settings(merged)
    try:
        return max(0.0, merged.getfloat("JOBSIFT_MIN_INTERVAL", 0.0))
    except ValueError:
        return 0.0


def body_text(response: Response) -> str:
    """The body as text, also when Scrapy did not recognise it as text (wrong Content-Type)."""
    if isinstance(response, TextResponse):
        return response.text
    return response.body.decode("utf-8", errors="replace")


def json_text(body: bytes) -> tuple[str, int]:
    """A JSON body as text and how many invalid UTF-8 sequences were replaced by U+FFFD.

    JSON exchanged between systems is UTF-8 (RFC 8259 section 8.1), whatever a Content-Type
    says: one bad byte costs one character, never a guess of a legacy charset for the whole body.
    """
    text = body.decode("utf-8-sig", errors="replace")
    replaced = text.count("\ufffd") - body.count("\ufffd".encode())
    return text, replaced


def url_hosts(urls: Iterable[str]) -> list[str]:
    """The host names of the absolute http(s) URLs among `urls` (comma-separated lists too)."""
    hosts: list[str] = []
    for value in urls:
        for url in str(value).split(","):
            parts = urlsplit(url.strip())
            if parts.scheme in ("http", "https") and parts.hostname and parts.hostname not in hosts:
                hosts.append(parts.hostname)
    return hosts


def template_host(base_url: str, fields: dict[str, str]) -> str | None:
    """The host of a base URL; of a template (`https://{company}.x.io`), filled from `fields`, or
    else the part of the host after the template (`x.io`, whose subdomains are then allowed)."""
    try:
        return urlsplit(base_url.format(**fields)).hostname
    except (KeyError, IndexError, ValueError):
        netloc = base_url.split("://", 1)[-1].split("/", 1)[0]
        return netloc.rsplit("}", 1)[-1].lstrip(".").split(":", 1)[0] or None


class JobsiftSpider(scrapy.Spider):
    """Base of every source spider.

    `base_url` comes from the setting `JOBSIFT_<NAME>_URL` (so tests and benchmarks can point a
    spider at 127.0.0.1), defaulting to the source's real scheme and host. It may be a template
    with `{company}`-style fields for hosts that carry the company.

    `required_args` names the `-a` arguments a spider cannot start without; a missing one stops
    the spider at construction with a message saying what to pass.

    `complete_listing`: it lists its whole source, so a finished run closes what it did not see
    (storage/history.py); `mark_partial` when a cap or limit cut a run short.
    """

    default_base_url: ClassVar[str] = ""
    required_args: ClassVar[tuple[str, ...]] = ()
    complete_listing: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures: list[str] = []
        self.partial: list[str] = []  # why this run did not list the whole source
        # The `-a` arguments as given, recorded in `crawl_runs.args`.
        self.spider_args: dict[str, str] = {k: str(v) for k, v in kwargs.items()}
        self._callbacks: dict[Any, Callable[..., Any]] = {}  # see `get`
        missing = [arg for arg in self.required_args if not str(getattr(self, arg, "")).strip()]
        if missing:
            usage = " ".join(f"-a {arg}=..." for arg in missing)
            raise ValueError(f"spider {self.name!r} needs {usage}")

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # The per-source deadline is Scrapy's CLOSESPIDER_TIMEOUT, unless that is set itself.
        timeout = settings.getfloat("JOBSIFT_SOURCE_TIMEOUT", 0)
        if timeout > 0 and not settings.getfloat("CLOSESPIDER_TIMEOUT", 0):
            priority = settings.getpriority("JOBSIFT_SOURCE_TIMEOUT") or 0
            settings.set("CLOSESPIDER_TIMEOUT", timeout, priority=priority)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> JobsiftSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # An exception inside a callback (a source changed its shape) is this source's failure.
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider._on_request_dropped, signal=signals.request_dropped)
        return spider

    @property
    def allowed_domains(self) -> list[str]:
        """The hosts this source may be crawled on (Scrapy's OffsiteMiddleware reads them).

        The host of the base URL (`JOBSIFT_<NAME>_URL`); for a spider without one, the hosts of
        the URLs it was started with. Subdomains of these hosts are allowed too.
        """
        settings = getattr(self, "settings", None)  # set once the spider has its crawler
        configured = settings.get(f"JOBSIFT_{self.name.upper()}_URL") if settings else None
        if configured or self.default_base_url:
            host = template_host(configured or self.default_base_url, self.spider_args)
            return [host] if host else []
        starts = [getattr(self, attr, None) for attr in ("start_url", "page_urls", "sitemap_urls")]
        urls = [u for s in starts if s for u in ([s] if isinstance(s, str) else s)]
        return url_hosts([*urls, *self.spider_args.values()])

    @property
    def base_url(self) -> str:
        configured = self.settings.get(f"JOBSIFT_{self.name.upper()}_URL")
        return (configured or self.default_base_url).rstrip("/")

    def endpoint(self, path: str, **fields: str) -> str:
        """The base URL (template fields filled) joined with the source's real path."""
        return self.base_url.format(**fields) + path.format(**fields)

    def get(
        self,
        url: str,
        callback: Callable[..., Any],
        fallback: Callable[[], Iterable[Any]] | None = None,
        **kwargs: Any,
    ) -> Request:
        """A request whose failures are recorded for this source instead of only logged.

        `fallback` produces what to yield instead when the request fails (e.g. the posting as
        the listing gave it when its detail page cannot be had); the failure is recorded too.
        """
        # One object per method: Scrapy caches its check of a callback's source by weak reference,
        # which a new bound method per request misses (parsing it again: ~14% of a re-crawl's CPU).
        if getattr(callback, "__self__", None) is self:
            callback = self._callbacks.setdefault(callback.__func__, callback)  # type: ignore[attr-defined]
        if fallback is None:
            return Request(url, callback=callback, errback=self.on_error, **kwargs)
        meta = {**kwargs.pop("meta", {}), FALLBACK_META: fallback}
        return Request(
            url, callback=callback, errback=self._on_error_with_fallback, meta=meta, **kwargs
        )

    def post_json(
        self, url: str, callback: Callable[..., Any], payload: Any, **kwargs: Any
    ) -> Request:
        """A POST of `payload` as JSON (search APIs), its failures recorded as `get`'s are."""
        headers = {**JSON_HEADERS, **kwargs.pop("headers", {})}
        body = json.dumps(payload, separators=(",", ":"))
        return self.get(url, callback, method="POST", body=body, headers=headers, **kwargs)

    def fetched_at(self) -> str:
        fixed = self.settings.get("JOBSIFT_FETCHED_AT")  # lets tests freeze "now"
        return fixed or datetime.now(UTC).isoformat()

    def posting(self, response: Response | None = None, **fields: Any) -> dict[str, Any]:
        """A raw posting (docs/raw-postings.md) of this source, stamped with when it was fetched.

        A posting read from a JSON body with invalid UTF-8 carries `decode_replacements` (how many
        sequences of that body became U+FFFD), kept in the raw posting for provenance.
        """
        raw = {"source": self.name, **fields, "fetched_at": self.fetched_at()}
        if response is not None:
            raw.setdefault("url", response.url)
            replaced = _meta(response).get(DECODE_META)
            if replaced:
                raw["decode_replacements"] = replaced
        return raw

    def mark_partial(self, reason: str) -> None:
        """This run saw only part of the source: it closes nothing by absence."""
        self.partial.append(reason)

    def record_failure(self, message: str) -> None:
        self.failures.append(message)
        self.logger.error("%s: %s", self.name, message)
        if self.crawler is not None:
            self.crawler.stats.inc_value("jobsift/failures")

    def reject(self, response: Response, reason: str, raw: Any = None) -> Reject:
        """Records a body (or an entry of one) that could not be read: a failure, kept as a reject.

        `raw` is what to keep; by default the response's status, content type and body.
        """
        self.record_failure(f"{reason} at {response.url}")
        return self.page_reject(response, reason, raw)

    def page_reject(self, response: Response, reason: str, raw: Any = None) -> Reject:
        """A Reject like `reject`'s that is not a failure of the source: one malformed page of a
        site that otherwise answers."""
        if raw is None:
            raw = {
                "status": response.status,
                "content_type": response.headers.get(b"Content-Type", b"").decode(errors="replace"),
                "body": body_text(response)[:REJECT_PAYLOAD_CHARS],
            }
        return Reject(source=self.name, url=response.url, reason=reason, raw=raw)

    def parse_json(self, response: Response) -> Iterator[Any]:
        """Yields the decoded body, or a Reject when the body is not JSON (truncated, HTML…).

        The body is read as UTF-8 (`json_text`); replaced bytes are a failure of the source,
        counted in the stats (`jobsift/decode/replacements`) and marked on the postings of this
        response (`decode_replacements`), which are kept.
        """
        text, replaced = json_text(response.body)
        try:
            body = json.loads(text)
        except ValueError as exc:  # the reason to give; a bad byte in it is part of that
            kind = response.headers.get(b"Content-Type", b"").decode(errors="replace")
            yield self.reject(response, f"body is not valid JSON ({kind or 'no type'}): {exc}")
            return
        if replaced:
            # The postings are kept (each bad sequence costs one character), but the source did
            # not send what it should: a failure of the run, with the reason.
            self.record_failure(
                f"invalid UTF-8 in a JSON body: {replaced} byte sequence(s) replaced by U+FFFD "
                f"at {response.url}"
            )
            if self.crawler is not None:
                self.crawler.stats.inc_value("jobsift/decode/replacements", replaced)
                self.crawler.stats.inc_value("jobsift/decode/responses")
            meta = _meta(response)
            meta[DECODE_META] = meta.get(DECODE_META, 0) + replaced
        yield body

    def parse_xml(self, response: Response) -> Iterator[Selector | Reject]:
        """Yields the body as an XML Selector, or a Reject when it is not well-formed XML.

        Parsed strictly (no recovery), so a truncated feed is reported instead of read in part.
        """
        try:
            root = lxml.etree.fromstring(response.body, parser=_XML_PARSER)
        except lxml.etree.XMLSyntaxError as exc:
            kind = response.headers.get(b"Content-Type", b"").decode(errors="replace")
            yield self.reject(response, f"body is not well-formed XML ({kind or 'no type'}): {exc}")
            return
        yield Selector(root=root, type="xml")

    def json_page(
        self, response: Response, key: str | None = None
    ) -> tuple[Any, list[Any]] | Reject:
        """The decoded body and its entries (the body itself when `key` is None, else its `key`
        list), or a Reject when the body is not JSON or has no such list."""
        body = next(self.parse_json(response))
        if isinstance(body, Reject):
            return body
        entries = body if key is None else (body.get(key) if isinstance(body, dict) else None)
        if not isinstance(entries, list):
            wanted = "a JSON array" if key is None else f"a JSON object with a {key!r} list"
            return self.reject(response, f"expected {wanted}, got {type(body).__name__}")
        return body, entries

    def json_entries(self, response: Response, key: str | None = None) -> list[Any] | Reject:
        """The entries of a JSON body: the body itself (`key` None) or its `key` list; else a Reject."""
        page = self.json_page(response, key)
        return page if isinstance(page, Reject) else page[1]

    def json_object(self, response: Response) -> dict[str, Any] | Reject:
        """A JSON body that must be one object (a detail endpoint's answer); else a Reject."""
        body = next(self.parse_json(response))
        if isinstance(body, Reject | dict):
            return body
        return self.reject(response, f"expected a JSON object, got {type(body).__name__}")

    def postings_from_json(
        self, response: Response, key: str | None, build: Callable[[Any], dict[str, Any] | None]
    ) -> Iterator[dict[str, Any] | Reject]:
        """The common case: one JSON body holding the list of jobs, each mapped by `build`."""
        entries = self.json_entries(response, key)
        if isinstance(entries, Reject):
            yield entries
            return
        yield from self.each_posting(response, entries, build)

    def each_posting(
        self,
        response: Response,
        entries: Iterable[Any],
        build: Callable[[Any], dict[str, Any] | None],
    ) -> Iterator[dict[str, Any] | Reject]:
        """`build(entry)` for every entry; an entry it cannot map becomes a Reject, not a crash.

        `build` may return None for an entry that is not a posting (a notice, a header row).
        """
        for entry in entries:
            try:
                posting = build(entry)
            except Exception as exc:  # one odd entry must not cost the rest of the board
                reason = f"entry not mapped: {type(exc).__name__}: {exc}"
                raw = entry.get() if isinstance(entry, Selector) else entry  # XML kept as text
                yield self.reject(response, reason, raw=raw)
                continue
            if posting is not None:
                yield posting

    def on_error(self, failure: Failure) -> None:
        if failure.check(HttpError):
            response = failure.value.response
            self.record_failure(f"HTTP {response.status} at {response.url}")
        else:
            request = getattr(failure, "request", None)
            where = f" at {request.url}" if request is not None else ""
            self.record_failure(f"{failure.type.__name__}: {failure.getErrorMessage()}{where}")

    def _on_error_with_fallback(self, failure: Failure) -> Iterable[Any]:
        self.on_error(failure)
        request = getattr(failure, "request", None)
        fallback = request.meta.get(FALLBACK_META) if request is not None else None
        return fallback() if fallback is not None else ()

    def closed(self, reason: str) -> None:
        """Runs before the loader records the run, so what is found here is in its failures."""
        if reason == "closespider_timeout":
            limit = self.settings.getfloat("CLOSESPIDER_TIMEOUT")
            self.record_failure(f"deadline: the source did not finish within {limit:g} s")

    def _on_request_dropped(self, request: Request, spider: scrapy.Spider) -> None:
        """A redirect to an address already requested is dropped by Scrapy's duplicate filter,
        which would make the source look finished with nothing; it is a failure here."""
        if spider is not self:
            return
        chain = request.meta.get("redirect_urls") or []
        if not chain:
            return
        kind = (
            "redirect loop" if request.url in chain else "redirect to an address already requested"
        )
        self.record_failure(f"{kind}: {' -> '.join([*chain, request.url])}")

    def _on_spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        if spider is self:
            self.record_failure(
                f"{failure.type.__name__} while reading {response.url}: {failure.getErrorMessage()}"
            )


class JsonListSpider(JobsiftSpider):
    """A source whose jobs come in one JSON document: GET `list_path` (its `{fields}` filled
    from the required arguments), read the body itself (`entries_key` None) or its
    `entries_key` list, and map each entry with `job(response, entry)`: all a spider writes."""

    list_path: ClassVar[str] = "/"
    entries_key: ClassVar[str | None] = None

    async def start(self) -> AsyncIterator[Request]:
        fields = {arg: str(getattr(self, arg)) for arg in self.required_args}
        yield self.get(self.endpoint(self.list_path, **fields), self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield from self.postings_from_json(
            response, self.entries_key, lambda entry: self.job(response, entry)
        )

    def job(self, response: Response, entry: Any) -> dict[str, Any] | None:
        raise NotImplementedError(f"{type(self).__name__}.job maps one entry to a raw posting")
