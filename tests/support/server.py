"""A real HTTP server on 127.0.0.1 that serves fixture bodies at a source's own URL paths."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0  # seconds before answering, so that requests overlap


# A route that answers from the request body (a POST search API pages in its body, not its URL).
BodyHandler = Callable[[bytes], Route]


class FixtureServer:
    """Routes are matched on path plus query first, then on the path alone, then as files under
    each of `root` (one folder or several, searched in order; a folder serves its index.html).

    Usage: `with FixtureServer() as server: server.add("/v1/x", body); server.url` (base URL).
    Requests are recorded in `server.requests` (path with query) for assertions on paging, POST
    bodies in `server.bodies` ((path, body) pairs); `add_handler` routes on a POST body.
    """

    def __init__(self, root: Path | list[Path] | None = None, validators: bool = False) -> None:
        self.roots = [root] if isinstance(root, Path) else list(root or [])
        self.routes: dict[str, Route] = {}
        self.handlers: dict[str, BodyHandler] = {}
        self.requests: list[str] = []
        # With `validators`, every 200 carries an ETag (a digest of its body) and a request whose
        # If-None-Match names it is answered 304; `conditional` records (path, status) of those.
        self.validators = validators
        self.conditional: list[tuple[str, int]] = []
        self.bodies: list[tuple[str, bytes]] = []
        # Requests being answered right now, and the most ever at once (politeness checks).
        self.in_flight = 0
        self.most_in_flight = 0
        self._count = threading.Lock()
        self.delay = 0.0  # for every route without its own
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(
        self,
        path: str,
        body: bytes | str | Path,
        status: int = 200,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        if isinstance(body, Path):
            body = body.read_bytes()
        elif isinstance(body, str):
            body = body.encode()
        self.routes[path] = Route(body, status, headers or {}, content_type)

    def add_handler(self, path: str, handler: BodyHandler) -> None:
        """`handler(body)` answers the requests at `path` (path with query, or the path alone)."""
        self.handlers[path] = handler

    def _lookup(self, target: str) -> Route | None:
        route = self.routes.get(target) or self.routes.get(urlsplit(target).path)
        if route is not None:
            return route
        relative = urlsplit(target).path.lstrip("/")
        for root in self.roots:
            candidate = (root / relative).resolve()
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if root.resolve() in candidate.parents and candidate.is_file():
                return Route(candidate.read_bytes(), content_type="text/html; charset=utf-8")
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve(b"")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.bodies.append((self.path, body))
                self._serve(body)

            def _serve(self, body: bytes) -> None:
                with server._count:
                    server.requests.append(self.path)
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                path = urlsplit(self.path).path
                handler = server.handlers.get(self.path) or server.handlers.get(path)
                route = handler(body) if handler else server._lookup(self.path)
                if route is None:
                    route = Route(b"not found", 404, content_type="text/plain")
                if route.delay or server.delay:
                    time.sleep(route.delay or server.delay)
                # Counted out before the answer leaves: the client cannot see the answer (and
                # send its next request) while this one still counts as in flight.
                with server._count:
                    server.in_flight -= 1
                if server.validators and route.status == 200:
                    etag = '"' + hashlib.blake2b(route.body, digest_size=8).hexdigest() + '"'
                    asked = self.headers.get("If-None-Match")
                    if asked is not None:
                        status = 304 if asked == etag else 200
                        server.conditional.append((self.path, status))
                        if status == 304:
                            self.send_response(304)
                            self.send_header("ETag", etag)
                            self.end_headers()
                            return
                    route = Route(
                        route.body, 200, {**route.headers, "ETag": etag}, route.content_type
                    )
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
