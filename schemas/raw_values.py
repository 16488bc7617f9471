"""What any value inside a raw posting must be before the chain reads it, and its error messages.

A raw posting is JSON (RFC 8259) or what a spider built like it: text, numbers, true/false, null,
lists and objects with text keys. `clean_tree` returns a copy in which lone surrogates ("\\ud800",
which JSON escapes can produce but UTF-8 cannot encode) are replaced by U+FFFD, and refuses what no
posting can mean: nesting deeper than `MAX_DEPTH`, NaN or infinite numbers, keys that are not text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

# Real postings nest a few levels (schema.org baseSalary → value → minValue is 3); anything far
# deeper is not a posting, and would cost recursion in every later reader (JSON, pickle, DuckDB).
MAX_DEPTH = 32

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD, so that it encodes as UTF-8."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


def kind(value: Any) -> str:
    """A value's JSON kind, as a message to the person who wrote it names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


class _Refused(ValueError):
    """A refused value; the path to it is filled in while unwinding (costs nothing when clean)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.steps: list[str | int] = []

    def __str__(self) -> str:
        path = ""
        for step in reversed(self.steps):
            path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else step)
        if len(path) > 80:
            path = path[:40] + "…" + path[-39:]
        return f"{path or 'the posting'} {self.problem}"


def clean_tree(value: Any) -> Any:
    """A copy of `value` with clean text, or ValueError naming the first place that is not."""
    return _clean(value, 0)


def _clean(value: Any, depth: int) -> Any:
    if type(value) is str:  # most values: text (ASCII text is clean as it is)
        return value if value.isascii() else clean_text(value)
    if type(value) is dict:
        return _clean_dict(value, depth)
    return _clean_other(value, depth)


def _clean_dict(value: dict[Any, Any], depth: int) -> dict[str, Any]:
    if depth >= MAX_DEPTH:
        raise _Refused(f"is nested deeper than {MAX_DEPTH} levels")
    cleaned: dict[str, Any] = {}
    for key, item in value.items():
        if type(key) is not str:
            if not isinstance(key, str):
                raise _Refused(f"has a key that is not text: {key!r:.40}")
            key = clean_text(key)
        elif not key.isascii():
            key = clean_text(key)
        if type(item) is str:  # inline: a posting's values are mostly text
            cleaned[key] = item if item.isascii() else clean_text(item)
            continue
        try:
            cleaned[key] = _clean(item, depth + 1)
        except _Refused as exc:
            exc.steps.append(key if len(key) <= 40 else key[:40] + "…")
            raise
    return cleaned


def _clean_other(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise _Refused(f"is {value!r}, not a finite number")
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth >= MAX_DEPTH:
        raise _Refused(f"is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, Mapping):
        return _clean_dict(value, depth)
    if isinstance(value, list | tuple):
        items = []
        for index, item in enumerate(value):
            try:
                items.append(_clean(item, depth + 1))
            except _Refused as exc:
                exc.steps.append(index)
                raise
        return items
    return value  # an object a spider put there: the posting's own fields check its type
