"""Fuzzed inputs for `jobsift normalize` and the crawl's chain, as hypothesis strategies.

Used by tests/test_normalize_fuzz.py (a CI-sized run) and bench/fuzz.py (many more examples, the
slowest input reported). Each example is built from one hypothesis byte string read as a series of
choices (`Draws`): one draw per example keeps generation near 0.3 ms (hypothesis building nested
dictionaries and text choice by choice costs ten times that, most of a CI run), and hypothesis
still shrinks a failure, since fewer and smaller bytes always mean simpler choices.

- `raw_payloads()`: objects shaped like raw postings (docs/raw-postings.md) whose fields hold values of
  their own kind with adversarial content (long runs of "$1,", spaces, tags, lone surrogates,
  half-matched phrases, epochs far out of range), and now and then one field of any JSON kind;
- `input_lines()`: the bytes of one input line: a payload as JSON (ASCII-escaped or raw UTF-8,
  lone surrogates either way), a payload with bytes spliced in, deep nesting, NaN/Infinity, any
  JSON value, or raw bytes.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")

# Pieces the normalizers look for, and pieces that break naive code ("a" first: the simplest).
PIECES = (
    "a",
    "$1,",
    "$100k-$50k",
    " ",
    "\t",
    "\u00a0",
    "\ud800",
    "\udfff",
    "é",
    "€",
    "£",
    "k",
    "-",
    "–",
    "/",
    "$",
    "1",
    "0",
    ".",
    ",",
    "<li>",
    "</li>",
    "<ul>",
    "<p>",
    "<h2>Requirements</h2>",
    "&amp;",
    "&#",
    "&#x1F600;",
    "\u2028",
    "\x00",
    "\r",
    "Remote",
    "remote",
    "Hybrid",
    "UTC+",
    "GMT-",
    "CET",
    "±3 hours",
    "5+ years",
    "years",
    "USD",
    "per hour",
    "/yr",
    "2026-01-01",
    "3 days ago",
    "ago",
    "+",
    "Requirements:",
    "Nice to have:",
    "\n",
    "•",
    "🙂",
    "\u200b",
    "\ufeff",
    "ﬁ",
    "İ",
    "US",
    "CA",
    "EU",
    "EMEA",
    "Germany",
    "New York, NY",
    "visa",
    "Senior",
    "Sr.",
    "(",
    ")",
    "[",
    "{",
    '"',
    "\\",
    "%",
    "*",
)

# Realistic phrases a piece is dropped into, so that the normalizers' patterns are half matched.
PHRASES = (
    "Senior Python Engineer ({})",
    "Salary: {} USD per year",
    "$120,000{}$150,000",
    "Remote ({}) - EU only",
    "Must be located in {} and overlap 4 hours with UTC",
    "<ul><li>5+ years of {}</li><li>Nice to have: Go</li></ul>",
    "Posted {} ago",
    "{} k€ - 80k€ / year",
    "Visa sponsorship {} available",
    "Bachelor's degree in {}",
)

FIELDS = (
    "title",
    "description",
    "source",
    "source_id",
    "url",
    "apply_url",
    "company",
    "location",
    "posted",
    "valid_through",
    "salary",
    "employment_type",
    "remote",
    "tags",
    "facts",
    "fetched_at",
    "extra",
    "summary",
    "category",
    "timezone_restrictions",
)
SPECIAL_NUMBERS = (0, -1, 1, 1.5, 1e15, 1e20, 1e308, 5e-324, -62135596800, 2**63, 10**30)
DATES = ("2026-11-20", "2026-11-20T12:00:00Z", "yesterday", "3 days ago", "")
FETCHED = ("2026-11-20T12:00:00+00:00", "2026-11-20", "9999-12-31T23:59:59-05:00", 1.7e9, 0)
SALARY_KEYS = ("min", "max", "minValue", "maxValue", "currency", "unitText", "value")
FACT_LABELS = ("Salary", "Posted", "Employment", "Location", "Work setting")


# Inputs found slow (issue 9 and bench/fuzz.py runs), timed first by bench/fuzz.py on every run.
KNOWN_SLOW: dict[str, dict[str, Any]] = {
    "issue 9: '$1,' x 8,000 (compensation _windows)": {"description": "$1," * 8000},
    "issue 9: title of 30,000 spaces (clean_title)": {"title": "x" + " " * 30000 + "x"},
    "'$100k-$50k' x 8,000 in a phrase (_windows)": {
        "description": "Remote (" + "$100k-$50k" * 8000 + ") - EU only"
    },
    "'USD' x 8,000 (_windows)": {"description": "USD" * 8000},
    "'€' x 8,000 (_windows)": {"description": "Visa sponsorship " + "€" * 8000 + " available"},
    "'Hybrid' x 8,000 (eligibility text_signals)": {"description": "Hybrid" * 8000},
    "8,000 digits before 'USD per year' (price_parser)": {
        "description": "Salary: " + "1" * 8000 + " USD per year"
    },
    "title 'US ' x 3,000 (clean_title)": {"title": "US " * 3000},
    "title of 8,000 line separators (clean_title, qualifier_evidence)": {
        "title": "Salary: " + "\u2028" * 8000 + " USD per year"
    },
}


class Draws:
    """Choices read from bytes, one or two per choice; past the end every choice is the first."""

    def __init__(self, data: bytes, max_run: int) -> None:
        self.data = data
        self.at = 0
        self.max_run = max_run

    def byte(self) -> int:
        self.at += 1
        return self.data[self.at - 1] if self.at <= len(self.data) else 0

    def below(self, n: int) -> int:
        value = self.byte()
        if n > 256:
            value = value << 8 | self.byte()
        if n > 65536:
            value = value << 8 | self.byte()
        return value % n

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def rest(self) -> bytes:
        rest, self.at = self.data[self.at :], len(self.data)
        return rest


def text(d: Draws) -> str:
    """A piece, a phrase with a piece, a piece repeated up to `max_run` times, a mix, or a few
    code points of any kind (control characters and surrogates included)."""
    kind = d.below(6)
    if kind == 0:
        return d.pick(PIECES)
    if kind == 1:
        return d.pick(PHRASES).format(text(d) if d.below(4) == 0 else d.pick(PIECES))
    if kind == 2:
        lengths = (2, 3, 8, 40, d.max_run // 8, d.max_run // 2, d.max_run)
        return d.pick(PIECES) * max(1, d.pick(lengths))
    if kind == 3:
        return "".join(d.pick(PIECES) for _ in range(1 + d.below(12)))
    if kind == 4:
        return "".join(
            chr(d.below(0x10000) if d.below(4) else d.below(0x110000)) for _ in range(d.below(8))
        )
    return d.pick(PHRASES).format(d.pick(PIECES) * max(1, d.max_run // (1 + d.below(16))))


def number(d: Draws) -> Any:
    """Numbers a posting may carry and numbers none should: huge, tiny, NaN, negative epochs."""
    kind = d.below(5)
    if kind == 0:
        return d.below(1 << 16) - (1 << 15)
    if kind == 1:  # an epoch in seconds or milliseconds, from year 1 to far ahead
        return (d.below(1 << 16) << 24 | d.below(1 << 16)) * d.pick((1, 1000)) - 62_135_596_800
    if kind == 2:
        return d.pick((1, -1)) * 10 ** d.below(400)
    if kind == 3:  # any double: NaN, infinities and subnormals included
        return struct.unpack("<d", bytes(d.byte() for _ in range(8)))[0]
    return d.pick(SPECIAL_NUMBERS)


def finite(d: Draws) -> Any:
    value = number(d)
    return value if not isinstance(value, float) or math.isfinite(value) else 0.5


def json_value(d: Draws, depth: int = 0) -> Any:
    """Any JSON value (NaN and Infinity included: Python's JSON reads and writes them)."""
    kind = d.below(7 if depth < 4 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return d.below(2) == 1
    if kind == 2:
        return number(d)
    if kind == 3:
        return text(d)
    if kind in (4, 5):
        return [json_value(d, depth + 1) for _ in range(d.below(4))]
    keys = (*FIELDS, *SALARY_KEYS, "", "\ud800")
    return {d.pick(keys): json_value(d, depth + 1) for _ in range(d.below(4))}


def _date(d: Draws) -> Any:
    return (d.pick(DATES), finite(d), text(d))[d.below(3)]


def _salary(d: Draws) -> Any:
    if d.below(2):
        return text(d)
    values: tuple[Callable[[Draws], Any], ...] = (
        finite,
        lambda d: d.pick(("USD", "EUR", "$", "YEAR", "HOUR", "")),
        text,
    )
    return {d.pick(SALARY_KEYS): d.pick(values)(d) for _ in range(d.below(5))}


def _some(d: Draws, make: Callable[[Draws], Any], most: int = 3) -> list[Any]:
    return [make(d) for _ in range(d.below(most + 1))]


# How each field of a raw posting is filled with a value of its own kind.
TYPED: dict[str, Callable[[Draws], Any]] = {
    "title": text,
    "description": text,
    "source": lambda d: d.pick(("fuzz", "greenhouse", "")),
    "source_id": lambda d: (d.below(1 << 16), text(d))[d.below(2)],
    "url": lambda d: d.pick(("http://127.0.0.1/job/1", "")),
    "apply_url": text,
    "company": text,
    "location": lambda d: _some(d, text) if d.below(3) == 0 else text(d),
    "posted": _date,
    "valid_through": _date,
    "salary": _salary,
    "employment_type": lambda d: _some(d, text) if d.below(3) == 0 else text(d),
    "remote": lambda d: d.below(2) == 1 if d.below(2) else text(d),
    "tags": lambda d: _some(d, text),
    "facts": lambda d: {d.pick(FACT_LABELS): text(d) for _ in range(d.below(4))},
    "fetched_at": lambda d: d.pick(FETCHED),
    "extra": lambda d: {d.pick(("author", "links", "visa")): text(d) for _ in range(d.below(3))},
    "summary": text,
    "category": text,
    "timezone_restrictions": lambda d: _some(d, lambda d: (finite(d), text(d))[d.below(2)]),
}


def payload(d: Draws) -> dict[str, Any]:
    """A raw posting: a title or a description and up to six more fields, each of its own kind,
    but for one field of any JSON kind in every fourth payload."""
    names = ["description" if d.below(3) == 2 else "title"]
    names += [d.pick(FIELDS) for _ in range(d.below(7))]
    fields = {name: TYPED[name](d) for name in names}
    if d.below(4) == 3:
        fields[d.pick(FIELDS)] = json_value(d)
    return fields


def _json(value: Any, d: Draws) -> bytes:
    # Lone surrogates become "\ud800" escapes (ASCII) or the bytes UTF-8 forbids (raw).
    return json.dumps(value, ensure_ascii=d.below(2) == 1).encode("utf-8", "surrogatepass")


def line(d: Draws) -> bytes:
    """One input line's bytes (never a newline in it)."""
    kind = d.below(10)
    if kind <= 4:
        data = _json(payload(d), d)
    elif kind == 5:  # bytes spliced into a posting: invalid UTF-8, a cut in the JSON
        data = _json(payload(d), d)
        at = d.below(len(data) + 1)
        data = data[:at] + bytes(d.byte() for _ in range(1 + d.below(4))) + data[at:]
    elif kind == 6:
        depth = 1 + d.below(3000)
        inner = '{"a":' * depth + "1" + "}" * depth if d.below(2) else "[" * depth + "]" * depth
        data = (f'{{"title": "Nested", "salary": {inner}}}' if d.below(2) else inner).encode()
    elif kind == 7:
        data = _json(json_value(d), d)
    elif kind == 8:
        data = d.pick((b'{"title": "x", "posted": NaN}', b'{"salary": -Infinity, "title": "x"}'))
    else:
        data = d.rest()
    return data.replace(b"\n", b" ")


def raw_payloads(max_run: int = 1000) -> st.SearchStrategy[dict[str, Any]]:
    return st.binary(max_size=200).map(lambda data: payload(Draws(data, max_run)))


def input_lines(max_run: int = 1000) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=200).map(lambda data: line(Draws(data, max_run)))
