"""jobsift as a user installs it: a wheel in a fresh virtual environment, run from an empty folder.

One wheel and one environment for the module. The environment sees this one's packages
(`--system-site-packages`: nothing is downloaded) and gets the wheel with `--no-deps`; the commands
run with no checkout on the path and with their own user data folder.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.support.sources import REPO

PIP = (sys.executable, "-m", "pip")
NO_DOWNLOAD = ("--no-deps", "--no-index")
RAW = {
    "source": "greenhouse",
    "source_id": "1",
    "title": "Data Engineer",
    "company": "Acme",
    "location": "Remote - Canada",
    "description": "<h3>Requirements</h3><ul><li>3+ years of SQL.</li></ul>",
    "fetched_at": "2026-11-20T12:00:00+00:00",
}
BOARD = {
    "jobs": [
        {
            "id": 7,
            "title": "Backend Engineer",
            "absolute_url": "https://example.org/jobs/7",
            "company_name": "GitLab",
            "location": {"name": "Remote, Worldwide"},
            "updated_at": "2026-11-18T09:00:00-05:00",
            "content": "&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Go.&lt;/li&gt;&lt;/ul&gt;",
        }
    ],
    "meta": {"total": 1},
}


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of a copy of the checkout (building writes build/ and egg-info beside the code)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "*.egg-info", "build", "dist", "__pycache__", "*.duckdb*", "logs", "out"
        ),
    )
    built = _run(
        [
            *PIP,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work / "dist"),
            str(source),
        ]
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = (work / "dist").glob("jobsift-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; its dependencies are this one's."""
    root = tmp_path_factory.mktemp("venv") / "env"
    made = _run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(root)]
    )
    assert made.returncode == 0, made.stderr
    python = root / "bin" / "python"
    if sys.prefix != sys.base_prefix:  # run from a virtual environment: its packages too
        inner = (
            root / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
        )
        (inner / "_outer_packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    # This environment's pip, run by the new interpreter, installs into the new environment.
    installed = _run(
        [str(python), "-m", "pip", "install", "-q", *NO_DOWNLOAD, "--force-reinstall", str(wheel)],
        env=_user_env(root.parent),
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    return root


def _user_env(home: Path) -> dict[str, str]:
    """A user's environment: no checkout on the path, a user data folder of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JOBSIFT_HOME")}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    env["XDG_DATA_HOME"] = str(home / "xdg")
    env["HOME"] = str(home)
    return env


@pytest.fixture
def user(venv: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An empty working folder and the environment of a user of `venv`."""
    folder = tmp_path / "empty"
    folder.mkdir()
    env = _user_env(tmp_path)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    return folder, env


def _jobsift(venv: Path, user: tuple[Path, dict[str, str]], *argv: str, stdin: str = ""):
    folder, env = user
    return subprocess.run(
        [str(venv / "bin" / "jobsift"), *argv],
        cwd=folder,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_installs_only_under_jobsift(wheel: Path) -> None:
    """Nothing generic (`crawlers`, `pipelines`, `schemas`) lands at the top of site-packages;
    the starter sources file travels inside the package."""
    with zipfile.ZipFile(wheel) as archive:
        files = [name for name in archive.namelist() if ".dist-info/" not in name]
    assert files and [name for name in files if not name.startswith("jobsift/")] == []
    assert "jobsift/crawlers/sources.default.toml" in files


def test_the_installed_jobsift_is_the_environments_own(
    venv: Path, user: tuple[Path, dict[str, str]]
) -> None:
    folder, env = user
    code = "import jobsift.crawlers.cli as m; print(m.__file__)"
    found = _run([str(venv / "bin" / "python"), "-c", code], cwd=folder, env=env)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(venv), found.stdout
    assert not Path(found.stdout.strip()).is_relative_to(REPO)


def test_a_fresh_install_runs_from_an_empty_folder(
    venv: Path, user: tuple[Path, dict[str, str]], server
) -> None:
    folder, env = user
    data_home = Path(env["XDG_DATA_HOME"]) / "jobsift"

    version = _jobsift(venv, user, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == "jobsift 0.1.0"

    # Before `init`: the starter shipped with jobsift is the sources file.
    listed = _jobsift(venv, user, "sources", "--max-width", "0")
    assert listed.returncode == 0, listed.stderr
    assert "greenhouse-gitlab" in listed.stdout and "never" in listed.stdout

    normalized = _jobsift(venv, user, "normalize", stdin=json.dumps(RAW) + "\n")
    assert normalized.returncode == 0, normalized.stderr
    assert json.loads(normalized.stdout)["overview"]["company"] == "Acme"

    server.add("/v1/boards/gitlab/jobs", json.dumps(BOARD))
    crawl = _jobsift(
        venv,
        user,
        "crawl",
        "greenhouse-gitlab",
        *("--set", f"JOBSIFT_GREENHOUSE_URL={server.url}"),
        *("--set", "AUTOTHROTTLE_ENABLED=false", "--set", "JOBSIFT_PROGRESS_INTERVAL=0"),
    )
    assert crawl.returncode == 0, crawl.stderr + crawl.stdout
    assert "greenhouse-gitlab: finished, 1 posting (" in crawl.stdout
    with duckdb.connect(str(data_home / "jobsift.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT source_name, title FROM postings").fetchall()
    assert rows == [("greenhouse-gitlab", "Backend Engineer")]

    init = _jobsift(venv, user, "init")
    assert init.returncode == 0, init.stderr
    assert (data_home / "sources.toml").read_text() == (REPO / "data" / "sources.toml").read_text()
    assert str(data_home / "jobsift.duckdb") in init.stdout

    listed = _jobsift(venv, user, "sources", "--max-width", "0")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""
    (gitlab,) = [line for line in listed.stdout.splitlines() if "greenhouse-gitlab" in line]
    assert "finished" in gitlab  # the run above, read from the database in the user data folder
    assert list(folder.iterdir()) == []  # nothing written where the user happened to be
