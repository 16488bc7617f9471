"""The HTML reader's rendering (`Document.text`) is the gold README's: block-level tags one space,
inline tags nothing, entities decoded, whitespace collapsed, whatever the lines it reads."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobsift.pipelines.document.html import html_lines
from jobsift.pipelines.document.model import parse_document

_BLOCK = ["p", "div", "br", "li", "ul", "ol", "h2", "h4", "table", "td", "section"]
_INLINE = ["b", "strong", "span", "a", "em", "i"]
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")


def _rendering(markup: str) -> str:
    """The rendering written out directly (no script, comment or cut tag in these inputs)."""
    spaced = _TAG.sub(lambda m: " " if m.group(2).lower() in _BLOCK else "", markup)
    return " ".join(html.unescape(spaced).split())


_PIECES = st.sampled_from(
    [f"<{name}>" for name in _BLOCK + _INLINE]
    + [f"</{name}>" for name in _BLOCK + _INLINE]
    + ["<LI>", "<P class='x'>", "<br/>", "\n", "\n- ", "\n1. ", "\n## ", " ", "\xa0", "&amp;"]
    + ["&nbsp;", "Requirements", "Nice to have:", "Build APIs.", "5+ years", "**Perks**", "x"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_rendering_is_the_text_with_block_tags_as_spaces(markup: str) -> None:
    _lines, text, cut = html_lines(markup)
    assert not cut
    assert text == _rendering(markup.rstrip())


CASES = {
    "items": ("<ul><li>A</li><li>B <b>C</b></li></ul>", "A B C"),
    "inline-joins-words": ("<p>ab<span>cd</span></p><p>e</p>", "abcd e"),
    "br-in-item": ("<li>one<br>two</li>", "one two"),
    "embedded-lines": ("<p>Intro\n- one\n- two</p>", "Intro - one - two"),
    "entities": ("<p>R&amp;D&nbsp;team</p>", "R&D team"),
    "heading-cuts-item": ("<ul><li>open<h2>Next</h2><p>after</p>", "open Next after"),
}


@pytest.mark.parametrize("name", CASES)
def test_rendering_cases(name: str) -> None:
    markup, expected = CASES[name]
    assert parse_document(markup).text == expected
