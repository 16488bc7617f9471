"""Dates step: `posted_at`, `posted_text` and `valid_through` as UTC-aware datetimes.

Fast paths first (ISO 8601, epochs, RFC 822, "3 days ago", "Nov 18, 2026"); dateparser only for
what they miss, restricted to English and memoised where the answer cannot depend on the base.
Relative text is read against the posting's `fetched_at`, never against the wall clock.
"""

from __future__ import annotations

import email.utils
import re
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import dateparser
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.reference import terms
from jobsift.schemas.posting import RELATIVE_DATE_MARK

# Epoch values above this are milliseconds: 1e11 s is the year 5138, 1e11 ms is March 1973.
_EPOCH_MS_THRESHOLD = 100_000_000_000
_EPOCH = re.compile(r"[+-]?\d{9,14}(?:\.\d+)?")
# Zone words fromisoformat does not read: "2026-08-05 10:10:39 UTC".
_UTC_SUFFIX = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_RFC822_START = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")
_PREFIXES = "|".join(re.escape(w) for w in terms.DATE_PREFIXES)
_POSTED_PREFIX = re.compile(rf"^(?:{_PREFIXES})\s*:?\s*", re.IGNORECASE)
_UNIT_NAMES = "|".join(sorted(terms.RELATIVE_UNIT_SECONDS, key=len, reverse=True))
_RELATIVE = re.compile(
    rf"^(?:about\s+|over\s+|almost\s+)?(?P<n>\d+|an?|one)\+?\s*(?P<unit>{_UNIT_NAMES})s?\s+ago$",
    re.IGNORECASE,
)
_MONTH_NAME = r"(?P<month>[A-Za-z]{3,9})\.?"
_MONTH_DAY_YEAR = re.compile(
    rf"^{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$"
)
_DAY_MONTH_YEAR = re.compile(
    rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+(?P<year>\d{{4}})$"
)
_YEAR = re.compile(r"\b\d{4}\b")

_DATEPARSER_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "PREFER_DATES_FROM": "past",
}
_NEGATIVE_CACHE_SIZE = 4096
# Texts dateparser could not read: the failure does not depend on the base, so it is safe to keep.
_unparseable: OrderedDict[str, None] = OrderedDict()


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _from_epoch(text: str) -> datetime | None:
    number = float(text)
    if abs(number) >= _EPOCH_MS_THRESHOLD:
        number /= 1000
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_iso(text: str) -> datetime | None:
    try:
        return _aware(datetime.fromisoformat(_UTC_SUFFIX.sub("", text)))
    except ValueError:
        return None


def _from_rfc822(text: str) -> datetime | None:
    try:
        return _aware(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def _from_relative(text: str, base: datetime) -> datetime | None:
    lowered = text.lower()
    if lowered in terms.RELATIVE_DAY_WORDS:
        return base - timedelta(days=terms.RELATIVE_DAY_WORDS[lowered])
    match = _RELATIVE.match(lowered)
    if match is None:
        return None
    count = match["n"]
    number = 1 if count in ("a", "an", "one") else int(count)
    try:
        return base - timedelta(seconds=number * terms.RELATIVE_UNIT_SECONDS[match["unit"]])
    except (OverflowError, ValueError):
        return None


def _from_month_name(text: str) -> datetime | None:
    match = _MONTH_DAY_YEAR.match(text) or _DAY_MONTH_YEAR.match(text)
    if match is None:
        return None
    month = terms.MONTH_NAMES.get(match["month"].lower())
    if month is None:
        return None
    try:
        return datetime(int(match["year"]), month, int(match["day"]), tzinfo=UTC)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _dateparser_absolute(text: str) -> datetime | None:
    """Texts with a four-digit year do not depend on the base date, so their answer is cached."""
    return _dateparser(text, None)


def _dateparser(text: str, base: datetime | None) -> datetime | None:
    settings = dict(_DATEPARSER_SETTINGS)
    if base is not None:
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, TypeError, OverflowError, RecursionError):
        return None
    return _aware(parsed) if parsed is not None else None


def _fallback(text: str, base: datetime) -> datetime | None:
    if text in _unparseable:
        return None
    parsed = _dateparser_absolute(text) if _YEAR.search(text) else _dateparser(text, base)
    if parsed is None:
        _unparseable[text] = None
        if len(_unparseable) > _NEGATIVE_CACHE_SIZE:
            _unparseable.popitem(last=False)
    return parsed


def parse_date(value: str | int | float | None, base: datetime) -> datetime | None:
    """Any date a source gives, as an aware UTC datetime; None when it cannot be read.

    `base` (the fetch time, aware) anchors relative text such as "3 days ago".
    """
    return _parse(value, base)[0]


def _parse(value: str | int | float | None, base: datetime) -> tuple[datetime | None, bool]:
    """`parse_date`, and whether the reading used `base` (relative text, a date with no year):
    only such a reading can move with the fetch time."""
    if value is None or isinstance(value, bool):
        return None, False
    if isinstance(value, int | float):
        return _from_epoch(str(value)), False
    text = " ".join(str(value).split())
    if not text or len(text) > 200:
        return None, False
    if _EPOCH.fullmatch(text):
        return _from_epoch(text), False
    if _ISO_START.match(text):
        parsed = _from_iso(text)
        if parsed is not None:
            return parsed, False
    if _RFC822_START.match(text):
        parsed = _from_rfc822(text)
        if parsed is not None:
            return parsed, False
    text = _POSTED_PREFIX.sub("", text)
    parsed = _from_relative(text, base)
    if parsed is not None:
        return parsed, True
    parsed = _from_month_name(text)
    if parsed is not None:
        return parsed, False
    return _fallback(text, base), True


# Provenance suffix of a posted_at computed from relative text (the store's hash ignores it).
_A_DAY = timedelta(days=1)


def out_of_range(value: datetime | None) -> str | None:
    """Why a parsed date is not stored (outside the plausible years), or None."""
    if value is None:
        return None
    first, last = terms.DATE_YEARS
    if first <= value.year <= last:
        return None
    return f"{value.date().isoformat()} is outside {first}-{last}"


def _checked(
    draft: Draft, key: str, value: str | int | float, label: str, events: list[str]
) -> tuple[datetime | None, bool]:
    """The date of a raw value, or None (counted, with the reason in provenance) when the raw
    value is not a date at all (a boolean) or falls outside the plausible years; and whether
    its reading used the fetch time."""
    raw_value = draft.raw_payload.get(key)
    anchored = False
    if isinstance(raw_value, bool):
        why: str | None = f"{str(raw_value).lower()} is not a date"
        parsed = None
    else:
        parsed, anchored = _parse(value, draft.fetched_at)
        why = out_of_range(parsed)
    if why is not None:
        events.append("dates/out_of_range")
        field = "posted_at" if key == "posted" else key
        draft.provenance[f"overview.{field}"] = f"not stored ({label}): {why}"
        return None, False
    if parsed is None:
        events.append("dates/unparsed")
    return parsed, anchored


def step(draft: Draft) -> Iterable[str]:
    events: list[str] = []
    overview = draft.overview
    base = draft.fetched_at
    posted = draft.raw.posted
    source_label = "source:posted"
    if posted in (None, ""):
        posted, source_label = _posted_fact(draft)
    if posted not in (None, ""):
        overview["posted_text"] = str(posted)
        overview["posted_at"], anchored = _checked(draft, "posted", posted, source_label, events)
        if (
            overview["posted_at"] is not None
            and anchored  # a reading that did not use the fetch time cannot move with it
            and parse_date(posted, base + _A_DAY) != overview["posted_at"]
        ):
            # "3 days ago": a value that moves with the fetch time, not with the posting.
            draft.provenance["overview.posted_at"] = f"{source_label} {RELATIVE_DATE_MARK}"
        elif overview["posted_at"] is not None:
            draft.provenance["overview.posted_at"] = source_label
    else:
        overview["posted_text"] = None
        overview["posted_at"] = None
    valid_through = draft.raw.valid_through
    overview["valid_through"] = None
    if valid_through not in (None, ""):
        label = "source:valid_through"
        overview["valid_through"] = _checked(draft, "valid_through", valid_through, label, events)[
            0
        ]
        if overview["valid_through"] is not None:
            draft.provenance["overview.valid_through"] = "source:valid_through"
    return events


def _posted_fact(draft: Draft) -> tuple[str | None, str]:
    """A page's labelled "Posted" fact, when the spider did not map it onto `posted`."""
    for label, value in draft.raw.facts.items():
        if label.strip().lower() in terms.POSTED_FACT_LABELS and value:
            return value, f"facts:{label}"
    return None, "source:posted"
