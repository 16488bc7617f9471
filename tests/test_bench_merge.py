"""`bench/merge.py`: the merge-rate script runs end to end on a small spool and prints its figures
in the form other scripts and the docs read (the rate itself is measured, never asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench.merge import measure_merge, staged_rows
from tests.support.sources import REPO


def test_staged_rows_are_distinct_postings(tmp_path: Path) -> None:
    rows = staged_rows(90, pages=40, workdir=tmp_path)
    assert len({r["id"] for r in rows}) == len({r["raw_hash"] for r in rows}) == 90
    assert len({r["company"] for r in rows}) > 40  # copies are other companies' postings


def test_measure_merge_merges_every_row_twice(tmp_path: Path) -> None:
    figures = measure_merge(rows=240, batch_size=100, pages=30, workdir=tmp_path, slices=2)
    assert (figures.rows, figures.batches, figures.slice_rows) == (240, 4, 120)
    assert len(figures.merge_seconds) == len(figures.recrawl_seconds) == 2
    assert figures.spool_bytes > 240 * 100  # Parquet of real postings, not empty files
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone


def test_the_last_line_is_the_figures(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "merge.py"), "--rows", "300", "--pages", "30"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"merge_rows_per_s=\d+ recrawl_merge_rows_per_s=\d+ spool_bytes_per_1000=\d+", last
    ), last
