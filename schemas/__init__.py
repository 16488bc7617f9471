"""Pydantic models of the raw and normalized posting, and the DuckDB DDL derived from them."""

from schemas.posting import (
    Compensation,
    Education,
    Eligibility,
    EmploymentType,
    Overview,
    Period,
    Posting,
    RawPosting,
    Region,
    Requirements,
    Seniority,
    Timezone,
    WorkSetting,
)

__all__ = [
    "Compensation",
    "Education",
    "Eligibility",
    "EmploymentType",
    "Overview",
    "Period",
    "Posting",
    "RawPosting",
    "Region",
    "Requirements",
    "Seniority",
    "Timezone",
    "WorkSetting",
]
