"""Lines of a description, shared by the HTML and the text readers of `pipelines.document`."""

from __future__ import annotations

import re
from typing import NamedTuple

# Heading ranks: <h1>-<h6> and markdown "#" keep their number; whole-bold, "**bold**", all-caps
# and lexicon lines are 7; short lines ending with ":" are 8; list items ending with ":" are 9.
RANK_EMPHASIS = 7
RANK_LABEL = 8
RANK_PSEUDO = 9
MAX_SHORT_LABEL_WORDS = 8

# First characters of lines that may carry a markdown or bullet marker.
MARKER_STARTS = frozenset("#*•●▪◦‣■□➤►▸✓✔âÂ·-+–—(0123456789")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
# Symbols that are bullets on their own ("•Item"), and dashes/stars that need a space ("- Item").
BULLET = re.compile(r"^(?:[•●▪◦‣■□➤►▸✓✔]|â[\x80€]¢|Â·|·|[-*+–—](?=\s))\s*(?=\S)")
# "1. Item", "2) Item", and "1.项目" / "2、项目" (CJK text needs no space after the number).
NUMBERED = re.compile(r"^\(?\d{1,2}(?:[.)]\s+|[.)、．](?=[\u3040-\u9fff\uff00-\uffef]))(?=\S)")
TERMINAL = re.compile(r"[.!?。！？…]['\"”’)\]»]*\s*$")


def collapse(text: str) -> str:
    return " ".join(text.split())


def line_marker(text: str) -> bool:
    """The line starts with a bullet, a number or a markdown heading marker."""
    return text[:1] in MARKER_STARTS and bool(
        BULLET.match(text) or NUMBERED.match(text) or MARKDOWN_HEADING.match(text)
    )


class Line(NamedTuple):
    """A line of the source: a list item, a heading or a run of inline text (a tuple: cheap to
    create; the HTML reader builds them with `tuple.__new__`, in this field order)."""

    text: str
    kind: str  # "li" | "h" | "line"
    level: int = 0
    bold: bool = False
    group: int = 0
    truncated: bool = False
