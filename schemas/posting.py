"""The normalized posting (docs/posting.md): the one definition every other layer derives from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from jobsift.schemas.raw_values import clean_tree, kind
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

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
    """Region codes of the gold labels (docs/posting.md); there is deliberately no WORLDWIDE code."""

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
    if not values:  # most lists are empty
        return values
    for value in values:
        if len(value) != width or not value.isalpha() or not value.isupper():
            raise ValueError(f"not a {width}-letter upper-case code: {value!r}")
    return sorted(set(values))


class Eligibility(_Strict):
    countries: list[str] = Field(default_factory=list)
    eligible_countries: list[str] = Field(default_factory=list)
    # Countries the posting names as *not* eligible ("we cannot accept applicants from Russia").
    excluded_countries: list[str] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    worldwide: bool = False
    us_states: list[str] = Field(default_factory=list)
    timezone: Timezone | None = None
    visa_sponsorship: bool | None = None
    work_authorization: list[str] = Field(default_factory=list)
    location_text: str | None = None

    @field_validator(
        "countries", "eligible_countries", "excluded_countries", "work_authorization", "us_states"
    )
    @classmethod
    def _iso_codes(cls, values: list[str]) -> list[str]:
        return _sorted_codes(values, 2)

    @field_validator("regions")
    @classmethod
    def _sorted_regions(cls, values: list[Region]) -> list[Region]:
        return sorted(set(values)) if values else values


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


# What each field of a raw posting holds, for the message when it holds something else.
_RAW_EXPECTED = {
    "source_id": "text or a whole number",
    "location": "text or a list of text",
    "employment_type": "text or a list of text",
    "posted": "text or a number (seconds since 1970)",
    "valid_through": "text or a number (seconds since 1970)",
    "salary": "text or an object",
    "remote": "text or true/false",
    "tags": "a list of text",
    "facts": "an object whose values are text",
    "fetched_at": "an ISO 8601 date and time",
    "extra": "an object",
}
# Keys of `extra` that the chain reads, and the JSON kinds each may hold (besides null).
_EXTRA_KINDS: dict[str, tuple[type, ...]] = {
    "category": (str,),
    "summary": (str,),
    "timezone_restrictions": (list,),
}


class RawPosting(BaseModel):
    """What every spider emits and `jobsift normalize` reads (docs/raw-postings.md).

    Keys outside the contract are moved into `extra` instead of being dropped. `from_mapping` is
    the one way in: a value of the wrong kind anywhere is a ValueError naming the field and what it
    should hold (the chain turns it into a reject), never an error further down the chain.
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
    def from_mapping(cls, data: Any) -> RawPosting:
        """The raw posting of a payload, or ValueError with one line saying what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a raw posting is an object, not {kind(data)}")
        data = clean_tree(data)  # lone surrogates replaced; NaN, deep nesting refused
        known = cls.model_fields.keys()
        payload = {k: v for k, v in data.items() if k in known}
        unknown = {k: v for k, v in data.items() if k not in known}
        if unknown:
            extra = payload.get("extra") or {}
            if not isinstance(extra, dict):
                raise ValueError(f"extra is {kind(extra)}; it must be an object")
            payload["extra"] = {**extra, **unknown}
        try:
            raw = cls.model_validate(payload)
        except ValidationError as exc:
            raise ValueError(_describe(exc, payload)) from None
        if not (raw.title or raw.description):
            raise ValueError("a raw posting needs a title or a description")
        return raw

    @field_validator("location", "employment_type", mode="before")
    @classmethod
    def _join_lists(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            parts = []
            for v in value:
                if isinstance(v, bool) or not isinstance(v, str | int | float | None):
                    raise PydanticCustomError("raw_kind", "an item is {kind}", {"kind": kind(v)})
                if v not in (None, ""):
                    parts.append(str(v).strip())
            return " | ".join(parts) or None
        return value

    @field_validator("source_id", "posted", "valid_through", mode="before")
    @classmethod
    def _scalars_as_given(cls, value: Any) -> Any:
        if isinstance(value, bool):  # JSON true/false is no identifier and no date
            raise PydanticCustomError("raw_kind", "")
        return str(value) if isinstance(value, int) else value

    @field_validator("fetched_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        try:
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        except OverflowError:
            raise ValueError("the date is out of range once converted to UTC") from None

    @field_validator("extra")
    @classmethod
    def _known_extras(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key, kinds in _EXTRA_KINDS.items():
            item = value.get(key)
            if item is not None and (isinstance(item, bool) or not isinstance(item, kinds)):
                message = f"{key} is {kind(item)}; it must be {_kind_names(kinds)}"
                raise PydanticCustomError("raw_extra", message)
        return value


def _kind_names(kinds: tuple[type, ...]) -> str:
    return " or ".join("text" if k is str else "a list" for k in kinds)


def _describe(exc: ValidationError, payload: dict[str, Any]) -> str:
    """One line per wrong field: where, what it holds, what it must hold."""
    said: dict[str, str] = {}
    for error in exc.errors():
        loc = error["loc"]
        field = str(loc[0]) if loc else "posting"
        if field in said:
            continue  # a union reports each of its members: one message per field is enough
        path, value = field, payload.get(field)
        for step in loc[1:]:  # down the actual value; the rest of `loc` names union members
            if isinstance(value, dict) and step in value:
                path, value = f"{path}.{step}", value[step]
            elif isinstance(value, list) and isinstance(step, int) and step < len(value):
                path, value = f"{path}[{step}]", value[step]
            else:
                break
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "raw_extra":
            said[field] = message
        elif error["type"].endswith("_type") or error["type"] == "raw_kind":
            detail = f" ({message})" if error["type"] == "raw_kind" and message else ""
            expected = _RAW_EXPECTED.get(field, "text")
            said[field] = f"{path} is {kind(value)}{detail}; {field} must be {expected}"
        else:
            said[field] = f"{path}: {message}"
    return "; ".join(said.values())
