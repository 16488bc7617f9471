"""Eligibility step: where a candidate may live and work, and the work setting.

Fills `posting["eligibility"]` (countries, eligible_countries, excluded_countries, regions,
worldwide, us_states, timezone, visa_sponsorship, work_authorization; `location_text` is set by
prepare) and `posting["overview"]["work_setting"]`, with provenance for each. Structured fields
come first (the source's remote flag, a location field whose documented meaning is eligibility,
allowed UTC offsets; what each source's fields mean is in reference/sources.toml
`[<source>.eligibility]`); the description adds what only it says: labels and header lines
(`text:location`, `text:remote`, also from `draft.text_facts` when present), scope and
exclusion statements, setting phrases in several languages. Rules: the gold labels'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jobsift.pipelines.draft import Draft
from jobsift.pipelines.eligibility.exclusions import excluded_countries
from jobsift.pipelines.eligibility.labels import TextFacts, read_text_facts, title_line
from jobsift.pipelines.eligibility.offices import office_and_foreign_places
from jobsift.pipelines.eligibility.phrases import phrase_signals
from jobsift.pipelines.eligibility.places import (
    Places,
    is_location_phrase,
    scan_places,
    scan_split_piece,
)
from jobsift.pipelines.eligibility.setting import (
    pick_token_setting,
    setting_of_flag,
    settings_in,
    source_flag,
    text_signals,
)
from jobsift.pipelines.eligibility.text import (
    listed_us_states,
    scope_of,
    visa_sponsorship,
    work_authorization,
)
from jobsift.pipelines.eligibility.timezones import band_from_offsets, band_from_text
from jobsift.pipelines.eligibility.view import TextView
from jobsift.pipelines.reference.geo import (
    REGION_MEMBERS,
    TEXT_LABELS,
    SourceProfile,
    phrase_key,
    source_profile,
)
from jobsift.schemas import Region, WorkSetting

_TITLE_PARENS = re.compile(r"[(\[]([^()\[\]]{1,80})[)\]]")
_GROUP_PARTS = re.compile(r",\s+|\s*/\s*")
_TITLE_SEGMENTS = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_COMMAS = re.compile(r",\s+")
_DECLARED_COUNT = re.compile(r"(\d+)\s+(?:accepted\s+|eligible\s+)?countr", re.IGNORECASE)
_WORK_SETTING_FACT = "work setting"


@dataclass(slots=True)
class Evidence:
    """Places and setting words from one origin (its provenance label)."""

    origin: str
    places: Places = field(default_factory=Places)
    settings: set[WorkSetting] = field(default_factory=set)


def location_evidence(location: str | None, profile: SourceProfile) -> Evidence:
    """The source's location field; only its eligibility parts when the source's convention
    names them (the rest is the headquarters)."""
    evidence = Evidence("source:location")
    if not location:
        evidence.places.worldwide = profile.empty_means_worldwide
        return evidence
    parts = location.split(" | ")
    if profile.eligibility_values:
        parts = [part for part in parts if phrase_key(part) in profile.eligibility_values]
    text = " | ".join(parts)
    evidence.places = scan_places(text, codes=True)
    evidence.settings = settings_in(text)
    return evidence


def qualifier_evidence(text: str | None, origin: str, remote_prefix: bool = True) -> Evidence:
    """Location qualifiers of a title or an "A | B | C" header line: parenthesised groups and
    separated segments (after the first) that are nothing but places and setting words
    ("| Fully Remote US", "(Los Angeles, CA)", "(AMER)", "- Japan", "| Onsite |"). A bare region
    after a dash or comma is a sales territory ("Account Executive - DACH"), so regions count
    only in parentheses or next to a setting word."""
    evidence = Evidence(origin)
    if not text:
        return evidence
    # A group that is not wholly a location may hold one among other notes: "(Belgium, 3
    # days/week)" gives Belgium; "(Los Angeles, CA)" stays whole so that CA is the state.
    # Split pieces keep the text before them (a lone code is read in that context).
    groups = [
        (part, True, before)
        for m in _TITLE_PARENS.finditer(text)
        for part, before in (
            [(m.group(1), None)]
            if is_location_phrase(m.group(1))
            else _cut(m.group(1), _GROUP_PARTS)
        )
    ]
    # Segments after the role: "| San Francisco, CA |" is one place (CA is the state there);
    # commas split a segment only when it is not wholly a location ("Engineer, Remote").
    segments = _TITLE_SEGMENTS.split(_TITLE_PARENS.sub(" ", text))
    pieces = _cut(segments[0], _COMMAS)[1:]
    for segment in segments[1:]:
        pieces += [(segment, None)] if is_location_phrase(segment) else _cut(segment, _COMMAS)
    groups += [(piece, False, before) for piece, before in pieces]
    if remote_prefix and segments[0].lower().startswith("remote "):
        evidence.settings.add(WorkSetting.remote)  # "Remote Office Assistant"
    for group, in_parens, before in groups:
        if not group.strip() or not is_location_phrase(group):
            continue
        places = (
            scan_places(group, codes=True) if before is None else scan_split_piece(before, group)
        )
        settings = settings_in(group)
        if not (in_parens or settings):
            places.regions.clear()
        evidence.places.update(places)
        evidence.settings |= settings
    return evidence


def _cut(text: str, separator: re.Pattern[str]) -> list[tuple[str, str]]:
    """`text` split at `separator`, each piece with the text before it."""
    pieces, start = [], 0
    for match in separator.finditer(text):
        pieces.append((text[start : match.start()], text[:start]))
        start = match.end()
    return [*pieces, (text[start:], text[:start])]


def text_facts_evidence(facts: TextFacts) -> list[Evidence]:
    """Remote answers ("REMOTE: Yes", "Work remotely: No") and location values from the text."""
    evidence = []
    for origin, answer in facts.remote:
        item = Evidence(origin)
        first = phrase_key(answer).split(" ", 1)[0] if phrase_key(answer) else answer.strip()
        if first in TEXT_LABELS["remote_yes"]:
            item.settings.add(WorkSetting.remote)
        elif first in TEXT_LABELS["remote_no"]:
            item.settings.add(WorkSetting.onsite)
        else:
            item.settings = settings_in(answer)
        evidence.append(item)
    for origin, value in facts.locations:
        item = Evidence(origin, scan_places(value, codes=True), settings_in(value))
        evidence.append(item)
    return evidence


def work_setting(
    draft: Draft,
    profile: SourceProfile,
    token_evidence: list[Evidence],
    signals: set[str],
    must_be_in_city: bool,
) -> tuple[WorkSetting | None, str | None]:
    """The setting and where it came from, by the order in `eligibility.setting`'s docstring."""
    raw = draft.raw
    flag = source_flag(raw.remote, profile.remote_values)
    if "strong_remote" in signals:
        return WorkSetting.remote, "source:remote" if flag == WorkSetting.remote else "text"
    if "strong_remote_location" in signals:
        return WorkSetting.remote, "source:location"
    for label, value in raw.facts.items():
        if label.strip().casefold() == _WORK_SETTING_FACT:
            fact = setting_of_flag(value) or pick_token_setting(settings_in(value))
            if fact:
                return fact, f"facts:{label}"
    if "hybrid" in signals:
        return WorkSetting.hybrid, "text"
    if "onsite" in signals:
        return WorkSetting.onsite, "text"
    if flag:
        return flag, "source:remote"
    if profile.eligibility and (raw.location or profile.empty_means_worldwide):
        return WorkSetting.remote, "source:location"
    for evidence in token_evidence:
        setting = pick_token_setting(evidence.settings)
        if setting:
            return setting, evidence.origin
    if "hybrid_wording" in signals:
        return WorkSetting.hybrid, "text"
    if "remote" in signals:
        return WorkSetting.remote, "text"
    if must_be_in_city:
        return WorkSetting.onsite, "text"
    return None, None


def timezone_band(draft: Draft, view: TextView) -> tuple[tuple[float, float] | None, str | None]:
    """Structured offsets first (the `extra` key the source's convention names), then the location field,
    then explicit offsets in the text."""
    raw = draft.raw
    key = source_profile(raw.source).timezone_offsets_extra
    restrictions = raw.extra.get(key) if key else None
    if isinstance(restrictions, list | tuple) and restrictions:
        band = band_from_offsets(restrictions)
        if band:
            return band, f"source:{key}"
    band = band_from_text(raw.location or "")
    if band:
        return band, "source:location"
    units = view.units_with("utc", "gmt", "hours of")
    bands = [b for start, end in units if (b := band_from_text(view.text[start:end]))]
    if bands:
        return (min(b[0] for b in bands), max(b[1] for b in bands)), "text"
    return None, None


def declared_count_mismatch(draft: Draft, countries: set[str]) -> str | None:
    """The aggregator's "Eligible countries: 3 accepted countries" against the parsed list."""
    for label, value in draft.raw.facts.items():
        if "countr" not in label.casefold():
            continue
        match = _DECLARED_COUNT.search(value)
        if match and int(match.group(1)) != len(countries):
            return f"declared {match.group(1)}, parsed {len(countries)}"
    return None


def fill_places(draft: Draft, evidence: list[Evidence], excluded: set[str]) -> list[str]:
    """Countries (EU expanded), eligible countries, regions and worldwide, with the origins that
    contributed to each; returns the declared-count event when the aggregator disagrees."""
    eligibility, provenance = draft.posting["eligibility"], draft.provenance
    countries: set[str] = set()
    regions: set[Region] = set()
    country_origins: list[str] = []
    region_origins: list[str] = []
    for item in evidence:
        scoped = item.places.scoped_countries()
        if scoped - countries and item.origin not in country_origins:
            country_origins.append(item.origin)
        if item.places.regions - regions and item.origin not in region_origins:
            region_origins.append(item.origin)
        countries |= scoped
        regions |= item.places.regions
    countries -= excluded
    world_origin = next((e.origin for e in evidence if e.places.worldwide), None)
    # A narrower statement contradicts "worldwide" ("Anywhere in the World" vs "US-only").
    worldwide = world_origin is not None and not countries and not regions
    eligible = set(countries).union(*(REGION_MEMBERS.get(r, frozenset()) for r in regions))
    eligible -= excluded
    eligibility["countries"] = sorted(countries)
    eligibility["excluded_countries"] = sorted(excluded)
    if excluded:
        provenance["eligibility.excluded_countries"] = "text"
    eligibility["eligible_countries"] = sorted(eligible)
    eligibility["regions"] = sorted(r.value for r in regions)
    eligibility["worldwide"] = worldwide
    if countries:
        provenance["eligibility.countries"] = "+".join(country_origins)
    if eligible:
        provenance["eligibility.eligible_countries"] = "+".join(
            dict.fromkeys(country_origins + region_origins)
        )
    if regions:
        provenance["eligibility.regions"] = "+".join(region_origins)
    if worldwide and world_origin:
        provenance["eligibility.worldwide"] = world_origin
    mismatch = declared_count_mismatch(draft, countries)
    if not mismatch:
        return []
    base = provenance.get("eligibility.countries", "none")
    provenance["eligibility.countries"] = f"{base}; {mismatch}"
    return ["eligibility/declared_count_mismatch"]


def fill_statements(draft: Draft, view: TextView) -> None:
    """US states, time zone, visa sponsorship and work authorization."""
    eligibility, provenance = draft.posting["eligibility"], draft.provenance
    states = listed_us_states(view)
    eligibility["us_states"] = sorted(states)
    if states:
        provenance["eligibility.us_states"] = "text"
    band, band_origin = timezone_band(draft, view)
    eligibility["timezone"] = (
        {"min_utc_offset": band[0], "max_utc_offset": band[1]} if band else None
    )
    if band_origin:
        provenance["eligibility.timezone"] = band_origin
    visa = visa_sponsorship(view)
    eligibility["visa_sponsorship"] = visa
    if visa is not None:
        provenance["eligibility.visa_sponsorship"] = "text"
    authorization = work_authorization(view, visa)
    eligibility["work_authorization"] = sorted(authorization)
    if authorization:
        provenance["eligibility.work_authorization"] = "text"


def _header_line(draft: Draft, profile: SourceProfile) -> str | None:
    """The "Company | Role | Location | Type" first line: by the source's convention, or any
    first line with at least two " | " separators."""
    blocks = draft.document.blocks
    if not blocks:
        return None
    first = blocks[0].text
    return first if profile.header_line or first.count(" | ") >= 2 else None


def step(draft: Draft) -> Iterable[str]:
    raw = draft.raw
    profile = source_profile(raw.source)
    view = TextView.of_document(draft.document)
    draft.posting.setdefault("eligibility", {})
    overview = draft.posting.setdefault("overview", {})

    location = location_evidence(raw.location, profile)
    title = qualifier_evidence(raw.title, "title")
    header_text = _header_line(draft, profile)
    header = qualifier_evidence(header_text, "text")
    # Without a title field the first line is the title: its qualifiers count, but a leading
    # "Remote" there may name the job ("Remote Support Specialist"), so it is not a setting.
    first_line = None if raw.title or header_text else title_line(draft.document)
    text_title = qualifier_evidence(first_line, "text:title", remote_prefix=False)
    facts = read_text_facts(view, draft.document, getattr(draft, "text_facts", None) or {})
    labelled = text_facts_evidence(facts)
    scope = scope_of(view)
    excluded = excluded_countries(view)
    places_evidence = [location, title, header, text_title, *labelled]
    scope.places.update(office_and_foreign_places(view))
    events = fill_places(draft, [*places_evidence, Evidence("text", scope.places)], excluded)
    fill_statements(draft, view)

    signals = text_signals(view) | phrase_signals(view)
    if (
        raw.location
        and "remote" in raw.location.lower()
        and "strong_remote" in text_signals(TextView(raw.location))
    ):
        signals.add("strong_remote_location")
    setting, origin = work_setting(draft, profile, places_evidence, signals, scope.must_be_in_city)
    overview["work_setting"] = setting.value if setting else None
    if origin:
        draft.provenance["overview.work_setting"] = origin
    flag = source_flag(raw.remote, profile.remote_values)
    if flag and setting and flag != setting:
        events.append("eligibility/setting_overrides_flag")
    return events
