"""Job boards of our own, in each source's real format, generated per test (roles added, removed,
changed between crawls) and served by `FixtureServer`."""

from __future__ import annotations

import html
import json
from typing import Any

from tests.support.runs import SourceSpec
from tests.support.server import FixtureServer

BOARD = "acme"
GREENHOUSE_LIST = f"/v1/boards/{BOARD}/jobs?content=true"
NOMADS_PATH = "/api/exposed_jobs/"


def greenhouse_job(
    n: int, salary: bool = True, note: str = "", deadline: str | None = None
) -> dict:
    """Role `n` of the Acme board: remote in Germany, with responsibilities and requirements;
    `note` changes its text (a new version), `salary` puts a pay range in it."""
    body = (
        f"<p>Acme is hiring engineer number {n}. Remote within Germany.{note}</p>"
        "<h3>Responsibilities</h3><ul><li>Build and run our Python services</li>"
        "<li>Review code with the team</li></ul>"
        "<h3>Requirements</h3><ul><li>3+ years of Python</li><li>Good SQL</li></ul>"
    )
    if salary:
        body += "<p>Salary: €70,000 - €90,000 per year.</p>"
    return {
        "id": 7000 + n,
        "absolute_url": f"https://job-boards.greenhouse.io/{BOARD}/jobs/{7000 + n}",
        "title": f"Backend Engineer {n}",
        "company_name": "Acme",
        "location": {"name": "Remote - Germany"},
        "first_published": "2026-11-01T09:00:00Z",
        "updated_at": "2026-11-02T09:00:00Z",
        "application_deadline": deadline,
        "content": html.escape(body),
        "metadata": [{"name": "Time Type", "value": "Full Time"}],
    }


def serve_greenhouse(server: FixtureServer, jobs: list[dict[str, Any]]) -> None:
    server.add(GREENHOUSE_LIST, json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}}))


def greenhouse(server: FixtureServer, **args: str) -> SourceSpec:
    return SourceSpec(
        "greenhouse",
        args={"board": BOARD, **args},
        settings={"JOBSIFT_GREENHOUSE_URL": server.url},
    )


def nomads_job(n: int) -> dict[str, Any]:
    return {
        "url": f"https://www.workingnomads.com/jobs/backend-engineer-acme-{n}",
        "title": f"Backend Engineer {n}",
        "company_name": "Acme",
        "description": "<p>Python services, remote in Germany.</p>",
        "pub_date": "2026-11-01T00:00:00",
    }


def nomads(server: FixtureServer) -> SourceSpec:
    return SourceSpec("workingnomads", settings={"JOBSIFT_WORKINGNOMADS_URL": server.url})
