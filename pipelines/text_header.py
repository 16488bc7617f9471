"""A posting's "A | B | C" header line ("Company | Role | Location | Type | Salary").

Hacker News "Who is hiring?" comments, GitHub job-board issues and many pasted postings open with
such a line. `split_header` reads it into fields as written; the normalizer (`text_facts`) and the
hackernews spider share it. Header fragments that are not a title or an employer (a URL, an email,
a place, a recruiting note) are never returned as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobsift.pipelines.reference import facts, geo, terms

# A longer header part is a sentence that happens to follow a "|", not a field.
MAX_HEADER_PART_CHARS = 100


def _words(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


URL = re.compile(
    r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)*\.(?!js$)[a-z]{2,}(?:/\S*)?$", re.IGNORECASE
)
EMAIL = re.compile(r"\S+@[\w-]+(?:\.[\w-]+)+")
_SALARY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?[kK]\b|\d\s?[A-Z]{3}\b|\b[A-Z]{3}\s?\d|(?i:\bsalary\b|\bcompensation\b)"
)
_VISA = re.compile(rf"\b(?:{'|'.join(facts.VISA_PATTERNS)})\b", re.IGNORECASE)
# "Specialist- West Coast": a hyphen then a space ends the word.
ROLE = re.compile(rf"(?<![\w-])(?:{_words(facts.ROLE_WORDS)})s?(?!\w|-\w)", re.IGNORECASE)
_EMPLOYMENT = re.compile(
    r"\b(?:{})\b".format(
        "|".join(w for words in terms.EMPLOYMENT_TYPE_WORDS.values() for w in words) + r"|permanent"
    ),
    re.IGNORECASE,
)
_WORK_SETTING = re.compile(rf"\b(?:{'|'.join(facts.SETTING_PATTERNS)})\b", re.IGNORECASE)
_STATUS = re.compile(
    rf"^\s*[(\[]\s*(?:{_words(facts.STATUS_PREFIXES)})\s*[)\]]\s*[:-]?\s*", re.IGNORECASE
)
_NOT_EMPLOYER = re.compile(rf"\b(?:{_words(facts.NOT_EMPLOYER_WORDS)})\b", re.IGNORECASE)
_CITY_STATE = re.compile(r"^[A-Z][\w .'-]+,\s*[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Header:
    """The fields of a "Company | Role | Location | Type | Salary" line, as written."""

    company: str | None = None
    title: str | None = None
    location: str | None = None
    remote: str | None = None
    employment_type: str | None = None
    salary: str | None = None
    visa: str | None = None
    links: tuple[str, ...] = ()


def strip_status(fragment: str) -> str:
    """ "(CLOSED) Entex" -> "Entex"."""
    return _STATUS.sub("", fragment).strip()


def is_place(fragment: str) -> bool:
    """A country, a known city or "City, ST" ("San Carlos, CA"): never a title or employer."""
    text = fragment.strip(" ()[]")
    if not text:
        return False
    if _CITY_STATE.match(text) or geo.country_code(text) or geo.city_country(text):
        return True
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return len(parts) > 1 and all(
        geo.country_code(p) or geo.city_country(p) or geo.state_code(p) for p in parts
    )


def not_a_name(fragment: str) -> bool:
    """A URL, an email or a place: a header fragment that names neither a role nor an employer."""
    text = fragment.strip()
    return not text or bool(URL.match(text) or EMAIL.search(text)) or is_place(text)


def employer(fragment: str | None) -> str | None:
    """The fragment as an employer name, or None when it is a URL, place or recruiting note."""
    if not fragment:
        return None
    text = strip_status(fragment)
    if not_a_name(text) or _NOT_EMPLOYER.search(text):
        return None
    if _SALARY.search(text) or len(text) > 60:
        return None
    return text


def role(fragment: str | None) -> str | None:
    """The fragment as a role title, or None when it is a URL, email or place."""
    if not fragment:
        return None
    text = strip_status(fragment)
    return None if not_a_name(text) else text


def _kind(part: str) -> str:
    """What one header part holds; the order settles parts that match several kinds."""
    if URL.match(part) or EMAIL.search(part):
        return "link"
    if _SALARY.search(part):
        return "salary"
    if _VISA.search(part):
        return "visa"
    if ROLE.search(part):
        return "title"
    if _EMPLOYMENT.search(part):
        return "employment"
    if _WORK_SETTING.search(part):
        return "place"
    return "other"


def _joined(values: list[str]) -> str | None:
    return " | ".join(values) or None


def split_header(header: str) -> Header:
    """Splits a "Company | Role | Location | Type | Salary" line into fields, as written.

    The first part is the company, unless it names a role and the second does not ("GTM Engineer
    | TestGorilla"). Parts with role words are the title (several roles are joined with " | ");
    without any, the first unclassified part is. Remaining unclassified parts and REMOTE/ONSITE/
    HYBRID parts are the location; the marker words themselves are `remote`.
    """
    parts = [strip_status(p) for p in header.split("|") if p.strip()]
    parts = [p for p in parts if p]
    if not parts:
        return Header()
    if len(parts) > 1 and _kind(parts[0]) == "title" and _kind(parts[1]) == "other":
        parts[0], parts[1] = parts[1], parts[0]
    classified = [(p, _kind(p)) for p in parts[1:] if len(p) <= MAX_HEADER_PART_CHARS]
    titles = [p for p, kind in classified if kind == "title"]
    others = [p for p, kind in classified if kind == "other" and not is_place(p)]
    if not titles:
        titles, others = others[:1], others[1:]
    places = [
        p
        for p, kind in classified
        if kind == "place" or (kind == "other" and (p in others or is_place(p)))
    ]
    markers: dict[str, str] = {}
    for place in places:
        for match in _WORK_SETTING.finditer(place):
            markers.setdefault(match.group(0).casefold(), match.group(0))

    def of_kind(wanted: str) -> list[str]:
        return [p for p, kind in classified if kind == wanted]

    return Header(
        company=employer(parts[0]),
        title=_joined([t for t in titles if role(t)]),
        location=_joined(places),
        remote=_joined(list(markers.values())),
        employment_type=_joined(of_kind("employment")),
        salary=_joined(of_kind("salary")),
        visa=_joined(of_kind("visa")),
        links=tuple(of_kind("link")),
    )
