"""`jobsift normalize` on hostile input (issue 9): every line gives one posting or one reason.

One run of the real command over a file of adversarial lines; each case then checks its own line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.crawl import _env, jobsift
from tests.support.normalize import NormalizeRun, run_normalize

GOOD = {
    "source": "fuzz",
    "source_id": "1",
    "title": "Backend Engineer",
    "description": "Remote within Germany. 5+ years of Python.",
    "fetched_at": "2026-11-20T12:00:00+00:00",
}


def _line(**fields: object) -> bytes:
    return json.dumps({**GOOD, **fields}).encode()


# name -> (the line's bytes, what the outcome must contain: a title for a posting, or a reason)
CASES: dict[str, tuple[bytes, str]] = {
    "plain posting": (_line(), "title=Backend Engineer"),
    "invalid UTF-8 byte in a title": (
        _line(title="Data ENG").replace(b"ENG", b"\xffNG"),
        "title=Data \ufffdNG",
    ),
    "lone surrogate escape": (_line(title="Eng \ud800 team"), "title=Eng \ufffd team"),
    "lone surrogate as raw bytes": (
        _line(title="Eng X").replace(b"X", b"\xed\xa0\x80"),
        "title=Eng \ufffd\ufffd\ufffd",
    ),
    "byte order mark": (b"\xef\xbb\xbf" + _line(), "title=Backend Engineer"),
    "JSON nested 1,000 deep": (b"[" * 1000 + b"]" * 1000, "nested too deeply"),
    "a salary nested 100 deep": (
        _line(salary=json.loads("[" * 100 + "]" * 100)),
        "nested deeper than 32",
    ),
    "summary is a number": (_line(summary=5), "summary is a number; it must be text"),
    "category is a list": (_line(category=["a"]), "category is a list; it must be text"),
    "title is an object": (_line(title={"en": "x"}), "title is an object; title must be text"),
    "tags hold a number": (_line(tags=["python", 3]), "tags[1] is a number"),
    "posted is true": (_line(posted=True), "posted is true/false"),
    "salary is a list": (_line(salary=[1, 2]), "salary is a list"),
    "location list holds an object": (_line(location=[{"city": "x"}]), "an item is an object"),
    "huge integer": (_line(salary="x").replace(b'"x"', b"9" * 5000), "more than 4,300 digits"),
    "number beyond float range": (_line(salary="x").replace(b'"x"', b"1e400"), "salary is inf"),
    "NaN": (_line(salary="x").replace(b'"x"', b"NaN"), "NaN is not a JSON value"),
    "a list, not an object": (b"[1, 2]", "the line is a list, not an object"),
    "a string, not an object": (b'"posting"', "the line is text, not an object"),
    "not JSON": (b"{not json", "not JSON"),
    "random bytes": (b"\x00\xff\xfe garbage \x80", "not JSON"),
    "no title and no description": (_line(title=None, description=None), "title or a description"),
    "fetched_at beyond year 9999 in UTC": (
        _line(fetched_at="9999-12-31T23:59:59-05:00"),
        "out of range",
    ),
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[NormalizeRun, dict[str, int]]:
    """All cases in one file, a blank line after each (skipped, but counted in line numbers)."""
    tmp = tmp_path_factory.mktemp("normalize")
    numbers, body = {}, b""
    for number, (name, (line, _)) in enumerate(CASES.items()):
        numbers[name] = 2 * number + 1
        body += line + b"\n\n"
    source = tmp / "hostile.jsonl"
    source.write_bytes(body)
    return run_normalize(b"", str(source), cwd=tmp), numbers


def test_each_line_is_one_posting_or_one_reason(
    hostile_run: tuple[NormalizeRun, dict[str, int]],
) -> None:
    run, _ = hostile_run
    expected_postings = sum(1 for _, want in CASES.values() if want.startswith("title="))
    assert len(run.postings) == expected_postings
    assert len(run.reasons) == len(CASES) - expected_postings
    assert run.returncode == 1


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_line(name: str, hostile_run: tuple[NormalizeRun, dict[str, int]]) -> None:
    run, numbers = hostile_run
    want = CASES[name][1]
    if want.startswith("title="):
        assert numbers[name] not in run.reasons, run.reasons.get(numbers[name])
        titles = [p.overview.title for p in run.postings]
        assert want.removeprefix("title=") in titles
    else:
        assert want in run.reasons.get(numbers[name], ""), run.reasons.get(numbers[name])


def test_good_lines_exit_0(tmp_path: Path) -> None:
    run = run_normalize(_line() + b"\n" + _line(source_id="2") + b"\n", "-", cwd=tmp_path)
    assert run.returncode == 0
    assert [p.id for p in run.postings] == ["fuzz:1", "fuzz:2"]


def test_an_invalid_byte_loses_no_other_line(tmp_path: Path) -> None:
    """The lines around an invalid byte arrive in the same read buffer; all are normalized."""
    lines = [_line(source_id=str(i)) for i in range(200)]
    lines[100] = lines[100].replace(b"Backend", b"Back\xc3end")
    run = run_normalize(b"\n".join(lines) + b"\n", cwd=tmp_path)
    assert run.returncode == 0
    assert len(run.postings) == 200
    assert run.postings[100].overview.title == "Back\ufffdend Engineer"


def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = jobsift("normalize", "missing.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "jobsift: cannot read missing.jsonl: No such file or directory"
    ]
    assert result.stdout == ""


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """`jobsift normalize big.jsonl | head -1`: no traceback, no 'Broken pipe' message."""
    source = tmp_path / "big.jsonl"
    source.write_bytes(b"".join(_line(source_id=str(i)) + b"\n" for i in range(3000)))
    command = [sys.executable, "-m", "jobsift.crawlers.cli", "normalize", str(source)]
    with subprocess.Popen(
        command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # what `head -1` does once it has its line
        stderr = proc.stderr.read()
        returncode = proc.wait(timeout=120)
    assert json.loads(first)["id"] == "fuzz:0"
    assert stderr == b""
    assert returncode == 0


@pytest.mark.parametrize(("timeout", "limited"), [("0.000001", True), ("0", False)])
def test_the_time_limit_per_line(tmp_path: Path, timeout: str, limited: bool) -> None:
    """`--timeout` bounds each line (a microsecond: every line runs out; 0: no limit)."""
    run = run_normalize(
        _line() + b"\n" + _line(source_id="2") + b"\n", "--timeout", timeout, cwd=tmp_path
    )
    if limited:
        assert run.postings == []
        assert set(run.reasons) == {1, 2}
        assert all("stopped after 1e-06 s" in r for r in run.reasons.values())
    else:
        assert len(run.postings) == 2 and run.reasons == {}
