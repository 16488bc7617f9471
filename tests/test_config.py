"""The sources file is checked in full before a crawl fetches anything: a mistake is one line on
stderr and exit code 2, an unknown name a warning naming the closest known one."""

from __future__ import annotations

from pathlib import Path

import pytest
from jobsift.crawlers.cli import main
from jobsift.crawlers.config import load_sources, parse_set, parse_sources
from jobsift.crawlers.home import starter_text

from tests.support.crawl import jobsift
from tests.support.sources import REPO

GOOD = '[sources.a]\nspider = "greenhouse"\nargs = { board = "acme" }\n'
# Misspelt setting names, spelt out here so that no file of the project names a setting that does
# not exist.
MIN_INTERVAL_TYPO = "JOBSIFT_MIN_INTERVAL".replace("INTERVAL", "INTRVAL")

BAD_FILES = {
    "not TOML": ("[sources.a\n", "not valid TOML"),
    "sources a string": ('sources = "remoteok"\n', "sources must be tables [sources.NAME]"),
    "sources an array of tables": (
        '[[sources]]\nspider = "remoteok"\n',
        "sources must be tables [sources.NAME], one per source, not an array",
    ),
    "a source not a table": (
        '[sources]\na = "remoteok"\n',
        "source 'a' must be a table ([sources.a] with spider = ...), not a string",
    ),
    "no spider": ("[sources.a]\nenabled = true\n", "source 'a' has no spider"),
    "spider a number": ("[sources.a]\nspider = 5\n", "source 'a' has spider a number"),
    "args a list": (
        '[sources.a]\nspider = "greenhouse"\nargs = ["acme"]\n',
        "source 'a': args must be a table, not an array",
    ),
    "an argument a table": (
        '[sources.a]\nspider = "greenhouse"\nargs = { board = { name = "acme" } }\n',
        "source 'a': argument 'board' must be a string or a number, not a table",
    ),
    "enabled a string": (
        GOOD + 'enabled = "no"\n',
        "source 'a': enabled must be true or false, not a string ('no')",
    ),
    "source settings a string": (
        GOOD + 'settings = "fast"\n',
        "source 'a': settings must be a table, not a string",
    ),
    "settings not a table": ("settings = 5\n" + GOOD, "settings must be a table ([settings])"),
    "non-numeric min interval": (
        '[settings]\nJOBSIFT_MIN_INTERVAL = "hourly"\n' + GOOD,
        "[settings]: JOBSIFT_MIN_INTERVAL must be a number, not a string ('hourly')",
    ),
    "non-numeric source timeout": (
        GOOD + 'settings = { DOWNLOAD_TIMEOUT = "slow" }\n',
        "source 'a': DOWNLOAD_TIMEOUT must be a number, not a string ('slow')",
    ),
    "a number given as a boolean": (
        "[settings]\nJOBSIFT_SOURCE_TIMEOUT = true\n" + GOOD,
        "JOBSIFT_SOURCE_TIMEOUT must be a number, not a boolean",
    ),
    "a boolean given as text": (
        '[settings]\nROBOTSTXT_OBEY = "sometimes"\n' + GOOD,
        "ROBOTSTXT_OBEY must be true or false, not a string ('sometimes')",
    ),
    "an unknown spider": (
        '[sources.a]\nspider = "greenhose"\n',
        "source 'a': no spider named 'greenhose'; did you mean 'greenhouse'?",
    ),
    "a required argument missing": (
        '[sources.a]\nspider = "greenhouse"\nargs = { boards = "acme" }\n',
        "source 'a': spider 'greenhouse' needs args = { board = \"...\" }",
    ),
    "a required argument blank": (
        '[sources.a]\nspider = "withmira"\nargs = { start_url = " " }\n',
        "source 'a': spider 'withmira' needs args = { start_url = \"...\" }",
    ),
}

BAD_OPTIONS = {
    "--set non-numeric": (("--set", "JOBSIFT_MIN_INTERVAL=soon"), "--set: JOBSIFT_MIN_INTERVAL"),
    "--set without a value": (("--set", "JOBSIFT_MIN_INTERVAL"), "--set takes KEY=VALUE"),
    "a missing sources file": (("--sources", "missing.toml"), "sources file not found"),
}


def _assert_one_line(code: int, stderr: str, message: str) -> None:
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    assert message in stderr


@pytest.fixture
def crawl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """`jobsift crawl ARGV` in this process (the checks run before any crawl could start), from
    `tmp_path`: its exit code and stderr."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")

    def run(*argv: str) -> tuple[int, str]:
        code = main(["crawl", "--sources", "sources.toml", "--db", "db/jobsift.duckdb", *argv])
        return code, capsys.readouterr().err

    return run


@pytest.mark.parametrize(("text", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_sources_file_stops_the_crawl_with_one_line(
    crawl, tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "sources.toml").write_text(text)
    _assert_one_line(*crawl(), message)
    assert not (tmp_path / "db").exists()  # checked before the lock and the database


@pytest.mark.parametrize(("argv", "message"), BAD_OPTIONS.values(), ids=BAD_OPTIONS.keys())
def test_a_bad_crawl_option_stops_with_one_line(
    crawl, tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    (tmp_path / "sources.toml").write_text(GOOD)
    _assert_one_line(*crawl(*argv), message)
    assert not (tmp_path / "db").exists()


@pytest.mark.parametrize("case", ["enabled a string", "a required argument missing"])
def test_the_jobsift_process_says_it_in_one_line(tmp_path: Path, case: str) -> None:
    """The same checks as the command a user runs: one line from the whole process."""
    text, message = BAD_FILES[case]
    (tmp_path / "sources.toml").write_text(text)
    db = tmp_path / "db" / "jobsift.duckdb"
    result = jobsift("crawl", "--sources", "sources.toml", "--db", str(db), cwd=tmp_path)
    _assert_one_line(result.returncode, result.stderr, message)
    assert not db.parent.exists()


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (GOOD + "enable = false\n", "source 'a': unknown key 'enable'; did you mean 'enabled'?"),
        (
            GOOD + 'company = "acme"\n',
            "source 'a': unknown key 'company'; spider arguments go in args = { ... }",
        ),
        (
            f"[settings]\n{MIN_INTERVAL_TYPO} = 60\n" + GOOD,
            f"[settings]: unknown setting {MIN_INTERVAL_TYPO!r}; did you mean 'JOBSIFT_MIN_INTERVAL'?",
        ),
        (
            GOOD + "settings = { DOWNLOAD_TIMOUT = 5 }\n",
            "source 'a': unknown setting 'DOWNLOAD_TIMOUT'; did you mean 'DOWNLOAD_TIMEOUT'?",
        ),
        (
            "[source.a]\nspider = 'remoteok'\n",
            "unknown table or key 'source'; did you mean 'sources'?",
        ),
        ('[settings]\nJOBSIFT_HOME = "/srv"\n' + GOOD, "unknown setting 'JOBSIFT_HOME'"),
    ],
    ids=["source key", "argument as a key", "jobsift setting", "scrapy setting", "table", "env"],
)
def test_an_unknown_name_is_a_warning_naming_the_closest(
    monkeypatch: pytest.MonkeyPatch, text: str, warning: str
) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    config = parse_sources(text, "sources.toml")
    assert [w for w in config.warnings if warning in w] != [], config.warnings


def test_the_warnings_reach_stderr_and_the_command_goes_on(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(GOOD + "enable = false\n")
    result = jobsift(
        "sources", "--sources", "sources.toml", "--db", str(tmp_path / "x.duckdb"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "jobsift: warning: sources.toml: source 'a': unknown key 'enable'; did you mean 'enabled'?\n"
    )
    assert "greenhouse" in result.stdout


def test_an_unknown_set_name_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    values, warnings = parse_set([f"{MIN_INTERVAL_TYPO}=5", "JOBSIFT_MIN_INTERVAL=60"])
    assert values == {MIN_INTERVAL_TYPO: "5", "JOBSIFT_MIN_INTERVAL": "60"}
    assert warnings == [
        f"--set: unknown setting {MIN_INTERVAL_TYPO!r}; did you mean 'JOBSIFT_MIN_INTERVAL'?"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", "true"), ("false", "false"), ("2", "2"), ("1.5", "1.5"), ('"x y"', "x y")],
)
def test_arguments_are_text_as_spiders_receive_them(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    config = parse_sources(GOOD.replace('board = "acme"', f"board = {value}"), "s.toml")
    assert config.sources[0].args == {"board": expected}


def test_the_starter_and_the_checkouts_sources_file_are_the_same_and_clean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    assert (REPO / "data" / "sources.toml").read_text(encoding="utf-8") == starter_text()
    config = load_sources(None)
    assert config.warnings == []
    assert config.label == "the starter sources file shipped with jobsift"
    assert {s.name for s in config.sources if s.enabled} >= {"remoteok", "greenhouse-gitlab"}
    assert all(s.enabled is False for s in config.sources if s.name.endswith("-example"))
