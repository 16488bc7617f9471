"""Times the normalizers on adversarial inputs that a quadratic scan would stall on.

    python bench/linear.py [--scale N]

Each case is run at size n and 4n; a linear normalizer takes about 4x as long for 4x the input
(a quadratic one 16x). Prints seconds per case and the ratio. Not a test: wall-clock figures
depend on the machine; tests check behaviour on moderate sizes instead.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from jobsift.pipelines.chain import normalize_payload  # noqa: E402
from jobsift.pipelines.classification.step import clean_title  # noqa: E402
from jobsift.pipelines.compensation.text import text_pay  # noqa: E402
from jobsift.pipelines.text_facts import read_text_facts, type_line  # noqa: E402

CASES: dict[str, tuple[Callable[[int], str], Callable[[str], object]]] = {
    "text_pay '$1,' repeated": (lambda n: "$1," * n, text_pay),
    "text_pay '$1 ' repeated": (lambda n: "$1 " * n, text_pay),
    "clean_title spaces": (lambda n: " " * n, clean_title),
    "clean_title ' - a'": (lambda n: "Engineer" + " - a" * n, clean_title),
    "text facts label lines": (lambda n: "Location: x\n" * n, read_text_facts),
    "text facts one long line": (lambda n: "Salary:" + " " * n + "x", read_text_facts),
    "type line, type words": (lambda n: "\nfull part " * n, type_line),
    "type line, one long line": (lambda n: "full " * n, type_line),
    "normalize description '$1,'": (
        lambda n: "$1," * n,
        lambda d: normalize_payload({"source": "t", "source_id": "1", "description": d}),
    ),
}


def _time(function: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50_000, help="n (characters or repeats)")
    args = parser.parse_args()
    for name, (make, function) in CASES.items():
        small, big = _time(function, make(args.scale)), _time(function, make(4 * args.scale))
        ratio = big / small if small > 0 else float("inf")
        print(f"{name:<32} n={args.scale}: {small:7.3f}s  4n: {big:7.3f}s  ratio {ratio:5.1f}")


if __name__ == "__main__":
    main()
