"""No file of the project names a path outside the repository.

A user has the checkout or the installed package, nothing beside it: code, docs and comments that
point at the maintainers' folder beside the checkout (`../shared`, its SPEC and gold notes, its
captures' FORMATS.md), at a machine's own folders (`/work/...`, `/home/NAME`, `/Users/NAME`,
`/root/`) send a reader to something they do not have. Every file git tracks is read, except:

- `tests/`: tests may read the maintainers' captures and gold sets from `../shared` beside the
  checkout, and skip cleanly when it is absent (tests/support/gold.py); naming it is how they find
  it, and this module has to spell the patterns it looks for.
- `CONTRIBUTING.md`: written for contributors, who do have `../shared` beside their checkout and
  are told there which capture a new source's all-sources crawl serves.

Paths that are the same on every machine are not outside the project in this sense and pass:
`~/.local/share/jobsift` (the user data folder, as platformdirs names it), `/etc/systemd/...` and
`/srv/jobsift` in the scheduling examples, `/tmp/...` in commands a reader types.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

OUTSIDE = {
    "../shared": re.compile(r"\.\./shared|\bshared/(fixtures|gold)\b"),
    "/work/": re.compile(r"(?<![\w.])/work/"),
    "a home folder": re.compile(r"(?<![\w.])/(home|Users)/[A-Za-z_][\w.-]*|(?<![\w.])/root/"),
    "the SPEC": re.compile(r"\bSPEC\b|SPEC\.md"),
    "gold notes": re.compile(r"\bgold/README\.md|\bFORMATS\.md"),
}


def _tracked() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [name for name in listed.stdout.split("\0") if name]


def _checked(name: str) -> bool:
    return not name.startswith("tests/") and name != "CONTRIBUTING.md"


@pytest.fixture(scope="module")
def files() -> list[str]:
    return [name for name in _tracked() if _checked(name) and (REPO / name).is_file()]


@pytest.mark.parametrize("what", sorted(OUTSIDE))
def test_no_file_names_a_path_outside_the_repository(files: list[str], what: str) -> None:
    found = []
    for name in files:
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:  # a binary file names no paths a reader follows
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE[what].search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, f"{what} named outside tests/ and CONTRIBUTING.md:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "see ../shared/SPEC.md",
        "cp /work/shared/fixtures x",
        "open('/home/alice/jobs.duckdb')",
        "open('/Users/bob/x')",
        "(SPEC section 5)",
        "gold/README.md rule 3",
        "the captures' FORMATS.md",
        "under shared/fixtures/withmira/",
    ],
)
def test_the_patterns_catch_outside_paths(line: str) -> None:
    assert any(pattern.search(line) for pattern in OUTSIDE.values()), line


@pytest.mark.parametrize(
    "line",
    [
        "~/.local/share/jobsift on Linux",
        "# /etc/systemd/system/jobsift.service",
        "cd /srv/jobsift && .venv/bin/jobsift crawl",
        "export JOBSIFT_HOME=/tmp/jobsift-tour",
        "SPECIAL_NUMBERS = (0, -1)",
        "helpers shared by spiders",
        "https://example.com/home/careers",
    ],
)
def test_the_patterns_pass_paths_every_machine_has(line: str) -> None:
    assert not any(pattern.search(line) for pattern in OUTSIDE.values()), line
