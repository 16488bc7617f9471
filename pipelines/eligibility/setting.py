"""Work setting (remote | hybrid | onsite) from the source's flag, location strings and text.

Order of evidence (gold README "work_setting" and "Evidence" rule 2: a specific, explicit
statement beats a structured field), applied by `eligibility.work_setting`:
  1. an explicit statement that fully remote work is allowed ("Open to US-based Remote",
     "open to hiring someone working remotely", "remote is always an option") -> remote;
  2. the aggregator's "Work setting" fact;
  3. a required office schedule ("3 days a week in the office", "ca. 3 Tage im Büro") -> hybrid;
  4. an explicit on-site statement ("in-person in our Tokyo office", "not a remote role");
  5. the source's own flag (workplaceType, isRemote, telecommuting, jobLocationType...);
  6. a location field whose documented meaning is remote eligibility (Remotive, Jobicy...);
  7. setting words in a location string, title qualifier or header ("Remote, USA", "| Onsite |");
  8. hybrid wording without a schedule ("hybrid work model");
  9. remote wording in the text ("this is a remote position", "fully remote");
 10. "must be based in <city>" -> onsite.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from jobsift.pipelines.eligibility.view import TextView
from jobsift.pipelines.reference.geo import WORK_SETTING_WORDS
from jobsift.schemas import WorkSetting

_I = re.IGNORECASE


def _words(name: str) -> str:
    words = sorted(WORK_SETTING_WORDS[name], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"


_REMOTE_W, _HYBRID_W = _words("remote_words"), _words("hybrid_words")
_ONSITE_W, _OFFICE_W = _words("onsite_words"), _words("office_words")
_TELEWORK_W, _DAY_W, _WEEK_W = _words("telework_words"), _words("day_words"), _words("week_words")
_COUNT = r"(?:(?<!\d)\d(?:\s*[-–]\s*\d)?|\b(?:one|two|three|four))"
_FULL_WEEK = re.compile(r"(?<![\d-])[5-7](?!\s*[-–]\s*\d)|\bfive\b")
_PER_WEEK = rf"\s*(?:\+\s*)?{_DAY_W}(?:\s+(?:a|per|each|every|pro|par|por)\s*|\s*/\s*){_WEEK_W}"

# --- Around the cue "remote" ------------------------------------------------------------------
_OPEN_TO_BEFORE = re.compile(r"\bopen to\b[^.;|]{0,40}?$")
_SUPPORTS_BEFORE = re.compile(r"\bsupports?\b[^.;|]{0,30}?$")
_REMOTE_WORK = re.compile(r"remote\s+work")
_REMOTE_OPTION = re.compile(
    r"remote(?:\s+work)?\s+is\s+(?:always\s+|also\s+)?an\s+option|remote\s+(?:is\s+)?(?:possible"
    r"|available)"
)
_CAN_BEFORE = re.compile(r"\b(?:can|may)\s+(?:be\s+(?:performed|done)|work)\s+(?:fully\s+)?$")
_REMOTELY = re.compile(r"remotely\b")
_FULLY = frozenset({"fully", "100%", "completely", "entirely", "full"})
_REMOTE_NOUN = re.compile(
    r"remote\s+(?:position|role|job|opportunity|contract|employee|setting|environment)s?\b"
)
_WORKING_BEFORE = re.compile(r"\bwork(?:ing|s)?\s+(?:fully\s+)?$")
_REMOTE_ALONE = re.compile(r"remote\s*(?:[·|,(–—-]|$)")
_NOT_REMOTE = re.compile(r"remote\s+(?:role|position|job)")

# --- Around hybrid, office and on-site cues -----------------------------------------------------
# `\w{0,20}` (not `\w*`): a bounded suffix keeps a long run of letters from being re-read at
# every hit inside it ("HybridHybrid..." is one word).
_HYBRID_ROLE = re.compile(r"hybrid\w{0,20}\s+(?:role|position|job)\b")
_THIS_IS_BEFORE = re.compile(r"\b(?:this\s+is\s+a|is\s+a|role\s+is|position\s+is)\s+$")
_HYBRID_WORDING = re.compile(
    r"hybrid\w{0,20}\s+(?:work|working|model|role|position|schedule|set-?up|arrangement|policy"
    r"|environment|in-office|arbeitsmodell|arbeiten|modell|mod[eè]le|mode|modelo)\b"
)
# Office days: "3 days a week in the office", "office minimum once a week", "3 Tage im Büro".
_DAYS_BEFORE_OFFICE = re.compile(
    rf"{_COUNT}{_PER_WEEK}\s+(?:in|at|from|into)\s+(?:the\s+|our\s+|an?\s+)?(?:[\w-]+\s+){{0,4}}$"
    rf"|{_COUNT}\s*{_DAY_W}\s+(?:im|au|en|in\s+the|in)\s+$"
)
_OFFICE_THEN_DAYS = re.compile(
    rf"{_OFFICE_W}\s+(?:\w+\s+){{0,3}}?{_COUNT}{_PER_WEEK}"
    rf"|{_OFFICE_W}\s+(?:minimum\s+|at\s+least\s+)?(?:once|twice|\d\s*(?:x|times))\s+(?:a|per)"
    rf"\s+{_WEEK_W}"
)
# "2 jours de TT/semaine": telework days, the rest in the office.
_TELEWORK_DAYS_BEFORE = re.compile(
    rf"{_COUNT}\s*{_DAY_W}\s+(?:de|of)\s+{_TELEWORK_W}\s*(?:/|par|per|a|pro)\s*$"
)
_ONSITE_ROLE = re.compile(rf"{_ONSITE_W}\s+(?:only|role|position|job)\b")
_STRONG_ONSITE_BEFORE = re.compile(r"\b(?:this\s+is\s+an?|is\s+an?|fully|100%|strictly)\s+$")
_NOT_AN_EVENT = re.compile(rf"{_ONSITE_W}(?!\s+(?:interview|event|meeting|visit|day|gym))")
# "Work from anywhere options" / "work from anywhere weeks" is a perk, not the role's setting.
_PERK_AFTER = re.compile(
    r"anywhere\s+(?:options?|days?|weeks?|months?|program|policy|stipend|budget|benefits?|perks?)\b"
)
_IN_PERSON_IN = re.compile(r"in-person\s+in\b")
_TAKE_PART_BEFORE = re.compile(r"\b(?:participate|run|work|be|held)\s+$")

_FLAG_VALUES = {
    "remote": WorkSetting.remote,
    "true": WorkSetting.remote,
    "yes": WorkSetting.remote,
    "telecommute": WorkSetting.remote,
    "fully remote": WorkSetting.remote,
    "hybrid": WorkSetting.hybrid,
    "on-site": WorkSetting.onsite,
    "onsite": WorkSetting.onsite,
    "on_site": WorkSetting.onsite,
    "on site": WorkSetting.onsite,
    "in-office": WorkSetting.onsite,
    "office": WorkSetting.onsite,
}
# Keys of a flag object ({"remote": true, "hybrid": false}) in the order they win.
_FLAG_KEYS = (
    ("remote", WorkSetting.remote),
    ("hybrid", WorkSetting.hybrid),
    ("on_site", WorkSetting.onsite),
    ("onsite", WorkSetting.onsite),
)


def setting_of_flag(value: object) -> WorkSetting | None:
    """The source's remote flag or workplace type; "false"/"unspecified" say nothing."""
    if isinstance(value, bool):
        return WorkSetting.remote if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.startswith("{"):
        try:
            flags = json.loads(text)
        except ValueError:
            return None
        if isinstance(flags, dict):
            for key, setting in _FLAG_KEYS:
                if flags.get(key) is True:
                    return setting
        return None
    if "|" in text:  # several markers ("REMOTE | Onsite"): remote work is allowed
        return pick_token_setting({f for part in text.split("|") if (f := setting_of_flag(part))})
    return _FLAG_VALUES.get(text.casefold())


def source_flag(value: object, own_values: dict[str, str]) -> WorkSetting | None:
    """`setting_of_flag`, after the source's own values of its remote field (`remote_values` of
    its `[<source>.eligibility]` in sources.toml; "" there means the value says nothing)."""
    if own_values and isinstance(value, str):
        named = own_values.get(value.strip().casefold())
        if named is not None:
            return WorkSetting(named) if named else None
    return setting_of_flag(value)


_ANY_TOKEN = re.compile(
    rf"(?<![\w-])(?:(?P<remote>{_REMOTE_W})|(?P<hybrid>{_HYBRID_W})|(?P<onsite>{_ONSITE_W}))"
    r"(?![\w-])",
    _I,
)
_GROUP_SETTINGS = {
    "remote": WorkSetting.remote,
    "hybrid": WorkSetting.hybrid,
    "onsite": WorkSetting.onsite,
}


def settings_in(text: str | None) -> set[WorkSetting]:
    """Setting words standing as tokens of a short location-like string."""
    if not text:
        return set()
    if len(text) > _MAX_CACHED_CHARS:
        return set(_settings_in(text))
    return set(_cached_settings_in(text))


def _settings_in(text: str) -> frozenset[WorkSetting]:
    return frozenset(_GROUP_SETTINGS[m.lastgroup] for m in _ANY_TOKEN.finditer(text) if m.lastgroup)


# Location strings and title qualifiers repeat across postings.
_MAX_CACHED_CHARS = 400
_cached_settings_in = lru_cache(maxsize=16384)(_settings_in)


def pick_token_setting(found: set[WorkSetting]) -> WorkSetting | None:
    """Several setting words in one location: remote wins, since remote work is allowed."""
    for setting in (WorkSetting.remote, WorkSetting.hybrid, WorkSetting.onsite):
        if setting in found:
            return setting
    return None


def text_signals(view: TextView) -> set[str]:
    """Kinds of setting statements the text makes: strong_remote, hybrid (an office schedule),
    hybrid_wording, onsite, remote."""
    found: set[str] = set()
    _remote_signals(view, found)
    low = view.low
    for at in view.hits("hybrid"):
        if _HYBRID_ROLE.match(low, at) and _THIS_IS_BEFORE.search(view.before(at, 30)):
            found.add("hybrid")
        if _HYBRID_WORDING.match(low, at):
            found.add("hybrid_wording")
    for cue in ("office",) if view.low.isascii() else ("office", "büro"):
        for at in view.hits(cue):
            days = _DAYS_BEFORE_OFFICE.search(view.before(at, 60)) or _OFFICE_THEN_DAYS.match(
                low, at
            )
            if days:
                # Five office days a week is on-site work, fewer is hybrid.
                found.add("onsite" if _FULL_WEEK.search(days.group()) else "hybrid")
            if low.startswith("in-", at - 3) and _ONSITE_ROLE.match(low, at - 3):
                found.add("onsite")
    for cue in ("semaine",):
        for at in view.hits(cue):
            if _TELEWORK_DAYS_BEFORE.search(view.before(at, 50)):
                found.add("hybrid")
    for cue in ("on-site", "onsite", "in-person"):
        for at in view.hits(cue):
            before = view.before(at, 30)
            if _ONSITE_ROLE.match(low, at) or (
                _STRONG_ONSITE_BEFORE.search(before) and _NOT_AN_EVENT.match(low, at)
            ):
                found.add("onsite")
            if _IN_PERSON_IN.match(low, at) and _TAKE_PART_BEFORE.search(before):
                found.add("onsite")
    return found


def _remote_signals(view: TextView, found: set[str]) -> None:
    # Substring tests ("open to" in before) keep the regex searches to the few hits that can
    # match them.
    low = view.low
    for at in view.hits("remote"):
        if not view.word_start(at):
            continue
        before = view.before(at, 50)
        remotely = _REMOTELY.match(low, at) is not None
        if (
            ("open to" in before and _OPEN_TO_BEFORE.search(before))
            or (
                "support" in before
                and _REMOTE_WORK.match(low, at)
                and _SUPPORTS_BEFORE.search(before)
            )
            or _REMOTE_OPTION.match(low, at)
            or (remotely and ("can " in before or "may " in before) and _CAN_BEFORE.search(before))
        ):
            found.add("strong_remote")
        last = before.rsplit(None, 3)[-3:]
        if (last[-1:] == ["no"]) or (("not" in last[-2:]) and _NOT_REMOTE.match(low, at)):
            found.add("onsite")
            continue
        if "not" in last[-2:] or "never" in last[-2:]:
            continue  # "not fully remote"
        if (
            (last[-1:] and last[-1] in _FULLY)
            or _REMOTE_NOUN.match(low, at)
            or (remotely and "work" in before and _WORKING_BEFORE.search(before))
            or (len(last) >= 2 and last[-2] in ("is", "as") and last[-1] in ("a", "an"))
            or (len(last) >= 3 and last[-3] in ("is", "as") and last[-2] in ("a", "an"))
            or "seeking" in last
            or (view.unit(at)[0] == at and _REMOTE_ALONE.match(low, at))
        ):
            found.add("remote")
    for at in view.hits("anywhere"):
        if low.endswith("from ", 0, at) and not _PERK_AFTER.match(low, at):
            found.add("remote")
