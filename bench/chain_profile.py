"""CPU per step of the normalization chain, then cProfile's hottest functions (`pipeline.py --profile`)."""

from __future__ import annotations

import cProfile
import json
import pstats
import time
from collections import Counter

from jobsift.pipelines.chain import STEPS, normalize_payload, run_step
from jobsift.pipelines.prepare import prepare
from jobsift.pipelines.validate import validate


def profile_chain(raws: list[str], top: int = 25) -> None:
    """CPU per step (no profiler), then cProfile's hottest functions, over the postings."""
    payloads = [json.loads(r) for r in raws]
    for payload in payloads[:50]:  # warm caches and lazy imports
        normalize_payload(payload)
    cpu: Counter[str] = Counter()
    clock = time.process_time  # CPU time: other processes on the machine do not count
    for payload in payloads:
        started = clock()
        draft = prepare(payload)
        cpu["prepare (incl. parse_document)"] += clock() - started
        for step in STEPS:
            started = clock()
            draft, _ = run_step(step, draft)
            cpu[step.__module__] += clock() - started
        started = clock()
        validate(draft)
        cpu["validate"] += clock() - started
    total = sum(cpu.values())
    print(
        f"\nchain CPU: {total / len(payloads) * 1e6:.0f} µs/posting ({len(payloads) / total:.0f}/s)"
    )
    for name, seconds in cpu.most_common():
        print(f"  {name:<34} {seconds / len(payloads) * 1e6:8.1f} µs/posting")
    profiler = cProfile.Profile(clock)
    profiler.enable()
    for payload in payloads:
        normalize_payload(payload)
    profiler.disable()
    print(f"\nhottest functions (CPU, cProfile, {len(payloads)} postings):")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
