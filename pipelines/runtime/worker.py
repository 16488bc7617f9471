"""The normalization chain in a worker process, so a crawl's reactor thread only crawls.

Every step is pure CPU-bound Python: run on the reactor thread, it takes turns with downloading and
parsing on one core while the machine's other cores idle. `NormalizePipeline` hands each raw
payload to one worker process that runs the very same function (`result.run_chain`) and sends back
the staged row, or the reject, plus the step events for the stats.

Items that arrive while the worker imports wait for it (the crawl keeps downloading meanwhile),
so every item takes the same path; if the worker dies, its items and every later one are
normalized in the crawl process as usual, so no item is lost to it.

Wire format, both ways over a socket pair: 4-byte big-endian length, then a pickle.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
from typing import Any

from jobsift.pipelines.runtime.heap import StartupHeap
from jobsift.pipelines.runtime.result import ChainResult, chain_failure, run_chain

logger = logging.getLogger(__name__)

_HEADER = struct.Struct(">I")
# Payloads sent but not answered yet: enough to keep the worker busy, bounded so a slow worker
# holds back the crawl (Scrapy stops downloading while its items wait) instead of growing memory.
MAX_IN_FLIGHT = 64


class WorkerUnavailable(Exception):
    """The worker is gone, or this payload cannot be sent to it: normalize it in the crawl process."""


# --- the crawl process's side ---------------------------------------------------------------------


class _Replies(asyncio.Protocol):
    def __init__(self, worker: ChainWorker) -> None:
        self.worker = worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.buffer)
            if len(self.buffer) < _HEADER.size + size:
                return
            frame = bytes(self.buffer[_HEADER.size : _HEADER.size + size])
            del self.buffer[: _HEADER.size + size]
            self.worker.on_reply(*pickle.loads(frame))

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker.on_lost(exc)


class ChainWorker:
    """One worker process per chain per crawl process, shared by every crawler that runs it."""

    # The one worker of this process and how many crawlers use it.
    _shared: tuple[ChainWorker, int] | None = None

    def __init__(self) -> None:
        self.alive = True
        loop = asyncio.get_running_loop()
        # True once the worker has imported the chain, False if it died first.
        self.started: asyncio.Future[bool] = loop.create_future()
        self.pending: dict[int, asyncio.Future[ChainResult]] = {}
        self.numbers = itertools.count()
        self.slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.transport: asyncio.Transport | None = None
        ours, theirs = socket.socketpair()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        command = [sys.executable, "-m", "jobsift.pipelines.runtime.worker", str(theirs.fileno())]
        self.process = subprocess.Popen(
            command,
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        ours.setblocking(False)
        self.sock = ours
        self._connecting = asyncio.ensure_future(
            loop.create_connection(lambda: _Replies(self), sock=ours)
        )
        self._connecting.add_done_callback(self._connected)

    @classmethod
    def acquire(cls) -> ChainWorker:
        worker, users = cls._shared or (None, 0)
        if worker is None or not worker.alive:
            worker, users = cls(), 0
        ChainWorker._shared = (worker, users + 1)
        return worker

    def release(self) -> None:
        worker, users = ChainWorker._shared or (self, 1)
        if worker is not self or users <= 1:
            if worker is self:
                ChainWorker._shared = None
            self.stop()
        else:
            ChainWorker._shared = (worker, users - 1)

    def _connected(self, connecting: asyncio.Future[Any]) -> None:
        if connecting.cancelled() or connecting.exception() is not None:
            self.on_lost(None if connecting.cancelled() else connecting.exception())
            return
        self.transport = connecting.result()[0]

    def on_reply(self, number: int, result: Any) -> None:
        if number < 0:  # the worker's greeting: its imports are done
            if not self.started.done():
                self.started.set_result(True)
            return
        future = self.pending.pop(number, None)
        if future is not None and not future.done():
            future.set_result(result)

    def on_lost(self, exc: BaseException | None) -> None:
        if self.alive:
            logger.warning("normalization worker gone (%s); normalizing in the crawl process", exc)
        self.alive = False
        if not self.started.done():
            self.started.set_result(False)
        for future in self.pending.values():
            if not future.done():
                future.set_exception(WorkerUnavailable(str(exc)))
        self.pending.clear()

    async def normalize(self, payload: dict[str, Any]) -> ChainResult:
        """The chain's result for one payload; WorkerUnavailable if the worker is (or goes) away."""
        if not await asyncio.shield(self.started):
            raise WorkerUnavailable("the worker did not start")
        async with self.slots:
            if not self.alive or self.transport is None:
                raise WorkerUnavailable("the worker stopped")
            number = next(self.numbers)
            try:
                frame = pickle.dumps((number, payload), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # an object a spider put in the payload
                raise WorkerUnavailable(f"payload cannot be sent: {exc}") from exc
            future: asyncio.Future[ChainResult] = asyncio.get_running_loop().create_future()
            self.pending[number] = future
            self.transport.write(_HEADER.pack(len(frame)) + frame)
            return await future

    def stop(self) -> None:
        """Closes the socket (the worker exits at end of input) and reaps the process."""
        self.alive = False
        if not self.started.done():
            self.started.set_result(False)
        # Shut down now: transport.close() only acts on the loop's next turn, after this returns.
        with contextlib.suppress(OSError):  # already closed by the other side
            self.sock.shutdown(socket.SHUT_WR)
        if self.transport is not None:
            self.transport.close()
        elif not self._connecting.done():
            self._connecting.cancel()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the worker process ----------------------------------------------------------------------------


def _read_exactly(stream: Any, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def _send(sock: socket.socket, message: tuple[int, Any]) -> None:
    frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(frame)) + frame)


def serve(fd: int) -> None:
    """Answers payloads until the crawl process closes the socket."""
    # Ctrl-C reaches the whole process group; the crawl process decides when this one ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    StartupHeap.freeze()  # never thawed: the worker ends with os._exit, no teardown
    sock = socket.socket(fileno=fd)
    stream = sock.makefile("rb", buffering=1 << 16)
    _send(sock, (-1, None))
    while (header := _read_exactly(stream, _HEADER.size)) is not None:
        frame = _read_exactly(stream, _HEADER.unpack(header)[0])
        if frame is None:
            break
        number, payload = pickle.loads(frame)
        try:
            result = run_chain(payload)
        except Exception as exc:  # a bug must cost one item, never the worker
            result = chain_failure(payload, exc)
        _send(sock, (number, result))


if __name__ == "__main__":
    # The crawl process may go away first; then nothing is left to answer.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        serve(int(sys.argv[1]))
    # Nothing else to flush or close: skip the interpreter's teardown, the crawl process waits.
    sys.stderr.flush()
    os._exit(0)
