"""A distributed crawl as users run it: `jobsift crawl --redis URL` (the coordinator) and
`jobsift worker --redis URL --spool DIR` processes, real Redis, real Scrapy over 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import redis

from tests.support.crawl import TEST_SETTINGS, _env

FETCHED_AT = "2026-11-20T12:00:00+00:00"
# Every test crawl of this module: quick to notice a dead worker, one process per worker.
SETTINGS: dict[str, Any] = {
    **TEST_SETTINGS,
    "JOBSIFT_FETCHED_AT": FETCHED_AT,
    "JOBSIFT_NORMALIZE_WORKER": False,
    "JOBSIFT_WORKER_TIMEOUT": 10,  # a worker starved of CPU for a while is not taken for dead
    "JOBSIFT_HOST_LEASE": 10,  # a killed worker's host slots come back soon
    "JOBSIFT_HTTPCACHE": False,
}


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def write_sources(
    path: Path,
    sources: dict[str, dict[str, Any]],
    settings: dict[str, Any] | None = None,
    hosts: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """A sources file: {name: {spider, args}}, [settings] (SETTINGS, then `settings`), [hosts]."""
    lines = ["[settings]"]
    lines += [f"{key} = {_toml(value)}" for key, value in {**SETTINGS, **(settings or {})}.items()]
    for host, budget in (hosts or {}).items():
        lines.append(f"\n[hosts.{json.dumps(host)}]")
        lines += [f"{key} = {_toml(value)}" for key, value in budget.items()]
    for name, table in sources.items():
        lines.append(f"\n[sources.{json.dumps(name)}]")
        lines += [f"{key} = {_toml(value)}" for key, value in table.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def jobsift_command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "jobsift.crawlers.cli", *argv]


@dataclass
class Workers:
    processes: list[subprocess.Popen[str]]
    logs: list[Path]

    def wait(self, timeout: float = 120) -> list[int]:
        return [p.wait(timeout=timeout) for p in self.processes]

    def stderr(self) -> str:
        return "\n".join(log.read_text() for log in self.logs if log.exists())


@contextmanager
def workers(url: str, spool: Path, count: int, cwd: Path) -> Iterator[Workers]:
    """`count` `jobsift worker` processes (named w0, w1...), killed if still there at the end."""
    cwd.mkdir(parents=True, exist_ok=True)
    logs = [cwd / f"w{n}.stderr" for n in range(count)]
    processes = []
    for n, log in enumerate(logs):
        argv = jobsift_command("worker", "--redis", url, "--spool", str(spool), "--name", f"w{n}")
        with log.open("w") as out:
            processes.append(
                subprocess.Popen(argv, cwd=cwd, env=_env(), stdout=out, stderr=out, text=True)
            )
    try:
        yield Workers(processes, logs)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def coordinator(
    db: Path, sources: Path, url: str, spool: Path, cwd: Path, *extra: str
) -> subprocess.Popen[str]:
    """`jobsift crawl --redis URL --spool DIR` started (stdout and stderr piped)."""
    argv = jobsift_command(
        "crawl", "--db", str(db), "--sources", str(sources), "--redis", url, "--spool", str(spool)
    )
    return subprocess.Popen(
        [*argv, *extra],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def local_crawl(
    db: Path, sources: Path, cwd: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """The one-process `jobsift crawl` of the same sources file."""
    argv = jobsift_command("crawl", "--db", str(db), "--sources", str(sources), *extra)
    return subprocess.run(argv, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=900)


def postings(db: Path) -> dict[str, str]:
    """id -> content_hash of every posting row."""
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT id, content_hash FROM posting_rows").fetchall())


def runs(db: Path) -> list[tuple[Any, ...]]:
    """(source, spider, status, scraped, rejected, failures > 0, error is null) per run row."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT source, spider, status, scraped, rejected, failures > 0, error IS NULL "
            "FROM crawl_runs ORDER BY source"
        ).fetchall()


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def held_by(url: str, worker: str) -> int:
    """Requests `worker` holds in Redis (popped, not yet acked), over every source."""
    client = redis.Redis.from_url(url)
    try:
        return sum(client.hlen(key) for key in client.scan_iter(match=f"*:processing:{worker}"))
    finally:
        client.close()
