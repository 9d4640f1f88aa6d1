"""Checks of add, update and remove with optimistic versions, over every entity type."""

from __future__ import annotations

from uuid import uuid4

from adapters.testing import fixtures as f
from adapters.testing.checks_reads import one_of_each
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, writable
from domain import Conflict, NotFound


@check("writes", writable)
async def add_of_a_taken_id_conflicts_and_keeps_the_original(h: Harness) -> None:
    """Adding an entity whose id exists raises Conflict; the stored one is unchanged."""
    first = h.catalog.entities[0]
    made, original = f.build(h.catalog, first)
    await f.store(h.catalog, h.uow, *made)
    async with expect(Conflict, f"{first.plural}.add(existing id)"):
        await f.store(h.catalog, h.uow, f.changed(h.catalog, original))
    async with h.uow() as uow:
        assert await uow.repository(first).get(original.id) == original, (
            "the original was overwritten"
        )


@check("writes", writable)
async def update_stores_the_change_at_the_next_version(h: Harness) -> None:
    """Update returns the entity at version + 1, and that is what get returns after commit."""
    for entity in await one_of_each(h):
        change = f.changed(h.catalog, entity)
        async with h.uow() as uow:
            returned = await f.repository_for(h.catalog, uow, entity).update(change)
            await uow.commit()
        assert returned == change.evolve(version=2), f"update returned {returned!r}"
        async with h.uow() as uow:
            stored = await f.repository_for(h.catalog, uow, entity).get(entity.id)
        assert stored == returned, f"get after update returned {stored!r}, not {returned!r}"


@check("writes", writable)
async def stale_updates_conflict_and_change_nothing(h: Harness) -> None:
    """Update with an old version raises Conflict and leaves the stored entity as it was."""
    for entity in await one_of_each(h):
        async with h.uow() as uow:
            repository = f.repository_for(h.catalog, uow, entity)
            current = await repository.update(f.changed(h.catalog, entity))
            await uow.commit()
        async with expect(Conflict, f"stale update of {type(entity).__name__}"):
            async with h.uow() as uow:
                await f.repository_for(h.catalog, uow, entity).update(f.changed(h.catalog, entity))
                await uow.commit()
        async with h.uow() as uow:
            stored = await f.repository_for(h.catalog, uow, entity).get(entity.id)
        assert stored == current, f"after a refused update: {stored!r}, expected {current!r}"


@check("writes", writable)
async def stale_removes_conflict_and_keep_the_entity(h: Harness) -> None:
    """Remove with an old version raises Conflict and removes nothing."""
    for entity in reversed(await one_of_each(h)):  # referrers first, as foreign keys want
        async with expect(Conflict, f"stale remove of {type(entity).__name__}"):
            async with h.uow() as uow:
                repository = f.repository_for(h.catalog, uow, entity)
                await repository.remove(entity.id, entity.version + 1)
                await uow.commit()
        async with h.uow() as uow:
            assert await f.repository_for(h.catalog, uow, entity).get(entity.id) == entity


@check("writes", writable)
async def remove_deletes(h: Harness) -> None:
    """Remove at the stored version deletes: get raises NotFound afterwards."""
    for entity in reversed(await one_of_each(h)):
        async with h.uow() as uow:
            await f.repository_for(h.catalog, uow, entity).remove(entity.id, entity.version)
            await uow.commit()
        async with h.uow() as uow, expect(NotFound, f"get of a removed {type(entity).__name__}"):
            await f.repository_for(h.catalog, uow, entity).get(entity.id)


@check("writes", writable)
async def writes_to_missing_ids_raise_not_found(h: Harness) -> None:
    """Update and remove of an id nobody stored raise NotFound."""
    for entity in h.catalog:
        _, ghost = f.build(h.catalog, entity)
        async with expect(NotFound, f"{entity.plural}.update(missing)"), h.uow() as uow:
            await uow.repository(entity).update(ghost)
            await uow.commit()
        async with expect(NotFound, f"{entity.plural}.remove(missing)"), h.uow() as uow:
            await uow.repository(entity).remove(uuid4(), 1)
            await uow.commit()
