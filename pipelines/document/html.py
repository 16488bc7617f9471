"""HTML descriptions as lines: list items, headings and runs of inline text (a stream reader)."""

from __future__ import annotations

import html
import re

from jobsift.pipelines.document.lines import MAX_SHORT_LABEL_WORDS, RANK_PSEUDO, Line, collapse


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
_line = tuple.__new__  # Line(...) without the keyword handling of its generated __new__
# What a tag name does to the reader (looked up as written, then lower-cased).
_PARAGRAPH, _BREAK, _ITEM, _STRUCTURE, _BOLD, _SKIPPED, _INLINE = range(7)
_KINDS = {
    **dict.fromkeys(_PARAGRAPH_TAGS - {"br"}, _PARAGRAPH),
    "br": _BREAK,
    "li": _ITEM,
    **dict.fromkeys(_HEADING_TAGS | _LIST_TAGS, _STRUCTURE),
    **dict.fromkeys(_BOLD_TAGS, _BOLD),
    **dict.fromkeys(_SKIPPED_TAGS, _SKIPPED),
}
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
# A comment, a declaration, or a tag (group 1: "/" of an end tag, group 2: its name).
_TOKEN = re.compile(r"<!--.*?(?:-->|$)|<[!?][^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>", re.S)
# A raw newline inside an HTML text node that starts a markdown bullet or heading line.
_EMBEDDED_LINE = re.compile(r"\n[ \t]*(?=(?:[-*+•●▪]|â[\x80€]¢)\s|#{1,6}\s|\d{1,2}[.)]\s)")


# A block-level tag: text that holds one is HTML.
_BLOCK_TAG = re.compile(
    r"<(?:p|div|br|li|ul|ol|h[1-6]|table|tr|td|section|article|blockquote|pre|hr|dl|dt|dd)\b[^<>]*/?>",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """HTML when it holds a block-level tag, or inline tags with no line breaks; markdown or
    plain lines with a link or two inside ("see <a href=...>here</a>") stay text."""
    if "<" not in text:
        return False
    if _BLOCK_TAG.search(text):
        return True
    return "\n" not in text.strip() and _TAG.search(text) is not None


class _HtmlReader:
    """Reads HTML as a stream of tags and text, the way the gold README renders it (block tags
    are boundaries, inline tags vanish, entities are decoded), into lines: list items, headings
    and runs of inline text. A stream reader tolerates the unclosed and cut markup of real feeds
    and costs less than building a tree."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
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
        buffer = self.buffer
        kinds = _KINDS
        for text, slash, name in zip(parts[0::3], parts[1::3], parts[2::3], strict=True):
            if text and skipping is None:
                if "&" in text:
                    text = html.unescape(text)
                buffer.append(text)
                if not self.plain and not self.bold and not self.heading and not text.isspace():
                    self.plain = True
            if name is None:
                continue
            kind = kinds.get(name)
            if kind is None:
                name = name.lower()
                kind = kinds.get(name, _INLINE)
            if skipping is not None:
                if name.lower() == skipping and slash:
                    skipping = None
            elif kind <= _BREAK:  # a paragraph-like block tag, or <br>
                if self.items:
                    buffer.append(" ")  # blocks inside an item only separate its words
                else:
                    if buffer:
                        self.flush()
                    if kind == _PARAGRAPH:
                        self.group += 1
            elif kind == _ITEM:  # the most frequent structure tag, as in block()
                if buffer:
                    self.flush()
                if slash:
                    if self.items:
                        self.items -= 1
                elif self.items < self.lists or not self.items:
                    self.items += 1  # a new item (an unclosed sibling <li> just ends the previous)
            elif kind == _STRUCTURE:  # a heading or a list
                self.block(name.lower(), slash == "/")
            elif kind == _BOLD:
                self.bold = max(0, self.bold - 1) if slash else self.bold + 1
            elif kind == _SKIPPED and not slash:
                skipping = name.lower()
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
            if self.buffer:
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
        buffer = self.buffer
        if not buffer:
            return
        raw = "".join(buffer)
        bold = not self.plain
        buffer.clear()
        self.plain = False
        append, group = self.lines.append, self.group
        if self.heading:
            append(_line(Line, (" ".join(raw.split()), "h", self.heading, True, group, False)))
        elif self.items:
            text = " ".join(raw.split())
            if titles_list and text.count(" ") < MAX_SHORT_LABEL_WORDS:  # at most 8 words
                append(_line(Line, (text, "h", RANK_PSEUDO, bold, group, False)))
            else:
                append(_line(Line, (text, "li", 0, bold, group, truncated)))
        elif "\n" in raw:
            for part in _EMBEDDED_LINE.split(raw):
                append(_line(Line, (collapse(part), "line", 0, bold, group, False)))
        else:
            append(_line(Line, (" ".join(raw.split()), "line", 0, bold, group, False)))


def html_lines(description: str) -> tuple[list[Line], str, bool]:
    markup = description.rstrip()
    # A description that stops inside a tag was cut by its origin; the partial tag is no text.
    cut = markup.rfind("<") > markup.rfind(">")
    if cut:
        markup = markup[: markup.rfind("<")]
    reader = _HtmlReader()
    reader.read(markup)
    # The rendering (block tags one space, inline tags nothing, whitespace collapsed) is the
    # lines' texts joined: every text goes into exactly one line, and lines end at block tags.
    return reader.lines, " ".join([line.text for line in reader.lines if line.text]), cut
