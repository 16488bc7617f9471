"""Hostile servers on 127.0.0.1 against the real `jobsift crawl`: every way a source can go wrong
ends as a failure of that source with its reason, bounded in time and memory."""

from __future__ import annotations

import json
import os
import subprocess
import zlib
from pathlib import Path

import duckdb
import pytest
from jobsift.crawlers.base import json_text, template_host

from tests.conftest import PROJECT_FIXTURES
from tests.support.crawl import _env
from tests.support.hostile import HostileServer
from tests.support.runs import SourceSpec, crawl_command, last_run, run_crawl, write_sources
from tests.support.server import FixtureServer
from tests.support.spiders import crawl_routes, crawl_source, stat

NOMADS_PATH = "/api/exposed_jobs/"
JOB = {
    "url": "https://www.workingnomads.com/jobs/ingenieur-acme-1",
    "title": "Ingénieur logiciel",
    "company_name": "Société Générale",
    "description": "<p>Équipe à Zürich. Gehalt: 90.000 €.</p>",
    "pub_date": "2026-11-01T00:00:00",
}


def nomads(url: str, **settings: object) -> dict[str, SourceSpec]:
    return {
        "src": SourceSpec("workingnomads", settings={"JOBSIFT_WORKINGNOMADS_URL": url, **settings})
    }


def redirect(to: str) -> dict[str, str]:
    return {"Location": to}


def test_a_redirect_loop_is_a_failure_with_its_chain(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.add(NOMADS_PATH, b"", status=302, headers=redirect("/elsewhere"))
        server.add("/elsewhere", b"", status=302, headers=redirect(NOMADS_PATH))
        result = run_crawl(tmp_path, nomads(server.url))
    assert result.returncode == 1, result.stdout + result.stderr
    run = last_run(tmp_path, "src")
    assert run["status"] == "failed"
    assert "redirect loop" in run["error"] and "/elsewhere" in run["error"]


def test_an_off_site_redirect_is_dropped_and_a_failure(tmp_path: Path) -> None:
    with FixtureServer() as server:
        elsewhere = server.url.replace("127.0.0.1", "localhost")  # another host, same machine
        server.add(NOMADS_PATH, b"", status=301, headers=redirect(elsewhere + NOMADS_PATH + "x"))
        server.add(NOMADS_PATH + "x", json.dumps([JOB]))
        result = run_crawl(tmp_path, nomads(server.url))
        requested = list(server.requests)
    assert result.returncode == 1, result.stdout + result.stderr
    run = last_run(tmp_path, "src")
    assert run["status"] == "failed"
    assert "off-site redirect dropped" in run["error"] and "localhost" in run["error"]
    assert NOMADS_PATH + "x" not in requested  # never fetched from the other host


def _gzip_of_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = bytes(1 << 20)
    return b"".join([*(packer.compress(chunk) for _ in range(size >> 20)), packer.flush()])


def test_a_gzip_bomb_is_refused_within_a_memory_bound(tmp_path: Path) -> None:
    bomb = _gzip_of_zeros(1 << 30)  # 1 GB inflated, about 1 MB on the wire
    with FixtureServer() as server:
        server.add(NOMADS_PATH, bomb, headers={"Content-Encoding": "gzip"})
        write_sources(tmp_path / "sources.toml", nomads(server.url, DOWNLOAD_MAXSIZE=4 << 20), {})
        crawl = subprocess.Popen(
            crawl_command(tmp_path), cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, text=True
        )
        _, status, usage = os.wait4(crawl.pid, 0)
        crawl.returncode = os.waitstatus_to_exitcode(status)
        out = crawl.stdout.read() if crawl.stdout else ""
    assert crawl.returncode == 1, out
    run = last_run(tmp_path, "src")
    assert run["status"] == "failed" and "DOWNLOAD_MAXSIZE" in run["error"]
    assert usage.ru_maxrss < 600 * 1024  # KB: far below the 1 GB the body inflates to


def test_a_source_that_does_not_resolve_fails_at_once_without_retries(tmp_path: Path) -> None:
    # `.invalid` never resolves (RFC 2606); remotive waits 30 s between requests to its host.
    sources = {
        "offline": SourceSpec(
            "remotive", settings={"JOBSIFT_REMOTIVE_URL": "http://jobsift.invalid"}
        )
    }
    result = run_crawl(tmp_path, sources, shared={"LOG_FILE": str(tmp_path / "crawl.log")})
    log = (tmp_path / "crawl.log").read_text()
    assert result.returncode == 1, result.stdout + result.stderr
    assert last_run(tmp_path, "offline")["status"] == "failed"
    assert stat(log, "jobsift/dns/failed") == 1  # robots.txt; the API request is not even tried
    assert stat(log, "jobsift/dns/skipped") == 1
    assert stat(log, "retry/count") == 0


def test_a_dripping_server_is_cut_off_by_the_source_deadline(tmp_path: Path) -> None:
    with HostileServer() as server:
        server.drip(NOMADS_PATH)
        result = run_crawl(
            tmp_path, nomads(server.url, DOWNLOAD_TIMEOUT=600, JOBSIFT_SOURCE_TIMEOUT=2)
        )
    assert result.returncode == 1, result.stdout + result.stderr
    run = last_run(tmp_path, "src")
    assert run["status"] == "failed" and "deadline" in run["error"]


def test_an_invalid_byte_in_a_json_body_costs_one_character(tmp_path: Path) -> None:
    body = json.dumps([JOB], ensure_ascii=False).encode().replace(b"logiciel", b"logi\xffciel")
    crawl = crawl_routes("workingnomads", tmp_path, {NOMADS_PATH: body})
    (item,) = crawl.items
    assert item["title"] == "Ingénieur logi\ufffdciel"
    assert item["company"] == "Société Générale"
    assert "Zürich" in item["description"] and "€" in item["description"]
    assert item["decode_replacements"] == 1
    assert stat(crawl.log, "jobsift/decode/replacements") == 1


def test_an_invalid_byte_is_a_failure_and_the_posting_is_kept(tmp_path: Path) -> None:
    body = json.dumps([JOB], ensure_ascii=False).encode().replace(b"logiciel", b"logi\xffciel")
    with FixtureServer() as server:
        server.add(NOMADS_PATH, body, content_type="application/json")  # no charset given
        result = run_crawl(tmp_path, nomads(server.url))
    assert result.returncode == 1, result.stdout + result.stderr
    run = last_run(tmp_path, "src")
    assert run["status"] == "failed" and "invalid UTF-8" in run["error"]
    assert run["scraped"] == 1
    with duckdb.connect(str(tmp_path / "jobsift.duckdb"), read_only=True) as con:
        title, company, raw = con.execute(
            "SELECT p.title, p.company, r.raw FROM postings p JOIN raw_postings r USING (id)"
        ).fetchone()
    assert (title, company) == ("Ingénieur logi\ufffdciel", "Société Générale")
    assert json.loads(raw)["decode_replacements"] == 1


@pytest.mark.parametrize(
    ("body", "text", "replaced"),
    [
        (b'{"a": "caf\xc3\xa9"}', '{"a": "café"}', 0),
        (b'\xef\xbb\xbf{"a": 1}', '{"a": 1}', 0),  # a BOM is dropped
        (b'{"a": "caf\xe9"}', '{"a": "caf\ufffd"}', 1),  # latin-1 byte: one replacement
        (b'{"a": "\xef\xbf\xbd"}', '{"a": "\ufffd"}', 0),  # a U+FFFD that was sent is not counted
    ],
    ids=["utf8", "bom", "latin1-byte", "sent-replacement-char"],
)
def test_json_text(body: bytes, text: str, replaced: int) -> None:
    assert json_text(body) == (text, replaced)


@pytest.mark.parametrize(
    ("base", "fields", "host"),
    [
        ("https://boards-api.greenhouse.io", {}, "boards-api.greenhouse.io"),
        ("https://{company}.recruitee.com", {"company": "acme"}, "acme.recruitee.com"),
        ("https://{company}.jobs.personio.de", {}, "jobs.personio.de"),
        ("http://127.0.0.1:8080/prefix", {}, "127.0.0.1"),
    ],
    ids=["plain", "template-filled", "template-unfilled", "local-with-port"],
)
def test_allowed_host_of_a_base_url(base: str, fields: dict[str, str], host: str) -> None:
    assert template_host(base, fields) == host


def test_an_off_site_link_is_dropped_and_counted(tmp_path: Path) -> None:
    with FixtureServer(root=PROJECT_FIXTURES / "withmira") as server:
        elsewhere = server.url.replace("127.0.0.1", "localhost")
        listing = (
            "<html><body><main><ul>"
            f'<li><a href="{elsewhere}/jobs/stark-machine-learning-engineer/">away</a></li>'
            '<li><a href="/jobs/vandelay-sales-lead/">here</a></li>'
            "</ul></main></body></html>"
        )
        server.add("/listing/", listing, content_type="text/html; charset=utf-8")
        outcome = crawl_source(
            "withmira", server, tmp_path, args={"start_url": f"{server.url}/listing/"}
        )
        requested = list(server.requests)
    assert "/jobs/vandelay-sales-lead/" in requested
    assert "/jobs/stark-machine-learning-engineer/" not in requested
    assert stat(outcome.log, "offsite/filtered") == 1
    assert len(outcome.items) == 1
