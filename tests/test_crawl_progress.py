"""What `jobsift crawl` shows while it runs: plain lines in a log, a live table on a terminal.

The crawl is the real command in a child process against a server on 127.0.0.1; its stderr is a
pipe, as in cron. The live table is rendered by rich on a terminal console over a string buffer.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from jobsift.crawlers.progress import (
    DONE,
    FAILED,
    RUNNING,
    CrawlProgress,
    LiveTable,
    PlainLines,
    duration,
    plural,
    total_line,
)
from rich.console import Console
from scrapy.settings import Settings
from scrapy.statscollectors import StatsCollector

from tests.support.crawl import _env
from tests.support.runs import SourceSpec, crawl_command, run_crawl, write_sources
from tests.support.server import FixtureServer

NOMADS_PATH = "/api/exposed_jobs/"
JOBS = [
    {
        "url": f"https://www.workingnomads.com/jobs/engineer-{n}",
        "title": f"Engineer {n}",
        "company_name": "Acme",
        "description": "<p>Python services.</p>",
        "pub_date": "2026-11-01T00:00:00",
    }
    for n in range(3)
]


def nomads(url: str) -> SourceSpec:
    return SourceSpec("workingnomads", settings={"JOBSIFT_WORKINGNOMADS_URL": url})


def progress_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("progress: ")]


def test_a_failing_source_shows_failed_in_the_log_and_in_the_total(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.add(NOMADS_PATH, json.dumps(JOBS))
        server.add("/broken" + NOMADS_PATH, "oops", status=500, content_type="text/plain")
        sources = {"good": nomads(server.url), "broken": nomads(server.url + "/broken")}
        result = run_crawl(tmp_path, sources, shared={"JOBSIFT_PROGRESS_INTERVAL": 30})
    assert result.returncode == 1, result.stdout + result.stderr
    lines = progress_lines(result.stderr)
    # Plain lines only when something changes: each source starts once and ends once.
    assert sorted(line.split(":")[1].strip() for line in lines) == sorted(
        ["good", "good", "broken", "broken"]
    ), lines
    assert "progress: good: running" in lines
    assert "progress: broken: running" in lines
    [good_end] = [line for line in lines if line.startswith("progress: good: done after ")]
    assert good_end.endswith(", 3 postings, 0 rejected"), good_end
    [broken_end] = [line for line in lines if line.startswith("progress: broken: failed after ")]
    assert "0 postings, 0 rejected, 1 failure | " in broken_end and "500" in broken_end
    assert "Traceback" not in result.stderr
    # The per-source summary, then one total line, on stdout.
    assert re.search(r"^good: finished, 3 postings \(3 new, ", result.stdout, re.M)
    assert re.search(r"^broken: failed, 0 postings .*, 1 failure in ", result.stdout, re.M)
    total = re.search(r"^2 sources: .*$", result.stdout, re.M)
    assert total, result.stdout
    assert re.fullmatch(
        r"2 sources: 1 finished, 1 failed; 3 postings \(3 new\), 0 rejected in [\dhms.]+",
        total.group(0),
    )


def test_interval_zero_is_quiet_but_keeps_the_total(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.add(NOMADS_PATH, json.dumps(JOBS[:1]))
        result = run_crawl(tmp_path, {"one": nomads(server.url)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert progress_lines(result.stderr) == []
    assert "one: finished, 1 posting (1 new, " in result.stdout
    assert re.search(
        r"^1 source: 1 finished; 1 posting \(1 new\), 0 rejected in ", result.stdout, re.M
    )


def test_on_a_terminal_the_crawl_draws_a_live_table(tmp_path: Path) -> None:
    """stderr is a pseudo-terminal: the live table, its last frame showing each source's end."""
    with FixtureServer() as server:
        server.add(NOMADS_PATH, json.dumps(JOBS))
        server.add("/broken" + NOMADS_PATH, "oops", status=500, content_type="text/plain")
        sources = {"good": nomads(server.url), "broken": nomads(server.url + "/broken")}
        write_sources(tmp_path / "sources.toml", sources, {"JOBSIFT_PROGRESS_INTERVAL": 10})
        master, slave = os.openpty()
        env = dict(_env(), TERM="xterm", COLUMNS="100")
        with subprocess.Popen(
            crawl_command(tmp_path),
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
        ) as proc:
            os.close(slave)
            screen = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
            stdout = proc.communicate(timeout=300)[0].decode()
            os.close(master)
    assert proc.returncode == 1, stdout
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode()).replace("\r", "")
    assert "progress: " not in text and "Traceback" not in text
    last = text[text.rfind("source") :]
    rows = {line.split()[0]: line.split() for line in last.splitlines()[1:] if line.strip()}
    assert rows["good"][1:5] == ["done", "3", "0", "0"], last
    assert rows["broken"][1:5] == ["failed", "0", "0", "1"], last
    assert re.search(r"^2 sources: 1 finished, 1 failed; 3 postings", stdout, re.M)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def crawler_with_stats() -> SimpleNamespace:
    """What the display reads of a crawler: Scrapy's own stats collector."""
    return SimpleNamespace(stats=StatsCollector(SimpleNamespace(settings=Settings())))


def test_plain_count_lines_only_when_counts_move_and_at_most_every_interval() -> None:
    out, clock = io.StringIO(), Clock()
    progress = CrawlProgress(["a"], 10, stream=out, clock=clock)
    assert isinstance(progress.display, PlainLines)
    crawler = crawler_with_stats()
    progress.crawlers["a"] = crawler  # type: ignore[assignment]
    progress._set("a", RUNNING)
    for seconds, items in [(1, 0), (5, 7), (11, 7), (12, 9), (20, 9), (22, 1204)]:
        clock.now = 100 + seconds
        crawler.stats.set_value("item_scraped_count", items)
        progress.tick()
    clock.now = 150
    progress._set("a", DONE)
    assert out.getvalue().splitlines() == [
        "progress: a: running",
        "progress: a: 7 postings, 0 rejected so far",
        "progress: a: 1,204 postings, 0 rejected so far",
        "progress: a: done after 50.0s, 1,204 postings, 0 rejected",
    ]


def test_a_terminal_gets_a_live_table_with_each_state() -> None:
    buffer, clock = io.StringIO(), Clock()
    console = Console(file=buffer, force_terminal=True, width=120, color_system=None)
    progress = CrawlProgress(["alpha", "beta", "gamma", "delta"], 10, clock=clock, console=console)
    assert isinstance(progress.display, LiveTable)
    progress._set("alpha", RUNNING)
    progress.skipped("gamma", "skipped: ran 3 min ago")
    clock.now += 75
    progress.start_failed("beta", "ValueError: no start_url")
    progress._set("alpha", DONE)
    progress.stop()
    screen = buffer.getvalue()
    last = screen[screen.rfind("source") :]
    rows = {line.split()[0]: line for line in last.splitlines()[1:] if line.strip()}
    assert rows["alpha"].split()[1:3] == ["done", "0"]
    assert "1m15s" in rows["alpha"]
    assert rows["beta"].split()[1] == FAILED and "ValueError: no start_url" in rows["beta"]
    assert rows["gamma"].split()[1] == "skipped" and "ran 3 min ago" in rows["gamma"]
    assert rows["delta"].split()[1] == "queued"


def test_not_a_terminal_means_plain_lines() -> None:
    assert isinstance(CrawlProgress(["a"], 10, stream=io.StringIO()).display, PlainLines)


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 postings"), (1, "1 posting"), (2, "2 postings"), (1204, "1,204 postings")],
)
def test_plurals(count: int, text: str) -> None:
    assert plural(count, "posting") == text


@pytest.mark.parametrize(("seconds", "text"), [(4.23, "4.2s"), (134, "2m14s"), (3780, "1h03m")])
def test_durations(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@dataclass
class Row:
    status: str
    scraped: int = 0
    new: int = 0
    rejected: int = 0


def test_total_line() -> None:
    rows = [Row("finished", 1000, 50, 2), Row("failed", 204, 7, 1), Row("finished")]
    assert (
        total_line(rows, 134)
        == "3 sources: 2 finished, 1 failed; 1,204 postings (57 new), 3 rejected in 2m14s"
    )
