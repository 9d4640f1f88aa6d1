"""What a shadow costs the caller: reads with a shadow 5x slower than the primary, and without.

Issue 14's bound: at ``sample = 1.0`` the shadow adds at most 10% to the primary's read
latency. The primary is the SQL source over a SQLite file; the shadow reads the same file
through a second SQL source whose every read is made 5x as slow as a primary read (measured
first, then padded with a sleep). Three modes, in interleaved rounds: no shadow, the shadow on
the caller's loop (``shadow_worker = "in_loop"``) and in a worker process (``"process"``).
Two workloads, each timed as the caller sees it:

- back to back: ``get`` of known ids one after the other (the caller's loop never idles);
- paced: one ``get`` every ``--interval`` ms, each timed from when it was due (so a read kept
  waiting by shadow work on the loop counts that wait); the median of a round's reads.

And the caller's process's CPU time per read (every thread), back to back: what the hand-off
costs, whatever else runs on the machine. Each mode's figure is the median over the rounds;
the mode that goes first rotates from round to round.

Run: .venv/bin/python bench/shadow_reads.py [--rounds 7] [--reads 300] [--interval 2.0]
     [--modes in_loop,process]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path
from types import TracebackType
from typing import Any

from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from app.migration import MigrationState
from app.migration.reads import ShadowReads
from app.migration.shadow_worker import InLoopShadowWorker, ShadowWorker
from app.migration.shadow_worker_process import ProcessShadowWorker, WorkerConfig
from domain import MOVIES, Movie


class _Slowed:
    """A unit of work whose reads take ``delay`` seconds longer (a slow, remote shadow)."""

    def __init__(self, source: SqlDataSource, delay: float) -> None:
        self._uow, self._delay = source.unit_of_work(), delay

    async def __aenter__(self) -> _Slowed:
        await self._uow.__aenter__()
        await asyncio.sleep(self._delay)
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._uow.__aexit__(et, e, tb)

    def repository(self, entity: Any) -> Any:
        return self._uow.repository(entity)


class _SlowSource:
    """A data source whose units of work are ``_Slowed``."""

    def __init__(self, url: str, delay: float) -> None:
        self._source, self._delay = SqlDataSource(parse_options({"url": url})), delay

    def unit_of_work(self) -> _Slowed:
        return _Slowed(self._source, self._delay)

    async def aclose(self) -> None:
        await self._source.aclose()


def build(url: str, delay: float, name: str) -> Any:
    """The sources by name, in whichever process reads them: ``shadow`` is the slow one."""
    if name == "shadow":
        return _SlowSource(url, delay)
    return SqlDataSource(parse_options({"url": url}))


Read = Callable[[Any], Any]
SPIN = 0.0015
"""How early a paced read wakes before it is due, to start on time despite coarse timers."""


async def _read(primary: SqlDataSource, id: Any, worker: ShadowWorker | None, state: Any) -> None:
    async with primary.unit_of_work() as uow:
        repository: Any = uow.repository(MOVIES)
        if worker is not None:
            repository = ShadowReads(
                MOVIES,
                repository,
                worker,
                read_source="primary",
                shadow_source="shadow",
                sample=1.0,
                timeout=1.0,
                state=state,
            )
        await repository.get(id)


async def _back_to_back(
    primary: SqlDataSource, ids: list[Any], worker: ShadowWorker | None, state: Any
) -> float:
    """Seconds per read, reads one after the other."""
    started = time.perf_counter()
    for id in ids:
        await _read(primary, id, worker, state)
    return (time.perf_counter() - started) / len(ids)


async def _paced(
    primary: SqlDataSource,
    ids: list[Any],
    worker: ShadowWorker | None,
    state: Any,
    interval: float,
) -> float:
    """The median seconds from each read's due time to its answer, one due every ``interval``."""
    waits: list[float] = []
    start = time.perf_counter() + interval
    for n, id in enumerate(ids):
        due = start + n * interval
        ahead = due - time.perf_counter() - SPIN
        if ahead > 0:
            await asyncio.sleep(ahead)  # the loop's timers are ~1 ms coarse: wake early, then
        while time.perf_counter() < due:  # noqa: ASYNC110 (a spin: no event says "it is time")
            await asyncio.sleep(0)  # yield to whatever else is ready (shadow tasks) until due
        await _read(primary, id, worker, state)
        waits.append(time.perf_counter() - due)
    return statistics.median(waits)


async def main(rounds: int, reads: int, interval: float, modes: tuple[str, ...]) -> None:
    """Interleaved rounds of each mode and workload; print the medians and the ratios."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'shadow.db'}"
        await upgrade(url)
        primary = SqlDataSource(parse_options({"url": url}))
        async with primary.unit_of_work() as uow:
            movies = [await uow.repository(MOVIES).add(Movie(title=f"M{n}")) for n in range(reads)]
            await uow.commit()
        ids = [m.id for m in movies]
        await _back_to_back(primary, ids, None, None)  # warm-up
        plain = statistics.median([await _back_to_back(primary, ids, None, None) for _ in range(3)])
        delay = 4 * plain  # the shadow's own read, plus four more: 5x the primary
        here = build(url, delay, "shadow"), build(url, delay, "primary")
        states = {"in_loop": MigrationState(max_shadows=reads), "process": MigrationState()}
        in_loop = InLoopShadowWorker(
            {"shadow": here[0].unit_of_work, "primary": here[1].unit_of_work},
            {"movies": MOVIES},
            states["in_loop"],
        )
        config = WorkerConfig("studio", {}, build=functools.partial(build, url, delay))
        process = ProcessShadowWorker(config, states["process"])
        await process.start()
        await asyncio.wait_for(process.ready.wait(), 120)
        workers: dict[str, ShadowWorker | None] = {"off": None, "in_loop": in_loop}
        workers["process"] = process
        workers = {mode: workers[mode] for mode in ("off", *modes)}
        times: dict[tuple[str, str], list[float]] = {}
        order = list(workers)
        for round in range(rounds):
            turn = round % len(order)
            for mode in order[turn:] + order[:turn]:  # no mode always goes first
                worker = workers[mode]
                state = states.get(mode)
                for workload in ("back to back", "paced"):
                    cpu = time.process_time()
                    if workload == "paced":
                        took = await _paced(primary, ids, worker, state, interval)
                    else:
                        took = await _back_to_back(primary, ids, worker, state)
                    times.setdefault((mode, workload), []).append(took)
                    if workload == "back to back":  # this process's CPU, all its threads
                        spent = (time.process_time() - cpu) / len(ids)
                        times.setdefault((mode, "cpu"), []).append(spent)
                    if state is not None:
                        await state.drain()  # outside the timing: the caller never waits on it
        await process.aclose()
        for source in here:
            await source.aclose()
        await primary.aclose()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"median of {rounds} interleaved rounds of {reads} reads (get by id, SQLite), "
        f"shadow 5x the primary ({plain * 1e6:.0f} µs + {delay * 1e6:.0f} µs), sample 1.0, "
        f"paced: one read every {interval * 1e3:g} ms; load average {load}"
    )
    print("(cpu: the caller's process's CPU time per read, back to back, every thread)")
    print(
        "| workload | no shadow | "
        + " | ".join(modes)
        + " | "
        + " | ".join(f"{m} / none" for m in modes)
        + " |"
    )
    print("|---" * (2 + 2 * len(modes)) + "|")
    for workload in ("back to back", "paced", "cpu"):
        off, *others = (statistics.median(times[(m, workload)]) for m in workers)
        cells = [f"{off * 1e6:.0f} µs", *(f"{t * 1e6:.0f} µs" for t in others)]
        cells += [f"{t / off:.2f}x" for t in others]
        print(f"| {workload} | " + " | ".join(cells) + " |")
    for mode in modes:
        counts = states[mode].of("movies")
        compared, mismatches, _, _, failures, shed, _ = astuple(counts)
        print(
            f"{mode}: {compared} compared, {mismatches} mismatches, {failures} failed, "
            f"{shed} shed (of {rounds * 2 * reads} shadowed reads)"
        )
    print("bound: the process mode within 1.10x of no shadow")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--interval", type=float, default=2.0, help="ms between paced reads")
    parser.add_argument("--modes", default="in_loop,process", help="shadow modes to compare")
    args = parser.parse_args()
    modes = tuple(m for m in args.modes.split(",") if m)
    if not set(modes) <= {"in_loop", "process"}:
        parser.error(f"--modes: expected in_loop and/or process, got {args.modes!r}")
    asyncio.run(main(args.rounds, args.reads, args.interval / 1e3, modes))
