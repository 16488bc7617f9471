"""A figure written as text read as a number, in time linear in its length."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from price_parser.parser import parse_number

# Above this a figure is no amount of money anyone is paid, in any currency (VND salaries reach
# 1e8 a month); per-period plausibility in US dollars (`implausible`) does the finer judging.
MAX_PLAUSIBLE = 1e11

# price-parser guesses the decimal separator with a regex that backtracks over every digit run:
# quadratic in a long run of digits ("1" x 8,000). Longer figures take `_long_separator`.
_SHORT_FIGURE = 20


def _long_separator(text: str) -> str | None:
    """price-parser's decimal separator guess, in one pass from the end: the last character
    that is not a digit, when it is ".", "," or "€" and 1, 2 or 4+ digits follow it."""
    at = len(text)
    while at and text[at - 1].isdecimal():
        at -= 1
    digits = len(text) - at
    at -= 1
    if at < 0 or text[at] not in ".,€" or digits == 0 or digits == 3:
        return None
    return text[at]


def _parse_figure(text: str) -> Decimal | None:
    """`parse_number`, linear in the text (identical results)."""
    if len(text) <= _SHORT_FIGURE:
        return parse_number(text)
    compact = text.replace(" ", "")
    separator = _long_separator(compact)
    if separator is None:
        # what parse_number does with no separator: every "." and "," dropped
        try:
            return Decimal(compact.replace(".", "").replace(",", ""))
        except InvalidOperation:
            return None
    return parse_number(compact, decimal_separator=separator)


def number(value: Any) -> float | None:
    """A figure as float: numbers as given, strings through price-parser ("31,2" -> 31.2)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        result = float(value)
        return result if 0 <= result <= MAX_PLAUSIBLE else None
    return _text_number(str(value).strip())


@lru_cache(maxsize=4096)  # the same figures ("100,000") recur from posting to posting
def _text_number(text: str) -> float | None:
    parsed = _parse_figure(text) if text else None
    if parsed is None:
        return None
    result = float(parsed)
    return result if 0 <= result <= MAX_PLAUSIBLE else None
