"""`AnyOf`: one regex pass that answers exactly what `any(word in text for word in words)` does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobsift.pipelines.document.literals import AnyMatch, AnyOf, alternatives
from jobsift.pipelines.reference import headings as vocab

CASES = {
    "prefix-of-another": (("ms", "msc", "m.s"), "an msc in physics", True),
    "one-letter-word": (("a", "ab"), "xyz", False),
    "regex-characters": (("c++", "(x)", "a.b"), "know c++ well", True),
    "dot-is-literal": (("a.b",), "axb", False),
    "non-ascii": (("年", "année"), "5年以上", True),
    "no-words": ((), "anything", False),
}


@pytest.mark.parametrize("name", CASES)
def test_any_of(name: str) -> None:
    words, text, expected = CASES[name]
    assert AnyOf(words).found(text) is expected
    assert any(word in text for word in words) is expected


def test_empty_word_is_refused() -> None:
    with pytest.raises(ValueError):
        AnyOf(("", "x"))


_ALPHABET = "abms. +()年é"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ALPHABET, min_size=1, max_size=4), max_size=8), st.text(_ALPHABET))
def test_any_of_is_the_substring_test(words: list[str], text: str) -> None:
    assert AnyOf(words).found(text) == any(word in text for word in words)


@pytest.mark.parametrize(
    "name", ["REQUIREMENT_STEMS", "PREFERRED_TRIGGERS", "EDUCATION_TRIGGERS", "YEAR_TRIGGERS"]
)
def test_any_of_reference_lists(name: str) -> None:
    words = getattr(vocab, name)
    matcher = AnyOf(words)
    for word in words:
        assert matcher.found(f"x {word} y")
    assert not matcher.found("")


SPLITS = {
    "plain": ("a|b", ["a", "b"]),
    "group": ("a|(b|c)", ["a", "(b|c)"]),
    "class": ("[|]|x", ["[|]", "x"]),
    "class-bracket-first": ("[]|]|x", ["[]|]", "x"]),
    "negated-class": ("[^|]|x", ["[^|]", "x"]),
    "escaped-bar": (r"\||x", [r"\|", "x"]),
    "lookahead": (r"\bm(?=\s*(in|or))|y", [r"\bm(?=\s*(in|or))", "y"]),
}


@pytest.mark.parametrize("name", SPLITS)
def test_alternatives(name: str) -> None:
    pattern, expected = SPLITS[name]
    assert alternatives(pattern) == expected


@pytest.mark.parametrize(
    "pattern", [pattern for pattern, _ in vocab.EDUCATION_LEVELS] + [vocab.AT_LEAST, r"\bab\b|c"]
)
@pytest.mark.parametrize(
    "text",
    [
        "a master's degree",
        "ms in physics",
        "diplôme d'ingénieur",
        "3+ years",
        "at least",
        "abc",
        "",
    ],
)
def test_any_match_is_the_search(pattern: str, text: str) -> None:
    assert AnyMatch(pattern).found(text) == (re.search(pattern, text) is not None)
