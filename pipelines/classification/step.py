"""Classification step: cleaned `title`, `seniority`, `employment_type`, and a missing company.

Rules are gold/README.md "title, company", "seniority" and "employment_type": a title loses its
location / setting / employment-type / gender qualifiers but keeps specialisations and sales
territories; seniority comes from the title unless the page labels it; the employment type comes
from the source's field, then the title's qualifiers, then the text, and internship always wins.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from jobsift.pipelines.classification.company import employer_in_text, is_agency_post
from jobsift.pipelines.document.model import collapse
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.reference import geo, terms


def _words(patterns: Iterable[str]) -> str:
    return "|".join(sorted(patterns, key=len, reverse=True))


# --- title qualifiers -------------------------------------------------------------------------

_OWN_KINDS: dict[str, str] = {
    **{geo.phrase_key(w): "region" for w in terms.REGION_QUALIFIER_WORDS},
    **{geo.phrase_key(w): "setting" for w in terms.SETTING_WORDS},
    **{geo.phrase_key(w): "type" for w in terms.TITLE_TYPE_WORDS},
    **{geo.phrase_key(w): "blurb" for w in terms.TITLE_BLURBS},
    **{geo.phrase_key(w): "connector" for w in terms.QUALIFIER_CONNECTORS},
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
_TRAILING_SEGMENT = re.compile(r"\s[-–—]\s+((?:(?!\s[-–—]\s)[^|])+)$|\s*\|\s*([^|]+)$")
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
    if _GENDER.match(text) or _CITY_STATE.match(text.strip("()")):
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
    title = collapse(_GENDER_GROUP.sub("", html.unescape(raw_title)))
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
    return CleanTitle(title.strip() or None, dropped)


# --- employment type --------------------------------------------------------------------------

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
_INTERN_TITLE = re.compile(
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


def combine_types(found: set[str]) -> str | None:
    """One type from those a posting names: internship wins, temporary beats a schedule, two
    alternatives ("Full time or Full time contract") are no answer."""
    if "internship" in found:
        return "internship"
    if "temporary" in found:
        return "temporary"
    return next(iter(found)) if len(found) == 1 else None


def _text_types(text: str, header: list[str]) -> set[str]:
    found: set[str] = set()
    text = text.lower()
    for segment in header:
        found |= types_in(segment) if len(segment) < 60 else set()
    for match in _matches_at_stems(text, _LABEL_STEMS, _TYPE_LABEL):
        found |= types_in(match["value"])
    for match in _matches_at_stems(text, _TYPE_STEMS, _TYPE_BEFORE_NOUN):
        found |= types_in(match[0])
    return found


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

_HEADER_END = re.compile(r"<p>|<br\s*/?>|\n", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_MULTI_ROLE = re.compile(rf"\b(?:{_words(terms.MULTI_ROLE_WORDS)})\b", re.IGNORECASE)
_MIN_HEADER_SEGMENTS = 3  # "Company | Role | Location" at least


def header_segments(description: str | None) -> list[str]:
    """The "Company | Role | Location | Type | Salary" first line of a post (Hacker News)."""
    if not description:
        return []
    first = _HEADER_END.split(description.lstrip(), maxsplit=1)[0]
    line = collapse(html.unescape(_TAGS.sub(" ", first)))
    parts = [p.strip() for p in line.split("|")]
    return parts if len(parts) >= _MIN_HEADER_SEGMENTS and all(parts[:2]) else []


def _header_title(segments: list[str]) -> str | None:
    for segment in segments[1:]:
        if _MULTI_ROLE.search(segment):
            return None
        if (
            not _is_qualifier(segment, "dash")
            and not types_in(segment)
            and not any(ch.isdigit() for ch in segment)
        ):
            return segment
    return None


def _fact(draft: Draft, labels: Iterable[str]) -> tuple[str, str] | None:
    wanted = set(labels)
    for label, value in draft.raw.facts.items():
        if label.strip().lower() in wanted and value and value.strip():
            return label, value.strip()
    return None


def _company_and_title(draft: Draft) -> tuple[str | None, list[str], list[str]]:
    overview = draft.overview
    raw_title = draft.raw.title
    header = [] if raw_title else header_segments(draft.raw.description)
    if header:
        raw_title = _header_title(header)
        if not overview.get("company"):
            overview["company"] = header[0]
            draft.provenance["overview.company"] = "text"
    elif raw_title and draft.raw.source == "weworkremotely" and ":" in raw_title:
        company, _, role = raw_title.partition(":")
        if company.strip() and role.strip():  # WWR titles are "Company: Role"
            raw_title = role
            if not overview.get("company"):
                overview["company"] = collapse(html.unescape(company))
                draft.provenance["overview.company"] = "source:title"
    cleaned = clean_title(raw_title)
    overview["title"] = cleaned.title
    text = draft.document.text
    if not overview.get("company"):
        overview["company"] = employer_in_text(text)  # Lever, Ashby: "About Coder", "At Nango,"
        if overview["company"]:
            draft.provenance["overview.company"] = "text"
    company = overview.get("company")
    if company and (company.strip().lower() in terms.PLACEHOLDER_COMPANIES or is_agency_post(text)):
        overview["company"] = None  # "Confidential Company", "Our client is ...": not the employer
        draft.provenance.pop("overview.company", None)
    return raw_title, cleaned.qualifiers, header


def _employment_type(
    draft: Draft, raw_title: str | None, qualifiers: list[str], header: list[str]
) -> tuple[str | None, str | None]:
    value, origin = draft.raw.employment_type, "source:employment_type"
    if not value:
        fact = _fact(draft, terms.EMPLOYMENT_FACT_LABELS)
        if fact:
            value, origin = fact[1], f"facts:{fact[0]}"
    if raw_title and _INTERN_TITLE.search(raw_title):
        return "internship", "title"
    if value:
        found = types_in(value)
        if found:
            return combine_types(found), origin
    from_title = set().union(*(types_in(q) for q in qualifiers)) if qualifiers else set()
    if from_title:
        return combine_types(from_title), "title"
    found = _text_types(draft.document.text, header)
    return (combine_types(found), "text") if found else (None, None)


def step(draft: Draft) -> Iterable[str]:
    overview = draft.overview
    raw_title, qualifiers, header = _company_and_title(draft)
    fact = _fact(draft, terms.SENIORITY_FACT_LABELS)
    level = _level_name(fact[1]) if fact else None
    if level is not None and fact is not None:
        overview["seniority"] = level
        draft.provenance["overview.seniority"] = f"facts:{fact[0]}"
    else:
        overview["seniority"] = seniority_of(overview["title"])
        if overview["seniority"] is not None:
            draft.provenance["overview.seniority"] = "title"
    kind, origin = _employment_type(draft, raw_title, qualifiers, header)
    overview["employment_type"] = kind
    if kind is not None and origin is not None:
        draft.provenance["overview.employment_type"] = origin
    return ()
