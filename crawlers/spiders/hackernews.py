"""Hacker News "Ask HN: Who is hiring?": the top-level comments of a thread, through Algolia's API.

Without `-a story=ID` the newest "Ask HN: Who is hiring?" story of the `whoishiring` account is
read. Comments come from `search_by_date?tags=comment,story_{ID}` paged until `nbPages`; Algolia
serves at most 1,000 hits per query, so a larger thread continues with a new query for the
comments at or before the oldest one seen (`numericFilters=created_at_i<=T`).

A comment is a posting when it is top-level, not deleted, at least `MIN_POSTING_CHARS` long and
its first line is a "|"-separated header of two or more parts ("Company | Role | Place | ...").
The comment is passed as given: its text is the description, and the normalizer reads the
header (`jobsift.pipelines.text_header`) like any "A | B | C" first line, so `jobsift crawl` and
`jobsift normalize` read a comment the same way. Hacker News has no title, company, location or
salary fields, so the raw posting has none either.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

from jobsift.crawlers.base import JobsiftSpider
from jobsift.schemas import Reject
from scrapy.http import Request, Response
from w3lib.html import remove_tags

HITS_PER_PAGE = 500
STORY_TITLE = "Ask HN: Who is hiring?"
# Shorter plain text is a one-liner ("Same | here"), not a job.
MIN_POSTING_CHARS = 40
DELETED_MARKERS = frozenset({"[deleted]", "[dead]", "[flagged]"})

_FIRST_LINE_END = re.compile(r"<p>|\n", re.IGNORECASE)


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(remove_tags(fragment)).split())


def header_line(comment_html: str) -> str:
    """The comment's first line as plain text (HN paragraphs are bare `<p>` markers)."""
    return _plain(_FIRST_LINE_END.split(comment_html, maxsplit=1)[0])


def header_parts(comment_html: str | None) -> list[str]:
    return [part.strip() for part in header_line(comment_html or "").split("|") if part.strip()]


def is_posting(hit: dict[str, Any], story_id: str) -> bool:
    """Top-level, not deleted, long enough, and headed by at least "Company | something"."""
    text = hit.get("comment_text")
    if str(hit.get("parent_id")) != str(story_id) or not isinstance(text, str):
        return False
    plain = _plain(text)
    if plain in DELETED_MARKERS or len(plain) < MIN_POSTING_CHARS:
        return False
    return len(header_parts(text)) >= 2


def newest_hiring_story(hits: list[Any]) -> str | None:
    """The objectID of the newest story titled "Ask HN: Who is hiring? (...)"."""
    stories = [
        hit
        for hit in hits
        if isinstance(hit, dict)
        and str(hit.get("title") or "").casefold().startswith(STORY_TITLE.casefold())
        and hit.get("objectID")
    ]
    if not stories:
        return None
    newest = max(stories, key=lambda h: (h.get("created_at_i") or 0, h.get("created_at") or ""))
    return str(newest["objectID"])


class HackernewsSpider(JobsiftSpider):
    name = "hackernews"
    default_base_url = "https://hn.algolia.com"

    def __init__(self, *args: Any, story: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if story is not None and not str(story).strip().isdigit():
            raise ValueError(f"hackernews: story must be a numeric item id, got {story!r}")
        self.story = str(story).strip() if story is not None else None
        self.seen: set[str] = set()  # objectIDs already emitted (windows overlap by one second)

    async def start(self) -> AsyncIterator[Request]:
        if self.story:
            yield self.comments_request(self.story)
            return
        query = quote("who is hiring")
        url = self.endpoint(
            f"/api/v1/search_by_date?tags=story,author_whoishiring&query={query}&hitsPerPage=20"
        )
        yield self.get(url, self.parse_stories)

    def parse_stories(self, response: Response) -> Iterator[Request | Reject]:
        body = next(self.parse_json(response))
        if isinstance(body, Reject):
            yield body
            return
        hits = body.get("hits") if isinstance(body, dict) else None
        story = newest_hiring_story(hits) if isinstance(hits, list) else None
        if story is None:
            self.record_failure(f'no "{STORY_TITLE}" story found at {response.url}')
            return
        self.logger.info("hackernews: reading story %s", story)
        yield self.comments_request(story)

    def comments_request(
        self, story: str, page: int = 0, before: int | None = None, oldest: int | None = None
    ) -> Request:
        path = f"/api/v1/search_by_date?tags=comment,story_{story}&hitsPerPage={HITS_PER_PAGE}"
        path += f"&page={page}"
        if before is not None:
            path += "&numericFilters=" + quote(f"created_at_i<={before}")
        kwargs = {"story": story, "page": page, "before": before, "oldest": oldest}
        return self.get(self.endpoint(path), self.parse_comments, cb_kwargs=kwargs)

    def parse_comments(
        self,
        response: Response,
        story: str,
        page: int = 0,
        before: int | None = None,
        oldest: int | None = None,
    ) -> Iterator[dict[str, Any] | Request | Reject]:
        body = next(self.parse_json(response))
        if isinstance(body, Reject):
            yield body
            return
        hits = body.get("hits") if isinstance(body, dict) else None
        if not isinstance(hits, list):
            yield self.reject(response, "expected an Algolia search object with a `hits` array")
            return
        for hit in hits:
            if not isinstance(hit, dict):
                continue
            created = hit.get("created_at_i")
            if isinstance(created, int) and (oldest is None or created < oldest):
                oldest = created
            object_id = str(hit.get("objectID") or "")
            if object_id and object_id not in self.seen and is_posting(hit, story):
                self.seen.add(object_id)
                yield self.job(hit, story)
        yield from self.next_request(body, story, page, before, oldest)

    def next_request(
        self, body: dict[str, Any], story: str, page: int, before: int | None, oldest: int | None
    ) -> Iterator[Request]:
        pages, per_page, total = body.get("nbPages"), body.get("hitsPerPage"), body.get("nbHits")
        if not isinstance(pages, int):
            return  # no paging information: this response is all there is
        if page + 1 < pages and body.get("hits"):
            yield self.comments_request(story, page + 1, before, oldest)
            return
        # The query hit Algolia's cap: ask for what is at or before the oldest comment seen.
        capped = isinstance(per_page, int) and isinstance(total, int) and total > pages * per_page
        progressed = oldest is not None and (before is None or oldest < before)
        if capped and progressed:
            yield self.comments_request(story, 0, before=oldest)

    def job(self, hit: dict[str, Any], story: str) -> dict[str, Any]:
        object_id = str(hit["objectID"])
        return self.posting(
            source_id=object_id,
            url=f"https://news.ycombinator.com/item?id={object_id}",
            description=hit["comment_text"],
            posted=hit.get("created_at") or hit.get("created_at_i"),
            story_id=story,
            **({"author": hit["author"]} if hit.get("author") else {}),
        )
