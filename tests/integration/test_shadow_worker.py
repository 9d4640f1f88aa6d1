"""Shadow reads in a worker process (``[migration] shadow_worker = "process"``, issue 14 item 3).

The worker builds its sources itself: here a SQLite file read through the real SQL source,
wrapped in the worker by the same misbehaving doubles the in-loop tests use (failing,
hanging, lying), so what is under test is the hand-off, the process and the counting.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from app.bootstrap import bootstrap, reload_routes
from app.errors import ConfigError
from app.migration import MigrationState
from app.migration.reads import ShadowReads
from app.migration.report import report
from app.migration.shadow_worker import ShadowJob
from app.migration.shadow_worker_process import ProcessShadowWorker, WorkerConfig
from app.migration.values import outcome_of
from app.settings import Settings, load_settings
from app.sources import create
from domain import MOVIES, Movie, MovieQuery, NotFound, PageRequest
from tests.unit.app.test_migration_reads import SHADOWS, _Units

DEADLINE = 60.0
"""Seconds a test waits for a worker process at most (a spawn on a loaded machine is slow)."""


def build(url: str, name: str) -> Any:
    """In the worker: ``primary`` is the SQLite file; any other name misbehaves that way."""
    source = SqlDataSource(parse_options({"url": url}))
    return source if name == "primary" else _Double(source, name)


class _Double:
    """A data source whose repositories misbehave as its name says (``_Units`` of the tests)."""

    def __init__(self, source: SqlDataSource, how: str) -> None:
        self._source, self._how = source, how

    def unit_of_work(self) -> _Units:
        return _Units(self._source, self._how)()  # type: ignore[arg-type]

    async def aclose(self) -> None:
        await self._source.aclose()


class _World:
    """One worker process over one SQLite file, kept on one loop across hypothesis examples."""

    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.url = f"sqlite+aiosqlite:///{folder / 'shadow.db'}"
        self.state = MigrationState()
        self.primary = SqlDataSource(parse_options({"url": self.url}))
        self.worker = self.run(self._start())

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    async def _start(self) -> ProcessShadowWorker:
        await upgrade(self.url)
        async with self.primary.unit_of_work() as uow:
            self.movies = [await uow.repository(MOVIES).add(Movie(title=f"M{n}")) for n in range(3)]
            await uow.commit()
        config = WorkerConfig("studio", {}, build=functools.partial(build, self.url))
        worker = ProcessShadowWorker(config, self.state, restart_seconds=0.05)
        await worker.start()
        async with asyncio.timeout(DEADLINE):
            await worker.ready.wait()
        return worker

    def shadowed(self, plain: Any, how: str, timeout: float = 0.05) -> ShadowReads[Any, Any]:
        return ShadowReads(
            MOVIES,
            plain,
            self.worker,
            read_source="primary",
            shadow_source=how,
            sample=1.0,
            timeout=timeout,
            state=self.state,
        )

    def close(self) -> None:
        self.run(self.worker.aclose())
        self.run(self.primary.aclose())
        self.loop.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_World]:
    made = _World(tmp_path_factory.mktemp("shadow_worker"))
    yield made
    made.close()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(how=st.sampled_from(SHADOWS), reads=st.lists(st.sampled_from(["get", "missing", "list"])))
def test_property_a_broken_shadow_in_the_worker_never_changes_the_callers_answer(
    world: _World, how: str, reads: list[str]
) -> None:
    before = astuple(world.state.of("movies"))
    movie = world.movies[0]

    async def scenario() -> None:
        async with world.primary.unit_of_work() as uow:
            plain = uow.repository(MOVIES)
            shadowed = world.shadowed(plain, how)
            for read in reads:
                if read == "get":
                    assert await shadowed.get(movie.id) == await plain.get(movie.id)
                elif read == "missing":
                    with pytest.raises(NotFound):
                        await shadowed.get(uuid4())
                else:
                    page = PageRequest(size=2)
                    assert await shadowed.list(MovieQuery(), page) == await plain.list(
                        MovieQuery(), page
                    )
        await world.state.drain()

    world.run(scenario())
    after = world.state.of("movies")
    delta = dict(
        zip(
            ["comparisons", "mismatches", "noise", "noise_mismatches", "failures", "shed"],
            [a - b for a, b in zip(astuple(after)[:6], before, strict=False)],
            strict=True,
        )
    )
    assert delta["comparisons"] + delta["failures"] + delta["shed"] == len(reads)
    assert delta["noise_mismatches"] == 0  # nothing changed between the two primary reads
    if how == "honest":
        assert (delta["mismatches"], delta["failures"]) == (0, 0)  # results reached the state
    if how in ("unavailable", "broken", "hangs"):  # only a NotFound, before it misbehaves
        assert delta["comparisons"] <= reads.count("missing")
    if how == "lies" and "get" in reads:
        assert delta["mismatches"] >= 1
        assert world.state.differences[-1].paths == ("title",)


def test_unhappy_path_a_read_whose_arguments_cannot_be_pickled_fails_alone(world: _World) -> None:
    movie = world.movies[0]
    counts = world.state.of("movies")
    failures, compared = counts.shadow_failures, counts.comparisons
    plain = outcome_of(movie)
    bad = ShadowJob(
        "movies", "get", (lambda: movie.id,), "?", plain, "primary", "honest", 5.0, False
    )
    good = bad._replace(args=(movie.id,), subject=str(movie.id))

    async def scenario() -> None:
        world.worker.submit(bad)
        world.worker.submit(good)  # in the same batch as the bad one
        await world.state.drain()

    world.run(scenario())
    assert (counts.shadow_failures, counts.comparisons) == (failures + 1, compared + 1)


async def test_unhappy_path_a_worker_killed_mid_stream_is_counted_and_started_again(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shadow.db'}"
    await upgrade(url)
    primary = SqlDataSource(parse_options({"url": url}))
    async with primary.unit_of_work() as uow:
        movie = await uow.repository(MOVIES).add(Movie(title="Kept"))
        await uow.commit()
    state = MigrationState()
    config = WorkerConfig("studio", {}, build=functools.partial(build, url))
    worker = ProcessShadowWorker(config, state, restart_seconds=0.05)
    await worker.start()
    try:
        async with asyncio.timeout(DEADLINE):
            await worker.ready.wait()
        first = worker.pid
        async with primary.unit_of_work() as uow:
            plain = uow.repository(MOVIES)
            hanging = ShadowReads(  # each shadow read waits out its 30 s: in flight when killed
                MOVIES,
                plain,
                worker,
                read_source="primary",
                shadow_source="hangs",
                sample=1.0,
                timeout=30.0,
                state=state,
            )
            honest = ShadowReads(
                MOVIES,
                plain,
                worker,
                read_source="primary",
                shadow_source="honest",
                sample=1.0,
                timeout=5.0,
                state=state,
            )
            for _ in range(10):
                assert await hanging.get(movie.id) == movie
            assert first is not None
            os.kill(first, signal.SIGKILL)
            async with asyncio.timeout(DEADLINE):  # the death is noticed, the worker restarted
                while not (state.worker_deaths == 1 and worker.ready.is_set()):
                    assert await honest.get(movie.id) == movie  # callers never notice
                    await asyncio.sleep(0.01)
            assert worker.pid != first
            assert report(state, {})["shadow_worker_deaths"] == 1  # what /_migration shows
            counts = state.of("movies")
            assert counts.shadow_failures >= 10  # the ten in flight at the kill
            await worker.drain()
            compared = counts.comparisons
            assert await honest.get(movie.id) == movie
            await worker.drain()
            assert counts.comparisons == compared + 1  # results reach the state again
    finally:
        await worker.aclose()
        await primary.aclose()
    assert worker.pid is not None
    assert not _alive(worker.pid)


async def test_unhappy_path_a_worker_that_cannot_load_its_domain_says_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    state = MigrationState()
    worker = ProcessShadowWorker(WorkerConfig("no_such_domain", {}), state, restart_seconds=30)
    caplog.set_level(logging.WARNING, logger="app.migration.shadow_worker_process")
    await worker.start()
    try:
        async with asyncio.timeout(DEADLINE):
            # No event tells of a death (the service needs none): polled, with a deadline.
            while state.worker_deaths == 0:  # noqa: ASYNC110  (it says why, then exits)
                await asyncio.sleep(0.01)
    finally:
        await worker.aclose()
    said = [r.getMessage() for r in caplog.records if "could not start" in r.getMessage()]
    assert said == [
        "shadow worker could not start: ConfigError: domain: unknown domain 'no_such_domain' "
        "(choices: medium, studio)"
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_unhappy_path_the_worker_exits_when_the_service_is_killed(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import asyncio, os, signal, sys
        from app.migration import MigrationState
        from app.migration.shadow_worker_process import ProcessShadowWorker, WorkerConfig

        async def main():
            worker = ProcessShadowWorker(WorkerConfig("studio", {}), MigrationState())
            await worker.start()
            await asyncio.wait_for(worker.ready.wait(), 60)
            print(worker.pid, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup of any kind

        if __name__ == "__main__":
            asyncio.run(main())
        """
    )
    path = tmp_path / "service.py"
    path.write_text(script)
    done = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=DEADLINE, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    pid = int(done.stdout.split()[0])
    gone = _poll(lambda: not _alive(pid) or _zombie(pid))
    assert gone, f"shadow worker {pid} outlived its service"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return False


def _poll(done: Any) -> bool:
    import time

    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if done():
            return True
        time.sleep(0.02)
    return False


def _sqlite_settings(tmp_path: Path, worker: str, twin: str = "", **extra: Any) -> Settings:
    return Settings(
        **extra,
        data_source={
            "default": "sql",
            "sql": {"url": f"sqlite+aiosqlite:///{tmp_path / 'main.db'}"},
            "twin": {"kind": "sql", "url": f"sqlite+aiosqlite:///{tmp_path / (twin or 'main.db')}"},
        },
        repositories={"movies": {"shadow": {"to": "twin", "sample": 1.0, "timeout": 5.0}}},
        migration={"shadow_worker": worker},
    )


async def test_happy_path_bootstrap_runs_the_worker_from_the_configuration(tmp_path: Path) -> None:
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'main.db'}")
    async with bootstrap(_sqlite_settings(tmp_path, "in_loop")) as container:
        async with container.uow() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Original"))
            await uow.commit()
    shutil.copy(tmp_path / "main.db", tmp_path / "twin.db")
    twin = SqlDataSource(parse_options({"url": f"sqlite+aiosqlite:///{tmp_path / 'twin.db'}"}))
    async with twin.unit_of_work() as uow:  # the planted difference, behind the ports' back
        await uow.repository(MOVIES).update(movie.evolve(title="Planted"))
        await uow.commit()
    await twin.aclose()
    async with bootstrap(_sqlite_settings(tmp_path, "process", "twin.db")) as container:
        [worker] = container.migration.workers
        async with container.uow() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == movie
        await container.migration.drain()
        counts = container.migration.of("movies")
        assert (counts.comparisons, counts.mismatches) == (1, 1)
        assert [d.paths for d in container.migration.differences] == [("title", "version")]
        pid = worker.pid
    assert pid is not None
    assert _poll(lambda: not _alive(pid))  # stopped with the container


async def test_unhappy_path_a_wiring_that_fails_after_the_worker_started_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'main.db'}")
    started: list[ProcessShadowWorker] = []
    start = ProcessShadowWorker.start

    async def recorded(self: ProcessShadowWorker) -> None:
        started.append(self)
        await start(self)

    def broken(*args: Any) -> Any:
        raise RuntimeError("the units of work could not be built")

    monkeypatch.setattr(ProcessShadowWorker, "start", recorded)
    monkeypatch.setattr("app.bootstrap._uow_factory", broken)
    with pytest.raises(RuntimeError):
        async with bootstrap(_sqlite_settings(tmp_path, "process")):
            pass
    [worker] = started
    pid = worker.pid
    assert pid is not None
    assert _poll(lambda: not _alive(pid))


async def test_unhappy_path_a_reload_onto_a_memory_shadow_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'main.db'}"
    await upgrade(url)

    def settings(movies: Any) -> Settings:
        return Settings(
            data_source={"default": "sql", "sql": {"url": url}, "scratch": {"kind": "memory"}},
            repositories={"movies": movies, "locations": "scratch"},
            migration={"shadow_worker": "process"},
        )

    async with bootstrap(settings("sql")) as container:
        routes = dict(container.routes)
        shadowed = {"read": "sql", "shadow": {"to": "scratch", "sample": 1.0}}
        with pytest.raises(ConfigError, match="'scratch' is a memory source"):
            reload_routes(container, settings(shadowed))
        assert container.routes == routes


async def test_unhappy_path_a_process_worker_over_a_memory_source_is_refused() -> None:
    settings = Settings(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},
        repositories={"movies": {"shadow": {"to": "legacy"}}},
        migration={"shadow_worker": "process"},
    )
    with pytest.raises(ConfigError, match=r"migration\.shadow_worker: 'process' builds") as caught:
        async with bootstrap(settings):
            pass
    assert "is a memory source" in str(caught.value)
    assert "(choices: in_loop, process)" in str(caught.value)


def test_unhappy_path_an_unknown_shadow_worker_is_refused_naming_key_value_and_choices(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEXSTUDIO_MIGRATION__SHADOW_WORKER", "thread")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    for part in ("migration.shadow_worker", "'thread'", "'in_loop'", "'process'"):
        assert part in message


async def test_happy_path_the_services_own_source_is_built_again_by_its_name(
    tmp_path: Path,
) -> None:
    """What ``hexstudio serve`` does: the default source handed in, built from its table."""
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'main.db'}")
    settings = _sqlite_settings(tmp_path, "process")
    tables = settings.data_source.model_extra or {}
    with pytest.raises(ConfigError, match="'sql' was handed in as an object"):
        async with bootstrap(settings, source=create(tables, "sql", key="service.data_source")):
            pass
    handed = create(tables, "sql", key="service.data_source")  # closed with the container
    async with bootstrap(settings, source=handed, source_name="sql") as container:
        async with container.uow() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Served"))
            await uow.commit()
        async with container.uow() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == movie
        await container.migration.drain()
        counts = container.migration.of("movies")
        assert (counts.comparisons, counts.mismatches) == (1, 0)


async def test_happy_path_the_workers_reads_reach_the_port_call_histogram(tmp_path: Path) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'main.db'}")
    settings = _sqlite_settings(tmp_path, "process", telemetry={"enabled": True})
    async with bootstrap(settings) as container:
        async with container.uow() as uow:
            with pytest.raises(NotFound):
                await uow.repository(MOVIES).get(uuid4())
        await container.migration.drain()
        assert container.telemetry is not None
        text = container.telemetry.metrics.render().decode()
    [durations] = [
        f
        for f in text_string_to_metric_families(text)
        if f.name == "hexstudio_port_call_duration_seconds"
    ]
    counted = {
        (
            s.labels["repository"],
            s.labels["operation"],
            s.labels["source"],
            s.labels["role"],
            s.labels["outcome"],
        )
        for s in durations.samples
        if s.name.endswith("_count") and s.value
    }
    assert ("movies", "get", "sql", "primary", "not_found") in counted
    assert ("movies", "get", "twin", "shadow", "not_found") in counted  # measured in the worker


async def test_happy_path_a_worker_not_started_starts_at_the_first_shadowed_read(
    tmp_path: Path,
) -> None:
    """A reload that adds the first shadow: the worker bootstrap did not start starts now."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'shadow.db'}"
    await upgrade(url)
    primary = SqlDataSource(parse_options({"url": url}))
    async with primary.unit_of_work() as uow:
        movie = await uow.repository(MOVIES).add(Movie(title="Late"))
        await uow.commit()
    state = MigrationState()
    worker = ProcessShadowWorker(
        WorkerConfig("studio", {}, build=functools.partial(build, url)), state
    )
    try:
        async with primary.unit_of_work() as uow:
            shadowed = ShadowReads(
                MOVIES,
                uow.repository(MOVIES),
                worker,
                read_source="primary",
                shadow_source="honest",
                sample=1.0,
                timeout=5.0,
                state=state,
            )
            assert await shadowed.get(movie.id) == movie
            assert state.of("movies").shed == 1  # nothing to send it to yet: shed, counted
            async with asyncio.timeout(DEADLINE):
                await worker.ready.wait()
            assert await shadowed.get(movie.id) == movie
        await state.drain()
        assert state.of("movies").comparisons == 1
    finally:
        await worker.aclose()
        await primary.aclose()
