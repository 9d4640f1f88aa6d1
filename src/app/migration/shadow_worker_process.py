"""Shadow reads in a process of their own: ``[migration] shadow_worker = "process"``.

The service hands each ``ShadowJob`` to a worker process over a socket pair and goes on; the
worker, started with ``multiprocessing``'s spawn method, builds the sources it reads from the
same configuration (``WorkerConfig``), runs the job (``app.migration.shadow_worker.run``) and
sends back a compact ``ShadowResult`` that the service counts in its ``MigrationState``. The
caller's loop pays for pickling the job and counting the result, not for the shadow's reads,
mapping and comparing: a thread would share the GIL with the caller, a process does not.

Bounded like the in-loop worker: at most ``MigrationState.max_shadows`` jobs in flight and
``MAX_BUFFERED`` bytes waiting to be sent; more are shed and counted. A worker that dies is
counted (``MigrationState.worker_deaths``; its jobs in flight as shadow failures), warned
about once, and started again after a delay that doubles while it keeps dying; meanwhile
jobs are shed. It never outlives the service: it stops at the end of its socket (the service
closed it, or died) and, should its loop be stuck, when its parent process is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
import threading
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from app.migration.shadow_worker import ShadowJob, ShadowResult, apply, run
from app.migration.state import MigrationState

logger = logging.getLogger(__name__)

_HEADER = struct.Struct("!I")
"""Each frame: its length, then a pickled list of messages."""
MAX_BUFFERED = 4 * 1024 * 1024
"""Bytes of jobs waiting to be sent at most: a worker that stops reading sheds, never grows."""
DRAIN_SECONDS = 30.0
"""How long ``drain`` waits for the results in flight (a worker starting up included)."""
STOP_SECONDS = 5.0
"""How long a stopping worker may take to exit before it is terminated."""
RESTART_SECONDS = 1.0
"""The delay before a dead worker is started again; doubled while it keeps dying."""
MAX_RESTART_SECONDS = 60.0
GIVE_UP_SECONDS = 30.0
"""How long past its own deadline a job's answer may take (a worker starting up, a loaded
machine) before it counts as a failed shadow read, so that a lost answer never holds a place."""
BATCH_SECONDS = 0.002
"""Jobs (and results) are sent in batches gathered over this long: one system call and one
pickle for many, where a read costs ~0.2 ms; a shadow's answer may wait that much longer."""
NICE = 10
"""How much lower the worker's CPU priority is than the service's (``os.nice``)."""

Key = tuple[str, str, str, str, str]
Observe = Callable[[Key, float], None]
"""``app.telemetry.metrics.PortMetrics.observe``: a port call's labels and duration."""


class WorkerConfig(NamedTuple):
    """What the worker process needs to build its sources: the same configuration's parts."""

    domain: str
    """``Settings.domain``: the catalog the jobs' repositories are in."""
    tables: Mapping[str, Any]
    """``[data_source]``'s tables: each source the worker reads is built from its own."""
    timings: bool = False
    """Whether to report each read's duration (telemetry is on in the service)."""
    aliases: Mapping[str, str] = {}
    """Sources known by another name than their table's: the service's, opened as the default
    source from ``service.data_source`` (``bootstrap``'s ``source_name``)."""
    build: Callable[[str], Any] | None = None
    """Builds a source by name instead of ``tables`` (an embedding app's own sources, test
    doubles): a module-level function, since the worker imports it by name."""


class ProcessShadowWorker:
    """The service's side: hands jobs to the worker process, counts what comes back."""

    def __init__(
        self,
        config: WorkerConfig,
        state: MigrationState,
        *,
        observe: Observe | None = None,
        restart_seconds: float = RESTART_SECONDS,
    ) -> None:
        self._config, self._state, self._observe = config, state, observe
        self._restart_seconds = restart_seconds
        self._pending: dict[int, tuple[ShadowJob, float]] = {}
        """Jobs sent and not answered yet, with when to give up on each (the loop's clock)."""
        self._outbox: list[tuple[int, ShadowJob]] = []
        self._next = 0
        self._process: Any = None
        self._transport: asyncio.Transport | None = None
        self._generation = 0
        self._settled = asyncio.Event()
        self._settled.set()
        self._closing = False
        self._dying = 0
        """Deaths since the last result: how long to wait before the next start."""
        self._restart: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._attempted = False
        self.ready = asyncio.Event()
        """Set once the running worker has built its sources (tests wait for it)."""
        state.workers.append(self)

    @property
    def pid(self) -> int | None:
        """The worker process's id (None before it started)."""
        return None if self._process is None else int(self._process.pid)

    async def start(self) -> None:
        """Start the worker process; jobs submitted before it is ready wait in the socket."""
        self._attempted = True
        self._generation += 1
        self.ready.clear()
        ours, theirs = socket.socketpair()
        process = multiprocessing.get_context("spawn").Process(
            target=serve, args=(self._config, theirs), name="hexstudio-shadow", daemon=True
        )
        process.start()  # spawn: a fresh interpreter, nothing of this process's state copied
        theirs.close()
        self._process = process
        generation = self._generation
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_connection(lambda: _Link(self, generation), sock=ours)
        self._transport = transport

    def submit(self, job: ShadowJob) -> None:
        """Send ``job`` to the worker, or shed it (counted) when it cannot take more now."""
        transport = self._transport
        if not self._attempted and not self._tasks and not self._closing:
            self._start_again()  # not started (no route had a shadow until a reload): start it
        if len(self._pending) >= self._state.max_shadows:
            self._give_up(expired_only=True)  # a worker that lost some must not shed forever
        if (
            transport is None
            or self._closing
            or len(self._pending) >= self._state.max_shadows
            or transport.get_write_buffer_size() > MAX_BUFFERED
        ):
            self._state.of(job.repository).shed += 1
            return
        self._next += 1
        loop = asyncio.get_running_loop()
        self._pending[self._next] = (job, loop.time() + job.timeout + GIVE_UP_SECONDS)
        self._settled.clear()
        if not self._outbox:  # one write per BATCH_SECONDS, however many jobs came meanwhile
            loop.call_later(BATCH_SECONDS, self._flush)
        self._outbox.append((self._next, job))

    def _flush(self) -> None:
        batch, self._outbox = self._outbox, []
        if self._transport is None or not batch:
            return
        try:
            body = pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)
        except Exception:  # an argument that cannot be pickled: that read fails, not the batch
            body = pickle.dumps([job for job in batch if self._picklable(job)])
        self._transport.write(_HEADER.pack(len(body)) + body)

    def _picklable(self, numbered: tuple[int, ShadowJob]) -> bool:
        try:
            pickle.dumps(numbered, pickle.HIGHEST_PROTOCOL)
        except Exception:
            logger.warning("shadow read not sent: its arguments cannot be pickled", exc_info=True)
            self._fail(numbered[0])
            return False
        return True

    def _fail(self, number: int) -> None:
        """Count the job ``number`` as a failed shadow read: no answer will come."""
        found = self._pending.pop(number, None)
        if found is not None:
            self._state.of(found[0].repository).shadow_failures += 1
        if not self._pending:
            self._settled.set()

    def _give_up(self, *, expired_only: bool) -> None:
        """Fail the jobs past their deadline (or all of them): their answers are not coming."""
        now = asyncio.get_running_loop().time()
        for number, (_, deadline) in list(self._pending.items()):
            if not expired_only or deadline < now:
                self._fail(number)

    def _received(self, messages: list[tuple[str, Any]]) -> None:
        for kind, payload in messages:
            if kind == "done":
                number, result = payload
                self._done(number, result)
            elif kind == "ready":
                self.ready.set()
            elif kind == "failed":  # it could not build a source: it says why, then exits
                logger.warning("shadow worker could not start: %s", payload)

    def _done(self, number: int, result: ShadowResult) -> None:
        if self._pending.pop(number, None) is None:
            return  # given up on already, and counted as a failure
        self._dying = 0
        apply(self._state, result)
        if self._observe is not None:
            for timing in result.timings:
                labels = (result.repository, timing.operation, timing.source, "shadow")
                self._observe((*labels, timing.outcome), timing.seconds)
        if not self._pending:
            self._settled.set()

    def _lost(self, generation: int) -> None:
        """The worker's socket ended: expected when closing, a death otherwise."""
        if generation != self._generation:
            return
        self._transport = None
        self.ready.clear()
        self._outbox = []
        self._give_up(expired_only=False)  # in flight, never to be answered: failed reads
        self._settled.set()
        if self._closing:
            return
        self._state.worker_deaths += 1
        self._dying += 1
        delay = min(self._restart_seconds * 2 ** (self._dying - 1), MAX_RESTART_SECONDS)
        log = logger.warning if self._state.worker_deaths == 1 else logger.info
        log(
            "shadow worker (pid %s) ended unexpectedly; shadow reads are shed until it is "
            "started again in %g s (deaths so far: %d)",
            self.pid,
            delay,
            self._state.worker_deaths,
        )
        self._reap()
        self._restart = asyncio.get_running_loop().call_later(delay, self._start_again)

    def _start_again(self) -> None:
        if not self._closing:
            task = asyncio.get_running_loop().create_task(self._try_start())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _try_start(self) -> None:
        try:
            await self.start()
        except Exception:  # e.g. no process or file left to start one with: try again later
            logger.warning("shadow worker could not be started", exc_info=True)
            self._dying += 1
            delay = min(self._restart_seconds * 2 ** (self._dying - 1), MAX_RESTART_SECONDS)
            self._restart = asyncio.get_running_loop().call_later(delay, self._start_again)

    def _reap(self) -> None:
        """Collect a dead process's exit status, so it never lingers as a zombie."""
        if self._process is not None and self._process.exitcode is None:
            self._process.join(timeout=0)

    async def drain(self) -> None:
        """Wait until every job sent has its result counted (at most ``DRAIN_SECONDS``)."""
        try:
            async with asyncio.timeout(DRAIN_SECONDS):
                await self._settled.wait()
        except TimeoutError:
            self._give_up(expired_only=False)  # a worker that stopped answering

    async def aclose(self) -> None:
        """Count what is in flight, close the socket (the worker exits), reap the process."""
        await self.drain()
        self._closing = True
        if self._restart is not None:
            self._restart.cancel()
        for task in list(self._tasks):
            await task
        if self._transport is not None:
            self._transport.close()
        process = self._process
        if process is not None:
            await asyncio.to_thread(process.join, STOP_SECONDS)
            if process.is_alive():
                logger.warning("shadow worker (pid %s) did not stop; terminating it", process.pid)
                process.terminate()
                await asyncio.to_thread(process.join, STOP_SECONDS)
            if process.is_alive():
                process.kill()
                await asyncio.to_thread(process.join)
        if self in self._state.workers:
            self._state.workers.remove(self)


class _Link(asyncio.Protocol):
    """The service's end of the socket: frames in, and the end of it."""

    def __init__(self, worker: ProcessShadowWorker, generation: int) -> None:
        self._worker, self._generation = worker, generation
        self._buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        """Unpickle each whole frame received so far; keep the rest for the next data."""
        self._buffer += data
        while len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            end = _HEADER.size + size
            if len(self._buffer) < end:
                return
            messages = pickle.loads(self._buffer[_HEADER.size : end])
            del self._buffer[:end]
            self._worker._received(messages)

    def connection_lost(self, exc: Exception | None) -> None:
        """The worker exited, or this end was closed."""
        self._worker._lost(self._generation)


# The worker process's side.


def serve(config: WorkerConfig, channel: socket.socket) -> None:
    """The worker process: run the jobs received on ``channel`` until it ends."""
    # Ctrl-C reaches the whole process group: the service stops its worker itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Best effort, by design: when the machine is short of CPU the callers' process wins and
    # the shadow falls behind, which sheds (counted) rather than slowing anyone's answer.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICE)
    _exit_with_parent()
    asyncio.run(_serve(config, channel))


def _exit_with_parent() -> None:
    """Exit as soon as the parent is gone, even if this process's loop is stuck in a read."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            threading.Event().wait(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


async def _serve(config: WorkerConfig, channel: socket.socket) -> None:
    from app import domains  # here, not at import: the service's side needs none of it
    from app.sources import create

    reader, writer = await asyncio.open_connection(sock=channel)
    outbox: list[tuple[str, Any]] = []
    loop = asyncio.get_running_loop()

    def send(kind: str, payload: Any) -> None:
        if not outbox:  # batched as the service batches jobs: fewer wake-ups of its loop
            loop.call_later(BATCH_SECONDS, flush)
        outbox.append((kind, payload))

    def flush() -> None:
        body = pickle.dumps(outbox, pickle.HIGHEST_PROTOCOL)
        outbox.clear()
        writer.write(_HEADER.pack(len(body)) + body)

    try:
        catalog = domains.load(config.domain).catalog
    except Exception as exc:
        send("failed", f"{type(exc).__name__}: {exc}")
        flush()  # now: the batching timer would never fire once this returns
        await writer.drain()
        return
    sources: dict[str, Any] = {}

    def units(name: str) -> Any:
        # Built at first use: a route reloaded onto another open source needs no restart.
        if name not in sources:
            table = config.aliases.get(name, name)
            build = config.build or (lambda _: create(config.tables, table, key=table))
            sources[name] = build(name)
        return sources[name].unit_of_work

    label: Callable[[BaseException], str] | None = None
    if config.timings:  # telemetry's own labels; its extra is installed when it is on
        from app.telemetry.uow import outcome_of

        label = outcome_of

    tasks: set[asyncio.Task[None]] = set()

    async def one(number: int, job: ShadowJob) -> None:
        send("done", (number, await run(job, units, catalog, label)))

    send("ready", None)
    try:
        while True:
            try:
                (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
                body = await reader.readexactly(size)
            except (asyncio.IncompleteReadError, ConnectionError):
                break  # the service closed its end, or is gone: stop
            try:
                jobs: list[tuple[int, ShadowJob]] = pickle.loads(body)
            except Exception:  # e.g. an argument's class this process cannot import
                logger.warning("shadow worker: a batch of jobs could not be read", exc_info=True)
                continue  # the service gives up on them past their deadline
            for number, job in jobs:
                task = loop.create_task(one(number, job))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for source in sources.values():
            with contextlib.suppress(Exception):
                await source.aclose()
        writer.close()
