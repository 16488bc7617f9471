"""The spider middleware of workers: a worker starts nothing of its own (the coordinator seeded
the start requests), and a request a callback yields is a new request, whatever `meta` it copied
from the response: it does not carry the id its parent is held under, but names that parent (the
scheduler keeps a request Redis cannot hold under it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from jobsift.crawlers.distributed.frontier import HELD, PARENT, ROOT
from scrapy.http import Request, Response


def _fresh(output: Any, response: Response) -> Any:
    if isinstance(output, Request):
        output.meta.pop(HELD, None)
        output.meta.pop(ROOT, None)
        request = getattr(response, "request", None)
        if request is not None:
            parent = request.meta.get(HELD) or request.meta.get(ROOT)
            if parent is not None:
                output.meta[PARENT] = parent
    return output


class WorkerSpiderMiddleware:
    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        # The spider's own start requests are the coordinator's to queue, once for all workers.
        return
        yield  # an async generator that yields nothing

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            yield _fresh(output, response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            yield _fresh(output, response)
