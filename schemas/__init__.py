"""Pydantic models of the raw and normalized posting, and the DuckDB DDL derived from them."""

from jobsift.schemas.posting import (
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
from jobsift.schemas.reject import Reject

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
    "Reject",
    "Requirements",
    "Seniority",
    "Timezone",
    "WorkSetting",
]
