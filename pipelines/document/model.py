"""A description (HTML, markdown or plain text) as a flat list of blocks: headings, items, text.

Parsed once per posting by the prepare step and shared by every later step. The rules follow the
gold README ("List-item rules", "Verbatim means"): one `<li>` is one item; a line with a bullet
marker ("•", "- ", "* ", mojibake "â€¢", "1.") is one item without its marker; prose is split
into one text block per sentence; every block's text is a substring of `Document.text`, the
rendering in which block-level tags become one space, inline tags nothing, and whitespace runs
collapse to one space.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import NamedTuple

from jobsift.pipelines.document.sentences import split_fused, split_sentences


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_HEADING_TAGS = _tags("h1 h2 h3 h4 h5 h6")
_BLOCK_TAGS = _HEADING_TAGS | _tags(
    "p div br li ul ol tr td th table section article header footer blockquote pre dl dt dd hr"
    " main aside nav figure figcaption address details summary"
)
_LIST_TAGS = _tags("ul ol")
_PARAGRAPH_TAGS = _BLOCK_TAGS - _HEADING_TAGS - _LIST_TAGS - {"li"}
_BOLD_TAGS = _tags("b strong")
_SKIPPED_TAGS = _tags("script style head title template")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
# A comment, a declaration, or a tag (group 1: "/" of an end tag, group 2: its name).
_TOKEN = re.compile(r"<!--.*?(?:-->|$)|<[!?][^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>", re.S)
_LITERAL_NEWLINES = re.compile(r"^(?:\\n\s*)+|(?:\\n\s*)+$")

# Heading ranks: <h1>-<h6> and markdown "#" keep their number; whole-bold, "**bold**" and
# all-caps lines are 7; short lines ending with ":" are 8; list items ending with ":" are 9.
RANK_EMPHASIS = 7
RANK_LABEL = 8
RANK_PSEUDO = 9
_MAX_HEADING_WORDS = 10
_MAX_LABEL_WORDS = 12
_MAX_SHORT_LABEL_WORDS = 8
_MIN_FIELD_SEPARATORS = 2
_CLOSERS = "'\"”’)]» "
_STOPS_AND_COMMAS = frozenset(".!?,;:。！？…")
# First characters of lines that may carry a markdown or bullet marker.
_MARKER_STARTS = frozenset("#*•●▪◦‣■□➤►▸✓✔âÂ·-+–—(0123456789")

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_MARKDOWN_BOLD = re.compile(r"^\*\*([^*].*?)\*\*$")
# Symbols that are bullets on their own ("•Item"), and dashes/stars that need a space ("- Item").
_BULLET = re.compile(r"^(?:[•●▪◦‣■□➤►▸✓✔]|â[\x80€]¢|Â·|·|[-*+–—](?=\s))\s*(?=\S)")
_NUMBERED = re.compile(r"^\(?\d{1,2}[.)]\s+(?=\S)")
# A raw newline inside an HTML text node that starts a markdown bullet or heading line.
_EMBEDDED_LINE = re.compile(r"\n[ \t]*(?=(?:[-*+•●▪]|â[\x80€]¢)\s|#{1,6}\s|\d{1,2}[.)]\s)")
_TERMINAL = re.compile(r"[.!?。！？…]['\"”’)\]»]*\s*$")


class Block(NamedTuple):
    """One heading, list item or sentence (a tuple: cheap to create, immutable)."""

    kind: str  # "heading" | "item" | "text"
    text: str
    level: int = 0  # heading rank (see RANK_*); 0 for items and text
    group: int = 0  # blocks of one list or one paragraph share a group
    source: str = ""  # "li" | "bullet" | "number" | "line" | "sentence" | "fused" | "h" | ...
    truncated: bool = False  # cut by the origin (e.g. a list item ended by a heading)


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    text: str  # plain text, one space at block boundaries, whitespace collapsed


def collapse(text: str) -> str:
    return " ".join(text.split())


def looks_like_html(text: str) -> bool:
    return _TAG.search(text) is not None


class _Line:
    """A line of the source: a list item, a heading or a run of inline text."""

    __slots__ = ("bold", "group", "kind", "level", "text", "truncated")

    def __init__(
        self,
        text: str,
        kind: str,
        level: int = 0,
        bold: bool = False,
        group: int = 0,
        truncated: bool = False,
    ) -> None:
        self.text = text
        self.kind = kind  # "li" | "h" | "line"
        self.level = level
        self.bold = bold
        self.group = group
        self.truncated = truncated


class _HtmlReader:
    """Reads HTML as a stream of tags and text, the way the gold README renders it (block tags
    are boundaries, inline tags vanish, entities are decoded), into lines: list items, headings
    and runs of inline text. A stream reader tolerates the unclosed and cut markup of real feeds
    and costs less than building a tree."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.rendering: list[str] = []
        self.buffer: list[str] = []
        self.plain = False  # the buffer holds text outside bold tags
        self.group = 0
        self.heading = 0
        self.bold = 0
        self.lists = 0  # open <ul>/<ol>
        self.items = 0  # open <li>

    def read(self, markup: str) -> None:
        # split() yields text, then the end-tag slash and name of each tag (None for comments).
        parts = _TOKEN.split(markup)
        parts.extend((None, None))
        skipping: str | None = None  # inside <script>/<style>
        rendering, buffer = self.rendering, self.buffer
        for index in range(0, len(parts) - 2, 3):
            text = parts[index]
            if text and skipping is None:
                if "&" in text:
                    text = html.unescape(text)
                rendering.append(text)
                buffer.append(text)
                if not self.bold and not self.heading and not text.isspace():
                    self.plain = True
            name = parts[index + 2]
            if name is None:
                continue
            name = name.lower()
            if skipping is not None:
                if name == skipping and parts[index + 1]:
                    skipping = None
            elif name in _BLOCK_TAGS:
                rendering.append(" ")
                if name in _PARAGRAPH_TAGS and not self.items:
                    if buffer:
                        self.flush()
                    if name != "br":
                        self.group += 1
                else:
                    self.block(name, parts[index + 1] == "/")
            elif name in _BOLD_TAGS:
                self.bold = max(0, self.bold - 1) if parts[index + 1] else self.bold + 1
            elif name in _SKIPPED_TAGS and not parts[index + 1]:
                skipping = name
        self.flush()

    def block(self, name: str, closing: bool) -> None:
        if name in _HEADING_TAGS:
            if self.items:  # a heading inside an open item: the origin cut the item and list
                self.flush(truncated=True)
                self.items = self.lists = 0
            self.flush()
            self.group += 1
            self.heading = 0 if closing else int(name[1])
        elif name == "li":
            self.flush()
            if closing:
                self.items = max(0, self.items - 1)
            elif self.items < self.lists or not self.items:
                self.items += 1  # a new item (an unclosed sibling <li> just ends the previous)
        elif name in _LIST_TAGS:
            if closing:
                self.flush()
                self.items = min(self.items, max(0, self.lists - 1))
                self.lists = max(0, self.lists - 1)
            else:  # a nested list ends the text of its item, or that text titles it
                self.flush(titles_list=self.items > 0)
                self.lists += 1
            self.group += 1
        elif self.items:
            self.buffer.append(" ")  # blocks inside an item only separate its words
        else:
            self.flush()
            if name != "br":
                self.group += 1

    def flush(self, truncated: bool = False, titles_list: bool = False) -> None:
        if not self.buffer:
            return
        raw = "".join(self.buffer)
        bold = not self.plain
        self.buffer.clear()
        self.plain = False
        if self.heading:
            self.lines.append(_Line(collapse(raw), "h", self.heading, True, self.group))
        elif self.items:
            text = collapse(raw)
            if titles_list and len(text.split()) <= _MAX_SHORT_LABEL_WORDS:
                self.lines.append(_Line(text, "h", RANK_PSEUDO, bold, self.group))
            else:
                self.lines.append(_Line(text, "li", 0, bold, self.group, truncated))
        elif "\n" in raw:
            for part in _EMBEDDED_LINE.split(raw):
                self.lines.append(_Line(collapse(part), "line", 0, bold, self.group))
        else:
            self.lines.append(_Line(collapse(raw), "line", 0, bold, self.group))


def _html_lines(description: str) -> tuple[list[_Line], str, bool]:
    markup = description.rstrip()
    # A description that stops inside a tag was cut by its origin; the partial tag is no text.
    cut = markup.rfind("<") > markup.rfind(">")
    if cut:
        markup = markup[: markup.rfind("<")]
    reader = _HtmlReader()
    reader.read(markup)
    return reader.lines, collapse("".join(reader.rendering)), cut


def _text_lines(description: str) -> list[_Line]:
    """Plain text and markdown: one line per line; wrapped prose lines are joined."""
    lines: list[_Line] = []
    group = 0
    previous = ""
    blank = False
    for raw_line in html.unescape(description).splitlines():
        text = collapse(raw_line)
        if not text:
            blank = True
            previous = ""
            continue
        # Blank lines between bullets do not split their list.
        if blank and not (_BULLET.match(text) and lines and _BULLET.match(lines[-1].text)):
            group += 1
        blank = False
        continuation = (
            previous
            and text[0].islower()
            and not _TERMINAL.search(previous)
            and not previous.endswith((":", ";"))
            and not _line_marker(text)
        )
        if continuation and lines:
            lines[-1].text = f"{lines[-1].text} {text}"
        else:
            lines.append(_Line(text, "line", 0, False, group))
        previous = lines[-1].text
    return lines


def _line_marker(text: str) -> bool:
    return text[:1] in _MARKER_STARTS and bool(
        _BULLET.match(text) or _NUMBERED.match(text) or _MARKDOWN_HEADING.match(text)
    )


def _words(text: str) -> int:
    return text.count(" ") + 1  # text is whitespace-collapsed


def _heading_rank(line: _Line) -> int:
    """The rank of a heading-looking line, 0 when it is not one."""
    text = line.text
    words = _words(text)
    if text.endswith((".", "!", ";", ",")) or words > _MAX_LABEL_WORDS:
        return 0
    if words <= _MAX_HEADING_WORDS and (line.bold or (len(text) > 2 and text.isupper())):
        return RANK_EMPHASIS
    if text.endswith(":"):
        return RANK_LABEL
    return 0


def _blocks(lines: list[_Line]) -> list[Block]:
    blocks: list[Block] = []
    for index, line in enumerate(lines):
        text = line.text
        if "\\n" in text:  # RemoteOK's literal "\n" between tags
            text = _LITERAL_NEWLINES.sub("", text).strip()
        if not text:
            continue
        if line.kind == "h":
            source = "li" if line.level == RANK_PSEUDO else "h"
            blocks.append(Block("heading", text, line.level, line.group, source))
            continue
        if line.kind == "li":
            if text.endswith(":") and not line.truncated:
                blocks.append(Block("heading", text, RANK_PSEUDO, line.group, "li"))
            else:
                blocks.append(Block("item", text, 0, line.group, "li", line.truncated))
            continue
        blocks.extend(_line_blocks(line, text, lines, index))
    return blocks


def _marked_blocks(line: _Line, text: str) -> list[Block] | None:
    """Blocks of a line that starts with a markdown or bullet marker; None when it does not."""
    if match := _MARKDOWN_HEADING.match(text):
        title = match.group(2).strip()
        return (
            [Block("heading", title, len(match.group(1)), line.group, "markdown")] if title else []
        )
    if match := _MARKDOWN_BOLD.match(text):
        title = match.group(1).strip()
        return [Block("heading", title, RANK_EMPHASIS, line.group, "markdown")] if title else []
    for pattern, source in ((_BULLET, "bullet"), (_NUMBERED, "number")):
        if match := pattern.match(text):
            item = text[match.end() :].strip()
            if not item:
                return []
            if item.endswith(":"):
                return [Block("heading", item, RANK_PSEUDO, line.group, source)]
            return [Block("item", item, 0, line.group, source)]
    return None


def _line_blocks(line: _Line, text: str, lines: list[_Line], index: int) -> list[Block]:
    if text[0] in _MARKER_STARTS and (marked := _marked_blocks(line, text)) is not None:
        return marked
    if rank := _heading_rank(line):
        return [Block("heading", text, rank, line.group, "bold" if line.bold else "label")]
    if _opens_bullet_run(lines, index):
        return [Block("item", text, 0, line.group, "line")]
    if _is_standalone_label(lines, index):
        return [Block("heading", text, RANK_LABEL, line.group, "label")]
    if text.count(" | ") >= _MIN_FIELD_SEPARATORS:  # "Acme Inc. | Engineer | Remote": not prose
        return [Block("text", text, 0, line.group, "line")]
    pieces = split_fused(text)
    source = "fused" if len(pieces) > 1 else "sentence"  # a fused boundary ends a sentence
    return [
        Block("text", sentence, 0, line.group, source)
        for piece in pieces
        for sentence in split_sentences(piece)
    ]


def _is_standalone_label(lines: list[_Line], index: int) -> bool:
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
    if following.kind == "li" or _line_marker(following.text):
        return True
    return following.kind == "line" and len(following.text) > 2 * len(text) + 40


def _opens_bullet_run(lines: list[_Line], index: int) -> bool:
    """The unmarked first line of a run of bulleted lines is an item too ("duties <br>• ...")."""
    line = lines[index]
    if line.text.endswith(":") or index + 1 >= len(lines):
        return False
    following = lines[index + 1]
    if following.kind != "line" or following.group != line.group:
        return False
    if following.text[:1] not in _MARKER_STARTS or not _BULLET.match(following.text):
        return False
    if index == 0:
        return True
    before = lines[index - 1]
    return before.group != line.group or before.kind == "h" or bool(_heading_rank(before))


def parse_document(description: str | None) -> Document:
    if not description or not description.strip():
        return Document(blocks=[], text="")
    if looks_like_html(description):
        lines, text, cut = _html_lines(description)
    else:
        lines, cut = _text_lines(description), False
        text = collapse(html.unescape(description))
    blocks = _blocks(lines)
    if cut and blocks and blocks[-1].kind != "heading":
        last = blocks[-1]
        blocks[-1] = last._replace(truncated=True)
    return Document(blocks=blocks, text=text)
