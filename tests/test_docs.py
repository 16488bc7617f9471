"""The generated parts of docs/ match the code (command help, settings, table columns)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
GENERATED = [p for p in DOCS if "[[[cog" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("page", GENERATED, ids=lambda p: p.name)
def test_generated_docs_match_the_code(page: Path) -> None:
    check = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT / "docs"), str(page)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert check.returncode == 0, (
        f"{page.name} is out of date: run `python -m cogapp -r -I docs docs/*.md`\n{check.stdout}"
        f"{check.stderr}"
    )


def test_docs_pages_link_to_pages_that_exist() -> None:
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for page in DOCS:
        if page.name != "README.md":
            assert f"({page.name})" in index, f"docs/README.md does not list {page.name}"
