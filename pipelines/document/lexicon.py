"""The heading lexicon compiled: what a heading announces, and whether a bare line is a heading.

Shared by the document parser (a plain line that says "Requirements" is a heading) and by the
sections step (the items under it are requirements). Words live in `pipelines.reference.headings`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jobsift.pipelines.reference import heading_lines
from jobsift.pipelines.reference import headings as vocab

LIST_LABELS = (vocab.RESPONSIBILITIES, vocab.MINIMUM, vocab.PREFERRED)

_LEXICON = tuple(
    (re.compile(pattern), label)
    for pattern, label in (*vocab.HEADING_LEXICON, *heading_lines.EXTRA_LEXICON)
)
_PHRASE = re.compile(heading_lines.HEADING_PHRASES)
_QUALIFIER = re.compile(heading_lines.HEADING_QUALIFIERS)
_WEAK = re.compile(heading_lines.WEAK_HEADING_WORDS)
_MAX_HEADING_LINE_WORDS = 8
_MAX_TITLE_CASE_WORDS = 6
_MAX_CJK_HEADING_CHARS = 16
_LOWER_WORD_LENGTH = 3  # title case: longer words start with a capital
_ENDS = frozenset(".!;,")
# Emoji, stars and hashes around a heading ("Benefits 🎉", "📍Our Offices", "**Perks**").
_DECORATION = re.compile(
    r"^[\s*#\u00a0\U0001F300-\U0001FAFF\u2600-\u27BF]+|[\s*#\u00a0\U0001F300-\U0001FAFF\u2600-\u27BF\ufe0f]+$"
)
_MONEY = re.compile(r"[$€£¥%]")


@lru_cache(maxsize=4096)
def lower(text: str) -> str:
    """Lower-cased with straight apostrophes: the form every pattern is written for (cached:
    the steps lower the same block texts several times per posting)."""
    return text.replace("’", "'").replace("‘", "'").lower()


@lru_cache(maxsize=8192)
def heading_label(text: str) -> str | None:
    """The section label a heading announces, or None when the lexicon does not know it."""
    normalized = lower(text).strip(" :*#-–—.!?\u00a0：")
    for pattern, label in _LEXICON:
        if pattern.search(normalized):
            return label
    return None


def is_title_line(text: str) -> bool:
    """A short line in title case ("Summer Internship Program at Point72"): a heading when
    longer prose follows it, whatever it says."""
    words = text.split()
    if not 2 <= len(words) <= _MAX_TITLE_CASE_WORDS + 1 or text[-1] in _ENDS or text[-1] == ":":
        return False
    if any(word.isdigit() for word in words):
        return False  # "Mindestens 2 Jahre Erfahrung": a figure belongs to an item
    capitals = sum(1 for word in words if word[:1].isupper())
    return capitals >= 2 and _title_case(text) and not _MONEY.search(text)


def _title_case(text: str) -> bool:
    return all(
        not word[:1].isalpha() or word[:1].isupper() or len(word) <= _LOWER_WORD_LENGTH
        for word in text.split()
    )


def _cjk(text: str) -> bool:
    return any("\u3040" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" for char in text)


@lru_cache(maxsize=8192)
def is_heading_line(text: str) -> bool:
    """A bare line (no marker, no bold) that is a heading by what it says: the lexicon knows it
    and it reads like a title ("Minimum Requirements", "What you'll bring", "Requisitos",
    "任职要求"), not like an item that happens to hold a heading word ("Strong SQL skills")."""
    core = _DECORATION.sub("", text).rstrip(":：…. ").strip()
    if text.rstrip().endswith("."):
        return False
    if not core or core[-1] in _ENDS or core[0].isdigit() or _MONEY.search(core):
        return False
    if ":" in core or "：" in core:
        return False  # "Headquarters: London" is a label and its value
    if _cjk(core):
        return " " not in core and len(core) <= _MAX_CJK_HEADING_CHARS and bool(heading_label(core))
    words = core.split()
    if len(words) > _MAX_HEADING_LINE_WORDS or heading_label(core) is None:
        return False
    low = lower(core)
    if _PHRASE.search(low):
        return True
    if core.endswith("?") or len(words) > _MAX_TITLE_CASE_WORDS:
        return False
    if len(words) == 1:
        return True
    if not _title_case(core):
        return False
    return not _WEAK.search(low) or bool(_QUALIFIER.search(low))
