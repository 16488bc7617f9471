"""A description rendered other ways, to measure that the reader does not depend on the format.

    plain:    every block element (heading, paragraph, list item, `<br>` line) on its own line,
              no bullet markers, no blank lines, inline tags dropped
    markdown: `## ` headings, `- ` bullets, `**bold**` for <b>/<strong>, blank lines between blocks

Independent of `pipelines.document` on purpose (the standard library's `html.parser`), so that the
measurement does not share the reader's assumptions. A description that is not HTML is read as
lines: the plain rendering drops its blank lines and bullet markers, the markdown one keeps it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

RENDERINGS = ("html", "plain", "markdown")

_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_BLOCKS = _HEADINGS | frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "hr",
        "main",
        "aside",
        "nav",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
    ]
)
_BOLD = frozenset({"b", "strong"})
_SKIPPED = frozenset({"script", "style", "head", "title", "template"})
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_SPACE = re.compile(r"\s+")
# A raw newline in a text node that starts a bullet or heading line is a line break.
_EMBEDDED_LINE = re.compile(r"\n[ \t]*(?=(?:[-*+•●▪]|â€¢)\s|#{1,6}\s|\d{1,2}[.)]\s)")
_BULLET = re.compile(r"^(?:[•●▪◦‣·]|â€¢|[-*+–—](?=\s))\s*")


class _Blocks(HTMLParser):
    """Blocks as (kind, runs): kind "heading" | "item" | "line"; runs are (text, bold) pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[tuple[str, bool]], int]] = []
        self.runs: list[tuple[str, bool]] = []
        self.kind = "line"
        self.bold = 0
        self.skip = 0
        self.group = 0

    def end_block(self, next_kind: str | None = None) -> None:
        text = "".join(t for t, _ in self.runs)
        if text.strip():
            self.blocks.append((self.kind, self.runs, self.group))
        self.runs = []
        if next_kind is not None:
            self.kind = next_kind

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED:
            self.skip += 1
        elif tag in _BOLD:
            self.bold += 1
        elif tag == "br":
            self.end_block()
        elif tag in _HEADINGS:
            self.end_block("heading")
            self.group += 1
        elif tag == "li":
            self.end_block("item")
        elif tag in _BLOCKS:
            if self.kind == "item" and tag not in ("ul", "ol"):
                self.runs.append((" ", False))  # blocks inside an item only separate words
                return
            self.end_block("line")
            self.group += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in _BOLD:
            self.bold = max(0, self.bold - 1)
        elif tag == "li":
            self.end_block("line")
        elif tag in _HEADINGS or tag in ("ul", "ol"):
            self.end_block("line")
            self.group += 1
        elif tag in _BLOCKS:
            if self.kind == "item":
                self.runs.append((" ", False))
                return
            self.end_block("line")
            self.group += 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        pieces = _EMBEDDED_LINE.split(data)
        for index, piece in enumerate(pieces):
            if index:
                self.end_block()
            self.runs.append((piece, self.bold > 0))


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _html_blocks(description: str) -> list[tuple[str, list[tuple[str, bool]], int]]:
    parser = _Blocks()
    parser.feed(description)
    parser.close()
    parser.end_block()
    return parser.blocks


def _plain(description: str) -> str:
    if not _TAG.search(description):
        lines = (_BULLET.sub("", _collapse(line)) for line in description.splitlines())
        return "\n".join(line for line in lines if line)
    lines = []
    for _, runs, _ in _html_blocks(description):
        line = _BULLET.sub("", _collapse("".join(text for text, _ in runs)))
        if line:
            lines.append(line)
    return "\n".join(lines)


def _markdown_runs(runs: list[tuple[str, bool]]) -> str:
    out: list[str] = []
    bold: list[str] = []
    for text, is_bold in [*runs, ("", False)]:
        if is_bold:
            bold.append(text)
            continue
        if bold:
            inner = _collapse("".join(bold))
            if inner:
                lead = " " if bold[0][:1].isspace() else ""
                trail = " " if bold[-1][-1:].isspace() else ""
                out.append(f"{lead}**{inner}**{trail}")
            bold = []
        out.append(text)
    return _collapse("".join(out))


def _markdown(description: str) -> str:
    if not _TAG.search(description):
        return description
    parts: list[str] = []
    previous: tuple[str, int] | None = None
    for kind, runs, group in _html_blocks(description):
        text = _markdown_runs(runs)
        if kind == "heading":
            text = "## " + _collapse("".join(t for t, _ in runs))
        elif kind == "item":
            text = "- " + text
        if previous is not None:
            # list items of one list, and <br> lines of one paragraph, stay on adjacent lines
            same = previous == (kind, group) and kind in ("item", "line")
            parts.append("\n" if same else "\n\n")
        parts.append(text)
        previous = (kind, group)
    return "".join(parts)


def render(description: str | None, rendering: str) -> str | None:
    """The description in `rendering` ("html" returns it unchanged)."""
    if not description or rendering == "html":
        return description
    if rendering == "plain":
        return _plain(description)
    if rendering == "markdown":
        return _markdown(description)
    raise ValueError(f"unknown rendering {rendering!r}")
