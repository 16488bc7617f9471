"""`jobsift normalize`, one input line at a time: a JSON posting out, or one line saying why not.

Nothing in a line can stop the run: its bytes are read as UTF-8 with invalid sequences replaced
(U+FFFD), then as JSON (RFC 8259: no NaN or Infinity), then as a raw posting (`RawPosting`), then
through the chain within the item time limit. Whatever fails gives a one-line reason instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jobsift.pipelines.chain import normalize_counted
from jobsift.pipelines.runtime.limit import ItemTimeout, time_limit, timeout_reason
from jobsift.schemas import Reject
from jobsift.schemas.raw_values import clean_text, kind

# Longest reason printed; the rest of a long one (an error quoting the input) is cut.
MAX_REASON = 500
_BREAKS = re.compile(r"\s*[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+\s*")


@dataclass(slots=True)
class LineResult:
    """One line's outcome: `posting` (a JSON line, UTF-8, newline included) or `reason`;
    both None for a blank line."""

    posting: bytes | None = None
    reason: str | None = None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def one_line(text: str) -> str:
    """A message as one line of valid text, at most MAX_REASON characters."""
    text = _BREAKS.sub(" ", clean_text(text)).strip()
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def read_json(line: bytes) -> tuple[Any, str | None]:
    """The JSON value of a line, or the reason it has none."""
    text = line.decode("utf-8", errors="replace").removeprefix("\ufeff")
    try:
        return json.loads(text, parse_constant=_refuse_constant), None
    except RecursionError:
        return None, "not JSON: nested too deeply to read"
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc}"
    except ValueError as exc:  # a NaN, or an integer longer than Python converts
        if "integer string conversion" in str(exc):
            return None, "not JSON this reader takes: a number of more than 4,300 digits"
        return None, f"not JSON: {exc}"


def normalize_line(
    line: bytes, timeout: float | None = None, now: datetime | None = None
) -> LineResult:
    """The outcome of one input line (never raises, but for KeyboardInterrupt and the like)."""
    if not line.strip():
        return LineResult()
    try:
        payload, reason = read_json(line)
        if reason is not None:
            return LineResult(reason=one_line(reason))
        if not isinstance(payload, dict):
            return LineResult(
                reason=f"not a raw posting: the line is {kind(payload)}, not an object"
            )
        try:
            with time_limit(timeout):
                result, _ = normalize_counted(payload, now=now)
        except ItemTimeout:
            return LineResult(reason=timeout_reason(timeout or 0))
        if isinstance(result, Reject):
            return LineResult(reason=one_line(result.reason))
        posting = result.model_dump_json().encode("utf-8", errors="replace")
        return LineResult(posting=posting + b"\n")
    except Exception as exc:  # a bug: this line is lost, never the rest of the input
        return LineResult(reason=one_line(f"normalization failed: {type(exc).__name__}: {exc}"))
