"""Compensation step: `{min, max, currency, period, text}` for the base pay of the role, or None.

The source's salary field comes first (structured object, a JSON string of one, or text), then
the description. The text wins over the field when it states an explicit rate that the field
lacks or contradicts (a board's estimate, an annualised hourly rate, a yearly interval on an
hourly figure): the gold labels' "salary" rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from jobsift.pipelines.compensation.figures import number
from jobsift.pipelines.compensation.text import (
    Pay,
    implausible,
    inferred_period,
    period_of,
    text_pay,
)
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.reference import geo, terms
from jobsift.pipelines.reference.sources import conventions


def _pay(low: Any, high: Any, currency: Any, period: Any, text: str | None = None) -> Pay | None:
    """Pay from structured values; a single value gives min = max, 0 - 0 means none."""
    low_n, high_n = number(low), number(high)
    if not low_n and not high_n:  # missing, or 0 - 0 (RemoteOK's "not given")
        return None
    if high_n is None:
        high_n = low_n
    if low_n is not None and high_n is not None and high_n < low_n:
        low_n, high_n = high_n, low_n
    code = str(currency).strip().upper() if currency else None
    if code is not None and code not in terms.CURRENCY_CODES:
        code = terms.CURRENCY_SYMBOLS.get(str(currency).strip())
    stated = period_of(period)
    return Pay(
        low_n,
        high_n,
        code,
        stated or inferred_period(low_n, high_n, code),
        text,
        period_written=stated is not None,
    )


# --- structured salary objects -----------------------------------------------------------------

_MIN_KEYS = (
    "min",
    "minValue",
    "minSalary",
    "salary_min",
    "salaryMin",
    "annualSalaryMin",
    "min_amount",
    "minimum",
    "rangeStart",
)
_MAX_KEYS = (
    "max",
    "maxValue",
    "maxSalary",
    "salary_max",
    "salaryMax",
    "annualSalaryMax",
    "max_amount",
    "maximum",
    "rangeEnd",
)
_CURRENCY_KEYS = (
    "currency",
    "currencyCode",
    "salaryCurrency",
    "currency_type",
    "currency_code",
    "currencySymbol",
)
_PERIOD_KEYS = (
    "interval",
    "period",
    "salaryPeriod",
    "unitText",
    "unit",
    "type",
    "salary_period",
    "frequency",
)
_ANNUAL_KEYS = ("annualSalaryMin", "annualSalaryMax")
_SUMMARY_KEYS = ("compensationTierSummary", "scrapeableCompensationSalarySummary", "summary")
_SALARY_COMPONENT_TYPES = (None, "Salary", "salary")
_TIER_WORDS = re.compile(r"\b(?:{})\b\s*\w?\d*".format("|".join(terms.TIER_WORDS)), re.IGNORECASE)


def _first(data: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            return value
    return None


def _flat(data: Mapping[str, Any], text: str | None) -> Pay | None:
    period = "year" if any(k in data for k in _ANNUAL_KEYS) else _first(data, _PERIOD_KEYS)
    currency = _first(data, ("currencyCode", *_CURRENCY_KEYS))
    return _pay(_first(data, _MIN_KEYS), _first(data, _MAX_KEYS), currency, period, text)


def _monetary_amount(data: Mapping[str, Any]) -> Pay | None:
    """schema.org MonetaryAmount: {currency, value: QuantitativeValue|number}."""
    value = data.get("value")
    if isinstance(value, Mapping):
        low = _first(value, ("minValue", "value"))
        high = _first(value, ("maxValue", "value"))
        unit = value.get("unitText") or data.get("unitText")
        return _pay(low, high, data.get("currency"), unit)
    return _pay(value, value, data.get("currency"), data.get("unitText"))


def country_of(place: str | None) -> str | None:
    """ISO alpha-2 of a tier title or location: country, city or "City, ST"; None when unknown."""
    if not place:
        return None
    name = _TIER_WORDS.sub(" ", place).strip(" -–,()")
    if not name:
        return None
    code = geo.country_code(name) or geo.city_country(name)
    if code:
        return code
    parts = [p.strip() for p in name.split(",") if p.strip()]
    if len(parts) > 1:
        if geo.state_code(parts[-1]):
            return "US"
        return geo.country_code(parts[-1]) or geo.city_country(parts[0])
    return None


def _tiers(items: Iterable[Mapping[str, Any]]) -> list[tuple[str | None, Pay]]:
    """(title, pay) of each salary tier: Ashby salaryComponents / compensationTiers, Greenhouse,
    Rippling (a band per `location`)."""
    tiers: list[tuple[str | None, Pay]] = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        title = item.get("tierTitle") or item.get("title") or item.get("location")
        components = item.get("components")
        for part in components if isinstance(components, list) else [item]:
            if not isinstance(part, Mapping):
                continue
            if part.get("compensationType") not in _SALARY_COMPONENT_TYPES:
                continue
            if "min_cents" in part or "max_cents" in part:
                pay = _pay(
                    _cents(part.get("min_cents")),
                    _cents(part.get("max_cents")),
                    part.get("currency_type"),
                    part.get("interval"),
                )
            else:
                pay = _flat(part, None)
            if pay is not None:
                tiers.append((title, pay))
    return tiers


def _cents(value: Any) -> float | None:
    """Greenhouse pay ranges are in cents: divided before the plausibility check of `number`."""
    try:
        return number(float(value) / 100) if value not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        return None


def _pick_tier(
    tiers: list[tuple[str | None, Pay]], locations: Sequence[str], summary: Any = None
) -> Pay | None:
    """The tier(s) of the posting's primary location; several tiers of one place -> their span.

    The source's summary is kept as `text` only when it describes what was chosen (every tier).
    """
    if not tiers:
        return None
    chosen: list[Pay] = []
    for place in locations:
        code = country_of(place)
        chosen = [
            pay
            for title, pay in tiers
            if title
            and (
                title.casefold() == place.casefold()
                or (code is not None and country_of(title) == code)
            )
        ]
        if chosen:
            break
    if not chosen:
        first_currency = tiers[0][1].currency
        chosen = [pay for _, pay in tiers if pay.currency == first_currency]
    lows = [p.min for p in chosen if p.min is not None]
    highs = [p.max for p in chosen if p.max is not None]
    text = summary if isinstance(summary, str) and len(chosen) == len(tiers) else None
    return replace(
        chosen[0], min=min(lows) if lows else None, max=max(highs) if highs else None, text=text
    )


def structured_pay(data: Any, locations: Sequence[str] = ()) -> Pay | None:
    """A source's salary object (any shape the spiders pass on) as Pay."""
    if isinstance(data, list):
        return _pick_tier(_tiers(data), locations)
    if not isinstance(data, Mapping):
        return None
    for wrapper in ("salaryRange", "baseSalary", "compensation", "salary"):
        if isinstance(data.get(wrapper), Mapping | list):
            return structured_pay(data[wrapper], locations)
    summary = _first(data, _SUMMARY_KEYS)
    tier_keys = (
        "salaryComponents",
        "compensationTiers",
        "summaryComponents",
        "pay_input_ranges",
        "payRangeDetails",
    )
    for key in tier_keys:
        if isinstance(data.get(key), list):
            return _pick_tier(_tiers(data[key]), locations, summary)
    if data.get("@type") == "MonetaryAmount" or isinstance(data.get("value"), Mapping):
        return _monetary_amount(data)
    return _flat(data, summary if isinstance(summary, str) else None)


# --- the step ---------------------------------------------------------------------------------


_SHORT_SALARY_FIELD = 60


_DOLLAR_CODE_NAMES = tuple(sorted(set(terms.DOLLAR_COUNTRIES.values())))
_DOLLAR_CODES = re.compile(r"\b(?:{})\b".format("|".join(_DOLLAR_CODE_NAMES)))


def _dollar(draft: Draft) -> str | None:
    """What "$" alone means in this posting: USD, unless the posting is limited to other dollar
    countries (then unresolved), or names exactly one other dollar currency and never USD
    ("$100,000 - $120,000, all amounts in CAD")."""
    countries = set(draft.eligibility.get("countries") or ())
    if countries and "US" not in countries and countries & terms.DOLLAR_COUNTRIES.keys():
        return None
    text = draft.document.text
    if "$" in text and any(code in text for code in _DOLLAR_CODE_NAMES):
        named = set(_DOLLAR_CODES.findall(text))
        if len(named) == 1 and terms.DOLLAR_DEFAULT not in named:
            return named.pop()
    return terms.DOLLAR_DEFAULT


def _salary_field(draft: Draft) -> tuple[Any, str]:
    if draft.raw.salary not in (None, ""):
        return draft.raw.salary, "source:salary"
    for label, value in draft.raw.facts.items():
        if label.strip().lower() in terms.SALARY_FACT_LABELS and value:
            return value, f"facts:{label}"
    written = draft.text_facts.get("salary")
    if written:  # "Salary: £40k – £55k", "Rémunération mensuelle : 600 euros environ"
        return written, draft.fact_origin("salary")
    return None, "source:salary"


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def choose(field: Pay | None, text: Pay | None) -> Pay | None:
    """The field, unless the text states an explicit rate that the field lacks or contradicts."""
    if field is None:
        return text
    if text is None or not text.period_written:
        return field
    if not field.period_written:
        return text  # a board's estimate or an annualisation loses to an explicit rate
    if text.period != field.period and text.same_amounts(field):
        return text  # "$24.04/Hour" in the text beats a "1 YEAR" interval on 24.04
    return field


def _renderings(amount: float) -> tuple[str, ...]:
    """How a figure may be written: 24.04 -> "24.04", "24,04"; 150000 -> "150,000", "150k"..."""
    if amount != int(amount):
        fixed = f"{amount:.2f}"
        return (fixed, fixed.replace(".", ","), f"{amount:g}")
    whole = int(amount)
    grouped = f"{whole:,}"
    forms = [str(whole), grouped, grouped.replace(",", "."), grouped.replace(",", " ")]
    if whole >= 1000 and whole % 100 == 0:
        forms += [f"{whole / 1000:g}k", f"{whole / 1000:g}K"]
    return tuple(forms)


def _mentions(text: str, pay: Pay) -> bool:
    amount = pay.min if pay.min is not None else pay.max
    if amount is None:
        return False
    forms = _renderings(amount)
    # Every rendering starts with the same digits ("150"): text without them mentions none.
    low, high = min(forms), max(forms)  # the start shared by all is the one these two share
    size = 0
    while size < len(low) and low[size] == high[size]:
        size += 1
    shared = low[:size]
    return (not shared or shared in text) and any(form in text for form in forms)


@lru_cache(maxsize=4096)  # a pure function; short salary fields recur from posting to posting
def _field_pay(value: str, dollar: str | None) -> Pay | None:
    return text_pay(value, dollar, salary_field=True)


def compensation_of(draft: Draft) -> tuple[Pay | None, str, list[str]]:
    events: list[str] = []
    value, origin = _salary_field(draft)
    dollar = _dollar(draft)
    locations = [p.strip() for p in (draft.raw.location or "").split(" | ") if p.strip()]
    value = _decode(value)
    field: Pay | None = None
    if isinstance(value, str):
        # A short field is a figure ("60000-80000"); a long one is prose, read like the text.
        short = len(value) <= _SHORT_SALARY_FIELD
        field = _field_pay(value, dollar) if short else text_pay(value, dollar)
        if field is not None:
            field = field.with_text(value.strip())
    elif value is not None:
        field = structured_pay(value, locations)
    if value is not None and field is None and origin.startswith(("source:", "facts:")):
        events.append("salary/unparsed")
    description = draft.document.text
    # A field with a written period loses only to the same figure at another period, so the
    # scan is skipped when the text never writes that figure (most structured postings).
    needed = field is None or not field.period_written or _mentions(description, field)
    text = text_pay(description, dollar) if description and needed else None
    chosen = choose(field, text)
    if chosen is None:
        return None, origin, events
    if chosen is text and field is not None:
        events.append("salary/text_wins")
    if chosen is field and chosen.currency is None:
        if text is not None and text.same_amounts(field):
            chosen = replace(chosen, currency=text.currency)
        elif not isinstance(value, str):
            currency = conventions(draft.raw.source).get("salary_currency")
            chosen = replace(chosen, currency=currency)
    return chosen, origin if chosen is field else "text", events


def step(draft: Draft) -> Iterable[str]:
    pay, origin, events = compensation_of(draft)
    why = implausible(pay) if pay is not None else None
    if why is not None:
        events.append("salary/implausible")
        draft.provenance["compensation"] = f"not stored ({origin}): {why}"
        pay = None
    draft.posting["compensation"] = pay.as_dict() if pay is not None else None
    if pay is not None:
        draft.provenance["compensation"] = origin
    return events
