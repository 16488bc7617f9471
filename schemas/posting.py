"""The normalized posting (SPEC section 3): the one definition every other layer derives from."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Ends the provenance of a date read from relative text ("3 days ago"): such a date moves with every
# fetch, so it alone never makes a new version of a posting.
RELATIVE_DATE_MARK = "(relative to fetched_at)"


class Seniority(StrEnum):
    intern = "intern"
    junior = "junior"
    mid = "mid"
    senior = "senior"
    staff = "staff"
    principal = "principal"
    lead = "lead"
    manager = "manager"
    director = "director"
    executive = "executive"


class EmploymentType(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    contract = "contract"
    internship = "internship"
    temporary = "temporary"


class WorkSetting(StrEnum):
    remote = "remote"
    hybrid = "hybrid"
    onsite = "onsite"


class Education(StrEnum):
    none = "none"
    high_school = "high_school"
    associate = "associate"
    bachelor = "bachelor"
    master = "master"
    doctorate = "doctorate"


class Period(StrEnum):
    year = "year"
    month = "month"
    week = "week"
    day = "day"
    hour = "hour"


class Region(StrEnum):
    """Region codes of gold/README.md; there is deliberately no WORLDWIDE code."""

    NORTH_AMERICA = "NORTH_AMERICA"
    LATAM = "LATAM"
    AMERICAS = "AMERICAS"
    EUROPE = "EUROPE"
    EU = "EU"
    EEA = "EEA"
    EMEA = "EMEA"
    APAC = "APAC"
    ASIA = "ASIA"
    AFRICA = "AFRICA"
    MIDDLE_EAST = "MIDDLE_EAST"
    OCEANIA = "OCEANIA"
    DACH = "DACH"
    NORDICS = "NORDICS"
    CEE = "CEE"


def _column(name: str) -> dict[str, Any]:
    """Names the flat `postings` column of a field whose leaf name alone would be ambiguous."""
    return {"column": name}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Overview(_Strict):
    title: str | None = None
    company: str | None = None
    category: str | None = None
    summary: str | None = None
    seniority: Seniority | None = None
    employment_type: EmploymentType | None = None
    work_setting: WorkSetting | None = None
    posted_at: datetime | None = None
    posted_text: str | None = None
    valid_through: datetime | None = None
    responsibilities: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    description_text: str = ""


class Requirements(_Strict):
    minimum: list[str] = Field(
        default_factory=list, json_schema_extra=_column("requirements_minimum")
    )
    preferred: list[str] = Field(
        default_factory=list, json_schema_extra=_column("requirements_preferred")
    )
    years_experience_min: float | None = Field(default=None, ge=0, le=60)
    education: Education | None = None


class Timezone(_Strict):
    min_utc_offset: float = Field(ge=-12, le=14, json_schema_extra=_column("tz_min_utc_offset"))
    max_utc_offset: float = Field(ge=-12, le=14, json_schema_extra=_column("tz_max_utc_offset"))


def _sorted_codes(values: list[str], width: int) -> list[str]:
    for value in values:
        if len(value) != width or not value.isalpha() or not value.isupper():
            raise ValueError(f"not a {width}-letter upper-case code: {value!r}")
    return sorted(set(values))


class Eligibility(_Strict):
    countries: list[str] = Field(default_factory=list)
    eligible_countries: list[str] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    worldwide: bool = False
    us_states: list[str] = Field(default_factory=list)
    timezone: Timezone | None = None
    visa_sponsorship: bool | None = None
    work_authorization: list[str] = Field(default_factory=list)
    location_text: str | None = None

    @field_validator("countries", "eligible_countries", "work_authorization", "us_states")
    @classmethod
    def _iso_codes(cls, values: list[str]) -> list[str]:
        return _sorted_codes(values, 2)

    @field_validator("regions")
    @classmethod
    def _sorted_regions(cls, values: list[Region]) -> list[Region]:
        return sorted(set(values))


class Compensation(_Strict):
    min: float | None = Field(default=None, ge=0, json_schema_extra=_column("salary_min"))
    max: float | None = Field(default=None, ge=0, json_schema_extra=_column("salary_max"))
    currency: str | None = Field(
        default=None, pattern=r"^[A-Z]{3}$", json_schema_extra=_column("salary_currency")
    )
    period: Period | None = Field(default=None, json_schema_extra=_column("salary_period"))
    text: str | None = Field(default=None, json_schema_extra=_column("salary_text"))


class Posting(_Strict):
    id: str
    source: str
    source_id: str
    url: str | None = None
    apply_url: str | None = None
    fetched_at: datetime
    overview: Overview = Field(default_factory=Overview)
    requirements: Requirements = Field(default_factory=Requirements)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    compensation: Compensation | None = None
    provenance: dict[str, str] = Field(default_factory=dict)


class RawPosting(BaseModel):
    """What every spider emits and `jobsift normalize` reads (SPEC section 4).

    Keys outside the contract are moved into `extra` instead of being dropped.
    """

    model_config = ConfigDict(extra="forbid")

    source: str | None = None
    source_id: str | None = None
    url: str | None = None
    apply_url: str | None = None
    title: str | None = None
    company: str | None = None
    location: str | None = None
    description: str | None = None
    posted: str | int | float | None = None
    valid_through: str | int | float | None = None
    salary: str | dict[str, Any] | None = None
    employment_type: str | None = None
    remote: str | bool | None = None
    tags: list[str] = Field(default_factory=list)
    facts: dict[str, str] = Field(default_factory=dict)
    fetched_at: datetime | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> RawPosting:
        known = cls.model_fields.keys()
        payload = {k: v for k, v in data.items() if k in known}
        unknown = {k: v for k, v in data.items() if k not in known}
        if unknown:
            payload["extra"] = {**(payload.get("extra") or {}), **unknown}
        raw = cls.model_validate(payload)
        if not (raw.title or raw.description):
            raise ValueError("a raw posting needs a title or a description")
        return raw

    @field_validator("location", "employment_type", mode="before")
    @classmethod
    def _join_lists(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            parts = [str(v).strip() for v in value if v not in (None, "")]
            return " | ".join(parts) or None
        return value

    @field_validator("source_id", "posted", "valid_through", mode="before")
    @classmethod
    def _scalars_as_given(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value
