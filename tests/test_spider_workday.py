"""Workday spider: real cxs captures (lists and details) and own paging/cap fixtures built from
them, answered on the POST body the way the API pages (offset and facets in the body)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import gold
from tests.support.gold import normalized
from tests.support.parse import Parsed, parse_routes
from tests.support.server import Route
from tests.support.spiders import Answer, crawl_routes, failure_count

FETCHED_AT = "2026-08-18T12:00:00+00:00"
# tenant: (site, list capture, {externalPath: detail capture})
BOARDS = {
    "nvidia": (
        "NVIDIAExternalCareerSite",
        "workday_cxs_jobs_nvidia_searchText-golang_jobFamily-filter_2026-07-05.json",
        {
            "/job/Israel-Yokneam/Senior-Software-Golang-Kubernetes-Engineer_JR2015916": (
                "workday_cxs_job_detail_nvidia_JR2015916_2026-07-05.json"
            ),
            "/job/US-NC-Durham/Senior-AI-Security-Researcher_JR2017578": (
                "workday_cxs_job_detail_nvidia_JR2017578_2026-08-18_desc-trimmed.json"
            ),
        },
    ),
    "trendmicro": (
        "External",
        "workday_cxs_jobs_trendmicro_limit5_2026-07-05.json",
        {
            "/job/Taipei/XMLNAME--Sr--Backend-Engineer_R0006260-1": (
                "workday_cxs_job_detail_trendmicro_R0006260-1_XMLNAME-slug_2026-07-05.json"
            )
        },
    ),
    "workday": (
        "Workday",
        "workday_cxs_jobs_workday_2026-07-26_4postings.json",
        {
            "/job/USAVAReston/Sr-Site-Reliability-Engineer--US-Federal-_JR-0105486": (
                "workday_cxs_job_detail_workday_JR-0105486_2026-07-26_desc-trimmed.json"
            )
        },
    ),
}
YOKNEAM = "/job/Israel-Yokneam/Senior-Software-Golang-Kubernetes-Engineer_JR2015916"
DURHAM = "/job/US-NC-Durham/Senior-AI-Security-Researcher_JR2017578"
TAIPEI = "/job/Taipei/XMLNAME--Sr--Backend-Engineer_R0006260-1"
RESTON = "/job/USAVAReston/Sr-Site-Reliability-Engineer--US-Federal-_JR-0105486"

Handler = Callable[[bytes], Route]


def page(postings: list[dict[str, Any]], total: int, facets: Any = None) -> Route:
    body: dict[str, Any] = {"total": total, "jobPostings": postings, "userAuthenticated": False}
    if facets is not None:
        body["facets"] = facets
    return Route(json.dumps(body).encode())


def listing_of(detail: dict[str, Any], path: str) -> dict[str, Any]:
    """The list entry of a job of which only the detail was captured."""
    info = detail["jobPostingInfo"]
    return {
        "title": info["title"],
        "externalPath": path,
        "locationsText": info["location"],
        "postedOn": info["postedOn"],
        "bulletFields": [info["jobReqId"]],
    }


def board_routes(real: Path, tenant: str) -> dict[str, Answer]:
    site, capture, details = BOARDS[tenant]
    listed = json.loads((real / capture).read_text())
    known = {p["externalPath"] for p in listed["jobPostings"]}
    for path, detail in details.items():  # a detail whose job is not in the captured list
        if path not in known:
            listed["jobPostings"].append(listing_of(json.loads((real / detail).read_text()), path))
    routes: dict[str, Answer] = {f"/wday/cxs/{tenant}/{site}/jobs": json.dumps(listed).encode()}
    for path, detail in details.items():
        routes[f"/wday/cxs/{tenant}/{site}{path}"] = real / detail
    return routes


def crawl(routes: dict[str, Answer], tenant: str, site: str, **args: str) -> Parsed:
    return parse_routes(
        "workday",
        routes,
        args={"tenant": tenant, "shard": "wd5", "site": site, **args},
        settings={"JOBSIFT_FETCHED_AT": FETCHED_AT},
    )


@pytest.fixture(scope="module")
def real(real_fixtures: Path) -> Path:
    return real_fixtures / "workday"


@pytest.fixture(scope="module")
def boards(real: Path) -> dict[str, Parsed]:
    return {t: crawl(board_routes(real, t), t, BOARDS[t][0]) for t in BOARDS}


def posting(boards: dict[str, Parsed], path: str) -> dict[str, Any]:
    return next(i for b in boards.values() for i in b.items if i.get("source_id") == path)


# path: (raw location, normalized fields)
NAMED = {
    YOKNEAM: (
        "Israel, Yokneam | Israel, Raanana | Israel, Tel Aviv",
        {
            "title": "Senior Software Golang Kubernetes Engineer",
            "company": "IL00 Mellanox Technologies, Ltd.",  # the legal entity, as given
            "countries": ["IL"],
            "work_setting": None,
            "salary": None,
            "posted_at": datetime.fromisoformat("2026-04-24T00:00:00+00:00"),
        },
    ),
    DURHAM: (
        "US, NC, Durham | US, NC, Remote | US, TX, Remote | US, VA, Remote | US, WA, Remote"
        " | US, CA, Remote",
        {
            "title": "Senior AI Security Researcher",
            "countries": ["US"],
            "posted_at": datetime.fromisoformat("2026-08-18T00:00:00+00:00"),
        },
    ),
    TAIPEI: (
        "Taipei",
        {
            "title": "(Sr.) Backend Engineer",
            "company": "TWT Trend Micro Incorporated",
            "countries": ["TW"],
            "salary": None,
            "posted_at": datetime.fromisoformat("2024-05-29T00:00:00+00:00"),
        },
    ),
    RESTON: (
        "USA.VA.Reston",
        {
            "title": "Sr. Site Reliability Engineer",
            "company": "Workday Government, LLC",
            "countries": ["US"],
            "work_setting": "onsite",  # remoteType "Onsite"
            # The primary location's band from the description prose.
            "salary": {"min": 151500.0, "max": 227300.0, "currency": "USD", "period": "year"},
            "posted_at": datetime.fromisoformat("2026-07-25T00:00:00+00:00"),
        },
    ),
}
NAMED_CASES = [
    pytest.param(path, name, id=f"{path.rsplit('_', 1)[1]}-{name}")
    for path, (_, fields) in NAMED.items()
    for name in fields
]


@pytest.mark.parametrize(("path", "name"), NAMED_CASES)
def test_named_postings_normalize(boards: dict[str, Parsed], path: str, name: str) -> None:
    assert gold.field(normalized(posting(boards, path)), name) == NAMED[path][1][name]


@pytest.mark.parametrize("path", NAMED)
def test_named_postings_raw_fields(boards: dict[str, Parsed], path: str) -> None:
    item = posting(boards, path)
    assert item["location"] == NAMED[path][0]
    assert item["description"].startswith("<")
    assert item["url"].endswith(path)
    assert item["employment_type"] in ("Full time", "Full Time")  # casing as given


@pytest.mark.parametrize("tenant", BOARDS)
def test_every_listed_job_comes_through(boards: dict[str, Parsed], real: Path, tenant: str) -> None:
    site, _, details = BOARDS[tenant]
    board = boards[tenant]
    listed = json.loads(board_routes(real, tenant)[f"/wday/cxs/{tenant}/{site}/jobs"])  # type: ignore[arg-type]
    paths = [p["externalPath"] for p in listed["jobPostings"]]
    assert board.rejects == []
    assert sorted(i["source_id"] for i in board.items) == sorted(paths)
    # Each job without a captured detail is kept as listed, its 404 a failure of the run.
    assert board.failure_count == len(paths) - len(details)


def test_requisition_id_comes_from_bullet_fields(boards: dict[str, Parsed]) -> None:
    """A re-posted requisition has `-1` on its path; the requisition id has none."""
    item = posting(boards, TAIPEI)
    assert item["requisition_id"] == "R0006260"
    assert item["source_id"].endswith("_R0006260-1")


def test_xmlname_slug_keeps_the_real_title(boards: dict[str, Parsed]) -> None:
    item = posting(boards, TAIPEI)
    assert "XMLNAME--Sr--Backend-Engineer" in item["url"]
    assert item["title"] == "(Sr.) Backend Engineer"


def test_start_date_is_posted_and_the_prose_is_kept(boards: dict[str, Parsed]) -> None:
    item = posting(boards, RESTON)
    assert (item["posted"], item["posted_on"]) == ("2026-07-25", "Posted Yesterday")
    assert item["country_code"] == "US"
    assert item["remote"] == "Onsite"


def test_listed_job_without_its_detail_keeps_the_list_fields(boards: dict[str, Parsed]) -> None:
    listed = boards["nvidia"].by_id(
        "/job/Israel-Tel-Aviv/Software-Golang-Kubernetes-Engineer_JR2020442"
    )
    assert listed["location"] is None  # "3 Locations" is a count, not a place
    assert listed["posted"] == "Posted 3 Days Ago"
    assert listed["requisition_id"] == "JR2020442"
    assert gold.field(normalized(listed), "posted_at") == datetime.fromisoformat(
        "2026-08-15T12:00:00+00:00"
    )
    single = boards["trendmicro"].by_id("/job/Taipei/Sr-Backend-Engineer--IIA-_R0009294")
    assert single["location"] == "Taipei"


def test_remote_type_from_the_list_without_details(real: Path) -> None:
    site, capture, _ = BOARDS["workday"]
    result = crawl({f"/wday/cxs/workday/{site}/jobs": real / capture}, "workday", site, details="0")
    assert result.requests == ["/wday/cxs/workday/Workday/jobs"]
    assert [i["remote"] for i in result.items] == ["Onsite", "Onsite", "Onsite", "Flex"]
    settings = [gold.field(normalized(i), "work_setting") for i in result.items]
    assert settings == ["onsite", "onsite", "onsite", "hybrid"]  # Flex: sources.toml convention
    assert result.failure_count == 0


# --- paging: offsets in the POST body, `total` wrong after page 1 ---


def recording(handler: Handler, sent: list[dict[str, Any]]) -> Handler:
    def answer(body: bytes) -> Route:
        sent.append(json.loads(body))
        return handler(body)

    return answer


@pytest.fixture(scope="module")
def analog_pages(real: Path) -> list[list[dict[str, Any]]]:
    first = json.loads(
        (real / "workday_cxs_jobs_analogdevices_offset0_2026-08-18.json").read_text()
    )
    deep = json.loads(
        (real / "workday_cxs_jobs_analogdevices_deep-offset_total0_2026-08-18.json").read_text()
    )
    # Own third page: the last five of page 2 again (deep offsets re-serve a tail), two new.
    tail = deep["jobPostings"][-5:] + [
        {**deep["jobPostings"][0], "externalPath": f"/job/Own/Own-Job_R90000{n}", "title": "Own"}
        for n in range(2)
    ]
    return [first["jobPostings"], deep["jobPostings"], tail]


def analog_handler(pages: list[list[dict[str, Any]]]) -> Handler:
    def answer(body: bytes) -> Route:
        offset = json.loads(body)["offset"]
        postings = pages[offset // 20] if offset // 20 < len(pages) else []
        return page(postings, 1025 if offset == 0 else 0)  # as the real pages say

    return answer


def test_paging_continues_past_a_zero_total_and_stops_on_a_short_page(
    analog_pages: list[list[dict[str, Any]]],
) -> None:
    sent: list[dict[str, Any]] = []
    routes = {
        "/wday/cxs/analogdevices/External/jobs": recording(analog_handler(analog_pages), sent)
    }
    result = crawl(routes, "analogdevices", "External", details="false")
    assert [b["offset"] for b in sent] == [0, 20, 40]
    assert {b["limit"] for b in sent} == {20}
    assert len(result.items) == 20 + 20 + 2  # the re-served tail is not posted twice
    assert len({i["source_id"] for i in result.items}) == 42
    assert result.failure_count == 0


def test_a_page_with_nothing_new_ends_paging(real: Path) -> None:
    """A server that ignores the offset answers the same full page: two requests, 20 postings."""
    site, capture, _ = BOARDS["nvidia"]
    sent: list[dict[str, Any]] = []
    body = (real / capture).read_bytes()
    routes = {f"/wday/cxs/nvidia/{site}/jobs": recording(lambda _: Route(body), sent)}
    result = crawl(routes, "nvidia", site, details="false", search="golang")
    assert [b["offset"] for b in sent] == [0, 20]
    assert sent[0]["searchText"] == "golang"
    assert len(result.items) == 20


def test_paging_through_a_real_crawl(
    analog_pages: list[list[dict[str, Any]]], tmp_path: Path
) -> None:
    """The POST list through real Scrapy and HTTP: bodies, JSON headers, and where it stops."""
    routes: dict[str, Answer] = {
        "/wday/cxs/analogdevices/External/jobs": analog_handler(analog_pages)
    }
    result = crawl_routes(
        "workday",
        tmp_path,
        routes,
        args={"tenant": "analogdevices", "shard": "wd1", "site": "External", "details": "no"},
    )
    assert result.returncode == 0, result.log[-2000:]
    assert result.requests == ["/wday/cxs/analogdevices/External/jobs"] * 3
    assert len(result.items) == 42
    assert failure_count(result.log) == 0
