"""Substring tests over many words at once: `any(word in text for word in words)`, one pass.

A regular expression built as a trie of the words (`(?:a(?:ge|ss)|be)`) lets the engine skip to
the positions where a word can start and try only the branches that share a prefix, instead of
one scan of the text per word; the answer is the same as the `any(...)` it replaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def _trie(words: list[str]) -> str:
    """The regex of a set of non-empty literals (each word matched as written)."""
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for first, rests in sorted(branches.items()):
        if "" in rests:  # the one-character word matches whatever follows it
            alternatives.append(re.escape(first))
            continue
        alternatives.append(re.escape(first) + _trie(rests))
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


class AnyOf:
    """`AnyOf(words).found(text)` is `any(word in text for word in words)`."""

    __slots__ = ("_pattern", "_word")

    def __init__(self, words: Iterable[str]) -> None:
        given = set(words)
        if "" in given:
            raise ValueError("an empty word is in every text")
        unique = sorted(given)
        self._word = unique[0] if len(unique) == 1 else None  # one word: a plain `in`
        self._pattern = re.compile(_trie(unique)) if len(unique) > 1 else None

    def found(self, text: str) -> bool:
        if self._word is not None:
            return self._word in text
        pattern = self._pattern
        return pattern is not None and pattern.search(text) is not None


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (`a|(b|c)|[|]` -> a, (b|c), [|])."""
    parts: list[str] = []
    depth, start, index, in_class = 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":  # "[]...]": a literal "]" first
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    return parts


class AnyMatch:
    """`AnyMatch(pattern).found(text)` is `re.search(pattern, text) is not None`, faster when some
    top-level alternatives start with `\\b` and others do not: the regex engine tries every
    alternative at every position of such a mix, so the two kinds are searched separately."""

    __slots__ = ("_patterns",)

    def __init__(self, pattern: str) -> None:
        parts = alternatives(pattern)
        bounded = [part for part in parts if part.startswith("\\b")]
        others = [part for part in parts if not part.startswith("\\b")]
        if not bounded or not others or pattern.startswith("(?"):
            self._patterns: tuple[re.Pattern[str], ...] = (re.compile(pattern),)
        else:
            self._patterns = (re.compile("|".join(bounded)), re.compile("|".join(others)))

    def found(self, text: str) -> bool:
        for pattern in self._patterns:  # noqa: SIM110 (no generator per call: a hot path)
            if pattern.search(text) is not None:
                return True
        return False
