"""`jobsift normalize` run as a user runs it, on bytes, and the checks every run must pass."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from jobsift.schemas import Posting

from tests.support.crawl import _env

_MESSAGE = re.compile(r"line (\d+): (\S.*)")


@dataclass
class NormalizeRun:
    returncode: int
    postings: list[Posting]
    reasons: dict[int, str]  # line number -> reason
    stderr: str


def run_normalize(stdin: bytes, *argv: str, cwd: Path) -> NormalizeRun:
    """Runs the command, then checks what holds for any input: valid UTF-8 out, one posting per
    stdout line, one `line N: reason` per stderr line, exit 1 exactly when a line was bad."""
    proc = subprocess.run(
        [sys.executable, "-m", "jobsift.crawlers.cli", "normalize", *argv],
        cwd=cwd,
        env=_env(),
        input=stdin,
        capture_output=True,
        timeout=600,
    )
    out = proc.stdout.decode("utf-8")  # strict: the output must be valid UTF-8
    err = proc.stderr.decode("utf-8")
    assert out.endswith("\n") or not out, out[-200:]
    assert err.endswith("\n") or not err, err[-200:]
    # Split on "\n" only: a posting may hold U+2028, which str.splitlines() would split on.
    postings = [Posting.model_validate_json(line) for line in out.split("\n")[:-1]]
    reasons: dict[int, str] = {}
    for line in err.split("\n")[:-1]:
        match = _MESSAGE.fullmatch(line)
        assert match, f"not a `line N: reason` message: {line!r}"
        assert int(match.group(1)) not in reasons, f"line {match.group(1)} named twice"
        reasons[int(match.group(1))] = match.group(2)
    assert proc.returncode == (1 if reasons else 0), err[-2000:]
    return NormalizeRun(proc.returncode, postings, reasons, err)
