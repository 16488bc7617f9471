"""Years of experience and education asked for, from the requirement items (gold README rules).

`years_experience_min`: the baseline overall years ("3+ years" -> 3, "2 - 6 years" -> 2,
"Mindestens 2 Jahre" -> 2, "au moins 5 années" -> 5); `education_level`: the lowest degree the
must-have items name. Word lists live in `pipelines.reference.headings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobsift.pipelines.document.lexicon import lower
from jobsift.pipelines.document.literals import AnyMatch, AnyOf
from jobsift.pipelines.document.model import Document
from jobsift.pipelines.reference import headings as vocab

__all__ = ["Years", "education_level", "lower", "years_experience_min"]


_NUMBER = r"(\d{1,2}(?:[.,]5)?|" + "|".join(sorted(vocab.NUMBER_WORDS, key=len, reverse=True)) + ")"
# "3+ years", "2 - 6 years", "1-2+ years", "Mindestens 2 Jahre", "au moins 5 années", "5年以上".
_YEARS = re.compile(
    rf"(?<![\w.,]){_NUMBER}\s*\+?\s*(?:(?:-|–|—|to|bis|à)\s*\d{{1,2}}\s*\+?\s*)?"
    rf"(?:{vocab.YEAR_UNITS})(?![\w-])"
)
_AT_LEAST = AnyMatch(vocab.AT_LEAST)
_NO_EXPERIENCE = re.compile(vocab.NO_EXPERIENCE)
_EXPERIENCE_WORDS = AnyOf(vocab.NO_EXPERIENCE_TRIGGERS)
_YEAR_WORDS = AnyOf(vocab.YEAR_TRIGGERS)
_EDUCATION = tuple((AnyMatch(pattern), level) for pattern, level in vocab.EDUCATION_LEVELS)
_NO_DEGREE = re.compile(vocab.NO_DEGREE)
_EDUCATION_TRIGGER = AnyOf(vocab.EDUCATION_TRIGGERS)
_EDUCATION_ORDER = ("none", "high_school", "associate", "bachelor", "master", "doctorate")


@dataclass(frozen=True, slots=True)
class Years:
    value: float
    origin: str


def _year_figures(low: str) -> list[float]:
    if not _YEAR_WORDS.found(low):
        return []
    figures = []
    for match in _YEARS.finditer(low):
        number = match.group(1)
        spelled = vocab.NUMBER_WORDS.get(number)
        figures.append(float(spelled if spelled is not None else number.replace(",", ".")))
    return figures


def years_experience_min(items: list[str], document: Document, title: str | None) -> Years | None:
    """The baseline overall years asked for: the largest lower bound among the requirement items
    (a narrower "2+ years of Go" sits beside the overall figure, and "3-7 years" gives 3); else a
    figure worded as a minimum in an experience sentence; 0 when no experience is needed."""
    figures = [figure for item in items for figure in _year_figures(lower(item))]
    if figures:
        return Years(max(figures), "text:requirements")
    no_experience: str | None = None
    # The words hold no apostrophe: `lower` (which also straightens them) finds the same ones.
    blocks = document.blocks if _EXPERIENCE_WORDS.found(document.text.lower()) else ()
    for block in blocks:
        if block.kind == "heading":
            continue
        low = lower(block.text)
        if not _EXPERIENCE_WORDS.found(low):
            continue
        found = _year_figures(low)
        if found and _AT_LEAST.found(low):
            figures.extend(found)
        elif no_experience is None and _NO_EXPERIENCE.search(low):
            no_experience = "text:description"
    if figures:
        return Years(min(figures), "text:description")
    title_low = lower(title or "")
    if _EXPERIENCE_WORDS.found(title_low) and _NO_EXPERIENCE.search(title_low):
        no_experience = "title"
    return Years(0.0, no_experience) if no_experience else None


def education_level(minimum: list[str]) -> str | None:
    """The lowest degree the must-have items name ("BS or MS in ..." -> bachelor)."""
    levels: list[str] = []
    for item in minimum:
        low = lower(item)
        if not _EDUCATION_TRIGGER.found(low):
            continue
        if "degree" in low and _NO_DEGREE.search(low):
            levels.append("none")
            continue
        named = [level for pattern, level in _EDUCATION if pattern.found(low)]
        if named:
            levels.append(min(named, key=_EDUCATION_ORDER.index))
    return min(levels, key=_EDUCATION_ORDER.index) if levels else None
