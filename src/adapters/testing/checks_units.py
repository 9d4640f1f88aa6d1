"""Checks of the unit of work: commit, discard, and all-or-nothing commits."""

from __future__ import annotations

import datetime as dt

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, atomic, check, writable
from domain import Conflict, Entity, NotFound


async def _assert_absent(h: Harness, *entities: Entity) -> None:
    async with h.uow() as uow:
        for entity in entities:
            async with expect(NotFound, f"{type(entity).__name__} written without a commit"):
                await f.repository_for(uow, entity).get(entity.id)


@check("unit_of_work", writable)
async def leaving_without_commit_discards_every_write(h: Harness) -> None:
    """Adds, updates and removes made without commit are gone after the block."""
    kept = f.movie()
    await f.store(h.uow, kept)
    movie, place = f.movie(), f.location()
    async with h.uow() as uow:
        await uow.movies.add(movie)
        await uow.locations.add(place)
        await uow.movies.update(kept.evolve(title=f.unique("Uncommitted")))
    await _assert_absent(h, movie, place)
    async with h.uow() as uow:
        await uow.movies.remove(kept.id, kept.version)
    async with h.uow() as uow:
        assert await uow.movies.get(kept.id) == kept, "an uncommitted write changed the store"


@check("unit_of_work", writable)
async def an_error_inside_the_block_discards_every_write(h: Harness) -> None:
    """An exception raised inside the block leaves nothing written."""
    movie = f.movie()

    class Boom(Exception):
        pass

    try:
        async with h.uow() as uow:
            await uow.movies.add(movie)
            raise Boom
    except Boom:
        pass
    await _assert_absent(h, movie)


@check("unit_of_work", writable)
async def a_commit_writes_all_repositories(h: Harness) -> None:
    """One commit stores entities of all four repositories, all visible afterwards."""
    movie, place = f.movie(), f.location()
    production = f.production(movie.id)
    day = f.shoot_day(production.id, place.id, dt.date(2027, 3, 15))
    await f.store(h.uow, movie, place, production, day)
    async with h.uow() as uow:
        for entity in (movie, place, production, day):
            assert await f.repository_for(uow, entity).get(entity.id) == entity


@check("atomic_commit", atomic)
async def a_failed_commit_writes_nothing(h: Harness) -> None:
    """When one write of a commit fails, the others of the same commit are not stored."""
    existing = f.movie()
    await f.store(h.uow, existing)
    movie, place = f.movie(), f.location()
    production = f.production(movie.id)
    async with expect(Conflict, "commit with a duplicate id at the end"):
        await f.store(h.uow, movie, place, production, f.movie(id=existing.id))
    await _assert_absent(h, movie, place, production)


@check("atomic_commit", atomic)
async def a_failed_commit_undoes_updates_and_removes_too(h: Harness) -> None:
    """Updates and removes before the failing write of a commit are undone as well."""
    updated, removed, other = f.movie(), f.movie(), f.movie()
    await f.store(h.uow, updated, removed, other)
    async with expect(Conflict, "commit with a stale update at the end"), h.uow() as uow:
        await uow.movies.update(updated.evolve(title=f.unique("Lost")))
        await uow.movies.remove(removed.id, removed.version)
        await uow.movies.update(other.evolve(version=7))
        await uow.commit()
    async with h.uow() as uow:
        assert await uow.movies.get(updated.id) == updated, "an update of a failed commit stayed"
        assert await uow.movies.get(removed.id) == removed, "a remove of a failed commit stayed"
