"""Hypothesis strategies for what `jobsift normalize` and the crawl's chain may be handed.

Used by tests/test_normalize_fuzz.py (a CI-sized run) and bench/fuzz.py (many more examples, the
slowest input reported). Three layers, each as hostile as it gets:

- `raw_payloads()`: objects shaped like raw postings (SPEC section 4) whose fields hold plausible
  values, adversarial text (long runs of "$1,", spaces, tags, lone surrogates, ...) or any JSON value
  at all (numbers out of range, booleans as dates, nested lists and objects);
- `json_values()`: any JSON value, for a line that is not a posting at all;
- `input_lines()`: the bytes of one input line: a payload as JSON (ASCII-escaped or raw UTF-8, with
  lone surrogates either way), a payload with random bytes spliced in, deep nesting, NaN/Infinity,
  a non-object, or random bytes.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# Pieces the normalizers look for, and pieces that break naive code.
PIECES = (
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

FIELDS = (
    "source",
    "source_id",
    "url",
    "apply_url",
    "title",
    "company",
    "location",
    "description",
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


# Realistic phrases a piece is dropped into, so the normalizers' patterns are half matched.
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


def adversarial_text(max_run: int = 1000) -> st.SearchStrategy[str]:
    """Short odd text, a piece repeated up to `max_run` times, pieces mixed, or a phrase with one."""
    piece = st.sampled_from(PIECES)
    run = st.builds(lambda p, n: p * n, piece, st.integers(1, max_run))
    mixed = st.lists(piece, min_size=1, max_size=10).map("".join)
    phrase = st.builds(lambda f, p: f.format(p), st.sampled_from(PHRASES), st.one_of(piece, run))
    odd = st.text(max_size=12)
    return st.one_of(phrase, run, mixed, odd)


def numbers() -> st.SearchStrategy[Any]:
    """Numbers a posting may carry, and numbers no posting should: huge, tiny, negative epochs."""
    return st.one_of(
        st.integers(-62_135_596_800 * 1000, 10**14),
        st.builds(lambda e, s: s * 10**e, st.integers(16, 400), st.sampled_from((1, -1))),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from((0, -1, 1, 1e308, 5e-324, 1.5, 1e15, 1e20, -62135596800, 2**63)),
    )


def json_values(max_run: int = 1000) -> st.SearchStrategy[Any]:
    """Any JSON value (NaN and Infinity included: Python's JSON reads them)."""
    scalars = st.one_of(st.none(), st.booleans(), numbers(), adversarial_text(max_run))
    keys = st.sampled_from((*FIELDS, "min", "max", "value", "", "\ud800"))
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)
        ),
        max_leaves=6,
    )


def _typed(max_run: int) -> dict[str, st.SearchStrategy[Any]]:
    """Each field with a value of its own kind (SPEC section 4), the content adversarial."""
    text = adversarial_text(max_run)
    finite = st.one_of(
        st.integers(-62_135_596_800, 10**14), st.floats(allow_nan=False, allow_infinity=False)
    )
    dates = st.one_of(
        st.sampled_from(("2026-11-20", "2026-11-20T12:00:00Z", "yesterday", "3 days ago", "")),
        finite,
        text,
    )
    salary_object = st.dictionaries(
        st.sampled_from(("min", "max", "minValue", "maxValue", "currency", "unitText", "value")),
        st.one_of(finite, st.sampled_from(("USD", "EUR", "$", "YEAR", "HOUR", "")), text),
        max_size=4,
    )
    return {
        "title": text,
        "company": text,
        "location": st.one_of(text, st.lists(text, max_size=3)),
        "description": text,
        "posted": dates,
        "valid_through": dates,
        "fetched_at": st.sampled_from(
            ("2026-11-20T12:00:00+00:00", "2026-11-20", "9999-12-31T23:59:59-05:00", 1.7e9)
        ),
        "salary": st.one_of(text, salary_object),
        "employment_type": text,
        "remote": st.one_of(st.booleans(), text),
        "tags": st.lists(text, max_size=3),
        "facts": st.dictionaries(
            st.sampled_from(("Salary", "Posted", "Employment", "Location", "Work setting")),
            text,
            max_size=3,
        ),
        "summary": text,
        "category": text,
        "timezone_restrictions": st.lists(st.one_of(finite, text), max_size=3),
    }


def raw_payloads(max_run: int = 1000) -> st.SearchStrategy[dict[str, Any]]:
    """A raw posting: mostly every field of its own kind, sometimes one of any kind at all."""
    typed = _typed(max_run)
    names = sorted(typed)

    def payload(fields: list[str], wild: str | None) -> st.SearchStrategy[dict[str, Any]]:
        wanted = {name: typed[name] for name in fields}
        if wild is not None:
            wanted[wild] = json_values(max_run)
        return st.fixed_dictionaries(wanted)

    chosen = st.lists(st.sampled_from(names), max_size=6, unique=True).map(
        lambda fields: ["title", *fields] if "description" not in fields else fields
    )
    wild = st.one_of(st.none(), st.none(), st.none(), st.sampled_from(FIELDS))
    return st.tuples(chosen, wild).flatmap(lambda pair: payload(*pair))


def _dump(payload: Any, ascii_only: bool) -> bytes:
    # Lone surrogates become "\\ud800" escapes (ASCII) or invalid UTF-8 bytes (raw).
    return json.dumps(payload, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def _splice(line: bytes, at: int, junk: bytes) -> bytes:
    at %= len(line) + 1
    return line[:at] + junk + line[at:]


def _nested(depth: int, opener: str) -> bytes:
    """A value nested `depth` deep, alone on the line (odd depths) or as a posting's salary."""
    inner = '{"a":' * depth + "1" + "}" * depth if opener == "{" else "[" * depth + "]" * depth
    return (f'{{"title": "Nested", "salary": {inner}}}' if depth % 2 else inner).encode()


def input_lines(max_run: int = 1000) -> st.SearchStrategy[bytes]:
    """The bytes of one input line (never containing a newline)."""
    payloads = raw_payloads(max_run)
    as_json = st.builds(_dump, payloads, st.booleans())
    junk = st.binary(min_size=1, max_size=8)
    spliced = st.builds(_splice, as_json, st.integers(0, 10**6), junk)
    deep = st.builds(_nested, st.integers(1, 3000), st.sampled_from("[{"))
    other = st.builds(_dump, json_values(max_run), st.booleans())
    constants = st.sampled_from(
        (b'{"title": "x", "posted": NaN}', b'{"title": "x", "salary": -Infinity}', b"NaN")
    )
    noise = st.binary(max_size=200)
    line = st.one_of(as_json, as_json, as_json, spliced, deep, other, constants, noise)
    return line.map(lambda b: b.replace(b"\n", b" "))
