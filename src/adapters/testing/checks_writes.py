"""Checks of add, update and remove with optimistic versions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, writable
from domain import Conflict, Entity, NotFound


def _each_kind() -> list[Entity]:
    movie, place = f.movie(), f.location()
    production = f.production(movie.id)
    return [movie, place, production, f.shoot_day(production.id, place.id, dt.date(2027, 4, 1))]


def _changed(entity: Entity) -> Entity:
    """The same entity with one field changed (the version untouched)."""
    changes: dict[str, dict[str, Any]] = {
        "Movie": {"title": f.unique("Retitled")},
        "ShootingLocation": {"name": f.unique("Renamed")},
        "Production": {"wraps_on": dt.date(2027, 7, 31)},
        "ShootDay": {"date": dt.date(2027, 4, 2)},
    }
    return entity.evolve(**changes[type(entity).__name__])


@check("writes", writable)
async def add_of_a_taken_id_conflicts_and_keeps_the_original(h: Harness) -> None:
    """Adding an entity whose id exists raises Conflict; the stored one is unchanged."""
    original = f.movie()
    await f.store(h.uow, original)
    async with expect(Conflict, "movies.add(existing id)"):
        await f.store(h.uow, f.movie(id=original.id))
    async with h.uow() as uow:
        assert await uow.movies.get(original.id) == original, "the original was overwritten"


@check("writes", writable)
async def update_stores_the_change_at_the_next_version(h: Harness) -> None:
    """Update returns the entity at version + 1, and that is what get returns after commit."""
    entities = _each_kind()
    await f.store(h.uow, *entities)
    for entity in entities:
        changed = _changed(entity)
        async with h.uow() as uow:
            returned = await f.repository_for(uow, entity).update(changed)
            await uow.commit()
        assert returned == changed.evolve(version=2), f"update returned {returned!r}"
        async with h.uow() as uow:
            stored = await f.repository_for(uow, entity).get(entity.id)
        assert stored == returned, f"get after update returned {stored!r}, not {returned!r}"


@check("writes", writable)
async def stale_updates_conflict_and_change_nothing(h: Harness) -> None:
    """Update with an old version raises Conflict and leaves the stored entity as it was."""
    entities = _each_kind()
    await f.store(h.uow, *entities)
    for entity in entities:
        async with h.uow() as uow:
            repository = f.repository_for(uow, entity)
            current = await repository.update(_changed(entity))
            await uow.commit()
        async with expect(Conflict, f"stale update of {type(entity).__name__}"):
            async with h.uow() as uow:
                await f.repository_for(uow, entity).update(_changed(entity))
                await uow.commit()
        async with h.uow() as uow:
            stored = await f.repository_for(uow, entity).get(entity.id)
        assert stored == current, f"after a refused update: {stored!r}, expected {current!r}"


@check("writes", writable)
async def stale_removes_conflict_and_keep_the_entity(h: Harness) -> None:
    """Remove with an old version raises Conflict and removes nothing."""
    entities = _each_kind()
    await f.store(h.uow, *entities)
    for entity in reversed(entities):  # children first, as foreign keys would want
        async with expect(Conflict, f"stale remove of {type(entity).__name__}"):
            async with h.uow() as uow:
                await f.repository_for(uow, entity).remove(entity.id, entity.version + 1)
                await uow.commit()
        async with h.uow() as uow:
            assert await f.repository_for(uow, entity).get(entity.id) == entity


@check("writes", writable)
async def remove_deletes(h: Harness) -> None:
    """Remove at the stored version deletes: get raises NotFound afterwards."""
    entities = _each_kind()
    await f.store(h.uow, *entities)
    for entity in reversed(entities):
        async with h.uow() as uow:
            await f.repository_for(uow, entity).remove(entity.id, entity.version)
            await uow.commit()
        async with h.uow() as uow, expect(NotFound, f"get of a removed {type(entity).__name__}"):
            await f.repository_for(uow, entity).get(entity.id)


@check("writes", writable)
async def writes_to_missing_ids_raise_not_found(h: Harness) -> None:
    """Update and remove of an id nobody stored raise NotFound."""
    ghost = f.movie()
    async with expect(NotFound, "movies.update(missing)"), h.uow() as uow:
        await uow.movies.update(ghost)
        await uow.commit()
    async with expect(NotFound, "movies.remove(missing)"), h.uow() as uow:
        await uow.movies.remove(uuid4(), 1)
        await uow.commit()
