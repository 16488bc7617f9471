"""Fuzzing `jobsift normalize` (issue 9): arbitrary JSON values, bytes and adversarial strings.

10,000 generated examples: 6,500 input lines through the function the command runs per line,
3,200 raw payloads through the crawl's chain (`run_chain`, as the worker runs it) and 3 runs of
the real command on 100 lines each. Zero aborts: every line gives exactly one posting or one
one-line reason, and no step of the chain crashes on a payload that passed validation (a type
error is the raw posting's reject, never a step's exception). Timing is `bench/fuzz.py`'s job.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jobsift.pipelines.runtime.lines import LineResult, normalize_line
from jobsift.pipelines.runtime.result import run_chain
from jobsift.pipelines.storage.store import StagedPosting
from jobsift.schemas import Posting, Reject

from bench.fuzz_inputs import input_lines, raw_payloads
from tests.support.normalize import run_normalize

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
# Long enough to reach the normalizers' windows and loops, short enough for CI time.
MAX_RUN = 1000

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def check_line(line: bytes, result: LineResult) -> None:
    if not line.strip():
        assert result == LineResult()
        return
    assert (result.posting is None) != (result.reason is None), result
    if result.posting is not None:
        assert result.posting.endswith(b"\n") and result.posting.count(b"\n") == 1
        Posting.model_validate_json(result.posting.decode("utf-8"))  # strict UTF-8
    else:
        assert result.reason
        assert not any(c in result.reason for c in "\r\n\u2028\u2029\x85"), result.reason
        result.reason.encode("utf-8")  # no lone surrogate
        assert "step_errors" not in result.reason
        assert " failed: " not in result.reason, f"a step crashed: {result.reason}"


@settings(FUZZ, max_examples=6_500)
@given(input_lines(MAX_RUN))
def test_every_line_gives_one_posting_or_one_reason(line: bytes) -> None:
    check_line(line, normalize_line(line, now=NOW))


@settings(FUZZ, max_examples=3_200)
@given(raw_payloads(MAX_RUN))
def test_the_crawl_chain_rejects_with_a_reason_and_never_crashes(payload: dict[str, Any]) -> None:
    result = run_chain(payload)  # no try: the crawl's chain itself must not raise
    if isinstance(result.item, Reject):
        assert result.item.reason
        assert "step_errors" not in result.events, result.item.reason
    else:
        assert isinstance(result.item, StagedPosting)
        assert result.item.posting.model_dump_json().encode("utf-8")


@settings(FUZZ, max_examples=3)
@given(st.lists(input_lines(MAX_RUN), min_size=100, max_size=100))
def test_the_real_command_answers_every_line(tmp_path_factory: Any, lines: list[bytes]) -> None:
    # Each line given is one line (an input line never holds b"\n"); a bare "\r" stays inside it.
    tmp = Path(tmp_path_factory.mktemp("fuzz"))
    run = run_normalize(b"\n".join(lines) + b"\n", "-", cwd=tmp)
    expected = [normalize_line(line, now=NOW) for line in lines]
    bad = {n for n, r in enumerate(expected, start=1) if r.reason is not None}
    good = [r for r in expected if r.posting is not None]
    assert set(run.reasons) == bad
    assert len(run.postings) == len(good)
