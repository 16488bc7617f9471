"""RemoteOK: one JSON array per call (`GET /api`), a legal notice first, then ~100 jobs."""

from __future__ import annotations

from typing import Any

from jobsift.crawlers.base import JsonListSpider
from jobsift.crawlers.text import join_locations, unescape_entities
from scrapy.http import Response


def _unique(values: list[Any]) -> list[str]:
    """Tags in first-seen order; RemoteOK repeats them ("golang", ..., "golang")."""
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _salary(job: dict[str, Any]) -> dict[str, int | float] | None:
    """The source's own fields, where 0 means "not given" (the 2026 API sends 0/0 for none)."""
    amounts = {key: job.get(key) for key in ("salary_min", "salary_max")}
    given = {k: v for k, v in amounts.items() if isinstance(v, int | float) and v > 0}
    return given or None


class RemoteokSpider(JsonListSpider):
    name = "remoteok"
    default_base_url = "https://remoteok.com"
    # The API answers with `Cache-Control: max-age=3600`: polling more often brings nothing new.
    custom_settings = {"JOBSIFT_MIN_INTERVAL": 3600}
    list_path = "/api"  # a bare array

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any] | None:
        if "legal" in job and "id" not in job:
            return None  # element 0, {"last_updated", "legal"}: terms of service, not a job
        return self.posting(
            response,
            source_id=str(job["id"]),
            url=job.get("url"),
            apply_url=job.get("apply_url"),
            title=job.get("position"),
            company=unescape_entities(job.get("company")),  # "CI&amp;T"
            location=join_locations([job.get("location")]),  # "" -> None, mojibake repaired
            description=job.get("description"),
            posted=job.get("date") or job.get("epoch"),
            salary=_salary(job),
            tags=_unique(job.get("tags") or []),
        )
