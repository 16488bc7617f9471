"""Precision and recall of `job_id` (one row per real job) on hand-labelled pairs of postings.

    python bench/dedup.py --shared PATH [--db FILE] [--show-errors]

Builds one database with a real `jobsift crawl` over 127.0.0.1 of (a) every real capture the
all-sources test serves plus the other captures of the same sources (all under PATH/fixtures)
and (b) the project's own fixtures (tests/fixtures/identity): one job published on a Greenhouse board,
RemoteOK, Himalayas and Hacker News beside the same title in another country, and one on a Lever
board, Remotive, We Work Remotely and Jobicy beside another level with the same company text. Then every pair of `bench/dedup_pairs.csv`
(`left,right,same,note`: two posting ids and whether they are one job, labelled by hand) is scored
against the job ids the store gave: precision = labelled-same pairs sharing a job / pairs sharing a
job, recall = labelled-same pairs sharing a job / labelled-same pairs. A labelled id missing from the
database is an error (the file and the captures must agree). The last line is exactly
`precision=… recall=… pairs=N same=N`.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.support.server import FixtureServer  # noqa: E402
from tests.support.sources import sources  # noqa: E402

PAIRS = REPO / "bench" / "dedup_pairs.csv"
OWN = REPO / "tests" / "fixtures" / "identity"
# More captures of the sources (beyond the one each all-sources entry serves):
# name -> (spider, arguments, {path: file under PATH/fixtures}).
EXTRA: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    f"jobicy-{n}": ("jobicy", {}, {"/api/v2/remote-jobs": f"real/jobicy/{file}"})
    for n, file in enumerate(
        [
            "jobicy_v2_count10_industry-supporting_2024-12-08.json",
            "jobicy_v2_count15_geo-canada_2024-12-08.json",
            "jobicy_v2_count20_geo-usa_industry-marketing_tag-seo_2024-12-05.json",
            "jobicy_v2_count30_geo-usa_industry-copywriting_2024-12-08.json",
            "jobicy_v2_count5_2026-07-10_apiv2.2.14.json",
        ]
    )
} | {
    "remotive-0709": (
        "remotive",
        {},
        {"/api/remote-jobs": "real/remotive/remotive_api_remote-jobs_2026-07-09_4jobs.json"},
    ),
    "remoteok-2026": ("remoteok", {}, {"/api": "real/remoteok/remoteok_api_2026-07-10_4jobs.json"}),
    "ashby-homebound": (
        "ashby",
        {"board": "Homebound"},
        {
            "/posting-api/job-board/Homebound": "real/ashby/ashby_job-board_Homebound_includeCompensation.json"
        },
    ),
    "ashby-nango": (
        "ashby",
        {"board": "Nango"},
        {
            "/posting-api/job-board/Nango": "real/ashby/ashby_job-board_Nango_includeCompensation.json"
        },
    ),
    "lever-matchgroup": (
        "lever",
        {"company": "matchgroup"},
        {
            "/v0/postings/matchgroup": "real/lever/lever_postings_matchgroup_mode-json_2026-07-18_2postings.json"
        },
    ),
    "lever-outreach": (
        "lever",
        {"company": "outreach"},
        {
            "/v0/postings/outreach": "real/lever/lever_postings_outreach_2026-07_trimmed-destyled.json"
        },
    ),
    "greenhouse-impiricus": (
        "greenhouse",
        {"board": "impiricus"},
        {
            "/v1/boards/impiricus/jobs": "real/greenhouse/greenhouse_jobs_content_impiricus_2026-07_fields-reduced.json"
        },
    ),
}
# The project's own fixtures (in the repository).
OWN_SOURCES: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "own-greenhouse": (
        "greenhouse",
        {"board": "quillstone"},
        {"/v1/boards/quillstone/jobs": "greenhouse_quillstone_jobs_content.json"},
    ),
    "own-remoteok": ("remoteok", {}, {"/api": "remoteok_api.json"}),
    "own-himalayas": ("himalayas", {}, {"/jobs/api": "himalayas_jobs_api.json"}),
    "own-hackernews": (
        "hackernews",
        {"story": "49100000"},
        {"/api/v1/search_by_date": "hackernews_comments.json"},
    ),
    "own-lever": (
        "lever",
        {"company": "brightkiln"},
        {"/v0/postings/brightkiln": "lever_brightkiln_postings.json"},
    ),
    "own-remotive": ("remotive", {}, {"/api/remote-jobs": "remotive_remote_jobs.json"}),
    "own-weworkremotely": (
        "weworkremotely",
        {},
        {"/remote-jobs.rss": "weworkremotely_remote_jobs.rss"},
    ),
    "own-jobicy": ("jobicy", {}, {"/api/v2/remote-jobs": "jobicy_remote_jobs.json"}),
}
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "false",
    "DOWNLOAD_DELAY": "0",
    "JOBSIFT_MIN_INTERVAL": "0",
    "JOBSIFT_PROGRESS_INTERVAL": "0",
    "RETRY_TIMES": "1",
    "ROBOTSTXT_OBEY": "false",
}


def _toml_table(values: dict[str, str]) -> str:
    return "{ " + ", ".join(f'{k} = "{v}"' for k, v in values.items()) + " }"


def build(shared: Path, db: Path, workdir: Path) -> None:
    """Serves every capture under a path prefix of its own and crawls them all into `db`."""
    lines = ["[settings]", *(f"{k} = {v}" for k, v in SETTINGS.items())]
    dirs = [shared / "fixtures" / s.serve_dir for s in sources().values() if s.serve_dir]
    with FixtureServer(root=dirs) as server:
        for name, entry in sources().items():
            for path, (body, kind) in entry.bodies(shared / "fixtures").items():
                server.add(path, body, content_type=kind)
            lines += [
                f"[sources.{name}]",
                f'spider = "{name}"',
                f"args = {_toml_table(entry.arguments(server.url))}",
                f'settings = {{ JOBSIFT_{name.upper()}_URL = "{server.url}" }}',
            ]
        for table, root in ((EXTRA, shared / "fixtures"), (OWN_SOURCES, OWN)):
            for name, (spider, args, routes) in table.items():
                for path, file in routes.items():
                    kind = (
                        "application/xml" if file.endswith((".xml", ".rss")) else "application/json"
                    )
                    server.add(f"/{name}{path}", root / file, content_type=kind)
                lines += [
                    f'[sources."{name}"]',
                    f'spider = "{spider}"',
                    f"args = {_toml_table(args)}",
                    f'settings = {{ JOBSIFT_{spider.upper()}_URL = "{server.url}/{name}" }}',
                ]
        (workdir / "sources.toml").write_text("\n".join(lines) + "\n")
        command = [sys.executable, "-m", "jobsift.crawlers.cli", "crawl", "--db", str(db)]
        result = subprocess.run(
            [*command, "--sources", str(workdir / "sources.toml")],
            cwd=workdir,
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        sys.exit(f"bench/dedup.py: the crawl failed:\n{result.stdout}{result.stderr}")


def score(db: Path, show_errors: bool) -> tuple[float, float, int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        job = dict(con.execute("SELECT id, job_id FROM postings").fetchall())
        titles = dict(
            con.execute(
                "SELECT id, company || ' / ' || coalesce(title, '?') FROM postings"
            ).fetchall()
        )
    with PAIRS.open(encoding="utf-8") as handle:
        pairs = [row for row in csv.DictReader(handle) if not row["left"].startswith("#")]
    missing = sorted({i for p in pairs for i in (p["left"], p["right"])} - job.keys())
    if missing:
        sys.exit(f"bench/dedup.py: labelled postings missing from the database: {missing}")
    tp = fp = fn = 0
    for pair in pairs:
        same = pair["same"].strip().lower() == "true"
        joined = job[pair["left"]] == job[pair["right"]]
        tp += same and joined
        fp += joined and not same
        fn += same and not joined
        if show_errors and same != joined:
            kind = "false merge" if joined else "missed"
            print(
                f"{kind}: {pair['left']} ({titles[pair['left']]}) ~ {pair['right']} ({titles[pair['right']]})"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, len(pairs), tp + fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        required=True,
        metavar="PATH",
        help="the maintainers' folder holding fixtures/ (the real captures; not shipped)",
    )
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temporary one)")
    parser.add_argument("--show-errors", action="store_true")
    options = parser.parse_args()
    if not (options.shared / "fixtures" / "real").is_dir():
        sys.exit(f"bench/dedup.py: no real captures under {options.shared}/fixtures (use --shared)")
    with tempfile.TemporaryDirectory() as tmp:
        db = options.db or Path(tmp) / "dedup.duckdb"
        if db.exists():
            db.unlink()
        build(options.shared, db, Path(tmp))
        precision, recall, pairs, same = score(db, options.show_errors)
        with duckdb.connect(str(db), read_only=True) as con:
            [(postings, jobs)] = con.execute(
                "SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM jobs)"
            ).fetchall()
    print(f"postings={postings} jobs={jobs}")
    print(f"precision={precision:.3f} recall={recall:.3f} pairs={pairs} same={same}")


if __name__ == "__main__":
    main()
