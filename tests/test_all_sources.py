"""`jobsift crawl` of every source against one local server standing in for all their hosts."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import PROJECT_FIXTURES
from tests.support.crawl import jobsift
from tests.support.server import FixtureServer


def _json(path: Path) -> Any:
    return json.loads(path.read_text())


def _captures(real: Path, shared: Path) -> dict[str, dict[str, Any]]:
    """Per source: the capture served at the source's own path, its arguments, its posting count."""
    greenhouse = real / "greenhouse" / "greenhouse_jobs_content_point72_2026-06_trimmed.json"
    lever = real / "lever" / "lever_postings_wealthfront_mode-json_2026-06.json"
    ashby = real / "ashby" / "ashby_job-board_Coder_includeCompensation.json"
    workable = real / "workable" / "workable_widget_accounts_crewai_details_2026-07.json"
    sr_list = real / "smartrecruiters" / "smartrecruiters_postings_HireVue_2026-07.json"
    sr_detail = (
        real
        / "smartrecruiters"
        / "smartrecruiters_posting_detail_HireVue_744000138728139_2026-07.json"
    )
    recruitee = real / "recruitee" / "recruitee_api_offers_2026-08_sanitized.json"
    personio = real / "personio" / "personio_xml_positions_wp-plugin-testdata.xml"
    remoteok = real / "remoteok" / "remoteok_api_2024-12-04_trimmed.json"
    remotive = real / "remotive" / "remotive_api_remote-jobs_2026-08_trimmed.json"
    himalayas = real / "himalayas" / "himalayas_jobs_api_limit5_2026-07-10.json"
    jobicy = real / "jobicy" / "jobicy_v2_count20_tag-python_2024-12-08.json"
    wwr = real / "weworkremotely" / "wwr_remote-jobs_rss_2026-07-10.xml"
    arbeitnow = real / "arbeitnow" / "arbeitnow_job-board-api_2026-02_trimmed.json"
    nomads = real / "workingnomads" / "workingnomads_exposed_jobs_2026-07-10.json"
    hn = real / "hackernews" / "hn_algolia_whoishiring_2026-07_reduced.json"
    wttj = real / "jsonld" / "wttj_jobposting_socianova_php-symfony_2025-09.html"
    sr_id = _json(sr_detail)["id"]
    # Only one SmartRecruiters detail was captured; the others are served as their list entries.
    sr_routes: dict[str, Path | str] = {
        f"/v1/companies/HireVue/postings/{entry['id']}": json.dumps(entry)
        for entry in _json(sr_list)["content"]
    }
    sr_routes |= {
        "/v1/companies/HireVue/postings": sr_list,
        f"/v1/companies/HireVue/postings/{sr_id}": sr_detail,
    }
    hn_story = str(_json(hn)["hits"][0]["story_id"])
    return {
        "greenhouse": {
            "routes": {"/v1/boards/point72/jobs": greenhouse},
            "args": {"board": "point72"},
            "count": len(_json(greenhouse)["jobs"]),
        },
        "lever": {
            "routes": {"/v0/postings/wealthfront": lever},
            "args": {"company": "wealthfront"},
            "count": len(_json(lever)),
        },
        "ashby": {
            "routes": {"/posting-api/job-board/Coder": ashby},
            "args": {"board": "Coder"},
            "count": len(_json(ashby)["jobs"]),
        },
        "workable": {
            "routes": {"/api/v1/widget/accounts/crewai": workable},
            "args": {"account": "crewai"},
            "count": len(_json(workable)["jobs"]),
        },
        "smartrecruiters": {
            "routes": sr_routes,
            "args": {"company": "HireVue"},
            "count": len(_json(sr_list)["content"]),
        },
        "recruitee": {
            "routes": {"/api/offers/": recruitee},
            "args": {"company": "acme"},
            "count": len(_json(recruitee)["offers"]),
        },
        "personio": {
            "routes": {"/xml": personio},
            "args": {"company": "acme"},
            "count": len(ET.parse(personio).getroot().findall("position")),
        },
        "remoteok": {"routes": {"/api": remoteok}, "args": {}, "count": len(_json(remoteok)) - 1},
        "remotive": {
            "routes": {"/api/remote-jobs": remotive},
            "args": {},
            "count": len(_json(remotive)["jobs"]),
        },
        "himalayas": {
            "routes": {"/jobs/api": himalayas},
            "args": {},
            "count": len(_json(himalayas)["jobs"]),
        },
        "jobicy": {
            "routes": {"/api/v2/remote-jobs": jobicy},
            "args": {},
            "count": len(_json(jobicy)["jobs"]),
        },
        "weworkremotely": {
            "routes": {"/remote-jobs.rss": wwr},
            "args": {},
            "count": len(ET.parse(wwr).getroot().findall("channel/item")),
        },
        "arbeitnow": {
            "routes": {"/api/job-board-api": arbeitnow},
            "args": {},
            "count": len(_json(arbeitnow)["data"]),
        },
        "workingnomads": {
            "routes": {"/api/exposed_jobs/": nomads},
            "args": {},
            "count": len(_json(nomads)),
        },
        # 7 hits: 5 top-level postings, one reply and one comment without a posting header.
        "hackernews": {
            "routes": {"/api/v1/search_by_date": hn},
            "args": {"story": hn_story},
            "count": 5,
        },
        "jobposting": {
            "routes": {"/jobs/socianova-php-symfony": wttj},
            "args": {"urls": "{base}/jobs/socianova-php-symfony"},
            "count": 1,
        },
        "withmira": {"routes": {}, "args": {"start_url": "{base}/remote-jobs/"}, "count": 2},
    }


def _serve(server: FixtureServer, routes: dict[str, Path | str]) -> None:
    for path, body in routes.items():
        suffix = body.suffix if isinstance(body, Path) else ".json"
        kind = {".html": "text/html", ".xml": "application/xml"}.get(suffix, "application/json")
        server.add(path, body, content_type=kind)


def _write_sources(path: Path, base: str, captures: dict[str, dict[str, Any]]) -> None:
    lines = [
        "[settings]",
        "AUTOTHROTTLE_ENABLED = false",
        "DOWNLOAD_DELAY = 0",
        "JOBSIFT_MIN_INTERVAL = 0",
        "JOBSIFT_PROGRESS_INTERVAL = 0",
        "RETRY_TIMES = 1",
        "JOBSIFT_RETRY_AFTER_MAX = 1",
    ]
    lines += [f'JOBSIFT_{name.upper()}_URL = "{base}"' for name in captures]
    for name, capture in captures.items():
        args = ", ".join(f'{k} = "{v.format(base=base)}"' for k, v in capture["args"].items())
        lines += [f"[sources.{name}]", f'spider = "{name}"', f"args = {{ {args} }}"]
    path.write_text("\n".join(lines) + "\n")


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def captures(real_fixtures: Path, shared: Path) -> dict[str, dict[str, Any]]:
    return _captures(real_fixtures, shared)


def test_every_source_loads_its_capture(
    captures: dict[str, dict[str, Any]], shared: Path, tmp_path: Path
) -> None:
    db = tmp_path / "all.duckdb"
    with FixtureServer(root=shared / "fixtures" / "withmira") as server:
        for capture in captures.values():
            _serve(server, capture["routes"])
        _write_sources(tmp_path / "sources.toml", server.url, captures)
        result = jobsift(
            "crawl", "--db", str(db), "--sources", str(tmp_path / "sources.toml"), cwd=tmp_path
        )
    assert result.returncode == 0, result.stdout + result.stderr
    runs = _query(db, "SELECT source, status, rejected, failures FROM crawl_runs ORDER BY source")
    assert runs == [(name, "finished", 0, 0) for name in sorted(captures)]
    counts = dict(_query(db, "SELECT source, count(*) FROM postings GROUP BY 1"))
    assert counts == {name: c["count"] for name, c in captures.items()}
    assert _query(db, "SELECT count(*) FROM rejects") == [(0,)]
    for name in captures:
        assert re.search(rf"^{name}: finished, \d+ postings", result.stdout, re.M), name


BROKEN: dict[str, dict[str, Any]] = {
    "greenhouse": {
        "status": 404,
        "body": "<html><body>Not found</body></html>",
        "content_type": "text/html",
        "error": "HTTP 404",
    },
    "lever": {
        "status": 500,
        "body": "Internal Server Error",
        "content_type": "text/plain",
        "error": "HTTP 500",
    },
    "ashby": {"status": 429, "body": "{}", "headers": {"Retry-After": "1"}, "error": "HTTP 429"},
    "remoteok": {
        "status": 200,
        "body": '[{"legal": "x"}, {"id": "1", "position": "Dev',
        "error": "JSON",
        "rejects": 1,
    },
    "workingnomads": {
        "status": 200,
        "body": "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>",
        "content_type": "text/html",
        "error": "JSON",
        "rejects": 1,
    },
}


def test_failures_stay_with_their_source(
    captures: dict[str, dict[str, Any]], shared: Path, tmp_path: Path
) -> None:
    db = tmp_path / "failing.duckdb"
    chosen = {n: captures[n] for n in [*BROKEN, "workable", "arbeitnow", "withmira"]}
    with FixtureServer(root=shared / "fixtures" / "withmira") as server:
        for name, capture in chosen.items():
            if name in BROKEN:
                broken = BROKEN[name]
                for path in capture["routes"]:
                    server.add(
                        path,
                        broken["body"],
                        status=broken["status"],
                        content_type=broken.get("content_type", "application/json"),
                        headers=broken.get("headers"),
                    )
            else:
                _serve(server, capture["routes"])
        _write_sources(tmp_path / "sources.toml", server.url, chosen)
        result = jobsift(
            "crawl", "--db", str(db), "--sources", str(tmp_path / "sources.toml"), cwd=tmp_path
        )
    assert result.returncode == 1, result.stdout + result.stderr
    runs = {
        r[0]: r[1:]
        for r in _query(db, "SELECT source, status, rejected, failures, error FROM crawl_runs")
    }
    for name, broken in BROKEN.items():
        status, rejected, failures, error = runs[name]
        assert status == "failed", name
        assert failures >= 1 and broken["error"] in error, (name, error)
        assert rejected == broken.get("rejects", 0), name
    for name in ("workable", "arbeitnow", "withmira"):
        assert runs[name][:3] == ("finished", 0, 0), name
    counts = dict(_query(db, "SELECT source, count(*) FROM postings GROUP BY 1"))
    assert counts == {n: chosen[n]["count"] for n in ("workable", "arbeitnow", "withmira")}
    raw = _query(db, "SELECT raw FROM rejects WHERE source = 'workingnomads'")
    assert "502 Bad Gateway" in json.loads(raw[0][0])["body"]
    assert re.search(r"^lever: failed, 0 postings .* \| HTTP 500", result.stdout, re.M)


def test_own_fixture_folder_exists() -> None:
    assert (PROJECT_FIXTURES / "withmira" / "our-jobs" / "index.html").is_file()
