"""Many boards of one ATS host in one crawl: the host budget holds and memory stays flat.

    python bench/boards.py [--boards 100 1000] [--budget 4] [--jobs 3]

Serves N Greenhouse boards (`--jobs` postings each) from one server on 127.0.0.1 that counts the
requests it is answering at once, configures one source per board with a host budget of
`--budget` requests in flight, and runs `jobsift crawl` under `/usr/bin/time -v` for each N. Prints
per N: seconds, peak RSS (crawl process and worker), the most requests in flight the server saw,
the `crawl_runs` rows and postings stored; the last line compares the largest N with the smallest.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402

from tests.support.server import FixtureServer  # noqa: E402


def _board(board: int, jobs: int) -> str:
    postings = [
        {
            "id": board * 1000 + n,
            "title": f"Engineer {n} at board {board}",
            "company_name": f"Company {board}",
            "absolute_url": f"https://boards.greenhouse.io/b{board}/jobs/{board * 1000 + n}",
            "location": {"name": "Remote, USA"},
            "content": "&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;3+ years of Python"
            "&lt;/li&gt;&lt;/ul&gt;",
            "updated_at": "2026-11-01T00:00:00Z",
        }
        for n in range(jobs)
    ]
    return json.dumps({"jobs": postings, "meta": {"total": jobs}})


def crawl(
    boards: int, budget: int, jobs: int, folder: Path, extra: list[str] | None = None
) -> dict[str, float]:
    with FixtureServer() as server:
        server.delay = 0.005
        server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for n in range(boards):
            server.add(f"/v1/boards/b{n}/jobs", _board(n, jobs))
        sources = folder / f"sources-{boards}.toml"
        lines = [
            "[settings]",
            f'JOBSIFT_GREENHOUSE_URL = "{server.url}"',
            "JOBSIFT_PROGRESS_INTERVAL = 0",
            f'JOBSIFT_HOST_BUDGETS = {{ "127.0.0.1" = {{ concurrency = {budget} }} }}',
            *(extra or []),
        ]
        for n in range(boards):
            lines += [f"[sources.gh-{n}]", 'spider = "greenhouse"', f'args = {{ board = "b{n}" }}']
        sources.write_text("\n".join(lines) + "\n")
        db = folder / f"boards-{boards}.duckdb"
        command = ["/usr/bin/time", "-v", sys.executable, "-m", "jobsift.crawlers.cli", "crawl"]
        command += ["--db", str(db), "--sources", str(sources)]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, cwd=folder)
        seconds = time.monotonic() - started
        most = server.most_in_flight
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("SELECT count(*) FROM crawl_runs").fetchone()[0]
        postings = con.execute("SELECT count(*) FROM postings").fetchone()[0]
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    return {
        "boards": boards,
        "exit": done.returncode,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else float("nan"),
        "most_in_flight": most,
        "crawl_runs": runs,
        "postings": postings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--budget", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument(
        "--setting", action="append", default=[], metavar="LINE", help="a TOML line for [settings]"
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="jobsift-boards-") as tmp:
        for boards in args.boards:
            result = crawl(boards, args.budget, args.jobs, Path(tmp), args.setting)
            results.append(result)
            print(" ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    small, large = results[0], results[-1]
    print(
        f"budget={args.budget} most_in_flight={max(r['most_in_flight'] for r in results)} "
        f"rss_ratio_{large['boards']}_vs_{small['boards']}="
        f"{large['peak_rss_mb'] / small['peak_rss_mb']:.2f}"
    )


if __name__ == "__main__":
    main()
