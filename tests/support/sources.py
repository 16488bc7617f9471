"""The one registry of sources the tests know: every spider module in `crawlers/spiders/`, and
for each the capture `tests/test_all_sources.py` serves it (`tests/fixtures/<spider>/crawl.toml`).

Adding a source adds its spider, its test module, its fixture folder (with `crawl.toml`), its
sources-file example and its README row; nothing here changes. `crawl.toml` holds:

    args = { board = "acme" }     # the spider's arguments; "{base}" is the local server's URL
    postings = 12                 # postings the capture must give
    serve_dir = "withmira"        # optional: a site served folder by folder (under ../shared/fixtures)
    [routes]                      # URL path -> body: a file under ../shared/fixtures, or one
    "/v1/x" = "real/acme/x.json"  # entry of a JSON file: { file = "...", key = "jobs", index = 0 }
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SPIDERS = REPO / "crawlers" / "spiders"
FIXTURES = REPO / "tests" / "fixtures"
CONTENT_TYPES = {".html": "text/html", ".xml": "application/xml", ".rss": "application/xml"}


def spider_names() -> list[str]:
    """Every spider, by its module's name (a spider is named after its file)."""
    return sorted(p.stem for p in SPIDERS.glob("*.py") if not p.stem.startswith("_"))


@dataclass(frozen=True)
class Source:
    spider: str
    args: dict[str, str]
    postings: int
    routes: dict[str, Any]
    serve_dir: str | None = None

    def bodies(self, shared_fixtures: Path) -> dict[str, tuple[bytes, str]]:
        """URL path -> (body, content type) of every route."""
        served = {}
        for path, body in self.routes.items():
            if isinstance(body, dict):
                data = json.loads((shared_fixtures / body["file"]).read_text(encoding="utf-8"))
                entry = data[body["key"]][body["index"]]
                served[path] = (json.dumps(entry).encode(), "application/json")
            else:
                file = shared_fixtures / body
                served[path] = (
                    file.read_bytes(),
                    CONTENT_TYPES.get(file.suffix, "application/json"),
                )
        return served

    def arguments(self, base_url: str) -> dict[str, str]:
        return {key: value.format(base=base_url) for key, value in self.args.items()}


@cache
def source(spider: str) -> Source:
    table = tomllib.loads((FIXTURES / spider / "crawl.toml").read_text(encoding="utf-8"))
    return Source(
        spider=spider,
        args={k: str(v) for k, v in table.get("args", {}).items()},
        postings=int(table["postings"]),
        routes=dict(table.get("routes", {})),
        serve_dir=table.get("serve_dir"),
    )


def sources() -> dict[str, Source]:
    return {name: source(name) for name in spider_names()}
