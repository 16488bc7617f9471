"""The README's commands work as written, against a real crawl of a board served on 127.0.0.1.

Which fenced blocks of README.md run (CONTRIBUTING.md, "The README's commands"):

- `console` blocks are transcripts. Each `$ ` command (with the lines that close its quotes) runs,
  must exit 0, and every line shown after it must be among the lines it printed (standard output
  and error together), compared with digits masked and runs of spaces collapsed: timings, run ids
  and column widths that follow them differ from run to run, the words may not. A line `...`
  stands for printed lines the README leaves out.
- `sh` blocks are commands. Each one that runs `jobsift` runs and must exit 0, except
  `jobsift crawl` of anything but the tour's local `withmira` source: those need the internet and
  no test touches a public address (listed by `test_only_internet_crawls_are_left_out`). Commands
  that do not run `jobsift` (pip, python, scrapy, export) are not run here: installing is
  `test_install.py`'s, and the tour's set-up is done by the `tour` fixture with the same generator.
- Other blocks (cron, ini, plain) are examples and never run.

Setting, as the tour's: a temporary folder as the current folder, a temporary JOBSIFT_HOME standing
for the README's /tmp/jobsift-tour (its path written back as that in the output compared),
COLUMNS=100, and `bench/pages.py`'s site of 40 roles served by a FixtureServer, whose address
replaces the README's 127.0.0.1:8000 in the sources file right after `jobsift init` wrote it.
Every `sh` command runs on its own copy of the tour's folder and database (`jobsift init` on an
empty one, as after installing), next to a `raw.jsonl`
of the raw postings that crawl stored (the input the README's `jobsift normalize` reads).
"""

from __future__ import annotations

import fcntl
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest

from bench.pages import generate_site
from tests.support.crawl import _env
from tests.support.server import FixtureServer

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
TOUR_HOME = "/tmp/jobsift-tour"
TOUR_URL = "http://127.0.0.1:8000"
TOUR_SOURCE = "withmira"
SITE_SETUP = "python bench/pages.py site 40"
ELIDED = "..."  # a transcript line standing for lines left out
RUN_ID = re.compile(r"\b\d{8}T\d{6}-[0-9a-f]+\b")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.M | re.S)


def _commands(lines: list[str]) -> Iterator[tuple[str, int]]:
    """Whole shell commands (a quote may span lines) with the index of the line after each."""
    index = 0
    while index < len(lines):
        command = lines[index]
        index += 1
        while True:
            try:
                shlex.split(command, comments=True)
                break
            except ValueError:  # an open quote: the command goes on on the next line
                if index == len(lines):
                    raise
                command += "\n" + lines[index]
                index += 1
        yield command, index


@dataclass
class Step:
    command: str
    shown: list[str]  # the output the README shows for it


def tour_steps() -> list[Step]:
    steps: list[Step] = []
    for block in _blocks("console"):
        lines = block.splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            command, after = next(_commands([lines[start][2:], *lines[start + 1 : end]]))
            steps.append(Step(command, lines[start + after : end]))
    return steps


def _runs_jobsift(command: str) -> bool:
    return "jobsift" in shlex.split(command, comments=True)


def _needs_internet(command: str) -> bool:
    words = shlex.split(command, comments=True)
    crawls = any(a == "jobsift" and b == "crawl" for a, b in pairwise(words))
    return crawls and TOUR_SOURCE not in words


SH_COMMANDS = [c for block in _blocks("sh") for c, _ in _commands(block.splitlines())]
RUN = [c for c in SH_COMMANDS if _runs_jobsift(c) and not _needs_internet(c)]
LEFT_OUT = [c for c in SH_COMMANDS if _runs_jobsift(c) and _needs_internet(c)]


def _masked(text: str, home: Path) -> list[str]:
    text = RUN_ID.sub("RUN", text.replace(str(home), TOUR_HOME))
    return [" ".join(re.sub(r"\d+", "N", line).split()) for line in text.splitlines()]


def _bash(command: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """`command` in bash, `jobsift` being this interpreter's jobsift, pipes failing as a whole."""
    env = dict(_env(), JOBSIFT_HOME=str(home), COLUMNS="100")
    jobsift = f'jobsift() {{ {shlex.quote(sys.executable)} -m jobsift.crawlers.cli "$@"; }}'
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail\n{jobsift}\n{command}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )


@dataclass
class Tour:
    home: Path
    results: list[tuple[Step, int, str]]  # each step, its exit code and what it printed


def _run_tour(root: Path) -> list[tuple[int, str]]:
    generate_site(root / "site", 40)
    home, here = root / "jobsift-tour", root / "here"
    here.mkdir()
    results = []
    with FixtureServer(root / "site") as server:
        for step in tour_steps():
            done = _bash(step.command.replace(TOUR_HOME, str(home)), here, home)
            results.append((done.returncode, done.stdout))
            sources = home / "sources.toml"
            if sources.exists():  # the README's address for the local board is this server's
                text = sources.read_text(encoding="utf-8")
                sources.write_text(text.replace(TOUR_URL, server.url), encoding="utf-8")
    return results


@pytest.fixture(scope="session")
def tour(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Tour:
    """The tour, run once per test session: pytest-xdist workers share one run (the folder above
    each worker's temporary folder is the session's), the first to take the lock runs it."""
    if worker_id == "master":
        root = tmp_path_factory.mktemp("tour").resolve()
    else:
        root = tmp_path_factory.getbasetemp().parent.resolve() / "readme-tour"
    root.mkdir(exist_ok=True)
    with (root.parent / f"{root.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "results.json"
        if not done.exists():
            done.write_text(json.dumps(_run_tour(root)), encoding="utf-8")
    results = json.loads(done.read_text(encoding="utf-8"))
    steps = tour_steps()
    return Tour(
        root / "jobsift-tour", [(s, rc, out) for s, (rc, out) in zip(steps, results, strict=True)]
    )


def test_the_tour_sets_up_what_the_fixture_serves() -> None:
    setup = "\n".join(_blocks("sh"))
    assert SITE_SETUP in setup and "8000 --bind 127.0.0.1" in setup
    assert f"export JOBSIFT_HOME={TOUR_HOME}" in setup
    assert [s.command.split()[:2] for s in tour_steps()][:2] == [
        ["jobsift", "init"],
        ["jobsift", "crawl"],
    ]


@pytest.mark.parametrize(
    "number", range(len(tour_steps())), ids=lambda n: tour_steps()[n].command[:40]
)
def test_tour_prints_what_the_readme_shows(tour: Tour, number: int) -> None:
    step, returncode, output = tour.results[number]
    assert returncode == 0, f"$ {step.command}\n{output}"
    printed = _masked(output, tour.home)
    shown = [line for line in step.shown if line.strip() and line != ELIDED]
    missing = [line for line in shown if _masked(line, tour.home)[0] not in printed]
    assert not missing, f"$ {step.command}\nnot printed: {missing}\nprinted:\n{output}"


@pytest.mark.parametrize("command", RUN, ids=lambda c: c[:50])
def test_readme_command_exits_0(tour: Tour, command: str, tmp_path: Path) -> None:
    home = tmp_path / "jobsift-tour"
    if command.startswith("jobsift init"):  # the first command of a fresh install: an empty home
        home.mkdir()
    else:
        shutil.copytree(tour.home, home)
    with duckdb.connect(str(tour.home / "jobsift.duckdb"), read_only=True) as db:
        raw = [json.loads(r) for (r,) in db.execute("SELECT raw FROM raw_postings").fetchall()]
    (tmp_path / "raw.jsonl").write_text("".join(json.dumps(r) + "\n" for r in raw), "utf-8")
    done = _bash(command, tmp_path, home)
    assert done.returncode == 0, f"$ {command}\n{done.stdout}"


def test_only_internet_crawls_are_left_out() -> None:
    assert len(RUN) >= 8, RUN  # the rule above leaves the README's offline commands in
    for command in LEFT_OUT:
        assert "jobsift crawl" in command and TOUR_SOURCE not in command, command
