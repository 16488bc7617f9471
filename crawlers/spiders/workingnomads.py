"""Working Nomads: `GET /api/exposed_jobs/`, a bare JSON array of every current job."""

from __future__ import annotations

import re
from typing import Any

from jobsift.crawlers.base import JsonListSpider
from scrapy.http import Response

_JOB_ID = re.compile(r"/job/go/(\d+)")


class WorkingnomadsSpider(JsonListSpider):
    name = "workingnomads"
    default_base_url = "https://www.workingnomads.com"
    list_path = "/api/exposed_jobs/"  # a bare array

    def job(self, response: Response, job: dict[str, Any]) -> dict[str, Any]:
        url = job.get("url")
        match = _JOB_ID.search(url or "")
        tags = job.get("tags") or ""
        tag_list = tags if isinstance(tags, list) else str(tags).split(",")
        return self.posting(
            response,
            source_id=match.group(1) if match else url,
            url=url,
            title=job.get("title"),
            company=job.get("company_name"),
            location=job.get("location") or None,
            description=job.get("description"),
            posted=job.get("pub_date"),
            tags=[str(tag).strip() for tag in tag_list if str(tag).strip()],
            category=job.get("category_name") or None,
        )
