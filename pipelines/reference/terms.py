"""Vocabulary of terms: currencies, pay periods, seniority, employment types, title qualifiers.

The words live in `terms.toml` next to this file and are loaded once at import into plain tuples
and dicts; the step modules compile their patterns from these, so a new word is added there and
nowhere else. Geography (countries, cities, regions) is `geo.py`'s.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pycountry

_DATA: dict[str, Any] = tomllib.loads(Path(__file__).with_name("terms.toml").read_text("utf-8"))


def _tuple(section: str, key: str) -> tuple[str, ...]:
    return tuple(_DATA[section][key])


def _patterns(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {name: tuple(values) for name, values in table.items()}


# --- currencies -------------------------------------------------------------------------------

CURRENCY_SYMBOLS: dict[str, str] = dict(_DATA["currency"]["symbols"])
DOLLAR_SIGN: str = _DATA["currency"]["dollar_sign"]
DOLLAR_DEFAULT: str = _DATA["currency"]["dollar_default"]
DOLLAR_COUNTRIES: dict[str, str] = dict(_DATA["currency"]["dollar_countries"])
ANCHOR_CURRENCY_CODES = _tuple("currency", "anchor_codes")
USD_PER_UNIT: dict[str, float] = {k: float(v) for k, v in _DATA["currency"]["usd_per_unit"].items()}
CURRENCY_CODES: frozenset[str] = frozenset(
    c.alpha_3 for c in pycountry.currencies if c.alpha_3 not in _DATA["currency"]["code_words"]
)

# --- pay periods ------------------------------------------------------------------------------

PERIOD_AFTER: dict[str, tuple[str, ...]] = _patterns(_DATA["period"]["after"])
PERIOD_BEFORE: dict[str, tuple[str, ...]] = _patterns(_DATA["period"]["before"])
PERIOD_AFTER_FILLERS = _tuple("period", "after_fillers")
PERIOD_ROOTS: tuple[tuple[str, str], ...] = tuple((r, p) for r, p in _DATA["period"]["roots"])

# --- what is and is not salary ----------------------------------------------------------------

SALARY_WORDS = _tuple("salary", "words")
OTE_WORDS = _tuple("salary", "ote_words")
NOT_SALARY_WORDS = _tuple("salary", "not_salary_words")
LARGE_MULTIPLIERS = _tuple("salary", "large_multipliers")
UP_TO_WORDS = _tuple("salary", "up_to")
RANGE_CONNECTORS = _tuple("salary", "range_connectors")
TIER_WORDS = _tuple("salary", "tier_words")
MONTHLY_LOOKING: tuple[float, float] = (
    float(_DATA["salary"]["monthly_looking"][0]),
    float(_DATA["salary"]["monthly_looking"][1]),
)
PLAUSIBLE_PAY: dict[str, tuple[float, float]] = {
    period: (float(low), float(high))
    for period, (low, high) in _DATA["salary"]["plausible"].items()
}

# --- employment types -------------------------------------------------------------------------

_EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "internship", "temporary")
EMPLOYMENT_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    kind: _tuple("employment", kind) for kind in _EMPLOYMENT_TYPES
}
ROLE_NOUNS = _tuple("employment", "role_nouns")
EMPLOYMENT_LABELS = _tuple("employment", "labels")
TYPE_ALTERNATIVE_WORDS = _tuple("employment", "alternative_words")

# --- seniority --------------------------------------------------------------------------------

SENIORITY_WORDS: dict[str, tuple[str, ...]] = _patterns(_DATA["seniority"]["words"])
SENIORITY_ASCENDING = _tuple("seniority", "ascending")
PEOPLE_MANAGER_PATTERNS = _tuple("seniority", "people_manager")
SENIORITY_FALSE_FRIENDS = _tuple("seniority", "false_friends")
SENIORITY_OPTIONAL_MARKERS = _tuple("seniority", "optional_markers")

# --- titles -----------------------------------------------------------------------------------

SETTING_WORDS = _tuple("title", "setting_words")
TITLE_TYPE_WORDS = _tuple("title", "type_words")
GENDER_MARKERS = _tuple("title", "gender_markers")
TITLE_BLURBS = _tuple("title", "blurbs")
REGION_QUALIFIER_WORDS = _tuple("title", "region_words")
QUALIFIER_CONNECTORS = _tuple("title", "connectors")
MULTI_ROLE_WORDS = _tuple("title", "multi_role_words")
PLACEHOLDER_COMPANIES = frozenset(_DATA["title"]["placeholder_companies"])

# --- employer in the text -------------------------------------------------------------------

EMPLOYER_BEFORE_CUES = _tuple("company", "before_cues")
EMPLOYER_AFTER_CUES = _tuple("company", "after_cues")
EMPLOYER_STOPWORDS = frozenset(_DATA["company"]["stopwords"])
EMPLOYER_MIN_MENTIONS: int = _DATA["company"]["min_mentions"]
AGENCY_CUES = _tuple("company", "agency_cues")
AGENCY_OPENING_CHARS: int = _DATA["company"]["agency_opening_chars"]

# --- dates ------------------------------------------------------------------------------------

MONTH_NAMES: dict[str, int] = dict(_DATA["dates"]["months"])
RELATIVE_DAY_WORDS: dict[str, int] = dict(_DATA["dates"]["relative_days"])
RELATIVE_UNIT_SECONDS: dict[str, int] = dict(_DATA["dates"]["unit_seconds"])
DATE_PREFIXES = _tuple("dates", "prefixes")
DATE_YEARS: tuple[int, int] = (int(_DATA["dates"]["years"][0]), int(_DATA["dates"]["years"][1]))

# --- labelled facts on a page -----------------------------------------------------------------

SENIORITY_FACT_LABELS = _tuple("facts", "seniority")
EMPLOYMENT_FACT_LABELS = _tuple("facts", "employment")
SALARY_FACT_LABELS = _tuple("facts", "salary")
POSTED_FACT_LABELS = _tuple("facts", "posted")
