"""`jobsift crawl` statuses and exit codes as a user meets them: skipped sources, kill -9, Ctrl-C.

Every crawl is the real command in a child process against servers on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from tests.conftest import PROJECT_FIXTURES
from tests.support.hostile import HostileServer
from tests.support.runs import SourceSpec, last_run, run_crawl, runs, start_crawl, write_sources
from tests.support.server import FixtureServer

NOMADS_PATH = "/api/exposed_jobs/"
JOBS = [
    {
        "url": "https://www.workingnomads.com/jobs/backend-engineer-acme-1",
        "title": "Backend Engineer",
        "company_name": "Acme",
        "description": "<p>Python services.</p>",
        "pub_date": "2026-11-01T00:00:00",
    }
]
DRIPPED_ROLE = "/jobs/vandelay-sales-lead/"


def nomads(url: str, **settings: object) -> SourceSpec:
    return SourceSpec("workingnomads", settings={"JOBSIFT_WORKINGNOMADS_URL": url, **settings})


def mira(server: FixtureServer) -> SourceSpec:
    return SourceSpec("withmira", args={"start_url": f"{server.url}/our-jobs/"})


def test_a_skipped_first_source_leaves_the_next_ones_crawling(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.add(NOMADS_PATH, json.dumps(JOBS))
        sources = {
            "polite": nomads(server.url, JOBSIFT_MIN_INTERVAL=3600),
            "other": nomads(server.url),
        }
        first = run_crawl(tmp_path, sources, "polite")
        second = run_crawl(tmp_path, sources, "polite", "other")
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "polite: skipped" in second.stdout
    assert "expected a Twisted reactor" not in second.stdout + second.stderr
    other = last_run(tmp_path, "other")
    assert (other["status"], other["scraped"]) == ("finished", 1)


def test_runs_record_their_process(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.add(NOMADS_PATH, json.dumps(JOBS))
        result = run_crawl(tmp_path, {"one": nomads(server.url)})
    assert result.returncode == 0, result.stdout + result.stderr
    run = last_run(tmp_path, "one")
    assert run["pid"] and run["host"] == os.uname().nodename


def test_a_killed_crawl_is_marked_interrupted_by_the_next_one(tmp_path: Path) -> None:
    with HostileServer() as server:
        server.drip(NOMADS_PATH)
        server.add("/fast" + NOMADS_PATH, json.dumps(JOBS))
        sources = {
            "slow": nomads(server.url, DOWNLOAD_TIMEOUT=120),
            "fast": nomads(server.url + "/fast"),
        }
        write_sources(tmp_path / "sources.toml", sources, {})
        crawl = start_crawl(tmp_path, "slow")
        assert server.dripping.wait(60), "the crawl never reached the server"
        crawl.kill()  # SIGKILL: nothing of the crawl's own code runs
        crawl.communicate(timeout=30)
        after = run_crawl(tmp_path, sources, "fast")
    assert after.returncode == 0, after.stdout + after.stderr
    assert "marked interrupted" in after.stderr
    killed = last_run(tmp_path, "slow")
    assert killed["status"] == "interrupted"
    assert "ended without finishing" in killed["error"]
    assert last_run(tmp_path, "fast")["status"] == "finished"
    assert all(row["status"] != "running" for row in runs(tmp_path).values())


@pytest.mark.parametrize("presses", [1, 2], ids=["once", "twice"])
def test_ctrl_c_marks_the_run_interrupted_and_exits_130(tmp_path: Path, presses: int) -> None:
    with HostileServer(root=PROJECT_FIXTURES / "withmira") as server:
        server.drip(DRIPPED_ROLE)  # keeps the crawl busy until it is stopped
        # Long enough that the graceful stop waits on the drip, so a second Ctrl-C has a stop to cut.
        write_sources(tmp_path / "sources.toml", {"mira": mira(server)}, {"DOWNLOAD_TIMEOUT": 4})
        crawl = start_crawl(tmp_path)
        assert server.dripping.wait(60), "the crawl never reached the server"
        crawl.send_signal(signal.SIGINT)
        if presses == 2:
            # The second press is for a crawl that is already stopping: it says so first.
            first_line = crawl.stderr.readline()
            assert "stopping" in first_line, first_line
            crawl.send_signal(signal.SIGINT)
        out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == 130, out + err
    run = last_run(tmp_path, "mira")
    assert run["status"] == "interrupted"
    assert "interrupted by the user" in run["error"]
    if presses == 1:
        assert "stopping" in err
        assert run["scraped"] > 0  # what the crawl had was written before it stopped
    else:
        assert "stopping now" in err


@pytest.mark.parametrize(
    "setting", ["JOBSIFT_SOURCE_TIMEOUT", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE"]
)
def test_a_non_numeric_bound_is_a_configuration_error(tmp_path: Path, setting: str) -> None:
    result = run_crawl(tmp_path, {"one": nomads("http://127.0.0.1:9", **{setting: "soon"})})
    assert result.returncode == 2, result.stdout + result.stderr
    assert setting in result.stderr
    assert not (tmp_path / "jobsift.duckdb").exists()
