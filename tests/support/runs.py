"""`jobsift crawl` of a sources file written for a test, and the `crawl_runs` it left."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from tests.support.crawl import _env

# Every test crawl: no politeness waits, no progress lines, short timeouts.
QUICK = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "RETRY_TIMES": 1,
    "JOBSIFT_PROGRESS_INTERVAL": 0,
    "JOBSIFT_RETRY_AFTER_MAX": 1,
    "DOWNLOAD_TIMEOUT": 5,
    "JOBSIFT_SOURCE_TIMEOUT": 60,
}


@dataclass
class SourceSpec:
    spider: str
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def _toml(value: Any) -> str:
    if isinstance(value, dict):  # an inline table, keys quoted ("127.0.0.1")
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)  # strings, numbers and booleans are written alike in TOML


def write_sources(path: Path, sources: dict[str, SourceSpec], shared: dict[str, Any]) -> Path:
    lines = ["[settings]"] + [f"{k} = {_toml(v)}" for k, v in {**QUICK, **shared}.items()]
    for name, spec in sources.items():
        lines += [f"[sources.{name}]", f"spider = {_toml(spec.spider)}"]
        if spec.args:
            lines.append(
                "args = { " + ", ".join(f"{k} = {_toml(v)}" for k, v in spec.args.items()) + " }"
            )
        if spec.settings:
            lines.append(
                "settings = { "
                + ", ".join(f"{k} = {_toml(v)}" for k, v in spec.settings.items())
                + " }"
            )
    path.write_text("\n".join(lines) + "\n")
    return path


def crawl_command(tmp_path: Path, *names: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "jobsift.crawlers.cli",
        "crawl",
        *names,
        "--db",
        str(tmp_path / "jobsift.duckdb"),
        "--sources",
        str(tmp_path / "sources.toml"),
    ]


def start_crawl(tmp_path: Path, *names: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        crawl_command(tmp_path, *names),
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_crawl(
    tmp_path: Path,
    sources: dict[str, SourceSpec],
    *names: str,
    shared: dict[str, Any] | None = None,
) -> subprocess.CompletedProcess[str]:
    write_sources(tmp_path / "sources.toml", sources, shared or {})
    return subprocess.run(
        crawl_command(tmp_path, *names),
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def runs(tmp_path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Every row of `crawl_runs`, keyed by (run_id, source)."""
    with duckdb.connect(str(tmp_path / "jobsift.duckdb"), read_only=True) as con:
        cursor = con.execute("SELECT * FROM crawl_runs ORDER BY started_at")
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {(row["run_id"], row["source"]): row for row in rows}


def last_run(tmp_path: Path, source: str) -> dict[str, Any]:
    return [row for (_, name), row in runs(tmp_path).items() if name == source][-1]
