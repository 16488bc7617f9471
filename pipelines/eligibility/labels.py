"""Location and remote facts written in the description as labels, headings or bare lines.

* "Label: value" lines and label headings with their value lines below ("Location: London
  (hybrid)", "Localisation : Paris ou Lyon", "## Local\\n- REMOTO", "### Location\\n- Munich,
  Germany\\n- Remote No", "Maine Office: Portland", "REMOTE: Yes (async-first)");
* short lines near the top that are nothing but a location ("Shrewsbury", "USA or Canada only.");
* the title line of a text-only posting ("Resola - Full-Stack Developer - Remote or Japan").
Labels come from geo.toml `[text_labels]`. The facts another step read from "Label: value" lines
(`draft.text_facts`, keys `location` and `remote`) are used the same way when present.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from jobsift.pipelines.document.model import Block, Document
from jobsift.pipelines.eligibility.places import is_location_phrase, scan_places, starts_with_place
from jobsift.pipelines.eligibility.setting import settings_in
from jobsift.pipelines.eligibility.view import TextView
from jobsift.pipelines.reference.geo import TEXT_LABEL_WORDS, TEXT_LABELS, phrase_key

_LABEL_LINE = re.compile(r"^[\W_]*([^:：\n]{1,40}?)\s*[:：]\s*(.*)$")
_MAX_VALUE_LINES = 4
_MAX_VALUE_WORDS = 14
_MAX_LABEL_WORDS = 4
_TOP_BLOCKS = 8
_MAX_TOP_LINE_WORDS = 8
_MAX_SETTING_LINE_WORDS = 3
_MAX_VALUE_LINE_WORDS = 9
_MAX_SHORT_SENTENCE_WORDS = 4
_MAX_LABEL_CHARS = 42
_MAX_BARE_LINE_CHARS = 80
_COLONS = (":",)
_WIDE_COLONS = ("：",)
# Words of label lines without a colon and of bare setting lines ("Location", "Remote", "Local",
# "🏢 Remote", "USA or Canada only."); most are looked up by other readers already (cached).
_LINE_CUES = ("locat", "remot", "local", "hybr", "site", "only", "standort", "lieu", "ubica")
_FOREIGN_LINE_CUES = ("télétravail", "présentiel", "híbrid")
_ONLY = ("only", "Only", "ONLY")
_SETTING_CUE = re.compile(
    r"remot|hybr|híbr|site|office|person|télé|tele|home|wfh|presen|远程|リモート", re.I
)
# "Remote No", "Remote: non": a remote answer inside a location value.
_REMOTE_ANSWER = re.compile(r"\bremot[eo]\s*[:\-–]?\s*(\w+)\s*$", re.IGNORECASE)


@dataclass(slots=True)
class TextFacts:
    """Location values and remote answers found in the text, with their origin labels."""

    locations: list[tuple[str, str]] = field(default_factory=list)  # (origin, value)
    remote: list[tuple[str, str]] = field(default_factory=list)  # (origin, answer)


def _label_kind(label: str) -> str | None:
    key = label.strip(" *_#").casefold()
    if key.count(" ") >= _MAX_LABEL_WORDS:
        return None
    kind = _LABEL_KINDS.get(key)
    if kind is None and key.endswith(" office"):
        return "location"  # "Maine Office: Portland"
    return kind


_LABEL_KINDS: dict[str, str] = {
    key: kind for kind in ("location", "remote") for key in TEXT_LABELS[kind]
} | {key.casefold(): kind for kind in ("location", "remote") for key in TEXT_LABEL_WORDS[kind]}


def _short(value: str) -> str:
    return " ".join(value.split()[: _MAX_VALUE_WORDS * 2])


def _add(facts: TextFacts, kind: str, value: str) -> None:
    value = value.strip()
    if not value:
        return
    if kind == "remote":
        facts.remote.append(("text:remote", value))
        return
    answer = _REMOTE_ANSWER.search(value)
    if answer and phrase_key(answer.group(1)) in TEXT_LABELS["remote_no"]:
        facts.remote.append(("text:remote", answer.group(1)))
        value = value[: answer.start()]
    facts.locations.append(("text:location", _short(value)))


def _bare_line(index: int, text: str) -> bool:
    """A bare location line near the top or ending in "only" ("Shrewsbury", "USA or Canada
    only."), or a bare setting line anywhere ("🏢 Remote"). Cheapest tests first."""
    spaces = text.count(" ")
    if spaces >= _MAX_TOP_LINE_WORDS:
        return False
    short = spaces < _MAX_SETTING_LINE_WORDS
    if not short and index >= _TOP_BLOCKS and not text.rstrip(" .!").endswith(_ONLY):
        return False
    setting_line = short and _SETTING_CUE.search(text) is not None and bool(settings_in(text))
    return (
        starts_with_place(text, fillers=True)
        and is_location_phrase(text)
        and (setting_line or bool(scan_places(text)))
    )


def _values_after(blocks: list[Block], index: int, kind: str, facts: TextFacts) -> None:
    """The value lines under a label heading: short and not sentences ("Munich, Germany",
    "Remote No", "Escritório, Campinas - SP."); a sentence under the heading is prose."""
    for block in blocks[index + 1 : index + 1 + _MAX_VALUE_LINES]:
        text = block.text
        spaces = text.count(" ")
        if (
            block.kind == "heading"
            or spaces >= _MAX_VALUE_LINE_WORDS
            or (spaces >= _MAX_SHORT_SENTENCE_WORDS and text.endswith("."))
        ):
            return
        _add(facts, kind, text)


def read_text_facts(
    view: TextView, document: Document, text_facts: dict[str, str] | None = None
) -> TextFacts:
    """Labels, label headings and bare lines. The blocks looked at are found from cues, not by
    reading every block: colons, headings, the first lines, and label and setting words that
    other readers look up too (their positions are cached by the view)."""
    facts = TextFacts()
    for key, kind in (("location", "location"), ("remote", "remote")):
        if text_facts and text_facts.get(key):
            _add(facts, kind, text_facts[key])
    blocks = document.blocks
    starts = view.block_starts()
    if starts is None:  # blocks not found in the text: read every block
        starts, candidates = [], set(range(len(blocks)))
    else:
        candidates = set(range(1, min(len(blocks), _TOP_BLOCKS)))
    for cue in (_COLONS if view.low.isascii() else (*_COLONS, *_WIDE_COLONS)) if starts else ():
        for at in view.hits(cue):
            index = bisect_right(starts, at) - 1
            if index >= 0 and at - starts[index] <= _MAX_LABEL_CHARS:
                candidates.add(index)
    line_cues = _LINE_CUES if view.low.isascii() else _LINE_CUES + _FOREIGN_LINE_CUES
    for cue in line_cues if starts else ():
        for at in view.hits(cue):
            index = bisect_right(starts, at) - 1
            if index >= 0 and len(blocks[index].text) <= _MAX_BARE_LINE_CHARS:
                candidates.add(index)
    candidates.update(i for i, block in enumerate(blocks) if block.kind == "heading")
    for index in sorted(candidates):
        text = blocks[index].text
        label = _LABEL_LINE.match(text) if (":" in text or "：" in text) else None
        if label and (kind := _label_kind(label.group(1))):
            if label.group(2).strip():
                _add(facts, kind, label.group(2))
            else:
                _values_after(blocks, index, kind, facts)
            continue
        if len(text) > _MAX_BARE_LINE_CHARS:
            continue
        if len(text) <= _MAX_LABEL_CHARS and (kind := _label_kind(text)):
            _values_after(blocks, index, kind, facts)  # a "Location" heading or line
        elif index and _bare_line(index, text):
            facts.locations.append(("text:location", text))
    return facts


def title_line(document: Document) -> str | None:
    """The first line of a posting without a title field, when it is short enough to be one."""
    if not document.blocks:
        return None
    first = document.blocks[0].text
    return first if len(first.split()) <= 16 else None
