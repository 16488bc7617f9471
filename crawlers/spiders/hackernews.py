"""Hacker News "Ask HN: Who is hiring?": the top-level comments of a thread, through Algolia's API.

Without `-a story=ID` the newest "Ask HN: Who is hiring?" story of the `whoishiring` account is
read. Comments come from `search_by_date?tags=comment,story_{ID}` paged until `nbPages`; Algolia
serves at most 1,000 hits per query, so a larger thread continues with a new query for the
comments at or before the oldest one seen (`numericFilters=created_at_i<=T`).

A comment is a posting when it is top-level, not deleted, at least `MIN_POSTING_CHARS` long and
its first line is a "|"-separated header of two or more parts ("Company | Role | Place | ...").
That header is split into company, title, location, remote markers, employment type and salary
text (`split_header`); the whole comment stays the description.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
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
# A longer header part is a sentence that happens to follow a "|", not a field.
MAX_HEADER_PART_CHARS = 100
DELETED_MARKERS = frozenset({"[deleted]", "[dead]", "[flagged]"})

_FIRST_LINE_END = re.compile(r"<p>|\n", re.IGNORECASE)
_URL = re.compile(
    r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)*\.(?!js$)[a-z]{2,}(?:/\S*)?$", re.I
)
_SALARY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?[kK]\b|\d\s?[A-Z]{3}\b|\b[A-Z]{3}\s?\d|(?i:\bsalary\b|\bcompensation\b)"
)
_VISA = re.compile(r"\bvisas?\b|\bsponsor", re.I)
# Words that make a header part a job title rather than a place ("Senior Engineer, Frontend").
_ROLE = re.compile(
    r"\b(?:engineer|engineering|developer|dev|programmer|scientist|designer|design|manager|lead"
    r"|head|director|architect|analyst|sre|devops|advocate|specialist|researcher|recruiter"
    r"|intern|founder|founding|cto|vp|consultant|administrator|writer|marketer|marketing|sales"
    r"|support|operations|product|data|role|position|technician|associate|coordinator"
    r"|representative|executive|officer|accountant|counsel|strategist|editor|qa|tester|swe|mle"
    r"|security|infrastructure|platform|backend|frontend|full[- ]?stack|mobile|ios|android)s?\b",
    re.I,
)
_EMPLOYMENT = re.compile(
    r"\b(?:full[- ]?time|part[- ]?time|contract(?:or)?|freelance|internship|permanent"
    r"|temporary|fixed[- ]term)\b",
    re.I,
)
_WORK_SETTING = re.compile(r"\b(?:remote|on[- ]?site|in[- ]office|in[- ]person|hybrid)\b", re.I)


@dataclass(frozen=True, slots=True)
class Header:
    """The fields of a "Company | Role | Location | Type | Salary" first line, as written."""

    company: str | None = None
    title: str | None = None
    location: str | None = None
    remote: str | None = None
    employment_type: str | None = None
    salary: str | None = None
    visa: str | None = None
    links: tuple[str, ...] = ()


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


def _kind(part: str) -> str:
    """What one header part holds; the order settles parts that match several kinds."""
    if _URL.match(part):
        return "link"
    if _SALARY.search(part):
        return "salary"
    if _VISA.search(part):
        return "visa"
    if _ROLE.search(part):
        return "title"
    if _EMPLOYMENT.search(part):
        return "employment"
    if _WORK_SETTING.search(part):
        return "place"
    return "other"


def _joined(values: list[str]) -> str | None:
    return " | ".join(values) or None


def split_header(header: str) -> Header:
    """Splits a "Company | Role | Location | Type | Salary" line into fields.

    The first part is the company. Parts with role words are the title (several roles are
    joined with " | "); without any, the first unclassified part is. Remaining unclassified parts
    and REMOTE/ONSITE/HYBRID parts are the location; the marker words themselves are `remote`.
    """
    parts = [p.strip() for p in header.split("|") if p.strip()]
    if not parts:
        return Header()
    classified = [(p, _kind(p)) for p in parts[1:] if len(p) <= MAX_HEADER_PART_CHARS]
    titles = [p for p, kind in classified if kind == "title"]
    others = [p for p, kind in classified if kind == "other"]
    if not titles:
        titles, others = others[:1], others[1:]
    places = [p for p, kind in classified if kind == "place" or (kind == "other" and p in others)]
    markers: dict[str, str] = {}
    for place in places:
        for match in _WORK_SETTING.finditer(place):
            markers.setdefault(match.group(0).casefold(), match.group(0))

    def of_kind(wanted: str) -> list[str]:
        return [p for p, kind in classified if kind == wanted]

    return Header(
        company=parts[0],
        title=_joined(titles),
        location=_joined(places),
        remote=_joined(list(markers.values())),
        employment_type=_joined(of_kind("employment")),
        salary=_joined(of_kind("salary")),
        visa=_joined(of_kind("visa")),
        links=tuple(of_kind("link")),
    )


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
        header = split_header(header_line(hit["comment_text"]))
        extra = {"author": hit.get("author"), "visa": header.visa, "links": list(header.links)}
        return self.posting(
            source_id=object_id,
            url=f"https://news.ycombinator.com/item?id={object_id}",
            title=header.title,
            company=header.company,
            location=header.location,
            description=hit["comment_text"],
            posted=hit.get("created_at") or hit.get("created_at_i"),
            salary=header.salary,
            employment_type=header.employment_type,
            remote=header.remote,
            story_id=story,
            **{k: v for k, v in extra.items() if v},
        )
