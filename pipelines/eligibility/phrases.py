"""Work-setting statements in several languages, read from the whole description.

Three readers add the signals `eligibility.work_setting` orders (see `eligibility.setting`):
  * whole phrases of geo.toml `[work_setting_phrases]` ("fully remote", "Télétravail partiel",
    "100% remoto", "locals only", "presencial") -> remote / hybrid_wording / onsite;
  * a share of remote work: "50 % Homeoffice", "100% remote" -> hybrid (office time remains) or
    remote;
  * remote days in a week: "work from home up to 3 days per week", "2 jours de télétravail par
    semaine", "office Mondays, Tuesdays and Thursdays" -> hybrid (5 office days -> onsite).
Every reader starts from a literal cue (`TextView.hits`) and looks only at a few characters
around it, so the cost stays linear in the text.
"""

from __future__ import annotations

import re
import unicodedata

from jobsift.pipelines.eligibility.view import TextView
from jobsift.pipelines.reference.geo import WORK_SETTING_PHRASES

_SIGNAL_OF_CLASS = {"remote": "remote", "hybrid": "hybrid_wording", "onsite": "onsite"}


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Literal stems most phrases contain: each phrase is looked for only where its stem occurs, so
# a posting costs one `find` scan per stem, not one per phrase.
_STEMS = (
    "local",
    "remot",
    "trabajo",
    "brid",  # hybrid, hybride, híbrido
    "travail",  # télétravail, teletravail
    "presencial",
    "sentiel",  # présentiel, presentiel
    "home",  # homeoffice, home office, work from home
    "heimarbeit",
    "远程",
    "リモート",
    "混合",
)


def _stem_pattern(entries: list[tuple[str, int, str]]) -> re.Pattern[str]:
    """One pattern matched at a stem's position: each phrase is an alternative with the text
    before its stem as a lookbehind ("(?<=fully )remote\b"), longest first; the group name
    (s0, s1...) indexes `_SIGNALS`."""
    alternatives = []
    for phrase, offset, signal in sorted(entries, key=lambda entry: -len(entry[0])):
        before, rest = re.escape(phrase[:offset]), re.escape(phrase[offset:])
        start = f"(?<![^\\W_]{before})" if phrase[0].isascii() else ""
        lookbehind = f"(?<={before})" if offset else ""
        end = "(?![^\\W_])" if phrase[-1].isascii() else ""
        _SIGNALS.append((signal, offset))
        alternatives.append(f"(?P<s{len(_SIGNALS) - 1}>{lookbehind}{start}{rest}{end})")
    return re.compile("|".join(alternatives))


_SIGNALS: list[tuple[str, int]] = []  # (signal, offset of the stem in the phrase)


def _phrase_table() -> dict[str, re.Pattern[str]]:
    """Stem -> its pattern. A phrase with none of the stems is its own stem."""
    entries: dict[str, list[tuple[str, int, str]]] = {}
    for name, phrases in WORK_SETTING_PHRASES.items():
        for phrase in phrases:
            for spelling in {phrase.lower(), _unaccented(phrase.lower())}:
                stem = next((s for s in _STEMS if s in spelling), spelling)
                entry = (spelling, spelling.index(stem), _SIGNAL_OF_CLASS[name])
                entries.setdefault(stem, []).append(entry)
    return {stem: _stem_pattern(items) for stem, items in entries.items()}


_PHRASES = _phrase_table()
_NEGATION_BEFORE = re.compile(
    r"(?:\bnot|\bno|\bnon|\bnicht|\bkein\w*|\bpas|\bnão|\bnunca)[\s-]+(?:an?\s+|un\s+)?$"
)

_COUNT = r"(?:(?<!\d)([1-7])(?:\s*(?:-|–|to|à|a|bis)\s*([1-7]))?|\b(one|two|three|four|five))"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_DAY = r"(?:days?|tage?n?|jours?|d[ií]as?|giorni|j)"
_WEEK = r"(?:week|wk|woche|semaine|semana|settimana|sem)"
_PER = r"(?:\s+(?:a|per|each|every|pro|par|por|in\s+der|la|na|a\s+la)\s+|\s*/\s*)"
_DAYS_PER_WEEK = re.compile(
    rf"{_COUNT}\s*{_DAY}\.?(?:\s+(?:de|of|en|in|im|from)\s+[\w-]+(?:\s+[\w-]+)?)?{_PER}{_WEEK}"
)
_TELEWORK_CUES = (
    "home",
    "remot",
    "wfh",
    "télétravail",
    "teletravail",
    "teletrabajo",
    "mobile arbeit",
    "mobiles arbeiten",
    "heimarbeit",
)
_WEEK_WORDS = ("week", "wk", "woche", "semaine", "semana", "settimana", "/sem")
_SHARE = re.compile(
    r"(\d{1,3})\s*%\s*(?:de\s+|en\s+|du\s+|im\s+)?(?:remote|homeoffice|home office|home-office|"
    r"télétravail|teletravail|remoto|remota|teletrabajo|mobile arbeit|mobiles arbeiten|wfh)"
)
_WEEKDAYS = re.compile(
    r"\b(mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|montag|dienstag|mittwoch|donnerstag|freitag|"
    r"lundi|mardi|mercredi|jeudi|vendredi)(?:day)?s?\b"
)
_OFFICE_ON = re.compile(r"office\s+(?:on\s+|every\s+|each\s+)*(?=\w)")


def _count(match: re.Match[str]) -> int:
    low, high, word = match.groups()
    if word:
        return _NUMBERS[word]
    return int(high or low)


def _phrase_signals(view: TextView, found: set[str]) -> None:
    low = view.low
    ascii_text = low.isascii()
    for stem, pattern in _PHRASES.items():
        if (ascii_text and not stem.isascii()) or not view.has(stem):
            continue
        for hit in view.hits(stem):
            match = pattern.match(low, hit)
            if not match or not match.lastgroup:
                continue
            signal, offset = _SIGNALS[int(match.lastgroup[1:])]
            if signal == "remote" and _NEGATION_BEFORE.search(view.before(hit - offset, 15)):
                continue
            found.add(signal)


def _share_signals(view: TextView, found: set[str]) -> None:
    for at in view.hits("%"):
        start = max(view.unit(at)[0], at - 3)
        match = _SHARE.search(view.low, start, at + 30)
        if match and match.start() <= at:
            share = int(match.group(1))
            if share >= 100:
                found.add("remote")
            elif share > 0:
                found.add("hybrid")


def _remote_days(view: TextView, found: set[str]) -> None:
    """Remote days in a week: found from the (few) week words, then a day count and a telework
    word close by."""
    low = view.low
    for week in _WEEK_WORDS:
        if not view.has(week):
            continue
        for at in view.hits(week):
            start, end = view.unit(at)
            window = low[max(start, at - 110) : min(end, at + 70)]
            if not any(cue in window for cue in _TELEWORK_CUES):
                continue
            for match in _DAYS_PER_WEEK.finditer(window):
                if _count(match) <= 4:
                    found.add("hybrid")
                    return


def _office_weekdays(view: TextView, found: set[str]) -> None:
    low = view.low
    for at in view.hits("office"):
        match = _OFFICE_ON.match(low, at)
        if not match:
            continue
        days = {m.group(1)[:2] for m in _WEEKDAYS.finditer(low, match.end(), match.end() + 60)}
        if days and _WEEKDAYS.match(low, match.end()):
            found.add("hybrid" if len(days) <= 4 else "onsite")


def phrase_signals(view: TextView) -> set[str]:
    found: set[str] = set()
    _phrase_signals(view, found)
    _share_signals(view, found)
    _remote_days(view, found)
    _office_weekdays(view, found)
    return found
