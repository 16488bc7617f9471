"""Laying out text cells as an aligned table or a markdown table.

Widths are terminal cells (wcwidth: a CJK character or an emoji takes two), so columns line up on
a terminal. A cell cut to fit ends in "…". Cells reach this module as one line of text each
(output.py escapes newlines and other control characters first).
"""

from __future__ import annotations

from collections.abc import Iterator

from wcwidth import wcswidth, wcwidth

ELLIPSIS = "…"
GAP = "  "  # between two columns of the aligned table
MIN_WIDTH = 5  # a column is not cut narrower than this (or than its own width)


def width(text: str) -> int:
    """Terminal cells `text` takes."""
    if text.isascii():
        return len(text)
    cells = wcswidth(text)
    return cells if cells >= 0 else len(text)


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` terminal cells, ending in "…" when it was cut."""
    if limit <= 0 or width(text) <= limit:
        return text
    if text.isascii():
        return text[: limit - 1] + ELLIPSIS
    kept, used = [], 0
    for char in text:
        cells = max(wcwidth(char), 0)
        if used + cells > limit - 1:
            break
        kept.append(char)
        used += cells
    return "".join(kept) + ELLIPSIS


def pad(text: str, size: int, right: bool = False) -> str:
    fill = " " * max(size - width(text), 0)
    return fill + text if right else text + fill


def fit(natural: list[int], available: int) -> list[int]:
    """Column widths whose sum is at most `available`: the widest columns are narrowed to one
    common cap, none below MIN_WIDTH (so a table of very many columns may still be wider)."""
    if sum(natural) <= available:
        return natural
    floor = [min(w, MIN_WIDTH) for w in natural]
    low, high = MIN_WIDTH, max(natural)
    while low < high:  # the largest cap whose widths fit
        cap = (low + high + 1) // 2
        if sum(max(min(w, cap), f) for w, f in zip(natural, floor, strict=True)) <= available:
            low = cap
        else:
            high = cap - 1
    return [max(min(w, low), f) for w, f in zip(natural, floor, strict=True)]


def _widths(header: list[str], cells: list[list[str]]) -> list[int]:
    sizes = [width(h) for h in header]
    for row in cells:
        for i, cell in enumerate(row):
            sizes[i] = max(sizes[i], width(cell))
    return sizes


def aligned_table(
    header: list[str], cells: list[list[str]], right: list[bool], total: int | None
) -> Iterator[str]:
    """An aligned table: header, dashes, rows; fitted to `total` terminal cells unless None."""
    natural = _widths(header, cells)
    sizes = natural if total is None else fit(natural, total - len(GAP) * (len(header) - 1))
    for row in [header, ["-" * s for s in sizes], *cells]:
        yield GAP.join(
            pad(truncate(cell, size), size, flag)
            for cell, size, flag in zip(row, sizes, right, strict=True)
        ).rstrip()


def markdown_table(header: list[str], cells: list[list[str]], right: list[bool]) -> Iterator[str]:
    """A GitHub-flavoured markdown table, columns padded to line up in the source too."""
    sizes = [max(s, 3) for s in _widths(header, cells)]
    rules = [
        ("-" * (s - 1) + ":") if flag else "-" * s for s, flag in zip(sizes, right, strict=True)
    ]
    for row in [header, rules, *cells]:
        yield (
            "| "
            + " | ".join(pad(c, s, f) for c, s, f in zip(row, sizes, right, strict=True))
            + " |"
        )
