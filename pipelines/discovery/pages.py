"""The ATS boards a careers page embeds or links to: board scripts, iframes, links, forms, and
URLs written inside inline scripts (embed snippets often build the board's URL in a script)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin

from jobsift.pipelines.discovery.urls import Board, board_of_url
from parsel import Selector

# Attributes that carry a URL to another page or embedded board.
_URL_ATTRIBUTES = (
    "//script/@src",
    "//iframe/@src",
    "//a/@href",
    "//link/@href",
    "//form/@action",
    "//@data-src",
    "//@data-url",
    "//@data-href",
)
# BambooHR's embed names its host without a scheme: <div id="BambooHR" data-domain="acme.bamboohr.com">.
_HOST_ATTRIBUTES = ("//@data-domain",)
_URL_IN_TEXT = re.compile(r"""https?:(?:\\?/){2}(?:\\/|[^\s"'<>`\\)])+""")


def boards_in_page(html: str, page_url: str) -> list[Board]:
    """Every board the page points at, most often pointed at first."""
    selector = Selector(text=html or "<html></html>")
    urls: list[str] = []
    for query in _URL_ATTRIBUTES:
        urls.extend(urljoin(page_url, value.strip()) for value in selector.xpath(query).getall())
    for query in _HOST_ATTRIBUTES:
        urls.extend(f"https://{value.strip()}/" for value in selector.xpath(query).getall())
    for script in selector.xpath("//script[not(@src)]/text()").getall():
        urls.extend(match.replace("\\/", "/") for match in _URL_IN_TEXT.findall(script))
    counts: Counter[Board] = Counter()
    for url in urls:
        board = board_of_url(url)
        if board is not None:
            counts[board] += 1
    return [board for board, _ in counts.most_common()]
