"""A real redis-server on 127.0.0.1 for a test: a free port, a temporary folder, stopped after.

When redis-server is not installed the tests that need it skip, saying so; with
JOBSIFT_REQUIRE_REDIS=1 (CI, whose `.ci/run` installs it) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

try:
    import redis
except ImportError:  # the test extra brings it; without it the tests skip like without a server
    redis = None  # type: ignore[assignment]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _missing(what: str) -> None:
    if os.environ.get("JOBSIFT_REQUIRE_REDIS") == "1":
        pytest.fail(f"{what} (JOBSIFT_REQUIRE_REDIS=1)")
    pytest.skip(what)


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Starts redis-server in `folder`; yields its URL; stops it (and checks it stopped)."""
    binary = shutil.which("redis-server")
    if binary is None:
        _missing("redis-server is not installed (apt-get install redis-server)")
    if redis is None:
        _missing("the Python package redis is not installed (pip install -e '.[test]')")
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    args += ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
    log = (folder / "redis.log").open("w")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start: {(folder / 'redis.log').read_text()}"
                    ) from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
