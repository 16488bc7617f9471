"""Plain text and markdown descriptions as lines, and the repairs every description gets first.

Repairs: mojibake ("Bachelorâ€™s", by `ftfy`), markdown backslash escapes ("\\-", "\\+", "\\*").
Squished one-line text is cut into lines at inline `**Heading**` markers and inline " * ",
" • ", " - " bullets, so that it reads like the same posting written on several lines.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import ftfy
from jobsift.pipelines.document.lexicon import LIST_LABELS, heading_label
from jobsift.pipelines.document.lines import BULLET, TERMINAL, Line, collapse, line_marker

# Two characters that UTF-8 read as Latin-1/cp1252 leaves behind ("â€™", "Ã©").
_MOJIBAKE = re.compile(r"[ÂÃâ][\x80-\xbf€™œ¢žŸ…‚ƒ„†‡ˆ‰Š‹ŒŽ‘’“”•–—˜š›]")
_MOJIBAKE_LEADS = ("Â", "Ã", "â")
_SPACE = re.compile(r"\s")
_WORD_TAIL = re.compile(r"\S*$")  # the end of the text before a match: its word's start
_MAX_WORD = 64
# A backslash escape of markdown punctuation ("\-", "\+", "\*", "\#", "\_", "\.").
_ESCAPE = re.compile(r"\\([-+*#_.!()\[\]{}`|>~&])")
# Squished text: a line this long holding several inline bullets or bold headings is cut.
_MIN_SQUISHED = 160
_MIN_INLINE_MARKS = 2
_MIN_INLINE_DASHES = 3
# Substrings without which a line holds no inline heading or bullet (cheap test first).
_INLINE_MARKS = ("**", " * ", " • ", " ● ", " ▪ ", " - ", " – ", "â€¢")
# An inline bold heading: a bold span followed by a colon or a bullet ("... **Requirements** *
# Go ...", "**What you'll do:** ..."), not bold words inside a sentence ("we use **Go** daily").
_INLINE_BOLD = re.compile(
    r"(?<=\S)\s+(?=\*\*[^*\n]{2,60}?\*\*(?:\s*[:：]|(?<=:\*\*)|\s+(?:[*•●▪]|-)\s))"
)
# Inline bullets: " * Item", " • Item"; " - Item" only before a capital letter.
_INLINE_BULLET = re.compile(r"(?<=\S)\s+(?=(?:[*•●▪]|â€¢)\s+\S)")
_INLINE_DASH = re.compile(r"(?<=\S)\s+(?=[-–]\s+[A-ZÀ-ÖØ-Þ0-9])")
# A bold heading right before its text on the same line ("**Requirements** Python ...").
# "**Requirements:** text" (group 1: the label without its colon).
_BOLD_LABEL = re.compile(r"^\*\*([^*\n]{2,60}?)[:：]?\*\*[:：]?\s+(?=\S)")
_BOLD_THEN_TEXT = re.compile(r"^(\*\*[^*\n]{2,60}?\*\*)\s+(?=[*•●▪-]\s)")


@lru_cache(maxsize=4096)
def _fix_word(word: str) -> str:
    return ftfy.fix_encoding(word)


def _fix_words(text: str) -> str:
    """Mojibake repaired word by word: ftfy weighs each word alone, a long text costs it much
    more than the few words that need it, and the same broken words recur ("â€™s", "â€¢")."""
    pieces: list[str] = []
    done = 0
    for match in _MOJIBAKE.finditer(text):
        if match.start() < done:
            continue  # inside the word just repaired
        window = max(done, match.start() - _MAX_WORD)
        start = _WORD_TAIL.search(text, window, match.start()).start()
        after = _SPACE.search(text, match.end())
        end = after.start() if after else len(text)
        pieces.append(text[done:start])
        pieces.append(_fix_word(text[start:end]))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def repair(description: str) -> str:
    """The description with its mojibake repaired and markdown escapes removed."""
    if any(lead in description for lead in _MOJIBAKE_LEADS) and _MOJIBAKE.search(description):
        description = _fix_words(description)
    if "\\" in description:
        description = _ESCAPE.sub(r"\1", description)
    return description


def _labelled(line: str) -> list[str]:
    """ "**What you'll do:** Build the API" as the heading line and its text, when the bold label
    names a list; other bold labels ("**Location:** London") stay one line."""
    match = _BOLD_LABEL.match(line)
    if match and heading_label(match.group(1)) in LIST_LABELS:
        return [match.group(1), line[match.end() :]]
    return [line]


def _unsquish(line: str) -> list[str]:
    """A squished line cut at its inline bold headings and bullets (else the line itself)."""
    if len(line) < _MIN_SQUISHED or not any(mark in line for mark in _INLINE_MARKS):
        return _labelled(line) if line.startswith("**") else [line]
    bullets = len(_INLINE_BULLET.findall(line)) >= _MIN_INLINE_MARKS
    headings = len(_INLINE_BOLD.findall(line))
    bold = headings >= _MIN_INLINE_MARKS or (headings and bullets)
    dashes = not bullets and len(_INLINE_DASH.findall(line)) >= _MIN_INLINE_DASHES
    if not (bold or bullets or dashes):
        return [line]
    pieces = _INLINE_BOLD.split(line) if bold else [line]
    if bullets:
        pieces = [part for piece in pieces for part in _INLINE_BULLET.split(piece)]
    elif dashes:
        pieces = [part for piece in pieces for part in _INLINE_DASH.split(piece)]
    lines: list[str] = []
    for piece in pieces:
        match = _BOLD_THEN_TEXT.match(piece) if bold else None
        if match:
            lines.extend((match.group(1), piece[match.end() :]))  # "**Heading** * item"
        else:
            lines.extend(_labelled(piece) if piece.startswith("**") else [piece])
    return lines


def text_lines(description: str) -> list[Line]:
    """Plain text and markdown: one line per line; wrapped prose lines are joined."""
    lines: list[Line] = []
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
        if blank and not (BULLET.match(text) and lines and BULLET.match(lines[-1].text)):
            group += 1
        blank = False
        for piece in _unsquish(text):
            continuation = (
                previous
                and piece[0].islower()
                and len(previous) > 40
                and not TERMINAL.search(previous)
                and not previous.endswith((":", ";"))
                and not line_marker(piece)
            )
            if continuation and lines:
                lines[-1] = lines[-1]._replace(text=f"{lines[-1].text} {piece}")
            else:
                lines.append(Line(piece, "line", 0, False, group))
            previous = lines[-1].text
    return lines
