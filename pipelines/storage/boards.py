"""`boards`: ATS job boards seen in the postings' links, and whether a source crawls each.

Aggregators link to the employer's ATS (an apply link on `jobs.lever.co/acme`); each such board is
a company a user may want to crawl directly. The loader records them with every batch
(`record_boards`, inside the batch's transaction); `jobsift discover --from-crawls` lists them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from jobsift.pipelines.discovery.urls import Board, board_of_url
from jobsift.pipelines.storage.database import READ_WAIT, Database

# Posting ids kept per board to show where it was found; the count keeps growing past it.
EXAMPLE_IDS = 20


@dataclass(frozen=True, slots=True)
class SeenBoard:
    """One row of `boards`, as `jobsift discover --from-crawls` prints it."""

    board: str
    ats: str
    token: str
    spider: str | None
    args: dict[str, str]
    first_seen_at: datetime
    last_seen_at: datetime
    postings: int
    posting_ids: list[str]
    configured: bool


def boards_in_rows(rows: Iterable[dict[str, Any]]) -> dict[Board, list[str]]:
    """The boards the rows' apply links and URLs point at, other than the row's own source."""
    found: dict[Board, list[str]] = {}
    for row in rows:
        for url in (row.get("apply_url"), row.get("url")):
            board = board_of_url(url) if url else None
            if board is not None and board.ats != row.get("source"):
                ids = found.setdefault(board, [])
                if row["id"] not in ids:
                    ids.append(row["id"])
                break
    return found


def record_boards(
    con: duckdb.DuckDBPyConnection, rows: Iterable[dict[str, Any]], seen_at: datetime | None
) -> int:
    """Adds or refreshes the boards of a batch's rows (the caller holds the transaction);
    returns how many boards the batch pointed at."""
    found = boards_in_rows(rows)
    if not found:
        return 0
    keys = [board.key for board in found]
    stored = {
        row[0]: (row[1], list(row[2] or []))
        for row in con.execute(
            "SELECT board, postings, posting_ids FROM boards WHERE list_contains($keys, board)",
            {"keys": keys},
        ).fetchall()
    }
    for board, ids in found.items():
        if board.key in stored:
            count, kept = stored[board.key]
            new_ids = [i for i in ids if i not in kept]
            con.execute(
                "UPDATE boards SET last_seen_at = $seen, postings = $count, posting_ids = $ids "
                "WHERE board = $board",
                {
                    "seen": seen_at,
                    "count": count + len(new_ids),
                    "ids": (kept + new_ids)[:EXAMPLE_IDS],
                    "board": board.key,
                },
            )
        else:
            con.execute(
                "INSERT INTO boards (board, ats, token, spider, args, first_seen_at, "
                "last_seen_at, postings, posting_ids, configured) "
                "VALUES ($board, $ats, $token, $spider, $args, $seen, $seen, $count, $ids, false)",
                {
                    "board": board.key,
                    "ats": board.ats,
                    "token": board.token,
                    "spider": board.spider,
                    "args": json.dumps(dict(board.args)),
                    "seen": seen_at,
                    "count": len(ids),
                    "ids": ids[:EXAMPLE_IDS],
                },
            )
    return len(found)


class Boards:
    """The `boards` table of one database file."""

    def __init__(self, path: str | Path, wait: float = 60.0) -> None:
        self.db = Database(path, wait=wait)

    def mark_configured(self, configured: Iterable[tuple[str, dict[str, str]]]) -> None:
        """Sets `configured` from the sources file: (spider, args) of every configured source."""
        pairs = {(spider, json.dumps(args, sort_keys=True)) for spider, args in configured}
        with self.db.writer() as con:
            rows = con.execute("SELECT board, spider, args FROM boards").fetchall()
            for board, spider, args in rows:
                known = (spider, json.dumps(json.loads(args or "{}"), sort_keys=True)) in pairs
                con.execute(
                    "UPDATE boards SET configured = $known WHERE board = $board",
                    {"known": known, "board": board},
                )

    def seen(self, wait: float = READ_WAIT) -> list[SeenBoard]:
        """Every board found so far, most postings first."""
        with self.db.reader(wait) as con:
            rows = con.execute(
                "SELECT board, ats, token, spider, args, first_seen_at, last_seen_at, postings, "
                "posting_ids, configured FROM boards ORDER BY postings DESC, board"
            ).fetchall()
        return [
            SeenBoard(
                board=r[0],
                ats=r[1],
                token=r[2],
                spider=r[3],
                args=json.loads(r[4] or "{}"),
                first_seen_at=r[5],
                last_seen_at=r[6],
                postings=r[7],
                posting_ids=list(r[8] or []),
                configured=bool(r[9]),
            )
            for r in rows
        ]
