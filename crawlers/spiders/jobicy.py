"""Jobicy: `GET /api/v2/remote-jobs`, up to 100 jobs per call, no offset paging.

Optional filters are spider arguments: `-a count=50 -a geo=canada -a industry=marketing -a tag=seo`.
Two formats are live side by side: 2024 (`annualSalaryMin/Max` strings + `salaryCurrency`,
"YYYY-MM-DD HH:MM:SS" dates) and 2026 (`salaryMin/Max` numbers + `salaryPeriod`, ISO dates).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

from jobsift.crawlers.base import JsonListSpider
from jobsift.crawlers.text import join_present, unescape_entities
from scrapy.http import Request, Response

FILTERS = ("count", "geo", "industry", "tag")
SALARY_AMOUNT_KEYS = ("annualSalaryMin", "annualSalaryMax", "salaryMin", "salaryMax")
SALARY_KEYS = (*SALARY_AMOUNT_KEYS, "salaryCurrency", "salaryPeriod")


def _salary(job: dict[str, Any]) -> dict[str, Any] | None:
    """The salary keys the job carries (either format), only when an amount is among them."""
    present = {key: job[key] for key in SALARY_KEYS if job.get(key) not in (None, "")}
    return present if any(key in present for key in SALARY_AMOUNT_KEYS) else None


def _industries(values: list[Any]) -> str | None:
    """`jobIndustry` names arrive entity-escaped ("Marketing &amp; Sales")."""
    return join_present((unescape_entities(str(v)) for v in values), " | ") or None


class JobicySpider(JsonListSpider):
    name = "jobicy"
    default_base_url = "https://jobicy.com"
    list_path, entries_key = "/api/v2/remote-jobs", "jobs"
    # Terms: poll at most once an hour (`jobsift crawl` skips the source when it ran more recently).
    custom_settings = {"JOBSIFT_MIN_INTERVAL": 3600}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.filters = {key: str(kwargs.pop(key)) for key in FILTERS if kwargs.get(key)}
        super().__init__(*args, **kwargs)
        count = self.filters.get("count")
        if count is not None and not (count.isdigit() and 1 <= int(count) <= 100):
            raise ValueError(f"jobicy: count must be an integer from 1 to 100, got {count!r}")

    async def start(self) -> AsyncIterator[Request]:
        query = f"?{urlencode(self.filters)}" if self.filters else ""
        yield self.get(self.endpoint(self.list_path) + query, self.parse)

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        return self.posting(
            response,
            source_id=str(job["id"]) if job.get("id") is not None else None,
            url=job.get("url"),
            title=job.get("jobTitle"),
            company=job.get("companyName"),
            location=job.get("jobGeo") or None,  # intact: its double spaces are normalization's
            description=job.get("jobDescription"),
            posted=job.get("pubDate"),
            salary=_salary(job),
            employment_type=join_present(job.get("jobType") or [], " | ") or None,
            category=_industries(job.get("jobIndustry") or []),
            summary=job.get("jobExcerpt") or None,
            job_level=job.get("jobLevel") or None,
        )
