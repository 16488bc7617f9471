"""`jobsift init`: write the commented starter sources file and say where the database goes."""

from __future__ import annotations

import argparse
from pathlib import Path

from jobsift.crawlers.cli.common import fail
from jobsift.crawlers.config import UsageError
from jobsift.crawlers.home import DB_NAME, ENV_HOME, SOURCES_NAME, find_home, starter_text


def cmd_init(args: argparse.Namespace) -> int:
    try:
        home = find_home()
    except NotADirectoryError as exc:
        raise UsageError(str(exc)) from None
    directory = home.directory if args.dir is None else args.dir.expanduser()
    target = directory / SOURCES_NAME
    if target.exists() and not args.force:
        return fail(
            f"{target} exists; not overwriting it (--force replaces it with the starter)", 1
        )
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(starter_text(), encoding="utf-8")
    except OSError as exc:
        return fail(f"cannot write {target}: {exc.strerror or exc}", 1)
    print(f"sources file: {target.absolute()}  (edit it; `jobsift sources` lists it)")
    db = directory / DB_NAME
    note = "already there" if db.exists() else "`jobsift crawl` creates it"
    print(f"database:     {db.absolute()}  ({note})")
    if directory.resolve() != home.directory.resolve():
        print(
            f"jobsift uses them when {ENV_HOME}={directory.absolute()} "
            f"(or with --sources and --db); from here it uses {home.directory.absolute()}"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser(
        "init",
        help="write a commented starter sources file",
        description=(
            "Write the commented starter sources file to DIR/sources.toml and say where the "
            f"database goes. DIR defaults to where jobsift looks: ${ENV_HOME}, else ./data if "
            "it has sources.toml, else the user data folder."
        ),
    )
    init.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the folder to write to")
    init.add_argument("--force", action="store_true", help="replace an existing sources file")
    init.set_defaults(func=cmd_init)
