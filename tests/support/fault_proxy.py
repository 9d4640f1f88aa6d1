"""Fault-injecting TCP proxies on 127.0.0.1, each serving from its own thread and event loop.

``HttpFaultProxy`` stands between an HTTP adapter and the service. It reads whole HTTP/1.1
messages (Content-Length or chunked bodies), so a fault is armed for the next requests that
contain some bytes (``b"POST /api/operations"``, ``b"applyChanges"``) and hits exactly those,
on fresh or pooled connections alike.

``TcpCutProxy`` stands between the service's SQL engine and the database. It forwards bytes
and, when armed, cuts the connection as the client sends a marker (``b"COMMIT;"``): before
forwarding it (the transaction dies mid-way) or right after (the commit's answer is lost).

Both run in a thread so that sync fixtures of any scope can own them and so that a service
running in another thread keeps its database while the test's own loop is idle.
"""

from __future__ import annotations

import asyncio
import enum
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Self

_UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n"
    b"content-length: 19\r\n\r\nservice unavailable"
)


class Fault(enum.Enum):
    """What the HTTP proxy does to one request and its response."""

    RESET_BEFORE = "connection reset before the request is forwarded"
    DROP_BEFORE = "connection closed before the request is forwarded"
    DROP_AFTER = "connection closed after the request was forwarded, before the response"
    CUT_RESPONSE = "response cut in the middle"
    HOLD = "response held until the client gives up (past its timeout)"
    UNAVAILABLE = "503 answered by the proxy, request not forwarded"


@dataclass
class _Armed:
    fault: Fault
    when: bytes
    times: int


class _ThreadedServer:
    """An asyncio server on a free loopback port, run by a private loop in a daemon thread."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    def start(self) -> Self:
        """Listen (port chosen by the OS) and return once connections are accepted."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = future.result(timeout=10)
        return self

    def close(self) -> None:
        """Stop listening, end every open connection, stop the thread."""
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    @contextmanager
    def running(self) -> Iterator[Self]:
        """Start, yield the proxy, close."""
        self.start()
        try:
            yield self
        finally:
            self.close()

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            upstream = await asyncio.open_connection(*self.upstream)
            await self.handle(reader, writer, *upstream)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # either side going away ends the connection; that is what we test
        finally:
            self._handlers.discard(task)
            for side in (writer, upstream[1] if upstream else None):
                if side is not None:
                    side.close()

    async def handle(
        self,
        client_r: asyncio.StreamReader,
        client_w: asyncio.StreamWriter,
        server_r: asyncio.StreamReader,
        server_w: asyncio.StreamWriter,
    ) -> None:
        """Serve one client connection over its own upstream connection."""
        raise NotImplementedError


class HttpFaultProxy(_ThreadedServer):
    """Forwards HTTP/1.1 requests one by one; armed faults hit the requests they match."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        super().__init__(upstream_host, upstream_port)
        self._armed: list[_Armed] = []
        self.injected: Counter[Fault] = Counter()
        """Faults actually applied, by kind."""
        self.in_flight = 0
        """Requests forwarded whose response has not come back from the service yet."""

    @property
    def url(self) -> str:
        """The proxy's base URL (point a data source at it instead of the service)."""
        return f"http://127.0.0.1:{self.port}"

    def arm(self, fault: Fault, *, when: bytes = b"", times: int = 1) -> None:
        """Apply ``fault`` to the next ``times`` requests whose bytes contain ``when``."""
        with self._lock:
            self._armed.append(_Armed(fault, when, times))

    def disarm(self) -> None:
        """Forget faults that have not fired yet."""
        with self._lock:
            self._armed.clear()

    @property
    def pending(self) -> int:
        """Faults armed and not yet applied."""
        with self._lock:
            return sum(armed.times for armed in self._armed)

    def _take(self, request: bytes) -> Fault | None:
        with self._lock:
            for armed in self._armed:
                if armed.when in request:
                    armed.times -= 1
                    if armed.times == 0:
                        self._armed.remove(armed)
                    self.injected[armed.fault] += 1
                    return armed.fault
        return None

    async def handle(
        self,
        client_r: asyncio.StreamReader,
        client_w: asyncio.StreamWriter,
        server_r: asyncio.StreamReader,
        server_w: asyncio.StreamWriter,
    ) -> None:
        """Relay request/response pairs, applying the fault each request draws."""
        while (request := await read_message(client_r, response=False)) is not None:
            fault = self._take(request)
            if fault is Fault.RESET_BEFORE:
                client_w.transport.abort()
                return
            if fault is Fault.DROP_BEFORE:
                return
            if fault is Fault.UNAVAILABLE:
                client_w.write(_UNAVAILABLE)
                await client_w.drain()
                continue
            self.in_flight += 1
            try:
                server_w.write(request)
                await server_w.drain()
                response = await read_message(server_r, response=True)
            finally:
                self.in_flight -= 1
            if response is None or fault is Fault.DROP_AFTER:
                return
            if fault is Fault.CUT_RESPONSE:
                client_w.write(response[: len(response) // 2])
                await client_w.drain()
                return
            if fault is Fault.HOLD:
                # No fixed delay: the response waits exactly until the client gives up.
                await client_r.read()
                return
            client_w.write(response)
            await client_w.drain()


async def read_message(reader: asyncio.StreamReader, *, response: bool) -> bytes | None:
    """One whole HTTP/1.1 message as raw bytes; None if the peer closed between messages."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise
    lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    if response and lines[0].split(" ")[1] in {"204", "304"}:
        return head
    if "chunked" in headers.get("transfer-encoding", ""):
        body = bytearray()
        while True:
            size_line = await reader.readuntil(b"\r\n")
            body += size_line
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                # Trailers, if any, end with an empty line like the head does.
                while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
                    body += line
                return head + bytes(body) + b"\r\n"
            body += await reader.readexactly(size + 2)
    length = int(headers.get("content-length", "0"))
    return head + await reader.readexactly(length)


class TcpCutProxy(_ThreadedServer):
    """Forwards raw bytes; when armed, cuts the connection on which ``marker`` is sent."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        super().__init__(upstream_host, upstream_port)
        self._marker: bytes | None = None
        self._after = False
        self.cuts = 0
        """Connections cut so far."""

    def arm_cut(self, marker: bytes, *, after: bool) -> None:
        """Cut the next connection that sends ``marker``.

        ``after=False``: the marker is never forwarded. ``after=True``: it is forwarded, the
        server's reply to it is swallowed, then the connection is cut (the answer is lost).
        """
        with self._lock:
            self._marker, self._after = marker, after

    @property
    def armed(self) -> bool:
        """Whether a cut is armed and has not happened yet."""
        with self._lock:
            return self._marker is not None

    def _claim(self, previous: bytes, chunk: bytes) -> tuple[bool, bool]:
        with self._lock:
            if self._marker is None:
                return False, False
            # Only the last len(marker) - 1 bytes of the previous read may start a match, so a
            # marker seen before is never matched again.
            window = previous[len(previous) - len(self._marker) + 1 :] + chunk
            if self._marker not in window:
                return False, False
            self._marker = None
            self.cuts += 1
            return True, self._after

    async def handle(
        self,
        client_r: asyncio.StreamReader,
        client_w: asyncio.StreamWriter,
        server_r: asyncio.StreamReader,
        server_w: asyncio.StreamWriter,
    ) -> None:
        """Pump both ways; cutting aborts both sockets so the peers see a dead connection."""
        cut_on_reply = asyncio.Event()

        def cut() -> None:
            client_w.transport.abort()
            server_w.transport.abort()

        async def downstream() -> None:
            while chunk := await server_r.read(65536):
                if cut_on_reply.is_set():
                    cut()
                    return
                client_w.write(chunk)
                await client_w.drain()

        async def upstream() -> None:
            previous = b""
            while chunk := await client_r.read(65536):
                # The previous read is kept: a marker may straddle two reads.
                hit, after = self._claim(previous, chunk)
                if hit and not after:
                    cut()
                    return
                if hit:
                    cut_on_reply.set()
                server_w.write(chunk)
                await server_w.drain()
                previous = chunk

        tasks = [asyncio.ensure_future(downstream()), asyncio.ensure_future(upstream())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            with suppress(Exception):
                await asyncio.gather(*tasks, return_exceptions=True)
