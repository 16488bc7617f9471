"""Finding the ATS board behind a careers page, job page or apply link, and writing its source.

`jobsift discover` uses these: the URL itself first (pipelines/discovery/urls.py knows every
supported ATS's URL shapes); otherwise the page is fetched once and its embedded board scripts,
iframes and links are read (pipelines/discovery/pages.py).
"""

from __future__ import annotations

import re
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from jobsift.crawlers import settings
from jobsift.pipelines.discovery.pages import boards_in_page
from jobsift.pipelines.discovery.urls import Board, board_of_url
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

# A careers page bigger than this is not read further (the board scripts are near the top).
PAGE_LIMIT = 5_000_000
FETCH_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class Finding:
    """What one URL turned out to be: a board (and how it was found), or why not."""

    url: str
    board: Board | None
    how: str  # "url", "page", or the reason nothing was found


def spider_names() -> set[str]:
    return set(SpiderLoader.from_settings(get_project_settings()).list())


def _fetch(url: str, timeout: float) -> tuple[str, str]:
    """The page's final URL and text (decoded as the server says, else UTF-8)."""
    request = urllib.request.Request(url, headers={"User-Agent": settings.USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read(PAGE_LIMIT)
        charset = response.headers.get_content_charset() or "utf-8"
        return response.geturl(), body.decode(charset, errors="replace")


def find_board(url: str, timeout: float = FETCH_TIMEOUT) -> Finding:
    """The board a URL names, or the one its page embeds or links to most."""
    board = board_of_url(url)
    if board is not None:
        return Finding(url, board, "url")
    if not re.match(r"https?://", url, re.IGNORECASE):
        return Finding(url, None, "unknown: not an http(s) URL of a supported ATS")
    try:
        final_url, html = _fetch(url, timeout)
    except urllib.error.HTTPError as exc:
        return Finding(url, None, f"could not fetch the page: HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return Finding(url, None, f"could not fetch the page: {reason}")
    board = board_of_url(final_url)  # a redirect to the board itself
    if board is not None:
        return Finding(url, board, "redirect")
    found = boards_in_page(html, final_url)
    if found:
        return Finding(url, found[0], "page")
    return Finding(url, None, "unknown: no supported ATS board in the URL or the page")


def source_name(board: Board) -> str:
    """A name for the board's source: the spider and the token, lower case, dashes."""
    token = board.token
    if board.ats == "workday":  # tenant/shard/site: tenant and site say enough
        parts = token.split("/")
        token = f"{parts[0]}-{parts[-1]}"
    return f"{board.spider or board.ats}-" + re.sub(r"[^a-z0-9]+", "-", token.lower()).strip("-")


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def source_entry(board: Board, name: str, origin: str) -> str:
    """The sources-file table for a board, with a comment saying where it was found."""
    args = ", ".join(f"{key} = {_toml_string(value)}" for key, value in board.args)
    return (
        f"# {board.ats} board {board.token!r}, found from {origin}\n"
        f"[sources.{name}]\n"
        f"spider = {_toml_string(board.spider or '')}\n"
        f"args = {{ {args} }}\n"
    )


ConfiguredKey = tuple[str, tuple[tuple[str, str], ...]]


def source_key(spider: str, args: dict[str, str] | tuple[tuple[str, str], ...]) -> ConfiguredKey:
    """What makes two sources crawl the same board: the spider and its arguments."""
    items = args.items() if isinstance(args, dict) else args
    return spider, tuple(sorted((k, str(v)) for k, v in items))


def append_entries(path: Path, entries: list[str]) -> None:
    """Appends source tables to the sources file, checking that the result still parses."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    addition = "".join("\n" + entry for entry in entries)
    combined = text.rstrip("\n") + "\n" + addition if text else addition.lstrip("\n")
    tomllib.loads(combined)  # a TOMLDecodeError here means the file was already broken
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(combined, encoding="utf-8")
    temporary.replace(path)
