"""A description (HTML, markdown or plain text) as a flat list of blocks: headings, items, text.

Parsed once per posting by the prepare step and shared by every later step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer "
    "blockquote pre dl dt dd hr".split()
)
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "heading" | "item" | "text"
    text: str
    level: int = 0  # 1-6 for <hN>, 0 otherwise


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    text: str  # plain text, one space at block boundaries, whitespace collapsed


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def parse_document(description: str | None) -> Document:
    if not description or not description.strip():
        return Document(blocks=[], text="")
    if "<" not in description:
        blocks = [Block("text", collapse(line)) for line in description.splitlines() if line.strip()]
        return Document(blocks=blocks, text=collapse(description))
    root = lxml.html.fragment_fromstring(description, create_parent="div")
    blocks: list[Block] = []
    for element in root.iter("li", *_HEADING_TAGS, "p"):
        text = collapse(element.text_content())
        if not text:
            continue
        if element.tag in _HEADING_TAGS:
            blocks.append(Block("heading", text, int(element.tag[1])))
        elif element.tag == "li":
            blocks.append(Block("item", text))
        else:
            blocks.append(Block("text", text))
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = " " + (element.tail or "")
        element.text = " " + (element.text or "")
    return Document(blocks=blocks, text=collapse(root.text_content()))
