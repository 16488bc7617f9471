"""Classification step: cleaned `title`, `seniority`, `employment_type`, and a missing company.

Rules are the gold labels' "title, company", "seniority" and "employment_type": a title loses its
location / setting / employment-type / gender qualifiers but keeps specialisations and sales
territories; seniority comes from the title unless the page labels it; the employment type comes
from the source's field, then the title's qualifiers, then the text, and internship always wins.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from jobsift.pipelines.classification.company import employer_in_text, is_agency_post
from jobsift.pipelines.classification.employment import (
    INTERN_TITLE,
    combine_types,
    label_types_in,
    text_types,
    types_in,
    written_type,
)
from jobsift.pipelines.document.model import collapse
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.reference import facts, geo, terms
from jobsift.pipelines.reference.sources import conventions
from jobsift.pipelines.text_facts import type_line


def _words(patterns: Iterable[str]) -> str:
    return "|".join(sorted(patterns, key=len, reverse=True))


# --- title qualifiers -------------------------------------------------------------------------

_OWN_KINDS: dict[str, str] = {
    **{geo.phrase_key(w): "region" for w in terms.REGION_QUALIFIER_WORDS},
    **{geo.phrase_key(w): "setting" for w in terms.SETTING_WORDS},
    **{geo.phrase_key(w): "type" for w in terms.TITLE_TYPE_WORDS},
    **{geo.phrase_key(w): "blurb" for w in terms.TITLE_BLURBS},
    **{geo.phrase_key(w): "connector" for w in terms.QUALIFIER_CONNECTORS},
    **{geo.phrase_key(w): "type" for w in facts.TITLE_TYPE_ABBREVIATIONS},
}
# Geography phrases: a place is a location note; a region alone may be a sales territory.
_GEO_KINDS = dict.fromkeys(("country", "state", "city", "province"), "place") | {
    "world": "setting",
    "region": "region",
}
_MAX_PHRASE = max(len(key.split()) for key in (*geo.PHRASES, *_OWN_KINDS))
_WORD = re.compile(r"[^\W_]+")  # the words geo.phrase_key keeps
_GENDER = re.compile(rf"^\(?\s*(?:{_words(terms.GENDER_MARKERS)})\s*\)?$", re.IGNORECASE)
# A bracketed gender marker anywhere: "Softwareentwickler (m/w/d) Embedded".
_GENDER_GROUP = re.compile(rf"\s*[(\[]\s*(?:{_words(terms.GENDER_MARKERS)})\s*[)\]]", re.IGNORECASE)
_CITY_STATE = re.compile(r"^[A-Z][\w .'-]+,\s*(?P<state>[A-Z]{2})$")
_TRAILING_GROUP = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*$")
# A dash separates only with spaces around it ("Engineer - Part-Time", not "Full-Stack").
# "Specialist- West Coast": a dash right after a word, then a space, separates too.
_TRAILING_SEGMENT = re.compile(
    r"(?:\s|(?<=\w))[-–—]\s+((?:(?!\s[-–—]\s|\w[-–—]\s)[^|])+)$|\s*\|\s*([^|]+)$"
)
# A pay note in a title ("Online English Teacher, $16-20/hr").
_PAY_SEGMENT = re.compile(
    r"^[~≈]?\s*(?:[$€£¥₹]|[A-Z]{3}\s?)\s?\d[\d.,\s]*[kK]?(?:\s*[-–]\s*\S+)?(?:\s*/\s*\w+)?$"
)
# Titles longer than this are not cleaned (no title is; the scans stay bounded on absurd input).
_MAX_TITLE_CHARS = 300
_TRAILING_COMMA = re.compile(r"\s*,\s*([^,]+)$")
_LEADING_SEGMENT = re.compile(
    r"^\s*(?:[(\[]([^()\[\]]+)[)\]]\s*(?:\s[-–—]\s|[:|])?|(.+?)(?:\s[-–—]\s|\s*[:|]))\s*"
)
_TRAILING_CODES = re.compile(r"\s+((?:[A-Z]{2,3}/)+[A-Z]{2,3}|USA|UK|US)$")
_COUNTRY_CODES = geo.COUNTRY_CODES | {"UK", "EU", "USA"}
_LOCATION_KINDS = frozenset({"place", "setting"})


@dataclass(slots=True)
class _Segment:
    kinds: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)


def _kind(words: list[str]) -> str | None:
    key = " ".join(geo.fold(w) for w in words)
    own = _OWN_KINDS.get(key)
    if own is not None:
        return own
    for place in geo.PHRASES.get(key, ()):
        if not place.acronym or all(w.isupper() for w in words):  # "US", not "us"
            return _GEO_KINDS.get(place.kind)
    return None


def _read(segment: str) -> _Segment:
    """Each word of a qualifier candidate, as a vocabulary kind or unknown (longest phrase first)."""
    words = _WORD.findall(segment)
    found = _Segment()
    i = 0
    while i < len(words):
        for size in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            kind = _kind(words[i : i + size])
            if kind is not None:
                found.kinds.add(kind)
                i += size
                break
        else:
            if words[i].isdigit():
                found.kinds.add("number")
            else:
                found.unknown.append(words[i].lower())
            i += 1
    return found


def _is_qualifier(segment: str, how: str) -> bool:
    """Whether a title segment is a location/setting/type/gender/blurb note, not part of the role.

    `how` is "group" (in brackets), "dash" (after " - " or " | ") or "comma". Region words alone
    are dropped only in brackets: after a dash or comma they are the role's sales territory.
    """
    text = segment.strip()
    if not text:
        return True
    if _GENDER.match(text) or _CITY_STATE.match(text.strip("()")) or _PAY_SEGMENT.match(text):
        return True
    read = _read(text)
    kinds = read.kinds - {"connector"}
    if not kinds:
        return False
    if not read.unknown:
        # Only qualifier words: dropped, except a bare territory after a dash or comma.
        return how == "group" or not kinds <= {"region", "number"}
    # "Berlin/Brandenburg Region, Germany", "Fully Remote US": a place or setting plus a few names.
    return how != "comma" and bool(kinds & _LOCATION_KINDS) and len(read.unknown) <= 3


@dataclass(slots=True)
class CleanTitle:
    title: str | None
    qualifiers: list[str]  # the dropped notes, read later for the employment type


def clean_title(raw_title: str | None) -> CleanTitle:
    """The role title without location, setting, employment-type, gender or blurb notes."""
    if not raw_title:
        return CleanTitle(None, [])
    read = _cleaned if len(raw_title) <= _CACHED_TITLE_CHARS else _cleaned.__wrapped__
    title, dropped = read(raw_title)
    return CleanTitle(title, list(dropped))


# Pure functions of the title, and titles recur from posting to posting ("Senior Engineer"):
# memoized, for titles of up to this length (an absurd one is not kept).
_CACHED_TITLE_CHARS = 2 * _MAX_TITLE_CHARS


@lru_cache(maxsize=4096)
def _cleaned(raw_title: str) -> tuple[str | None, tuple[str, ...]]:
    title = collapse(html.unescape(raw_title) if "&" in raw_title else raw_title)
    if len(title) > _MAX_TITLE_CHARS:
        return title, ()
    if "(" in title or "[" in title:
        title = collapse(_GENDER_GROUP.sub("", title))
    dropped: list[str] = []
    changed = True
    while changed and title:
        changed = False
        for pattern, how in (
            (_TRAILING_GROUP, "group"),
            (_TRAILING_SEGMENT, "dash"),
            (_TRAILING_COMMA, "comma"),
        ):
            match = pattern.search(title)
            segment = match and next(g for g in match.groups() if g is not None)
            if match and match.start() > 0 and segment is not None:
                inner = segment.strip()
                inner_how = "group" if inner.startswith(("(", "[")) else how
                if _is_qualifier(inner.strip("()[] "), inner_how):
                    dropped.append(inner)
                    title = title[: match.start()].rstrip(" -–—|,:")
                    changed = True
                    break
        codes = _TRAILING_CODES.search(title)
        if codes and all(c in _COUNTRY_CODES for c in codes[1].split("/")):
            dropped.append(codes[1])
            title = title[: codes.start()]
            changed = True
    leading = _LEADING_SEGMENT.match(title)
    if leading:
        segment = leading[1] or leading[2]
        if segment and _is_qualifier(segment, "group") and leading.end() < len(title):
            dropped.append(segment)
            title = title[leading.end() :]
    return title.strip() or None, tuple(dropped)


# --- seniority --------------------------------------------------------------------------------

_LEVELS = [
    (level, re.compile(rf"\b(?:{_words(words)})(?![\w-])", re.IGNORECASE))
    for level, words in terms.SENIORITY_WORDS.items()
    if words
]
_PEOPLE_MANAGER = re.compile(rf"\b(?:{_words(terms.PEOPLE_MANAGER_PATTERNS)})\b", re.IGNORECASE)
_BARE_MANAGER = re.compile(r"^\s*manager\s*$", re.IGNORECASE)
_FALSE_FRIENDS = re.compile(rf"\b(?:{_words(terms.SENIORITY_FALSE_FRIENDS)})\b", re.IGNORECASE)
_OPTIONAL = re.compile(_words(terms.SENIORITY_OPTIONAL_MARKERS), re.IGNORECASE)
_ALTERNATIVE = re.compile(r"^\s*(?:/|\bor\b|\band\b|&)\s*$", re.IGNORECASE)
_RANK = {level: rank for rank, level in enumerate(terms.SENIORITY_ASCENDING)}
_SENIOR_RANK = _RANK["senior"]


def seniority_of(title: str | None) -> str | None:
    """The level a title states, by the gold rules; None when it states none or an option."""
    if not title:
        return None
    return (_level if len(title) <= _CACHED_TITLE_CHARS else _level.__wrapped__)(title)


@lru_cache(maxsize=4096)
def _level(title: str) -> str | None:
    if _OPTIONAL.search(title):
        return None  # "(Senior) Financial Accountant": the level is optional
    text = _FALSE_FRIENDS.sub(" ", title)
    found: list[tuple[int, int, str]] = []
    for level, pattern in _LEVELS:
        found += [(m.start(), m.end(), level) for m in pattern.finditer(text)]
    if _PEOPLE_MANAGER.search(text) or _BARE_MANAGER.match(text):
        found.append((len(text), len(text), "manager"))
    if not found:
        return None
    found.sort()
    levels = {level for _, _, level in found}
    if "intern" in levels:
        return "intern"
    first_start = found[0][0]
    if first_start > 0 and _ALTERNATIVE.match(" " + text[:first_start].split()[-1] + " "):
        return None  # "Engineer and Senior Engineer": with and without a level
    for (_, end, level), (start, _, other) in pairwise(found):
        if level != other and _ALTERNATIVE.match(text[end:start]):
            low = min(level, other, key=_RANK.__getitem__)
            return low if _RANK[low] >= _SENIOR_RANK else None  # "Senior/Staff" vs "Mid / Senior"
    return max(levels, key=_RANK.__getitem__)


def _level_name(value: str) -> str | None:
    lowered = value.strip().lower()
    return lowered if lowered in _RANK else seniority_of(value)


# --- the step ---------------------------------------------------------------------------------

_MULTI_ROLE = re.compile(rf"\b(?:{_words(terms.MULTI_ROLE_WORDS)})\b", re.IGNORECASE)


def _fact(draft: Draft, labels: Iterable[str]) -> tuple[str, str] | None:
    wanted = set(labels)
    for label, value in draft.raw.facts.items():
        if label.strip().lower() in wanted and value and value.strip():
            return label, value.strip()
    return None


def _split_company_role(draft: Draft, raw_title: str) -> str:
    """A "Company: Role" title, where the source's convention says titles are written so."""
    if conventions(draft.raw.source).get("title_format") != "company: role" or ":" not in raw_title:
        return raw_title
    company, _, role = raw_title.partition(":")
    if not (company.strip() and role.strip()):
        return raw_title
    if not draft.overview.get("company"):
        draft.overview["company"] = collapse(html.unescape(company))
        draft.provenance["overview.company"] = "source:title"
    return role


def _company_and_title(draft: Draft) -> tuple[str | None, list[str]]:
    overview = draft.overview
    facts = draft.text_facts
    raw_title = draft.raw.title
    if raw_title:
        raw_title = _split_company_role(draft, raw_title)
    elif facts.get("title") and not (
        draft.text_fact_labels.get("title") == "header" and _MULTI_ROLE.search(facts["title"])
    ):
        raw_title = facts["title"]
        draft.provenance["overview.title"] = draft.fact_origin("title")
    if not overview.get("company") and facts.get("company"):
        overview["company"] = facts["company"]
        draft.provenance["overview.company"] = draft.fact_origin("company")
    cleaned = clean_title(raw_title)
    overview["title"] = cleaned.title
    if cleaned.title is None:
        draft.provenance.pop("overview.title", None)
    text = draft.document.text
    if not overview.get("company"):
        overview["company"] = employer_in_text(text)  # Lever, Ashby: "About Coder", "At Nango,"
        if overview["company"]:
            draft.provenance["overview.company"] = "text"
    company = overview.get("company")
    if company and (company.strip().lower() in terms.PLACEHOLDER_COMPANIES or is_agency_post(text)):
        overview["company"] = None  # "Confidential Company", "Our client is ...": not the employer
        draft.provenance.pop("overview.company", None)
    return raw_title, cleaned.qualifiers


def _employment_type(
    draft: Draft, raw_title: str | None, qualifiers: list[str]
) -> tuple[str | None, str | None]:
    value, origin = draft.raw.employment_type, "source:employment_type"
    if not value:
        fact = _fact(draft, terms.EMPLOYMENT_FACT_LABELS)
        if fact:
            value, origin = fact[1], f"facts:{fact[0]}"
    if raw_title and INTERN_TITLE.search(raw_title):
        return "internship", "title"
    if value:
        found = types_in(value)
        if found:
            return combine_types(found), origin
    written = draft.text_facts.get("employment_type")
    if written:
        found = types_in(written) | label_types_in(written)
        if found:
            return written_type(written, found), draft.fact_origin("employment_type")
    from_title = set().union(*(types_in(q) for q in qualifiers)) if qualifiers else set()
    from_title |= {
        kind for q in qualifiers if (kind := facts.TITLE_TYPE_ABBREVIATIONS.get(q.strip()))
    }
    if from_title:
        return combine_types(from_title), "title"
    line = type_line(draft.raw.description)  # "* Full time" on a line of its own
    found = (types_in(line) | label_types_in(line)) if line else set()
    if line and found:
        draft.text_facts["employment_type"] = line
        draft.text_fact_labels["employment_type"] = "line"
        return written_type(line, found), draft.fact_origin("employment_type")
    found = text_types(draft.document.text)
    return (combine_types(found), "text") if found else (None, None)


def step(draft: Draft) -> Iterable[str]:
    overview = draft.overview
    raw_title, qualifiers = _company_and_title(draft)
    fact = _fact(draft, terms.SENIORITY_FACT_LABELS)
    level = _level_name(fact[1]) if fact else None
    if level is not None and fact is not None:
        overview["seniority"] = level
        draft.provenance["overview.seniority"] = f"facts:{fact[0]}"
    else:
        overview["seniority"] = seniority_of(overview["title"])
        if overview["seniority"] is not None:
            draft.provenance["overview.seniority"] = "title"
    kind, origin = _employment_type(draft, raw_title, qualifiers)
    overview["employment_type"] = kind
    if kind is not None and origin is not None:
        draft.provenance["overview.employment_type"] = origin
    return ()
