"""Builds the generated parts of the documentation from the code, so the two cannot drift.

The markdown files in docs/ hold `cog` blocks that call these functions; `cog -r docs/*.md`
rewrites them and `tests/test_docs.py` fails when a file differs from what the code gives now
(the way sqlite-utils keeps its CLI reference true).
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import re
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
from jobsift.crawlers import cli
from jobsift.schemas.ddl import DDL, TABLES, VIEWS
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "crawlers" / "settings.py"
# A setting line, live (`NAME = value`) or documented only (`# NAME = value`).
_SETTING = re.compile(
    r"^(?:# )?(?P<name>[A-Z][A-Z0-9_<>]+) = (?P<value>.+?)(?:\s+# (?P<note>.*))?$"
)


def _help_text(parser: argparse.ArgumentParser) -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix it for a stable text
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        parser.print_help()
    return buffer.getvalue().rstrip()


def commands() -> str:
    """`jobsift --help` and every command's `--help`, as markdown sections."""
    parser = cli.build_parser()
    parts = ["## jobsift --help", "", "```", _help_text(parser), "```"]
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, sub in actions[0].choices.items():
        parts += ["", f"## jobsift {name}", "", "```", _help_text(sub), "```"]
    return "\n".join(parts)


def settings() -> str:
    """Every setting of crawlers/settings.py with its default and the comment that explains it."""
    rows, comment = [], []
    for line in SETTINGS_FILE.read_text(encoding="utf-8").splitlines():
        match = _SETTING.match(line)
        if match and match["value"].rstrip().endswith(("{", "[")):
            comment = []  # a table of Scrapy components: documented where it is set
        elif match:
            note = " ".join(filter(None, [*comment, match["note"]]))
            live = not line.startswith("#")
            default = match["value"] if live else "(not set)"
            if not live and match["name"].startswith("JOBSIFT_"):
                default = f"(not set; e.g. `{match['value']}`)"
            elif live:
                default = f"`{default}`"
            if match["name"].startswith("JOBSIFT_") or note:
                rows.append((match["name"], default, note))
            comment = []
        elif line.startswith("# ") and not line.startswith("# ---"):
            comment.append(line[2:].strip())
        else:
            comment = []
    lines = ["| setting | default | what it does |", "|---|---|---|"]
    for name, default, note in rows:
        cells = (f"`{name}`", default, note)
        lines.append("| " + " | ".join(c.replace("|", r"\|") for c in cells) + " |")
    return "\n".join(lines)


def tables() -> str:
    """The columns and types of every table and view, read from a database built by the DDL."""
    connection = duckdb.connect()
    for statement in DDL:
        connection.execute(statement)
    parts = []
    for name in [*VIEWS, *TABLES]:
        kind = "view" if name in VIEWS else "table"
        described = connection.execute(f"DESCRIBE {name}").fetchall()
        parts += [f"### `{name}` ({kind})", "", "| column | type |", "|---|---|"]
        parts += [f"| `{row[0]}` | `{row[1]}` |" for row in described]
        parts.append("")
    return "\n".join(parts).rstrip()


def spiders() -> str:
    """Every spider with the first line of its module's description and whether it lists its whole
    source (`complete_listing`: a finished run closes the postings it did not see), from Scrapy's
    spider loader."""
    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["jobsift.crawlers.spiders"]}))
    lines = ["| spider | reads | closes by absence |", "|---|---|---|"]
    for name in sorted(loader.list()):
        spider = loader.load(name)
        module = importlib.import_module(spider.__module__)
        summary = (module.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        escaped = summary.replace("|", r"\|")
        closes = "yes" if getattr(spider, "complete_listing", False) else "no"
        lines.append(f"| `{name}` | {escaped} | {closes} |")
    return "\n".join(lines)
