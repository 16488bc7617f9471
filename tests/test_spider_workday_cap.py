"""Workday spider: a listing at the 2,000 cap, read facet value by facet value (facets of the
real NVIDIA page 1), the arguments that choose the listing and the tenant's host."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jobsift.crawlers.spiders.workday import split_facet

from tests.support.parse import Parsed, parse_routes
from tests.support.server import BodyHandler, Route
from tests.support.spiders import Answer


def page(postings: list[dict[str, Any]], total: int, facets: Any) -> Route:
    body = {"total": total, "jobPostings": postings, "facets": facets, "userAuthenticated": False}
    return Route(json.dumps(body).encode())


def recording(handler: BodyHandler, sent: list[dict[str, Any]]) -> BodyHandler:
    def answer(body: bytes) -> Route:
        sent.append(json.loads(body))
        return handler(body)

    return answer


def crawl(routes: dict[str, Answer], tenant: str, site: str, **args: str) -> Parsed:
    return parse_routes("workday", routes, {"tenant": tenant, "shard": "wd5", "site": site, **args})


# --- the 2,000 cap, narrowed by facets read from page 1 ---


@pytest.fixture(scope="module")
def capped(real_fixtures: Path) -> dict[str, Any]:
    return json.loads(
        (
            real_fixtures / "workday" / "workday_cxs_jobs_nvidia_limit1_facets_2026-07-05.json"
        ).read_text()
    )


def test_a_capped_listing_is_read_one_facet_value_at_a_time(capped: dict[str, Any]) -> None:
    families = next(f for f in capped["facets"] if f["facetParameter"] == "jobFamilyGroup")
    ids = [v["id"] for v in families["values"]]
    sent: list[dict[str, Any]] = []

    def answer(body: bytes) -> Route:
        applied = json.loads(body)["appliedFacets"]
        if not applied:
            return page(capped["jobPostings"], 2000, capped["facets"])
        family = applied["jobFamilyGroup"][0]
        job = {**capped["jobPostings"][0], "externalPath": f"/job/Slice/Job_{family}"}
        return page([job, capped["jobPostings"][0]], 2, capped["facets"])

    site = "NVIDIAExternalCareerSite"
    result = crawl(
        {f"/wday/cxs/nvidia/{site}/jobs": recording(answer, sent)}, "nvidia", site, details="no"
    )
    # Of the facets whose every value is under the cap, the one with the fewest values.
    assert [b["appliedFacets"] for b in sent[1:]] == [{"jobFamilyGroup": [i]} for i in ids]
    assert len(result.items) == 1 + len(ids)  # the job on page 1 and in each slice once
    assert result.failure_count == 0


def test_applied_facets_are_kept_in_every_slice(capped: dict[str, Any]) -> None:
    sent: list[dict[str, Any]] = []
    answer = recording(lambda _: page(capped["jobPostings"], 2000, capped["facets"][:1]), sent)
    site = "NVIDIAExternalCareerSite"
    facets = json.dumps({"timeType": ["5509c0b5959810ac0029943377d47364"]})
    crawl({f"/wday/cxs/nvidia/{site}/jobs": answer}, "nvidia", site, details="no", facets=facets)
    assert all(b["appliedFacets"]["timeType"] == ["5509c0b5959810ac0029943377d47364"] for b in sent)
    assert len(sent) == 1 + 14  # the listing, then its 14 job families


def test_a_cap_without_facets_to_split_is_a_failure(capped: dict[str, Any]) -> None:
    site = "NVIDIAExternalCareerSite"
    answer = lambda _: page(capped["jobPostings"], 2000, [])  # noqa: E731
    result = crawl({f"/wday/cxs/nvidia/{site}/jobs": answer}, "nvidia", site, details="no")
    assert len(result.items) == 1
    assert result.failure_count == 1
    assert "cap of 2000 postings" in result.failures[0]


def test_nested_location_facets_can_be_chosen(capped: dict[str, Any]) -> None:
    chosen = split_facet(capped["facets"], {"jobFamilyGroup": ["x"]})
    # Countries, nested in `locationMainGroup`: Office/Remote has a value over the cap.
    assert chosen is not None and chosen["parameter"] == "locationHierarchy1"
    assert [v["descriptor"] for v in chosen["values"][:2]] == ["Armenia", "Australia"]


@pytest.mark.parametrize(
    ("facets", "message"),
    [("not json", "must be a JSON object"), ('{"a": "b"}', 'must look like {"parameter"')],
)
def test_bad_facets_argument_is_a_clear_error(facets: str, message: str) -> None:
    result = crawl({}, "nvidia", "X", facets=facets)
    assert result.returncode == 1
    assert message in result.error
    assert result.all_requests == []


def test_the_host_may_be_given_instead_of_the_shard(capped: dict[str, Any]) -> None:
    """`jobsift discover` writes `host`, `tenant` and `site`."""
    site = "NVIDIAExternalCareerSite"
    answer = lambda _: page(capped["jobPostings"], 1, [])  # noqa: E731
    args = {"tenant": "nvidia", "site": site, "host": "nvidia.wd5.myworkdayjobs.com"}
    result: Parsed = parse_routes(
        "workday",
        {f"/wday/cxs/nvidia/{site}/jobs": answer},
        {**args, "details": "no"},
        settings={"JOBSIFT_WORKDAY_URL": ""},
    )
    assert result.spider is not None and result.spider.allowed_domains == [args["host"]]
    (item,) = result.items
    assert item["url"] == "https://nvidia.wd5.myworkdayjobs.com/" + site + item["source_id"]


def test_without_shard_or_host_is_a_clear_error() -> None:
    result = parse_routes("workday", {}, {"tenant": "nvidia", "site": "External"})
    assert result.returncode == 1
    assert "needs -a shard=... (wd1, wd5...) or -a host=..." in result.error
    assert result.all_requests == []
