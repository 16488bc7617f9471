"""Facts written in a description: "Label: value" lines, an "A | B | C" header, a title line.

`read_text_facts` returns values as written under the keys `title, company, location,
employment_type, salary, remote`, and for each the label it came from ("Location", "header",
"first line"), so a step can record `text:<label>` as provenance. `type_line` finds a line that
is nothing but an employment type ("* Full time"), on demand. Steps decide whether a
fact is used: a source's structured field wins unless the text is more specific.

Labels are reference data (`reference/facts.toml`, every language read). A title line is read only
when the source gives no title (`has_title=False`), and only when it names a role. Every scan is
one regex pass over the text (linear).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from jobsift.pipelines.reference import facts, terms
from jobsift.pipelines.text_header import ROLE, employer, role, split_header

_BLOCK_TAGS = re.compile(
    r"<\s*(?:br|/?p|/?div|/?li|/?h[1-6]|/?tr|/?ul|/?ol|/?table|/?section|/?article)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_EMPHASIS = r"(?:\*\*|__|\*)?"
_LABEL = re.compile(
    r"^[ \t>]*(?:[-*•·+][ \t]+)?"
    + _EMPHASIS
    + r"[ \t]*(?P<label>"
    + "|".join(
        re.escape(label).replace(r"\ ", r"[ \t]+")
        for label in sorted({w for ws in facts.LABELS.values() for w in ws}, key=len, reverse=True)
    )
    + r")[ \t]*"
    + _EMPHASIS
    + r"[ \t]*[:：]"
    + _EMPHASIS
    + r"[ \t]*(?P<value>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_KEY_OF_LABEL = {
    " ".join(label.casefold().split()): key
    for key, labels in facts.LABELS.items()
    for label in labels
}
_TYPE_WORDS = "|".join(w for words in terms.EMPLOYMENT_TYPE_WORDS.values() for w in words)
_TYPE_JOINER = r"[ \t]*(?:[,/&]|\bor\b|\band\b|\bou\b|\boder\b|\bet\b)[ \t]*"
# A line that is nothing but an employment type ("* Full time", "🕐 Part-time (16-20 h/week).").
_TYPE_LINE = re.compile(
    r"^[ \t>]*(?:[-*•·+][ \t]+)?(?:[^\w\s]{1,2}[ \t]*)?"
    + _EMPHASIS
    + rf"(?P<value>(?:{_TYPE_WORDS})(?:{_TYPE_JOINER}(?:{_TYPE_WORDS}))*)"
    + _EMPHASIS
    + r"(?:[ \t]*\([^)\n]{0,40}\))?[ \t.;]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FIRST_LINE = re.compile(r"^[ \t]*(?P<line>\S[^\n]*)$", re.MULTILINE)
_MARKDOWN = re.compile(r"^[#>\s]+|\*\*|__|\\$|^[-*•·+]\s+")
_SENTENCE_END = re.compile(r"[.!?:;。！？：]\W*$")
_LINK = re.compile(r"\]\(|https?://|www\.", re.IGNORECASE)
_JOINER = re.compile(
    rf"\s(?:{'|'.join(re.escape(w) for w in facts.EMPLOYER_JOINERS)})\s+(?=[\[\w])"
)
_DASH = re.compile(r"\s[-–—]\s+|(?<=\w)[-–—]\s+")
_TRAILING_BRACKET = re.compile(r"^(?P<title>.+?)\s*\[(?P<company>[^\[\]]{2,60})\]$")
_COMPANY_COLON = re.compile(r"^(?P<company>[^:|]{2,60}):\s+(?P<title>\S.*)$")
_MAX_HEAD = 2000  # the title line and the header are at the top
_LINE_END = re.compile(r"[\n<]")
_MAX_LABEL_PREFIX = 60  # from a line's start to a label's colon (bullet, emphasis, label)
_MAX_TYPE_PREFIX = 12  # from a line's start to its type word (bullet, emoji, emphasis)
# Literal starts of the type words, searched in lower-cased text before the line pattern runs.
_STEMS = {
    re.match(r"[^\\\[\](){}?*+|.^$]+", w)[0].split()[0]
    for words in terms.EMPLOYMENT_TYPE_WORDS.values()
    for w in words
}
_TYPE_STEMS = tuple(
    sorted(s for s in _STEMS if not any(o != s and s.startswith(o) for o in _STEMS))
)
# A line start (newline or tag end) with a type word a few characters on: one regex pass whose
# leading character set lets the engine skip to candidates.
_TYPE_LINE_START = re.compile(
    rf"[\n>][^\n<>]{{0,{_MAX_TYPE_PREFIX}}}?(?:{'|'.join(map(re.escape, _TYPE_STEMS))})"
)


@dataclass(slots=True)
class TextFacts:
    values: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, value: str | None, label: str) -> None:
        value = (value or "").strip()
        if value and key not in self.values:
            self.values[key] = value
            self.labels[key] = label


def plain_text(description: str) -> str:
    """The description with block tags as line breaks, other tags dropped, entities decoded."""
    if "<" in description:
        description = _TAG.sub("", _BLOCK_TAGS.sub("\n", description))
    return html.unescape(description) if "&" in description else description


def _clean_value(value: str) -> str:
    return value.strip().strip("*_\\").strip()


def _title_like(value: str) -> bool:
    """Names a role in a few words, not a sentence."""
    return (
        ROLE.search(value) is not None
        and role(value) is not None
        and len(value.split()) <= facts.MAX_TITLE_WORDS
        and not _SENTENCE_END.search(value)
    )


def _line_starts_at(text: str, marks: str, before: int) -> list[int]:
    """Starts of the lines where one of `marks` occurs within `before` characters of the start.

    Found from the marks (str.find, in C) rather than by trying a pattern at every position;
    each look back is bounded, so the whole is linear in the text.
    """
    starts: list[int] = []
    for mark in marks:
        at = text.find(mark)
        while at != -1:
            start = text.rfind("\n", max(0, at - before), at) + 1
            if start or at <= before:
                starts.append(start)
            at = text.find(mark, at + 1)
    return sorted(set(starts))


def _label_facts(text: str, found: TextFacts) -> None:
    for start in _line_starts_at(text, ":：", _MAX_LABEL_PREFIX):
        match = _LABEL.match(text, start)
        if match is None:
            continue
        key = _KEY_OF_LABEL.get(" ".join(match["label"].casefold().split()))
        value = _clean_value(match["value"])
        if key is None or not value or len(value) > facts.MAX_VALUE_CHARS:
            continue
        if key == "title" and not _title_like(value):
            continue  # "Position: Full-time", "Role: you will own ..."
        if key == "company":
            value = employer(value) or ""
        label = " ".join(match["label"].split())
        found.add(key, f"{label}: {value}" if key == "salary" else value, label)


def type_line(description: str | None) -> str | None:
    """The first line that is nothing but an employment type ("* Full time", "<li>Part-time</li>",
    "🕐 Part-time"), found from the type words; its provenance label is "line".

    Read from the raw description (a line starts after a newline or a tag), without converting
    it: one pass finds line starts followed by a type word, and each such line is matched once.
    """
    if not description:
        return None
    lowered = "\n" + description.lower()  # a line start before the first line too
    starts = [m.start() for m in _TYPE_LINE_START.finditer(lowered)]  # +1 -1: the added "\n"
    for start in starts:
        end = _LINE_END.search(description, start)
        line = description[start : end.start() if end else len(description)]
        match = _TYPE_LINE.match(html.unescape(line) if "&" in line else line)
        if match:
            return match["value"]
    return None


def _header_facts(line: str, found: TextFacts, has_title: bool) -> bool:
    """An "A | B | C" first line; True when it was one."""
    if line.count("|") < 1 or len([p for p in line.split("|") if p.strip()]) < 2:
        return False
    header = split_header(line)
    if not has_title:
        found.add(
            "title", header.title if header.title and "|" not in header.title else None, "header"
        )
    found.add("company", header.company, "header")
    found.add("location", header.location, "header")
    found.add("remote", header.remote, "header")
    found.add("employment_type", header.employment_type, "header")
    found.add("salary", header.salary, "header")
    return True


def _title_line(line: str) -> tuple[str | None, str | None]:
    """(title, company) of a first line that names a role, in the usual board formats."""
    if len(line) > facts.MAX_FIRST_LINE_CHARS or _LINK.search(line) or _SENTENCE_END.search(line):
        return None, None
    colon = _COMPANY_COLON.match(line)
    if colon and not ROLE.search(colon["company"]) and ROLE.search(colon["title"]):
        return colon["title"], employer(colon["company"])  # "CAS AG: Developer"
    joiner = _JOINER.search(line)
    if joiner and ROLE.search(line[: joiner.start()]):
        rest = _DASH.split(line[joiner.end() :], maxsplit=1)[0].strip(" []")
        company = employer(rest) if rest[:1].isupper() or rest[:1].isdigit() else None
        if company and len(company.split()) <= 4:
            return line[: joiner.start()].strip(), company  # "Developer at Quave - Remote"
    parts = _DASH.split(line)
    if len(parts) > 1 and not ROLE.search(parts[0]) and ROLE.search(parts[1]):
        company = employer(parts[0])
        if company:
            return parts[1].strip(), company  # "Resola - Full-Stack Developer - Remote - C"
    bracket = _TRAILING_BRACKET.match(line)
    if bracket and ROLE.search(bracket["title"]) and not ROLE.search(bracket["company"]):
        return bracket["title"], employer(bracket["company"])  # "Community Manager [Code for All]"
    if ROLE.search(line) and len(line.split()) <= facts.MAX_TITLE_WORDS:
        return role(line), None
    return None, None


def read_text_facts(description: str | None, has_title: bool = True) -> TextFacts:
    """Facts written in the description; see the module docstring.

    The employment-type line (`type_line`) is not read here: the classification step asks for it
    only when nothing better states the type (it costs a scan of every line).
    """
    found = TextFacts()
    if not description:
        return found
    line = ""
    if not has_title or "|" in description[:_MAX_HEAD]:  # a title line, or maybe a header
        first = _FIRST_LINE.search(plain_text(description[:_MAX_HEAD]))
        line = _MARKDOWN.sub("", first["line"]).strip() if first else ""
    is_header = bool(line) and "|" in line and _header_facts(line, found, has_title)
    if ":" in description or "：" in description:
        _label_facts(plain_text(description), found)
    if line and not is_header and not has_title and "title" not in found.values:
        title, company = _title_line(line)
        if title and role(title):
            found.add("title", title, "first line")
            found.add("company", company, "first line")
    return found
