"""Fuzz `jobsift normalize` line by line and report the slowest inputs (issue 9, "Bounded work").

    python bench/fuzz.py [--examples 100000] [--max-run 8000] [--seed 0] [--top 5] [--save DIR]

First times each input of `KNOWN_SLOW` (found slow before; `--skip-known` to skip), then feeds
generated input lines (`bench/fuzz_inputs.py`: raw postings with adversarial fields, any
JSON value, deep nesting, invalid bytes) to the very function `jobsift normalize` runs per line
(`pipelines/runtime/lines.normalize_line`), without the item time limit, and times each one in
CPU seconds of this process (on a shared machine, wall time mostly measures the neighbours).
Every line must give exactly one posting or one one-line reason, never an exception; any input
slower than `--limit` seconds (default 1) is listed and makes the exit status 1.

`--save DIR` writes the slowest lines to DIR/slowest-N.jsonl, to reproduce one with
`time jobsift normalize DIR/slowest-1.jsonl`.

The last line is exactly `examples=… postings=… rejects=… slowest_s=… over_limit=…`.
"""

from __future__ import annotations

import argparse
import heapq
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from jobsift.pipelines.runtime.lines import normalize_line  # noqa: E402

from bench.fuzz_inputs import KNOWN_SLOW, input_lines  # noqa: E402


def _show(line: bytes, width: int = 160) -> str:
    text = repr(line)
    return (
        text if len(text) <= width else f"{text[: width - 40]} … {text[-30:]} ({len(line)} bytes)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--max-run", type=int, default=8000, help="longest repeated piece")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.0, help="seconds an input may take")
    parser.add_argument("--save", type=Path, help="write the slowest lines here")
    parser.add_argument("--skip-known", action="store_true", help="do not time KNOWN_SLOW first")
    args = parser.parse_args(argv)

    normalize_line(b'{"title": "warm-up", "posted": "3 days ago", "salary": "$1"}')
    slowest: list[tuple[float, int, bytes]] = []  # a min-heap of the top `--top`
    counts = {"examples": 0, "postings": 0, "rejects": 0}
    over: list[tuple[float, bytes]] = []

    if not args.skip_known:
        print("inputs found slow before (KNOWN_SLOW):")
        for name, payload in KNOWN_SLOW.items():
            line = json.dumps(payload).encode()
            begin = time.process_time()
            normalize_line(line)
            elapsed = time.process_time() - begin
            print(f"  {elapsed:8.3f} s  {name}")
            if elapsed > args.limit:
                over.append((elapsed, line))
    started = time.monotonic()

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(input_lines(args.max_run))
    def run(line: bytes) -> None:
        begin = time.process_time()
        result = normalize_line(line)
        elapsed = time.process_time() - begin
        counts["examples"] += 1
        if line.strip():
            assert (result.posting is None) != (result.reason is None), line
        if result.posting is not None:
            counts["postings"] += 1
        elif result.reason is not None:
            assert "\n" not in result.reason, result.reason
            counts["rejects"] += 1
        if elapsed > args.limit:
            over.append((elapsed, line))
        entry = (elapsed, counts["examples"], line)
        if len(slowest) < args.top:
            heapq.heappush(slowest, entry)
        else:
            heapq.heappushpop(slowest, entry)
        if counts["examples"] % 10_000 == 0:
            rate = counts["examples"] / (time.monotonic() - started)
            print(f"  {counts['examples']} examples, {rate:.0f}/s", file=sys.stderr)

    run()
    ranked = sorted(slowest, reverse=True)
    print(f"slowest {len(ranked)} of {counts['examples']} inputs:")
    for rank, (elapsed, _, line) in enumerate(ranked, start=1):
        print(f"  {rank}. {elapsed:.3f} s  {_show(line)}")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"slowest-{rank}.jsonl").write_bytes(line + b"\n")
    for elapsed, line in over:
        print(f"OVER {args.limit:g} s: {elapsed:.3f} s  {_show(line)}")
    top = ranked[0][0] if ranked else 0.0
    print(
        f"examples={counts['examples']} postings={counts['postings']} "
        f"rejects={counts['rejects']} slowest_s={top:.3f} over_limit={len(over)}"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
