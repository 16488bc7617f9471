"""`jobsift discover`: the ATS board behind careers pages, job pages and apply links."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jobsift.crawlers.boards import (
    FETCH_TIMEOUT,
    append_entries,
    find_board,
    source_entry,
    source_key,
    source_name,
    spider_names,
)
from jobsift.crawlers.cli.common import fail, with_db, with_sources
from jobsift.crawlers.cli.output import print_rows
from jobsift.crawlers.config import UsageError, load_sources
from jobsift.crawlers.home import find_home, starter_text
from jobsift.pipelines.discovery.urls import Board
from jobsift.pipelines.storage.boards import Boards
from jobsift.pipelines.storage.database import DatabaseMissing

EPILOG = """examples:
  jobsift discover https://boards.greenhouse.io/acme https://acme.com/careers
  jobsift discover https://jobs.lever.co/acme/4f1c... --add
  jobsift discover --from-crawls          # boards that crawled aggregators linked to

exit: 0 every URL gave a board jobsift can crawl; 1 some did not; 2 bad arguments."""


def _configured(path: Path | None) -> dict[tuple[str, tuple[tuple[str, str], ...]], str]:
    if path is not None and not path.is_file():
        return {}
    return {source_key(s.spider, s.args): s.name for s in load_sources(path).sources}


def _add(path: Path | None, entries: list[str]) -> None:
    """Appends to the sources file; without one (the starter was read), to a copy of the starter
    where jobsift looks for it."""
    if path is None:
        path = find_home().sources
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_text(), encoding="utf-8")
    append_entries(path, entries)
    print(f"added {len(entries)} source(s) to {path}", file=sys.stderr)


def _entries_for(
    boards: list[tuple[Board, str]], configured: dict, taken: set[str]
) -> tuple[list[str], list[str]]:
    """Source tables for the boards not configured yet, and a line for each already configured."""
    entries, notes = [], []
    for board, origin in boards:
        existing = configured.get(source_key(board.spider or "", board.args))
        if existing:
            notes.append(f"{origin}: already configured as [sources.{existing}]")
            continue
        name, n = source_name(board), 2
        while name in taken:
            name, n = f"{source_name(board)}-{n}", n + 1
        taken.add(name)
        configured[source_key(board.spider or "", board.args)] = name
        entries.append(source_entry(board, name, origin))
    return entries, notes


def _from_crawls(args: argparse.Namespace) -> int:
    try:
        seen = Boards(args.db).seen()
    except DatabaseMissing as exc:
        raise UsageError(f"{exc}; run `jobsift crawl` first or pass --db") from None
    configured = _configured(args.sources)
    rows, wanted = [], []
    for b in seen:
        board = Board(b.ats, b.token, b.spider, tuple(b.args.items()))
        name = configured.get(source_key(b.spider or "", b.args))
        state = name or ("no spider" if not b.spider else "not configured")
        rows.append((b.ats, b.token, b.postings, b.first_seen_at, state))
        if not name and b.spider:
            wanted.append((board, f"{b.postings} crawled postings, e.g. {b.posting_ids[0]}"))
    print_rows(["ats", "board", "postings", "first seen", "configured"], rows, "table")
    if args.add and wanted:
        entries, _ = _entries_for(wanted, configured, set(configured.values()))
        _add(args.sources, entries)
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    if args.from_crawls:
        return _from_crawls(args)
    if not args.urls:
        raise UsageError("give one or more URLs, or --from-crawls")
    known_spiders = spider_names()
    configured = _configured(args.sources)
    found: list[tuple[Board, str]] = []
    missing = 0
    for url in args.urls:
        finding = find_board(url, args.timeout)
        board = finding.board
        if board is None:
            missing += 1
            fail(f"{url}: {finding.how}", 1)
        elif board.spider is None or board.spider not in known_spiders:
            missing += 1
            fail(f"{url}: a {board.ats} board ({board.token!r}); jobsift has no spider for it", 1)
        else:
            found.append((board, url if finding.how == "url" else f"{url} ({finding.how})"))
    entries, notes = _entries_for(found, configured, set(configured.values()))
    for note in notes:
        print(f"# {note}")
    for entry in entries:
        print(entry)
    if args.add and entries:
        _add(args.sources, entries)
    return 1 if missing else 0


def register(sub: argparse._SubParsersAction) -> None:
    discover = with_sources(
        with_db(
            sub.add_parser(
                "discover",
                help="find the ATS board of careers pages, job pages and apply links",
                epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
        )
    )
    discover.add_argument("urls", nargs="*", metavar="URL", help="careers page, job page or link")
    discover.add_argument(
        "--add", action="store_true", help="append the new sources to the sources file"
    )
    discover.add_argument(
        "--from-crawls",
        action="store_true",
        help="list the boards that crawled postings link to (the boards table)",
    )
    discover.add_argument(
        "--timeout", type=float, default=FETCH_TIMEOUT, help="seconds to fetch a page"
    )
    discover.set_defaults(func=cmd_discover)
