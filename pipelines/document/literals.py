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
