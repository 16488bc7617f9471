"""Long descriptions through a real crawl: every posting loaded, and the crawl's peak memory.

    python bench/long_descriptions.py [--pages 50] [--size 1000000] [--keep DIR] [--set KEY=VALUE]

Generates the synthetic site of `bench/pages.py`, grows every role page's body by `--size`
characters of paragraphs, serves it on 127.0.0.1 (`bench/serve.py`) and runs `jobsift crawl` on it
under `/usr/bin/time -v` (the peak RSS it reports covers the crawl process and its normalize
worker). Prints the postings stored, the longest description and the peak RSS in MB.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from jobsift.pipelines.storage.query import run_query  # noqa: E402

from bench.pages import LISTING_PATH, generate_site  # noqa: E402
from bench.serve import serving  # noqa: E402

_ANCHOR = '<p class="hint">Readable role content extracted into sections for faster review.</p>\n'


def _grow(page: Path, size: int, number: int) -> None:
    sentence = f"Our team {number} builds reliable systems and writes about them at length. "
    item = "<li>" + sentence * (1000 // len(sentence)) + "</li>\n"
    items = item * max(1, size // len(item))
    body = f'<div class="role-section"><h4>About the team</h4><ul>{items}</ul></div>\n'

    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(_ANCHOR, _ANCHOR + body, 1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--size", type=int, default=1_000_000, help="characters added per page")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--set", action="append", default=[], help="a crawl setting KEY=VALUE")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="jobsift-long-"))
    site = work / "site"
    roles = generate_site(site, args.pages)
    for number, role in enumerate(roles):
        _grow(site / "jobs" / role.slug / "index.html", args.size, number)
    db = work / "long.duckdb"
    sources = work / "sources.toml"
    with serving(site) as (base_url, _pid):
        sources.write_text(
            "[settings]\nAUTOTHROTTLE_ENABLED = false\nROBOTSTXT_OBEY = false\n"
            "JOBSIFT_PROGRESS_INTERVAL = 0\n"
            f'[sources.long]\nspider = "withmira"\n'
            f'args = {{ start_url = "{base_url}{LISTING_PATH}" }}\n'
        )
        command = ["/usr/bin/time", "-v", sys.executable, "-m", "jobsift.crawlers.cli", "crawl"]
        command += ["--db", str(db), "--sources", str(sources)]
        for pair in args.set:
            command += ["--set", pair]
        proc = subprocess.run(command, cwd=work, capture_output=True, text=True)
    print(proc.stdout.strip())
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    ((stored, longest),) = run_query(
        db, "SELECT count(*), max(length(description_text)) FROM postings"
    ).rows
    ((rejects,),) = run_query(db, "SELECT count(*) FROM rejects").rows
    print(
        f"pages={args.pages} stored={stored} rejects={rejects} "
        f"longest_description={longest} peak_rss_mb={int(peak.group(1)) / 1024 if peak else 0:.0f}"
    )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
