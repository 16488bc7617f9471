"""The normalization chain in a worker process, so a crawl's reactor thread only crawls.

Every step is pure CPU-bound Python: run on the reactor thread, it takes turns with downloading and
parsing on one core while the machine's other cores idle. `NormalizePipeline` hands each raw
payload to one worker process that runs the very same function (`result.run_chain`) and sends back
the staged row, or the reject, plus the step events for the stats.

Items that arrive while the worker imports wait for it (the crawl keeps downloading meanwhile),
so every item takes the same path; if the worker dies, its items and every later one are
normalized in the crawl process as usual, so no item is lost to it.

Each item runs under the item time limit (`limit.time_limit`, JOBSIFT_ITEM_TIMEOUT) in the worker:
a runaway item comes back as a reject saying so and the worker goes on. Should the worker still
not answer (stuck where the timer cannot interrupt it) for twice the limit plus a second, the crawl
process kills it: the item it was working on becomes that reject, the others are normalized in the
crawl process under the same limit.

Wire format, both ways over a socket pair: 4-byte big-endian length, then a pickle.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import logging
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

from jobsift.pipelines.runtime.heap import StartupHeap
from jobsift.pipelines.runtime.result import ChainResult, run_chain_limited, timed_out

logger = logging.getLogger(__name__)

_HEADER = struct.Struct(">I")
# Payloads sent but not answered yet: enough to keep the worker busy, bounded so a slow worker
# holds back the crawl (Scrapy stops downloading while its items wait) instead of growing memory.
MAX_IN_FLIGHT = 64
# The function the worker runs for each payload, as "module:function" (see `ChainWorker`).
CHAIN = "jobsift.pipelines.runtime.result:run_chain"


class WorkerUnavailable(Exception):
    """The worker is gone, or this payload cannot be sent to it: normalize it in the crawl process."""


# --- the crawl process's side ---------------------------------------------------------------------


class _Replies(asyncio.Protocol):
    def __init__(self, worker: ChainWorker) -> None:
        self.worker = worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        # Every whole frame received, then one cut of the buffer (not one per frame).
        start, end, header = 0, len(buffer), _HEADER.size
        with memoryview(buffer) as view:  # released before the buffer is cut
            while end - start >= header:
                (size,) = _HEADER.unpack_from(view, start)
                if end - start < header + size:
                    break
                start += header + size
                self.worker.on_reply(*pickle.loads(view[start - size : start]))
        if start:
            del buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker.on_lost(exc)


class ChainWorker:
    """One worker process per chain per crawl process, shared by every crawler that runs it."""

    # The one worker of this process and how many crawlers use it.
    _shared: tuple[ChainWorker, int] | None = None

    def __init__(self, item_timeout: float | None = None, chain: str = CHAIN) -> None:
        """`item_timeout`: seconds per item (None or 0: no limit). `chain`: the function the worker
        runs for each payload, "module:function" taking the payload and returning a ChainResult;
        always `result.run_chain` in a crawl, another one only where a test needs a slow step."""
        self.alive = True
        self.item_timeout = item_timeout or None
        loop = asyncio.get_running_loop()
        # True once the worker has imported the chain, False if it died first.
        self.started: asyncio.Future[bool] = loop.create_future()
        # Sent and not answered yet, in the order sent (the worker answers in that order).
        self.pending: dict[int, tuple[asyncio.Future[ChainResult], dict[str, Any]]] = {}
        self.answered_at = time.monotonic()
        self._watchdog: asyncio.TimerHandle | None = None
        self.numbers = itertools.count()
        self.slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.transport: asyncio.Transport | None = None
        ours, theirs = socket.socketpair()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        command = [
            sys.executable,
            "-m",
            "jobsift.pipelines.runtime.worker",
            str(theirs.fileno()),
            str(self.item_timeout or 0),
            chain,
        ]
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
        if self.item_timeout:
            self._watchdog = loop.call_later(self.item_timeout, self._watch)

    @classmethod
    def acquire(cls, item_timeout: float | None = None) -> ChainWorker:
        worker, users = cls._shared or (None, 0)
        if worker is None or not worker.alive:
            worker, users = cls(item_timeout), 0
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
        self.answered_at = time.monotonic()
        future, _ = self.pending.pop(number, (None, None))
        if future is not None and not future.done():
            future.set_result(result)

    def _watch(self) -> None:
        """Kills a worker that has not answered for twice the item limit plus a second."""
        self._watchdog = None
        if not self.alive or self.item_timeout is None:
            return
        patience = 2 * self.item_timeout + 1
        if self.pending and time.monotonic() - self.answered_at > patience:
            number = next(iter(self.pending))
            future, payload = self.pending.pop(number)
            if not future.done():
                future.set_result(timed_out(payload, patience))
            logger.error("normalization worker stuck for %g s on one item; stopping it", patience)
            self.process.kill()
            self.on_lost(TimeoutError(f"no answer for {patience:g} s"))
            return
        self._watchdog = asyncio.get_running_loop().call_later(self.item_timeout / 2, self._watch)

    def on_lost(self, exc: BaseException | None) -> None:
        if self.alive:
            logger.warning("normalization worker gone (%s); normalizing in the crawl process", exc)
        self.alive = False
        if not self.started.done():
            self.started.set_result(False)
        for future, _ in self.pending.values():
            if not future.done():
                future.set_exception(WorkerUnavailable(str(exc)))
        self.pending.clear()
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    async def normalize(self, payload: dict[str, Any]) -> ChainResult:
        """The chain's result for one payload; WorkerUnavailable if the worker is (or goes) away."""
        started = self.started
        if not (started.result() if started.done() else await asyncio.shield(started)):
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
            if not self.pending:  # the worker was idle: its time on this item starts now
                self.answered_at = time.monotonic()
            self.pending[number] = (future, payload)
            self.transport.write(_HEADER.pack(len(frame)) + frame)
            return await future

    def stop(self) -> None:
        """Closes the socket (the worker exits at end of input) and reaps the process."""
        self.alive = False
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
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


def serve(fd: int, item_timeout: float | None = None, chain: str = CHAIN) -> None:
    """Answers payloads until the crawl process closes the socket."""
    module, _, name = chain.partition(":")
    run: Callable[[dict[str, Any]], ChainResult] = getattr(import_module(module), name)
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
        # Within the item limit; a bug or a runaway item costs that item, never the worker.
        _send(sock, (number, run_chain_limited(payload, item_timeout, run)))
        if number == 0:  # the reference tables the first item loaded live to the end too
            gc.freeze()


if __name__ == "__main__":
    # The crawl process may go away first; then nothing is left to answer.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        serve(int(sys.argv[1]), float(sys.argv[2]) or None, sys.argv[3])
    # Nothing else to flush or close: skip the interpreter's teardown, the crawl process waits.
    sys.stderr.flush()
    os._exit(0)
