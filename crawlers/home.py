"""Where jobsift keeps its sources file and its database: one lookup for every command.

A jobsift home is a folder holding `sources.toml` and `jobsift.duckdb` (and the crawl logs under
`logs/`). Each of the two paths is, first found wins:

1. the command line: `--sources FILE`, `--db FILE`;
2. the folder named by the environment variable `JOBSIFT_HOME`;
3. `./data/` when the current folder has `data/sources.toml` (a project folder: a checkout works
   as it always did, with `data/jobsift.duckdb`);
4. the user data folder (platformdirs: `~/.local/share/jobsift` on Linux).

A home without a sources file reads the starter shipped with jobsift (`sources.default.toml`),
the file `jobsift init` copies out for editing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs

ENV_HOME = "JOBSIFT_HOME"
SOURCES_NAME = "sources.toml"
DB_NAME = "jobsift.duckdb"
PROJECT_DIR = Path("data")
STARTER = "sources.default.toml"
# How `sources` is named in messages when it is the starter shipped with jobsift.
STARTER_LABEL = "the starter sources file shipped with jobsift"


@dataclass(frozen=True)
class Home:
    directory: Path
    why: str  # which rule of the lookup chose it, for `jobsift init` and messages

    @property
    def sources(self) -> Path:
        return self.directory / SOURCES_NAME

    @property
    def db(self) -> Path:
        return self.directory / DB_NAME


def find_home(env: dict[str, str] | None = None) -> Home:
    """The home the lookup picks from here, without the command line (rules 2 to 4); a
    NotADirectoryError when JOBSIFT_HOME names something else than a folder."""
    env = os.environ if env is None else env
    if value := env.get(ENV_HOME, "").strip():
        directory = Path(value).expanduser()
        if directory.exists() and not directory.is_dir():
            raise NotADirectoryError(f"{ENV_HOME}={value} is not a folder")
        return Home(directory, f"${ENV_HOME}")
    if (PROJECT_DIR / SOURCES_NAME).is_file():
        return Home(PROJECT_DIR, "the project folder ./data")
    return Home(platformdirs.user_data_path("jobsift", appauthor=False), "the user data folder")


@dataclass(frozen=True)
class Paths:
    """The files one command uses. `sources` is None when the starter shipped with jobsift is
    read (the home has no sources file of its own)."""

    sources: Path | None
    db: Path


def resolve(sources: Path | None, db: Path | None) -> Paths:
    """`--sources` and `--db` as given, each missing one from the home the lookup picks."""
    if sources is not None and db is not None:
        return Paths(sources, db)
    home = find_home()
    if sources is None and home.sources.is_file():
        sources = home.sources
    return Paths(sources, db if db is not None else home.db)


def starter_text() -> str:
    """The commented starter sources file shipped inside the package."""
    return resources.files("jobsift.crawlers").joinpath(STARTER).read_text(encoding="utf-8")
