"""Runs a real Scrapy crawl in a child process (a Twisted reactor cannot restart in one process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

# Settings every test crawl shares: fast, quiet about politeness delays, still real HTTP.
TEST_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "RETRY_TIMES": 1,
    "LOG_LEVEL": "INFO",
    "JOBSIFT_PROGRESS_INTERVAL": 0,
    "JOBSIFT_RETRY_AFTER_MAX": 2,
}


@dataclass
class CrawlOutcome:
    items: list[dict[str, Any]]
    returncode: int
    log: str


def _env() -> dict[str, str]:
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="jobsift.crawlers.settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def scrapy_crawl(
    spider: str,
    tmp_path: Path,
    args: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    pipelines: bool = False,
) -> CrawlOutcome:
    """`scrapy crawl SPIDER`; without pipelines the raw items come back, with them the loader runs."""
    out = tmp_path / f"{spider}-items.jsonl"
    merged = {**TEST_SETTINGS, **(settings or {})}
    if not pipelines:
        merged["ITEM_PIPELINES"] = {}
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", f"{out}:jsonlines"]
    for key, value in (args or {}).items():
        command += ["-a", f"{key}={value}"]
    for key, value in merged.items():
        text = json.dumps(value) if isinstance(value, dict | list | bool) else str(value)
        command += ["-s", f"{key}={text}"]
    proc = subprocess.run(
        command, cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300
    )
    items = []
    if out.exists():
        items = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    return CrawlOutcome(items=items, returncode=proc.returncode, log=proc.stderr)


def jobsift(*argv: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `jobsift` command, run as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "jobsift.crawlers.cli", *argv],
        cwd=cwd,
        env=_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )
