"""Prose as sentences: one item per sentence (gold README "List-item rules").

Handles abbreviations ("e.g.", "U.S."), CJK full stops, emoji used as separators, and text whose
sentences were fused together without any separator (JSON-LD `qualifications`).
"""

from __future__ import annotations

import re

from jobsift.pipelines.reference.headings import ABBREVIATIONS

# Sentence ends: [.!?] then space then a capital, digit or opening quote; CJK full stops.
# (Patterns start with a character class, not a look-behind, so the engine can skip ahead.)
_SENTENCE_END = re.compile(r"[.!?]['\"”’)\]»]*(\s+)(?=[\"“‘(\[¿¡]?[A-ZÀ-ÖØ-Þ0-9])|[。！？]()(?=\S)")
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_EMOJI_START = re.compile(r"\w(\s*)(?=[\U0001F300-\U0001FAFF\u2600-\u27BF]\s*[A-ZÀ-ÖØ-Þ])")
# Sentences fused without separators ("...framework SymfonyTu as une ...").
_FUSED = re.compile(r"[a-zà-öø-ÿ.!?)]()(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ])")
_MIN_FUSED_LENGTH = 200
_FUSED_SENTENCE_LENGTH = 150
_SPACED_CAPITAL = re.compile(r"[.!?]\s+[A-ZÀ-ÖØ-Þ]")


def _cut(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Splits at the span of group 1 of each match of `pattern` (the separator)."""
    pieces: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        group = 1 if match.group(1) is not None else 2
        pieces.append(text[start : match.start(group)])
        start = match.end(group)
    pieces.append(text[start:])
    return pieces


def split_sentences(text: str) -> list[str]:
    """One prose line as sentences; abbreviations ("e.g.", "U.S.") do not end one."""
    chunks = _cut(text, _EMOJI_START) if _EMOJI.search(text) else [text]
    pieces = [piece for chunk in chunks for piece in _cut(chunk, _SENTENCE_END)]
    sentences: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    if not sentence.endswith("."):
        return False
    word = sentence.rsplit(None, 1)[-1][:-1].lstrip("(\"'“‘").lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_fused(text: str) -> list[str]:
    """Splits text whose sentences were glued together, when that is what the text looks like:
    long, with few spaced sentence ends, and many lower-to-upper case joins."""
    if len(text) < _MIN_FUSED_LENGTH or text.count(". ") * _FUSED_SENTENCE_LENGTH > len(text):
        return [text]
    fused = len(_FUSED.findall(text))
    if fused < 3 or fused <= 2 * len(_SPACED_CAPITAL.findall(text)):
        return [text]
    return [piece for piece in _cut(text, _FUSED) if piece.strip()]
