"""`bench/dedup.py` on the real captures and the own fixtures: every labelled posting exists, and
job ids keep their floors on the hand-labelled pairs (precision and recall >= 0.95)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

from tests.support.sources import REPO


def test_every_labelled_pair_names_two_postings_and_a_label() -> None:
    with (REPO / "bench" / "dedup_pairs.csv").open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    assert len(pairs) >= 400
    assert all(p["left"] != p["right"] and p["same"] in ("true", "false") for p in pairs)
    assert len({(p["left"], p["right"]) for p in pairs}) == len(pairs)
    assert sum(p["same"] == "true" for p in pairs) >= 15


def test_job_ids_keep_their_floors_on_the_labelled_pairs(shared: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "dedup.py"), "--shared", str(shared)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    found = re.fullmatch(r"precision=([\d.]+) recall=([\d.]+) pairs=(\d+) same=(\d+)", last)
    assert found, last
    precision, recall, pairs, same = map(float, found.groups())
    assert precision >= 0.95 and recall >= 0.95, last
    assert pairs >= 400 and same >= 15
