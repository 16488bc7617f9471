"""Micro-benchmark of date parsing: the step's fast paths against dateparser alone.

    python bench/dates.py [--rounds N]

Prints dates per second for each input format through `pipelines.dates.parse_date`, then for the
same mix through dateparser with default settings and with `languages=['en']`, to show why the
fast paths come first.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import dateparser  # noqa: E402
from jobsift.pipelines.dates.step import parse_date  # noqa: E402

BASE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SAMPLES: dict[str, str] = {
    "iso with offset": "2026-07-10T13:31:21-04:00",
    "iso without zone": "2026-07-28T14:23:05",
    "recruitee utc": "2026-08-05 10:10:39 UTC",
    "date only": "2026-06-30",
    "epoch seconds": "1783731390",
    "epoch milliseconds": "1694463796009",
    "rfc 822": "Fri, 10 Jul 2026 22:45:30 +0000",
    "relative": "3 days ago",
    "yesterday": "Yesterday",
    "month name": "Posted Nov 18, 2026",
    "unparseable": "Recently added",
}


def _rate(parse: Callable[[str], object], text: str, rounds: int) -> float:
    parse(text)  # dateparser loads its language data on first use; not part of the rate
    started = time.perf_counter()
    for _ in range(rounds):
        parse(text)
    return rounds / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    rounds = parser.parse_args().rounds
    print(f"{'format':22s} {'parse_date/s':>14s}")
    for name, text in SAMPLES.items():
        print(f"{name:22s} {_rate(lambda t: parse_date(t, BASE), text, rounds):14,.0f}")
    mix = list(SAMPLES.values())
    slow_rounds = max(1, rounds // 100)
    settings = {"RELATIVE_BASE": BASE.replace(tzinfo=None), "RETURN_AS_TIMEZONE_AWARE": True}
    contenders: dict[str, Callable[[str], object]] = {
        "parse_date": lambda t: parse_date(t, BASE),
        "dateparser, languages=['en']": lambda t: dateparser.parse(
            t, languages=["en"], settings=settings
        ),
        "dateparser, default": lambda t: dateparser.parse(t, settings=settings),
    }
    print(f"\n{'whole mix':30s} {'dates/s':>10s}")
    for name, parse in contenders.items():
        n = rounds if name == "parse_date" else slow_rounds
        parse(mix[0])
        started = time.perf_counter()
        for _ in range(n):
            for text in mix:
                parse(text)
        print(f"{name:30s} {n * len(mix) / (time.perf_counter() - started):10,.0f}")


if __name__ == "__main__":
    main()
