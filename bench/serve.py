"""Serves a generated site (`bench/pages.py`) on 127.0.0.1 from a process of its own.

    python bench/serve.py ROOT PORT_FILE

HTTP/1.1 GET with keep-alive, every response prebuilt in memory (with an ETag; a request whose
If-None-Match names it gets a 304) and answered from one asyncio
loop: the benchmark checks it uses a few percent of a core while the crawler uses a whole one, and
running it in its own process means it never shares the crawler's interpreter (nor its GIL).
"""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _site_bodies(root: Path) -> Iterator[tuple[bytes, bytes]]:
    for index in root.rglob("index.html"):
        relative = index.parent.relative_to(root).as_posix()
        path = "/" if relative == "." else f"/{relative}/"
        yield path.encode(), index.read_bytes()


def _response(status: str, body: bytes, content_type: bytes, etag: bytes = b"") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: keep-alive\r\n"
    ).encode()
    if etag:
        head += b"ETag: " + etag + b"\r\n"
    return head + b"Content-Type: " + content_type + b"\r\n\r\n" + body


def _etag(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=8).hexdigest().encode() + b'"'


class _SiteProtocol(asyncio.Protocol):
    """HTTP/1.1 GET with keep-alive and pipelining; the whole response is prebuilt per path."""

    responses: dict[bytes, bytes] = {}
    # Per path: its ETag and the prebuilt 304 for a request whose If-None-Match names it.
    not_modified: dict[bytes, tuple[bytes, bytes]] = {}
    not_found = _response("404 Not Found", b"not found", b"text/plain")

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            request, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            target = request.split(b" ", 2)[1] if request.count(b" ") >= 2 else b"/"
            path = target.split(b"?", 1)[0]
            if not path.endswith(b"/") and path + b"/" in self.responses:
                path += b"/"
            etag, unchanged = self.not_modified.get(path, (b"", b""))
            if etag and _if_none_match(request) == etag:
                self.transport.write(unchanged)  # type: ignore[attr-defined]
                continue
            self.transport.write(self.responses.get(path, self.not_found))  # type: ignore[attr-defined]


def _if_none_match(request: bytes) -> bytes | None:
    for line in request.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"if-none-match":
            return value.strip()
    return None


async def serve(root: Path, port_file: Path) -> None:
    for path, body in _site_bodies(root):
        etag = _etag(body)
        _SiteProtocol.responses[path] = _response("200 OK", body, b"text/html; charset=utf-8", etag)
        _SiteProtocol.not_modified[path] = (
            etag,
            b"HTTP/1.1 304 Not Modified\r\nETag: " + etag + b"\r\nConnection: keep-alive\r\n\r\n",
        )
    server = await asyncio.get_running_loop().create_server(_SiteProtocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    # Written aside and renamed into place, so a reader never sees a half-written port.
    port_file.with_suffix(".tmp").write_text(str(port))
    port_file.with_suffix(".tmp").rename(port_file)
    async with server:
        await server.serve_forever()


@contextmanager
def serving(root: Path) -> Iterator[tuple[str, int]]:
    """The site served by this script in a child process: (base URL, server pid)."""
    port_file = root.parent / f"{root.name}.port"
    port_file.unlink(missing_ok=True)
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(root), str(port_file)]
    )
    try:
        deadline = time.monotonic() + 120
        while not port_file.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the page server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text()}", server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/serve.py ROOT PORT_FILE")
    asyncio.run(serve(Path(sys.argv[1]), Path(sys.argv[2])))
