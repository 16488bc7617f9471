"""A description (HTML, markdown or plain text) as a flat list of blocks: headings, items, text.

Parsed once per posting by the prepare step and shared by every later step. Every format becomes
the same blocks: HTML, markdown, plain lines and squished one-line text. The rules follow the gold
README ("List-item rules", "Verbatim means"): one `<li>` is one item; a line with a bullet marker
("•", "- ", "* ", mojibake "â€¢", "1.") is one item without its marker; a line under a heading
the lexicon knows as a list is an item even without a marker; prose is split into one text block
per sentence; every block's text is a substring of `Document.text`, the rendering in which
block-level tags become one space, inline tags nothing, and whitespace runs collapse to one space.
A heading is known by its typography (`<h2>`, `## `, `**bold**`, all caps, a trailing colon, a
short line alone) or by what it says (the heading lexicon, `jobsift.pipelines.document.lexicon`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from jobsift.pipelines.document.html import html_lines, looks_like_html
from jobsift.pipelines.document.lexicon import (
    LIST_LABELS,
    heading_label,
    is_heading_line,
    is_title_line,
)
from jobsift.pipelines.document.lines import (
    BULLET,
    MARKDOWN_HEADING,
    MARKER_STARTS,
    NUMBERED,
    RANK_EMPHASIS,
    RANK_LABEL,
    RANK_PSEUDO,
    TERMINAL,
    Line,
    collapse,
    line_marker,
)
from jobsift.pipelines.document.sentences import split_fused, split_sentences
from jobsift.pipelines.document.text import repair, text_lines

__all__ = [
    "RANK_EMPHASIS",
    "RANK_LABEL",
    "RANK_PSEUDO",
    "Block",
    "Document",
    "collapse",
    "looks_like_html",
    "parse_document",
    "split_sentences",
]

_LITERAL_NEWLINES = re.compile(r"^(?:\\n\s*)+|(?:\\n\s*)+$")
_MAX_HEADING_WORDS = 10
_MAX_LABEL_WORDS = 12
_MAX_SHORT_LABEL_WORDS = 8
_MIN_FIELD_SEPARATORS = 2
_MAX_ITEM_WORDS = 120
_MAX_PREFIX_WORDS = 5
_MAX_FRAGMENT_WORDS = 25
_MIN_FRAGMENT_RUN = 3
_FRAGMENT_ENDS = frozenset(".!?。！？…")
_CLOSERS = "'\"”’)]» "
_STOPS_AND_COMMAS = frozenset(".!?,;:。！？…")
# "Label: value" with a short value ("Travel: None", "Salary : $15.00/HR").
_FACT_LINE = re.compile(r"^[^:：]{1,30}?\s?[:：]\s*\S+(?:\s+\S+){0,2}$")
_MARKDOWN_BOLD = re.compile(r"^\*\*([^*].*?)\*\*:?$")


class Block(NamedTuple):
    """One heading, list item or sentence (a tuple: cheap to create, immutable)."""

    kind: str  # "heading" | "item" | "text"
    text: str
    level: int = 0  # heading rank (see RANK_*); 0 for items and text
    group: int = 0  # blocks of one list or one paragraph share a group
    source: str = ""  # "li" | "bullet" | "number" | "line" | "sentence" | "fused" | "h" | ...
    truncated: bool = False  # cut by the origin (e.g. a list item ended by a heading)


_new = tuple.__new__


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    text: str  # plain text, one space at block boundaries, whitespace collapsed


def _words(text: str) -> int:
    return text.count(" ") + 1  # text is whitespace-collapsed


def _all_caps(text: str) -> bool:
    """Capitals only, and mostly letters that have a case ("REQUIREMENTS", not "领导OKR/KPI")."""
    if len(text) <= 2 or not text.isupper():
        return False
    cased = sum(1 for char in text if char.isupper())
    return 2 * cased >= sum(1 for char in text if char.isalpha())


def _heading_rank(line: Line) -> int:
    """The rank of a heading-looking line, 0 when it is not one."""
    text = line.text
    words = _words(text)
    if text.endswith((".", "!", ";", ",")) or words > _MAX_LABEL_WORDS:
        return 0
    if words <= _MAX_HEADING_WORDS and (line.bold or _all_caps(text)):
        return RANK_EMPHASIS
    if text.endswith(":"):
        return RANK_LABEL
    return 0


class _Section:
    """The list label in force while reading lines, and whether its last line was an item."""

    __slots__ = ("child_rank", "had_content", "label", "last_item", "marked")

    def __init__(self) -> None:
        self.child_rank = 0  # rank of unknown sub-headings that keep the label ("1. Outbound")
        self.label: str | None = None
        self.had_content = False
        self.last_item = False
        self.marked = False  # the section lists its items with markers: bare lines are prose

    def heading(self, block: Block) -> None:
        label = heading_label(block.text)
        if label is None and block.level >= RANK_LABEL:
            return  # an unknown label line keeps the label in force
        if label is None and (not self.had_content or block.level == self.child_rank):
            self.child_rank = block.level  # a sub-heading of a known heading, or its sibling
            self.had_content = self.last_item = self.marked = False
            return
        self.child_rank = 0
        self.label = label if label in LIST_LABELS else None
        self.had_content = self.last_item = self.marked = False


def _item_like(text: str) -> bool:
    """A line that reads like one list item: a single sentence or a fragment, not a label."""
    return (
        not text.endswith((":", "："))
        and _words(text) <= _MAX_ITEM_WORDS
        and len(split_sentences(text)) == 1
    )


def _label_prefix(text: str) -> bool:
    """ "Client Engagement: Serve as ..." (a short label, a colon, then the item's text)."""
    head, colon, rest = text.partition(": ")
    return bool(colon and rest) and _words(head) <= _MAX_PREFIX_WORDS and head[:1].isupper()


def _section_items(
    line: Line, text: str, section: _Section, lines: list[Line], index: int
) -> list[Block] | None:
    """A bare line under a heading the lexicon knows as a list is one item of that list (plain
    text has no other mark of a list). Not: a section that marks its items with bullets, a short
    "Label: value" field, a line before bullets, nor prose of several sentences that is not
    between items."""
    if section.label is None or section.marked or line.kind != "line":
        return None
    adjacent = index + 1 < len(lines) and lines[index + 1].group == line.group
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    if _words(text) > _MAX_ITEM_WORDS or (following and BULLET.match(following)):
        return None
    if _FACT_LINE.match(text):
        return None  # "Travel: None", "Job Type: Contract": a field, not an item
    if _item_like(text) or _label_prefix(text):
        return [Block("item", text, 0, line.group, "line")]
    if (section.last_item or section.had_content) and adjacent and _item_like(following):
        return [Block("item", text, 0, line.group, "line")]  # between items, no blank line
    return None


def _fragment(line: Line) -> bool:
    """A short line without sentence punctuation, label or marker: a list item written bare."""
    text = line.text
    return (
        line.kind == "line"
        and " " in text
        and ":" not in text
        and " | " not in text
        and text[-1] not in _FRAGMENT_ENDS
        and _words(text) <= _MAX_FRAGMENT_WORDS
        and TERMINAL.search(text) is None
        and not line_marker(text)
        and not _all_caps(text)
        and not is_heading_line(text)
    )


def _fragment_runs(lines: list[Line]) -> list[int]:
    """For every line, the length of the run of fragments of one paragraph it belongs to."""
    runs = [0] * len(lines)
    start = -1  # first line of the open run, -1 when none is open
    for index, line in enumerate([*lines, None]):
        fragment = line is not None and _fragment(line)
        if start >= 0 and (not fragment or line.group != lines[start].group):
            runs[start:index] = [index - start] * (index - start)
            start = -1
        if fragment and start < 0:
            start = index
    return runs


def _blocks(lines: list[Line], text_mode: bool = False) -> list[Block]:
    blocks: list[Block] = []
    section = _Section()
    runs = _fragment_runs(lines) if text_mode else None
    for index, line in enumerate(lines):
        text = line.text
        if "\\n" in text:  # RemoteOK's literal "\n" between tags
            text = _LITERAL_NEWLINES.sub("", text).strip()
        if not text:
            continue
        if line.kind == "h":
            source = "li" if line.level == RANK_PSEUDO else "h"
            blocks.append(Block("heading", text, line.level, line.group, source))
            section.heading(blocks[-1])
            continue
        if line.kind == "li":
            if text.endswith(":") and not line.truncated:
                blocks.append(Block("heading", text, RANK_PSEUDO, line.group, "li"))
            else:  # the most frequent block: built without the keyword handling of Block()
                blocks.append(_new(Block, ("item", text, 0, line.group, "li", line.truncated)))
                section.had_content = section.last_item = section.marked = True
            continue
        found = _line_blocks(line, text, lines, index)
        if found and found[0].kind == "heading":
            section.heading(found[0])
        elif found and found[0].kind == "text" and text_mode:
            if section.label is not None and _titles_items(lines, index):
                found = [Block("heading", text, RANK_EMPHASIS, line.group, "title")]
                section.heading(found[0])
            else:
                found = _section_items(line, text, section, lines, index) or found
            if found[0].kind == "text" and runs and runs[index] >= _MIN_FRAGMENT_RUN:
                found = [Block("item", text, 0, line.group, "line")]  # a bare list
        if found and found[0].kind != "heading":
            section.had_content = True
            section.last_item = found[0].kind == "item"
            section.marked = section.marked or found[0].source in ("bullet", "number")
        blocks.extend(found)
    return blocks


def _marked_blocks(line: Line, text: str) -> list[Block] | None:
    """Blocks of a line that starts with a markdown or bullet marker; None when it does not."""
    if match := MARKDOWN_HEADING.match(text):
        title = match.group(2).strip()
        return (
            [Block("heading", title, len(match.group(1)), line.group, "markdown")] if title else []
        )
    if match := _MARKDOWN_BOLD.match(text):
        title = match.group(1).strip()
        return [Block("heading", title, RANK_EMPHASIS, line.group, "markdown")] if title else []
    for pattern, source in ((BULLET, "bullet"), (NUMBERED, "number")):
        if match := pattern.match(text):
            item = text[match.end() :].strip()
            if not item:
                return []
            if item.endswith(":"):
                return [Block("heading", item, RANK_PSEUDO, line.group, source)]
            return [Block("item", item, 0, line.group, source)]
    return None


def _line_blocks(line: Line, text: str, lines: list[Line], index: int) -> list[Block]:
    if text[0] in MARKER_STARTS and (marked := _marked_blocks(line, text)) is not None:
        return marked
    if rank := _heading_rank(line):
        return [Block("heading", text, rank, line.group, "bold" if line.bold else "label")]
    if _is_standalone_label(lines, index):
        return [Block("heading", text, RANK_LABEL, line.group, "label")]
    if is_heading_line(text):
        return [Block("heading", text, RANK_EMPHASIS, line.group, "lexicon")]
    if text.endswith("?") and _words(text) <= _MAX_SHORT_LABEL_WORDS and line.kind == "line":
        return [
            Block("heading", text, RANK_LABEL, line.group, "question")
        ]  # "What can you expect?"
    if _titles_prose(lines, index):
        return [Block("heading", text, RANK_EMPHASIS, line.group, "title")]
    if _opens_bullet_run(lines, index):
        return [Block("item", text, 0, line.group, "line")]
    if text.count(" | ") >= _MIN_FIELD_SEPARATORS:  # "Acme Inc. | Engineer | Remote": not prose
        return [Block("text", text, 0, line.group, "line")]
    pieces = split_fused(text)
    source = "fused" if len(pieces) > 1 else "sentence"  # a fused boundary ends a sentence
    return [
        Block("text", sentence, 0, line.group, source)
        for piece in pieces
        for sentence in split_sentences(piece)
    ]


def _is_standalone_label(lines: list[Line], index: int) -> bool:
    """A short unpunctuated line alone in its paragraph, followed by a list or by longer prose,
    titles what follows ("What you'll do here" in plain text, "<p>About the Role</p>")."""
    line = lines[index]
    text = line.text
    if _words(text) > _MAX_SHORT_LABEL_WORDS or text.rstrip(_CLOSERS)[-1:] in _STOPS_AND_COMMAS:
        return False
    if not (text[0].isupper() or not text[0].isascii()) or index + 1 >= len(lines):
        return False
    following = lines[index + 1]
    if following.group == line.group or (index and lines[index - 1].group == line.group):
        return False
    if following.kind == "li" or line_marker(following.text):
        return True
    return following.kind == "line" and len(following.text) > 2 * len(text) + 40


def _titles_prose(lines: list[Line], index: int) -> bool:
    """A title-case line followed by much longer prose titles it, even with no blank line."""
    line = lines[index]
    if line.kind != "line" or index + 1 >= len(lines):
        return False
    following = lines[index + 1]
    return (
        following.kind == "line"
        and len(following.text) > 2 * len(line.text) + 40
        and not line_marker(following.text)
        and is_title_line(line.text)
    )


def _titles_items(lines: list[Line], index: int) -> bool:
    """Inside a list section, a title-case line before a longer sentence-case line is a
    sub-heading ("Process Improvement and Collaboration" / "Integrate testing ...")."""
    if index + 1 >= len(lines):
        return False
    following = lines[index + 1].text
    return (
        len(following) > len(lines[index].text) + 20
        and not is_title_line(following)
        and is_title_line(lines[index].text)
    )


def _opens_bullet_run(lines: list[Line], index: int) -> bool:
    """The unmarked first line of a run of bulleted lines is an item too ("duties <br>• ...")."""
    line = lines[index]
    if line.text.endswith(":") or index + 1 >= len(lines):
        return False
    following = lines[index + 1]
    if following.kind != "line" or following.group != line.group:
        return False
    if following.text[:1] not in MARKER_STARTS or not BULLET.match(following.text):
        return False
    if index == 0:
        return True
    before = lines[index - 1]
    return before.group != line.group or before.kind == "h" or bool(_heading_rank(before))


def _rendered(text: str) -> str:
    """A text line as the reader sees it: markdown heading marks dropped ("## Location",
    "**Location**" -> "Location"), as tags vanish from HTML; everything else verbatim."""
    if text[:1] == "#" and (match := MARKDOWN_HEADING.match(text)):
        return match.group(2)
    if text[:2] == "**" and (match := _MARKDOWN_BOLD.match(text)):
        return text[2:].replace("**", "", 1)
    return text


def parse_document(description: str | None) -> Document:
    if not description or not description.strip():
        return Document(blocks=[], text="")
    description = repair(description)
    text_mode = not looks_like_html(description)
    if text_mode:
        lines, cut = text_lines(description), False
        text = " ".join(_rendered(line.text) for line in lines)
    else:
        lines, text, cut = html_lines(description)
    blocks = _blocks(lines, text_mode)
    if cut and blocks and blocks[-1].kind != "heading":
        last = blocks[-1]
        blocks[-1] = last._replace(truncated=True)
    return Document(blocks=blocks, text=text)
