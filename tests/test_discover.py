"""`jobsift discover`: the ATS and board token of careers pages, job pages and apply links."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from jobsift.crawlers.boards import find_board
from jobsift.pipelines.discovery.pages import boards_in_page
from jobsift.pipelines.discovery.urls import board_of_url
from jobsift.pipelines.storage.boards import Boards
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from tests.support.crawl import jobsift, scrapy_crawl
from tests.support.server import FixtureServer

# URL shapes seen in real postings (the maintainers' captures and the ATSs' public pages):
# (url, ats, token). Tokens keep their case where the ATS is case-sensitive.
URL_SHAPES = [
    (
        "https://boards.greenhouse.io/point72/jobs/7829230002?gh_jid=7829230002",
        "greenhouse",
        "point72",
    ),
    ("https://job-boards.greenhouse.io/anthropic/jobs/4461450008", "greenhouse", "anthropic"),
    ("https://job-boards.eu.greenhouse.io/impiricus/jobs/4001", "greenhouse", "impiricus"),
    ("https://boards.eu.greenhouse.io/acme", "greenhouse", "acme"),
    ("https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true", "greenhouse", "gitlab"),
    (
        "https://boards.greenhouse.io/embed/job_board?for=gongio&b=https://www.gong.io/careers",
        "greenhouse",
        "gongio",
    ),
    (
        "https://boards.greenhouse.io/embed/job_app?for=point72&token=7829230002",
        "greenhouse",
        "point72",
    ),
    (
        "https://jobs.lever.co/wealthfront/f5a0963a-ca1a-4140-b9e6-dbf6072093fe",
        "lever",
        "wealthfront",
    ),
    (
        "https://jobs.lever.co/outreach/aa98974b-096f-403c-8d38-ba08961f0fd2/apply",
        "lever",
        "outreach",
    ),
    ("https://jobs.eu.lever.co/acme-gmbh/12ab", "lever", "acme-gmbh"),
    ("https://api.lever.co/v0/postings/matchgroup?mode=json", "lever", "matchgroup"),
    ("https://jobs.ashbyhq.com/Nango/bc377d10-7ffc-4714-b756-7c0b6995ac3f", "ashby", "Nango"),
    (
        "https://jobs.ashbyhq.com/Homebound/f0c902e5-acb0-4542-9723-0a50eab096b8/application",
        "ashby",
        "Homebound",
    ),
    (
        "https://api.ashbyhq.com/posting-api/job-board/Coder?includeCompensation=true",
        "ashby",
        "Coder",
    ),
    ("https://apply.workable.com/crewai/j/0AB5665160/", "workable", "crewai"),
    ("https://apply.workable.com/api/v1/widget/accounts/crewai?details=true", "workable", "crewai"),
    ("https://acme.workable.com/jobs/123", "workable", "acme"),
    (
        "https://jobs.smartrecruiters.com/HireVue/744000138728139-data-engineer",
        "smartrecruiters",
        "HireVue",
    ),
    ("https://careers.smartrecruiters.com/Visa", "smartrecruiters", "Visa"),
    (
        "https://api.smartrecruiters.com/v1/companies/HireVue/postings?limit=100",
        "smartrecruiters",
        "HireVue",
    ),
    ("https://acme.recruitee.com/o/senior-backend-engineer", "recruitee", "acme"),
    ("https://acme-gmbh.jobs.personio.de/job/1651020?language=en", "personio", "acme-gmbh"),
    ("https://acme.jobs.personio.com/xml", "personio", "acme"),
    (
        "https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite/job/US-CA-Santa-Clara/Engineer_JR2015916",
        "workday",
        "nvidia/wd5/NVIDIAExternalCareerSite",
    ),
    (
        "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite/job/Israel-Yokneam/Senior-Software_JR2015916",
        "workday",
        "nvidia/wd5/NVIDIAExternalCareerSite",
    ),
    (
        "https://trendmicro.wd3.myworkdayjobs.com/wday/cxs/trendmicro/External/jobs",
        "workday",
        "trendmicro/wd3/External",
    ),
    (
        "https://analogdevices.wd1.myworkdayjobs.com/External",
        "workday",
        "analogdevices/wd1/External",
    ),
    (
        "https://wd5.myworkdaysite.com/en-US/recruiting/workday/Workday/job/USAVAReston/Sr-SRE_JR-0105486",
        "workday",
        "workday/wd5/Workday",
    ),
    (
        "https://knaufsemea.teamtailor.com/jobs/6123456-maintenance-engineer",
        "teamtailor",
        "knaufsemea",
    ),
    ("https://carrtalent.na.teamtailor.com/jobs", "teamtailor", "carrtalent.na"),
    ("https://giatecscientific.bamboohr.com/careers/201", "bamboohr", "giatecscientific"),
    ("https://acme.bamboohr.com/jobs/view.php?id=12", "bamboohr", "acme"),
    (
        "https://ats.rippling.com/pythian/jobs/7a1f0b5e-2a3c-4d7e-9f00-1b2c3d4e5f60",
        "rippling",
        "pythian",
    ),
    ("https://api.rippling.com/platform/api/ats/v1/board/pythian/jobs", "rippling", "pythian"),
    (
        "https://aawdc.pinpointhq.com/en/postings/1b2c3d4e-0000-4000-8000-000000000000",
        "pinpoint",
        "aawdc",
    ),
    (
        "https://highlights-healthcare.breezy.hr/p/9b5dbab30b78-bilingual-board-certified",
        "breezy",
        "highlights-healthcare",
    ),
    ("https://jobs.gem.com/gem/4965519002", "gem", "gem"),
    ("https://api.gem.com/job_board/v0/gem/job_posts/", "gem", "gem"),
    ("https://www.ycombinator.com/companies/airbnb/jobs", "ycombinator", "airbnb"),
    ("https://www.workatastartup.com/companies/acme", "ycombinator", "acme"),
    ("https://app.dover.com/apply/acme/0b6a2c1e", "dover", "acme"),
    ("https://jobs.jobvite.com/acme/job/oiiRyfwJ", "jobvite", "acme"),
    ("HTTPS://Jobs.Lever.CO/wealthfront", "lever", "wealthfront"),
]

# URLs of an ATS that name no board, and pages of other kinds.
NOT_BOARDS = [
    "https://www.greenhouse.io/careers",
    "https://apply.workable.com/j/0AB5665160",
    "https://jobs.workable.com/view/qEpz2EVGN5H6PonWuAKcoB/remote-data-engineer",
    "https://www.lever.co/",
    "https://www.bamboohr.com/",
    "https://jobs.smartrecruiters.com/external-referral",
    "https://example.com/careers",
    "https://greenhouse.io.example.com/acme",
    "mailto:jobs@example.com",
    "not a url",
    "",
]


@pytest.mark.parametrize(("url", "ats", "token"), URL_SHAPES, ids=[u for u, _, _ in URL_SHAPES])
def test_url_shapes_give_the_ats_and_its_token(url: str, ats: str, token: str) -> None:
    board = board_of_url(url)
    assert board is not None, url
    assert (board.ats, board.token) == (ats, token)


def test_the_table_covers_every_board_spider() -> None:
    from_table = {ats for _, ats, _ in URL_SHAPES}
    board_spiders = {"greenhouse", "lever", "ashby", "workable", "smartrecruiters", "recruitee"}
    assert board_spiders | {"personio"} <= from_table
    assert len(URL_SHAPES) >= 30


def test_every_board_shape_writes_the_arguments_its_spider_requires() -> None:
    loader = SpiderLoader.from_settings(get_project_settings())
    for url, _, _ in URL_SHAPES:
        board = board_of_url(url)
        assert board is not None
        if board.spider is None:
            continue
        required = set(getattr(loader.load(board.spider), "required_args", ()))
        assert required <= {name for name, _ in board.args}, url


@pytest.mark.parametrize("url", NOT_BOARDS)
def test_other_urls_are_no_board(url: str) -> None:
    assert board_of_url(url) is None


def test_a_workday_board_gives_the_spider_its_host_tenant_and_site() -> None:
    board = board_of_url("https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite")
    assert board is not None
    assert dict(board.args)["site"] == "NVIDIAExternalCareerSite"
    assert dict(board.args)["tenant"] == "nvidia"


CAREERS_PAGES = {
    "greenhouse-embed": (
        '<div id="grnhse_app"></div>'
        '<script src="https://boards.greenhouse.io/embed/job_board/js?for=acmeco"></script>',
        ("greenhouse", "acmeco"),
    ),
    "ashby-inline-script": (
        '<script>window.ashby={url:"https:\\/\\/jobs.ashbyhq.com\\/AcmeCo\\/embed?version=2"}</script>',
        ("ashby", "AcmeCo"),
    ),
    "bamboohr-embed": (
        '<div id="BambooHR" data-domain="acmeco.bamboohr.com" data-version="1.0.0"></div>'
        '<script src="https://acmeco.bamboohr.com/js/embed.js" async defer></script>',
        ("bamboohr", "acmeco"),
    ),
    "personio-iframe": (
        '<iframe src="https://acmeco.jobs.personio.de/?language=en" width="100%"></iframe>',
        ("personio", "acmeco"),
    ),
    "lever-links": (
        '<a href="https://jobs.lever.co/acmeco/1">Engineer</a>'
        '<a href="https://jobs.lever.co/acmeco/2">Designer</a>'
        '<a href="https://twitter.com/acmeco">Twitter</a>',
        ("lever", "acmeco"),
    ),
    "workable-relative-and-absolute": (
        '<a href="/about">About</a><a href="https://apply.workable.com/acmeco/">Open roles</a>',
        ("workable", "acmeco"),
    ),
}


@pytest.mark.parametrize("name", CAREERS_PAGES)
def test_careers_pages_give_the_board_they_embed(name: str) -> None:
    html, expected = CAREERS_PAGES[name]
    boards = boards_in_page(f"<html><body>{html}</body></html>", "https://acmeco.com/careers")
    assert boards and (boards[0].ats, boards[0].token) == expected


def test_the_board_linked_most_wins() -> None:
    html = '<a href="https://jobs.lever.co/partner/1">a partner</a>' + "".join(
        f'<a href="https://jobs.ashbyhq.com/Acme/{i}">job</a>' for i in range(3)
    )
    assert boards_in_page(html, "https://acme.com/")[0].token == "Acme"


def _careers_site(server: FixtureServer) -> None:
    html, _ = CAREERS_PAGES["greenhouse-embed"]
    server.add("/careers", f"<html><body>{html}</body></html>", content_type="text/html")
    server.add(
        "/careers/job",
        '<a href="https://jobs.lever.co/acmeco/9">Apply</a>',
        content_type="text/html",
    )
    server.add("/about", "<html><body>We make tools.</body></html>", content_type="text/html")


def test_find_board_fetches_a_page_when_the_url_names_no_board() -> None:
    with FixtureServer() as server:
        _careers_site(server)
        found = find_board(f"{server.url}/careers?gh_jid=42")
        none = find_board(f"{server.url}/about")
        missing = find_board(f"{server.url}/gone")
    assert found.board is not None and found.board.token == "acmeco" and found.how == "page"
    assert none.board is None and none.how.startswith("unknown")
    assert missing.board is None and "HTTP 404" in missing.how


def test_discover_prints_a_source_entry_and_adds_it_once(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('# my sources\n[sources.remoteok]\nspider = "remoteok"\n')
    with FixtureServer() as server:
        _careers_site(server)
        shown = jobsift(
            "discover", f"{server.url}/careers", "--sources", str(sources), cwd=tmp_path
        )
        added = jobsift(
            "discover",
            f"{server.url}/careers/job",
            "https://boards.greenhouse.io/acmeco",
            "--add",
            "--sources",
            str(sources),
            cwd=tmp_path,
        )
        again = jobsift(
            "discover",
            "https://jobs.lever.co/acmeco",
            "--add",
            "--sources",
            str(sources),
            cwd=tmp_path,
        )
    assert shown.returncode == 0, shown.stderr
    assert (
        '[sources.greenhouse-acmeco]\nspider = "greenhouse"\nargs = { board = "acmeco" }'
        in shown.stdout
    )
    assert added.returncode == 0, added.stderr
    config = tomllib.loads(sources.read_text())
    assert config["sources"]["lever-acmeco"] == {"spider": "lever", "args": {"company": "acmeco"}}
    assert config["sources"]["greenhouse-acmeco"]["args"] == {"board": "acmeco"}
    assert sources.read_text().startswith("# my sources\n")
    assert again.returncode == 0
    assert "already configured as [sources.lever-acmeco]" in again.stdout
    assert sources.read_text().count("[sources.lever-acmeco]") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["http://127.0.0.1:9/careers"], "could not fetch the page"),
        (["not a url"], "unknown"),
        (["https://app.dover.com/apply/acme/1"], "jobsift has no spider for it"),
    ],
    ids=["unreachable", "not-a-url", "ats-without-spider"],
)
def test_pages_of_another_kind_say_so_in_one_line(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    result = jobsift("discover", *argv, "--timeout", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


APPLY_LINKS = [
    {"legal": "terms"},
    {
        "id": "1",
        "position": "Backend Engineer",
        "company": "Acme",
        "description": "Build APIs.",
        "url": "https://remoteok.com/remote-jobs/1",
        "apply_url": "https://jobs.lever.co/acmeco/1/apply",
    },
    {
        "id": "2",
        "position": "Frontend Engineer",
        "company": "Acme",
        "description": "Build UIs.",
        "url": "https://remoteok.com/remote-jobs/2",
        "apply_url": "https://jobs.lever.co/acmeco/2/apply",
    },
    {
        "id": "3",
        "position": "Data Engineer",
        "company": "Beta",
        "description": "Build pipelines.",
        "url": "https://remoteok.com/remote-jobs/3",
        "apply_url": "https://boards.greenhouse.io/beta/jobs/3",
    },
    {
        "id": "4",
        "position": "Designer",
        "company": "Gamma",
        "description": "Design.",
        "url": "https://remoteok.com/remote-jobs/4",
        "apply_url": "https://gamma.example.com/apply",
    },
]


def test_a_crawl_records_the_boards_its_apply_links_point_at(tmp_path: Path) -> None:
    db = tmp_path / "jobs.duckdb"
    with FixtureServer() as server:
        server.add("/api", json.dumps(APPLY_LINKS))
        outcome = scrapy_crawl(
            "remoteok",
            tmp_path,
            pipelines=True,
            settings={"JOBSIFT_REMOTEOK_URL": server.url, "JOBSIFT_DB": str(db)},
        )
    assert outcome.returncode == 0, outcome.log[-2000:]
    seen = {b.board: b for b in Boards(db).seen()}
    assert set(seen) == {"lever:acmeco", "greenhouse:beta"}
    assert seen["lever:acmeco"].postings == 2
    assert seen["lever:acmeco"].posting_ids == ["remoteok:1", "remoteok:2"]
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[sources.greenhouse-beta]\nspider = "greenhouse"\nargs = { board = "beta" }\n'
    )
    listed = jobsift(
        "discover",
        "--from-crawls",
        "--db",
        str(db),
        "--sources",
        str(sources),
        "--add",
        cwd=tmp_path,
    )
    assert listed.returncode == 0, listed.stderr
    assert "not configured" in listed.stdout and "greenhouse-beta" in listed.stdout
    assert tomllib.loads(sources.read_text())["sources"]["lever-acmeco"]["args"] == {
        "company": "acmeco"
    }
