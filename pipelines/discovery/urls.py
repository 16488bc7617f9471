"""The ATS board a URL belongs to, by the shapes of pipelines/reference/ats.toml.

A board is the ATS, the token that names the company there, and the spider arguments of a source
that crawls it. Matching is by host first (a dict of exact hosts and a short list of host
patterns), so checking every apply link of a crawl costs one URL split and a lookup.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import parse_qs, urlsplit

# Hosts of the ATSs themselves: a URL whose host ends so may be a board; others never are.
_ATS_DOMAINS = (
    "greenhouse.io",
    "lever.co",
    "ashbyhq.com",
    "workable.com",
    "smartrecruiters.com",
    "recruitee.com",
    "personio.de",
    "personio.com",
    "myworkdayjobs.com",
    "myworkdaysite.com",
    "teamtailor.com",
    "bamboohr.com",
    "rippling.com",
    "pinpointhq.com",
    "breezy.hr",
    "gem.com",
    "ycombinator.com",
    "workatastartup.com",
    "dover.com",
    "jobvite.com",
)


@dataclass(frozen=True, slots=True)
class Board:
    ats: str
    token: str
    spider: str | None  # None: recognised, but jobsift has no board spider for this ATS
    args: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        """`ats:token`, the board's identity in the `boards` table."""
        return f"{self.ats}:{self.token}"


@dataclass(frozen=True, slots=True)
class _Shape:
    ats: str
    host: re.Pattern[str]
    path: re.Pattern[str] | None
    query: str | None
    reserved: frozenset[str]
    spider: str | None
    args: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def _shapes() -> tuple[_Shape, ...]:
    text = resources.files("jobsift.pipelines.reference").joinpath("ats.toml").read_text("utf-8")
    shapes = []
    for entry in tomllib.loads(text)["board"]:
        shapes.append(
            _Shape(
                ats=entry["ats"],
                host=re.compile(entry["host"]),
                path=re.compile(entry["path"]) if entry.get("path") else None,
                query=entry.get("query"),
                reserved=frozenset(entry.get("reserved", ())),
                spider=entry.get("spider"),
                args=tuple(entry.get("args", {}).items()),
            )
        )
    return tuple(shapes)


def _ats_host(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in _ATS_DOMAINS)


def _board(shape: _Shape, groups: dict[str, str]) -> Board | None:
    token = groups.get("token")
    if token is None:  # several groups (Workday): the token joins them
        token = "/".join(groups[k] for k in ("tenant", "shard", "site") if groups.get(k))
    first = next(iter(groups.values()), token)
    if not token or first.lower() in shape.reserved:
        return None
    args = tuple((name, value.format(**groups)) for name, value in shape.args)
    return Board(shape.ats, token, shape.spider, args)


@lru_cache(maxsize=16_384)
def board_of_url(url: str) -> Board | None:
    """The board a careers, job or apply URL belongs to, or None."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "") or not _ats_host(host):
        return None
    for shape in _shapes():
        host_match = shape.host.match(host)
        if not host_match:
            continue
        groups = {k: v for k, v in host_match.groupdict().items() if v}
        if shape.path is not None:
            path_match = shape.path.match(parts.path or "/")
            if not path_match:
                continue
            groups.update({k: v for k, v in path_match.groupdict().items() if v})
        if shape.query:
            values = parse_qs(parts.query).get(shape.query)
            if not values or not values[0].strip():
                continue
            groups["token"] = values[0].strip()
        board = _board(shape, groups)
        if board is not None:
            return board
    return None
