"""Gem job board API: `https://api.gem.com/job_board/v0/{board}/job_posts/`, a bare array of
every live job post with its description (a Greenhouse-like shape)."""

from __future__ import annotations

from typing import Any

from jobsift.crawlers.base import JsonListSpider
from jobsift.crawlers.text import join_locations
from scrapy.http import Response


def _names(values: Any) -> list[str]:
    return [str(v["name"]) for v in values or [] if isinstance(v, dict) and v.get("name")]


class GemSpider(JsonListSpider):
    name = "gem"
    complete_listing = True  # the whole board: a posting missing from it has closed
    default_base_url = "https://api.gem.com"
    required_args = ("board",)
    list_path = "/job_board/v0/{board}/job_posts/"

    board: str

    def job(self, response: Response, post: dict[str, Any]) -> dict[str, Any]:
        location = (post.get("location") or {}).get("name")
        offices = [
            (office.get("location") or {}).get("name") for office in post.get("offices") or []
        ]
        return self.posting(
            response,
            # Legacy numeric ids and opaque base64 keys ("am9icG9zdDq..."), both kept as given.
            source_id=str(post["id"]),
            url=post.get("absolute_url"),
            title=post.get("title"),
            location=join_locations([location, *offices]),
            description=post.get("content") or post.get("content_plain"),
            posted=post.get("first_published_at") or post.get("created_at"),
            employment_type=post.get("employment_type"),
            remote=post.get("location_type"),  # hybrid / in_office / remote
            board=self.board,  # the board token: a hint at the company, not its name
            departments=_names(post.get("departments")),
            offices=_names(post.get("offices")),
            requisition_id=post.get("requisition_id"),
            internal_job_id=post.get("internal_job_id"),
            updated_at=post.get("updated_at"),
        )
