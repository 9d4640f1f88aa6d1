"""Dual writes through the outbox (issue 14, item 6): nothing lost, nothing applied twice."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from adapters.memory import MemoryDataSource
from app.migration.mirror import Relay, recover
from app.migration.outbox import Change, Outbox
from app.routed_uow import RoutedUnitOfWork
from app.routing import Mirror, Route
from domain import (
    MOVIES,
    STUDIO,
    Conflict,
    DataSourceUnavailable,
    Movie,
    MovieQuery,
    PageRequest,
)


class _Switch:
    """A mirror's unit-of-work factory that is down while ``down`` is set."""

    def __init__(self, source: MemoryDataSource) -> None:
        self.source, self.down = source, False

    def __call__(self) -> Any:
        if self.down:
            return _Down()
        return self.source.unit_of_work()


class _Down:
    async def __aenter__(self) -> _Down:
        raise DataSourceUnavailable("mirror down")

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


def _wired(tmp_path: Path) -> tuple[MemoryDataSource, MemoryDataSource, _Switch, Outbox, Relay]:
    primary, mirror = MemoryDataSource(), MemoryDataSource()
    switch = _Switch(mirror)
    outbox = Outbox(tmp_path / "outbox.db")
    return primary, mirror, switch, outbox, Relay("mirror", switch, STUDIO, outbox)


def _uow(primary: MemoryDataSource, outbox: Outbox, relay: Relay) -> RoutedUnitOfWork:
    route = Route("primary", "primary", mirror=Mirror("mirror"))
    return RoutedUnitOfWork(
        {"primary": primary.unit_of_work()},
        {e.plural: route for e in STUDIO},
        mirrors={"mirror": (outbox, relay)},
    )


async def _movies(source: MemoryDataSource) -> dict[Any, Movie]:
    async with source.unit_of_work() as uow:
        page = await uow.repository(MOVIES).list(MovieQuery(), PageRequest(size=500))
    return {m.id: m for m in page.items}


async def test_happy_path_the_mirror_receives_every_committed_write(tmp_path: Path) -> None:
    primary, mirror, _, outbox, relay = _wired(tmp_path)
    async with _uow(primary, outbox, relay) as uow:
        kept = await uow.repository(MOVIES).add(Movie(title="Kept"))
        gone = await uow.repository(MOVIES).add(Movie(title="Gone"))
        await uow.commit()
    async with _uow(primary, outbox, relay) as uow:
        await uow.repository(MOVIES).update(kept.evolve(title="Kept, retitled"))
        await uow.repository(MOVIES).remove(gone.id, gone.version)
        await uow.commit()
    await relay.drain()
    assert await _movies(mirror) == await _movies(primary)
    assert (await _movies(mirror))[kept.id].version == 2
    assert (relay.applied, outbox.count("mirror")) == (4, 0)


async def test_happy_path_a_mirror_that_was_down_catches_up_and_nothing_twice(
    tmp_path: Path,
) -> None:
    primary, mirror, switch, outbox, relay = _wired(tmp_path)
    switch.down = True
    movies = []
    for n in range(5):
        async with _uow(primary, outbox, relay) as uow:
            movie = await uow.repository(MOVIES).add(Movie(title=f"Movie {n}"))
            movies.append(await uow.repository(MOVIES).update(movie.evolve(logline="edited")))
            await uow.commit()
    await relay.drain()
    assert outbox.count("mirror") == 10  # kept in order while the mirror is down
    assert await _movies(mirror) == {}
    assert relay.last_error == "DataSourceUnavailable: mirror down"
    switch.down = False
    relay.kick()
    await relay.drain()
    assert await _movies(mirror) == await _movies(primary)
    assert (relay.applied, relay.skipped, outbox.count("mirror")) == (10, 0, 0)


async def test_happy_path_a_change_sent_twice_is_applied_once(tmp_path: Path) -> None:
    primary, mirror, _, outbox, relay = _wired(tmp_path)
    async with _uow(primary, outbox, relay) as uow:
        movie = await uow.repository(MOVIES).add(Movie(title="Once"))
        await uow.commit()
    await relay.drain()
    # As if the relay had stopped after the mirror committed, before the journal said so.
    dumped = movie.model_dump(mode="json")
    outbox.ready(outbox.stage("mirror", [Change("movies", "add", str(movie.id), 1, dumped)]))
    relay.kick()
    await relay.drain()
    assert (relay.applied, relay.skipped) == (1, 1)
    assert (await _movies(mirror))[movie.id] == movie


async def test_unhappy_path_a_commit_that_fails_sends_nothing(tmp_path: Path) -> None:
    primary, mirror, _, outbox, relay = _wired(tmp_path)
    async with _uow(primary, outbox, relay) as uow:
        movie = await uow.repository(MOVIES).add(Movie(title="Twice"))
        await uow.repository(MOVIES).add(movie)  # the same id again: the commit refuses
        with pytest.raises(Conflict):
            await uow.commit()
    await relay.drain()
    assert outbox.count("mirror") == 0
    assert outbox.staged() == []
    assert await _movies(mirror) == {}


async def test_happy_path_recovery_sends_what_the_primary_committed_and_drops_the_rest(
    tmp_path: Path,
) -> None:
    primary, mirror, _, outbox, relay = _wired(tmp_path)
    async with primary.unit_of_work() as uow:
        committed = await uow.repository(MOVIES).add(Movie(title="Committed before the crash"))
        await uow.commit()
    never = Movie(title="Never committed")
    outbox.stage(
        "mirror",
        [
            Change("movies", "add", str(committed.id), 1, committed.model_dump(mode="json")),
            Change("movies", "add", str(never.id), 1, never.model_dump(mode="json")),
        ],
    )  # staged by a process that then died: neither was made ready
    await recover(outbox, {"movies": primary.unit_of_work}, STUDIO)
    relay.kick()
    await relay.drain()
    assert set(await _movies(mirror)) == {committed.id}
    assert outbox.staged() == []
