"""Employment type words: what a source field, a labelled value, a title qualifier or a sentence
says about the type (the gold labels' "employment_type" rule), used by the classification step."""

from __future__ import annotations

import re
from collections.abc import Iterable

from jobsift.pipelines.reference import facts, terms


def _words(patterns: Iterable[str]) -> str:
    return "|".join(sorted(patterns, key=len, reverse=True))


_TYPE_PATTERNS = {
    kind: re.compile(rf"\b(?:{_words(words)})\b", re.IGNORECASE)
    for kind, words in terms.EMPLOYMENT_TYPE_WORDS.items()
}
_ANY_TYPE = _words(w for words in terms.EMPLOYMENT_TYPE_WORDS.values() for w in words)
_TYPE_BEFORE_NOUN = re.compile(
    rf"\b(?:{_ANY_TYPE})\b(?:[\s,]+[\w-]+){{0,2}}?[\s,]+(?:{_words(terms.ROLE_NOUNS)})\b"
)  # matched in lower-cased text: IGNORECASE makes these alternations ~10x slower
_TYPE_LABEL = re.compile(
    rf"\b(?:{_words(re.escape(w) for w in terms.EMPLOYMENT_LABELS)})\b\s*:?\s*(?P<value>.{{0,40}})"
)
INTERN_TITLE = re.compile(
    rf"\b(?:{_words(terms.EMPLOYMENT_TYPE_WORDS['internship'])})\b", re.IGNORECASE
)


def _stems(patterns: Iterable[str]) -> tuple[str, ...]:
    """The literal start of each pattern, minus those another one already covers ("full" and
    "fulltime"): the text is searched for these with str.find, ~2x faster than a regex scan."""
    stems: set[str] = set()
    for pattern in patterns:
        literal = re.match(r"[^\\\[\](){}?*+|.^$]+", pattern)
        if literal is None or len(literal[0].split()[0]) < 3:
            raise ValueError(f"needs 3+ literal letters first: {pattern!r}")
        stems.add(literal[0].split()[0])
    return tuple(sorted(s for s in stems if not any(o != s and s.startswith(o) for o in stems)))


_TYPE_STEMS = _stems(w for words in terms.EMPLOYMENT_TYPE_WORDS.values() for w in words)
_LABEL_STEMS = _stems(re.escape(w) for w in terms.EMPLOYMENT_LABELS)


def _matches_at_stems(
    text: str, stems: Iterable[str], pattern: re.Pattern[str]
) -> list[re.Match[str]]:
    found = []
    for stem in stems:
        at = text.find(stem)
        while at != -1:
            match = pattern.match(text, at)
            if match:
                found.append(match)
            at = text.find(stem, at + 1)
    return found


def types_in(text: str) -> set[str]:
    return {kind for kind, pattern in _TYPE_PATTERNS.items() if pattern.search(text)}


_LABEL_TYPE_PATTERNS = {
    kind: re.compile(rf"(?<!\w)(?:{_words(re.escape(w) for w in words)})(?!\w)", re.IGNORECASE)
    for kind, words in facts.LABEL_TYPE_WORDS.items()
}


def label_types_in(value: str) -> set[str]:
    """Types named in a labelled value only ("Type de contrat : Stage ..." is an internship)."""
    return {kind for kind, pattern in _LABEL_TYPE_PATTERNS.items() if pattern.search(value)}


def combine_types(found: set[str]) -> str | None:
    """One type from those a posting names: internship wins, temporary beats a schedule, two
    alternatives ("Full time or Full time contract") are no answer."""
    if "internship" in found:
        return "internship"
    if "temporary" in found:
        return "temporary"
    return next(iter(found)) if len(found) == 1 else None


def text_types(text: str) -> set[str]:
    """Types the text states: in a labelled line or before a role noun (\"a full-time role\")."""
    found: set[str] = set()
    text = text.lower()
    for match in _matches_at_stems(text, _LABEL_STEMS, _TYPE_LABEL):
        found |= types_in(match["value"])
    for match in _matches_at_stems(text, _TYPE_STEMS, _TYPE_BEFORE_NOUN):
        found |= types_in(match[0])
    return found


_ALTERNATIVES = re.compile(rf"\s(?:{_words(terms.TYPE_ALTERNATIVE_WORDS)})\s|/")


def written_type(value: str, found: set[str]) -> str | None:
    """The type of a labelled value: "Contract, part-time" names the contract and its schedule
    (contract); "Full time / contract" or "Full or part-time" are alternatives (none)."""
    schedule = found & {"full_time", "part_time"}
    if "contract" in found and len(found) == 2 and schedule and not _ALTERNATIVES.search(value):
        return "contract"
    return combine_types(found)
