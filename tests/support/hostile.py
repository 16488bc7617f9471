"""A `FixtureServer` on 127.0.0.1 that can also misbehave: drip a body one byte at a time."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.support.server import FixtureServer

DRIP_INTERVAL = 0.1  # seconds between two bytes of a dripped body


class HostileServer(FixtureServer):
    """`drip(path)`: that path answers 200 with a long Content-Length and then one byte every
    DRIP_INTERVAL for as long as the client listens. `dripping` is set once a drip has begun."""

    def __init__(self, root: Path | list[Path] | None = None) -> None:
        self.drips: set[str] = set()
        self.dripping = threading.Event()
        self._stopping = threading.Event()
        super().__init__(root)

    def drip(self, path: str) -> None:
        self.drips.add(path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self
        fixture_handler = super()._handler()

        class Handler(fixture_handler):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                if self.path not in server.drips:
                    super().do_GET()
                    return
                server.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000000")
                self.end_headers()
                server.dripping.set()
                try:
                    while not server._stopping.is_set():
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(DRIP_INTERVAL)
                except OSError:  # the client gave up
                    return

        return Handler

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        super().__exit__(*exc)
