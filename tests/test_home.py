"""Where every command finds the sources file and the database, and `jobsift init`."""

from __future__ import annotations

from importlib.metadata import metadata, version
from pathlib import Path

import pytest
from jobsift.crawlers import settings as project
from jobsift.crawlers.cli import main
from jobsift.crawlers.config import load_sources
from jobsift.crawlers.home import resolve, starter_text

from tests.support.crawl import jobsift

STARTER_NAMES = ("remoteok", "greenhouse-gitlab")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, no JOBSIFT_HOME, a user data folder under tmp_path."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("JOBSIFT_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    return folder


def _write(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[sources.mine]\nspider = "remoteok"\n')
    return path


@pytest.mark.parametrize(
    ("setup", "sources", "db"),
    [
        ("nothing", None, "xdg/jobsift/jobsift.duckdb"),
        ("user data folder", "xdg/jobsift/sources.toml", "xdg/jobsift/jobsift.duckdb"),
        ("project folder", "data/sources.toml", "data/jobsift.duckdb"),
        ("JOBSIFT_HOME without a file", None, "home/jobsift.duckdb"),
        ("JOBSIFT_HOME", "home/sources.toml", "home/jobsift.duckdb"),
    ],
)
def test_the_lookup_finds_the_first_home(
    here: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    sources: str | None,
    db: str,
) -> None:
    root = here.parent
    if setup == "user data folder":
        _write(root / "xdg" / "jobsift" / "sources.toml")
    if setup == "project folder":
        _write(here / "data" / "sources.toml")
        _write(root / "xdg" / "jobsift" / "sources.toml")  # the project folder comes first
    if setup.startswith("JOBSIFT_HOME"):
        monkeypatch.setenv("JOBSIFT_HOME", str(root / "home"))
        _write(here / "data" / "sources.toml")  # JOBSIFT_HOME comes first
        if setup == "JOBSIFT_HOME":
            _write(root / "home" / "sources.toml")
    base = here if setup == "project folder" else root
    paths = resolve(None, None)
    found = None if paths.sources is None else paths.sources.absolute()
    assert found == (None if sources is None else base / sources)
    assert paths.db.absolute() == base / db


def test_the_command_line_comes_first(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBSIFT_HOME", str(here / "home"))
    _write(here / "home" / "sources.toml")
    paths = resolve(Path("mine.toml"), None)
    assert (paths.sources, paths.db) == (Path("mine.toml"), here / "home" / "jobsift.duckdb")
    paths = resolve(None, Path("x.duckdb"))
    assert (paths.sources, paths.db) == (here / "home" / "sources.toml", Path("x.duckdb"))


def test_sources_reads_the_home_or_the_starter(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--max-width", "0"]) == 0
    shown = capsys.readouterr().out
    assert all(name in shown for name in STARTER_NAMES)
    monkeypatch.setenv("JOBSIFT_HOME", str(here / "home"))
    _write(here / "home" / "sources.toml")
    assert main(["sources", "--max-width", "0"]) == 0
    shown = capsys.readouterr().out
    assert "mine" in shown and "greenhouse-gitlab" not in shown
    assert not (here / "home" / "jobsift.duckdb").exists()  # listing creates no database


def test_init_writes_the_starter_where_jobsift_looks(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    written = here.parent / "xdg" / "jobsift" / "sources.toml"
    assert written.read_text(encoding="utf-8") == starter_text()
    out = capsys.readouterr().out
    assert f"sources file: {written}" in out
    assert f"database:     {written.parent / 'jobsift.duckdb'}" in out
    assert "JOBSIFT_HOME=" not in out  # it is where jobsift looks from here
    assert resolve(None, None).sources == written


def test_init_refuses_to_overwrite_without_force(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = _write(here / "data" / "sources.toml")  # the project folder is where jobsift looks
    assert main(["init"]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == f"jobsift: {Path('data/sources.toml')} exists; not overwriting it (--force replaces it with the starter)\n"
    )
    assert "mine" in mine.read_text()
    assert main(["init", "--force"]) == 0
    assert mine.read_text(encoding="utf-8") == starter_text()


def test_init_into_a_folder_says_how_to_use_it(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "elsewhere"]) == 0
    out = capsys.readouterr().out
    assert (here / "elsewhere" / "sources.toml").is_file()
    assert f"JOBSIFT_HOME={here / 'elsewhere'}" in out


def test_init_into_a_file_is_one_line(here: Path) -> None:
    (here / "file").write_text("x")
    result = jobsift("init", "file", cwd=here)
    assert result.returncode == 2
    assert result.stderr == "jobsift: file is not a folder\n"


def test_a_jobsift_home_that_is_a_file_is_one_line(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "file").write_text("x")
    monkeypatch.setenv("JOBSIFT_HOME", "file")
    assert main(["sources"]) == 2
    assert capsys.readouterr().err == "jobsift: JOBSIFT_HOME=file is not a folder\n"


def test_version(here: Path) -> None:
    result = jobsift("--version", cwd=here)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("jobsift ") and result.stdout.strip() != "jobsift unknown"


def test_the_user_agent_names_the_version_and_the_project_page() -> None:
    pages = dict(p.split(", ", 1) for p in metadata("jobsift").get_all("Project-URL") or [])
    assert pages["Homepage"] == project.JOBSIFT_CONTACT_URL
    assert f"jobsift/{version('jobsift')} (+{project.JOBSIFT_CONTACT_URL})" == project.USER_AGENT


def test_discover_adds_to_a_copy_of_the_starter_where_jobsift_looks(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["discover", "https://jobs.lever.co/acmeco", "--add"]) == 0
    written = here.parent / "xdg" / "jobsift" / "sources.toml"
    assert f"added 1 source(s) to {written}" in capsys.readouterr().err
    config = load_sources(resolve(None, None).sources)
    names = [s.name for s in config.sources]
    assert names[-1] == "lever-acmeco" and set(STARTER_NAMES) <= set(names)
    assert written.read_text(encoding="utf-8").startswith(starter_text())
