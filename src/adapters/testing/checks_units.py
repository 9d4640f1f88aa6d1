"""Checks of the unit of work: commit, discard, and all-or-nothing commits."""

from __future__ import annotations

from adapters.testing import fixtures as f
from adapters.testing.checks_reads import one_of_each
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, atomic, check, writable
from domain import Conflict, Entity, NotFound


async def _assert_absent(h: Harness, *entities: Entity) -> None:
    async with h.uow() as uow:
        for entity in entities:
            async with expect(NotFound, f"{type(entity).__name__} written without a commit"):
                await f.repository_for(h.catalog, uow, entity).get(entity.id)


def _everything(h: Harness) -> list[Entity]:
    """One example of every type with what it refers to, parents first (nothing stored)."""
    return [e for entity in h.catalog for e in f.build(h.catalog, entity)[0]]


@check("unit_of_work", writable)
async def leaving_without_commit_discards_every_write(h: Harness) -> None:
    """Adds, updates and removes made without commit are gone after the block."""
    first = h.catalog.entities[0]
    made, kept = f.build(h.catalog, first)
    await f.store(h.catalog, h.uow, *made)
    added = _everything(h)
    async with h.uow() as uow:
        for entity in added:
            await f.repository_for(h.catalog, uow, entity).add(entity)
        await uow.repository(first).update(f.changed(h.catalog, kept))
    await _assert_absent(h, *added)
    async with h.uow() as uow:
        await uow.repository(first).remove(kept.id, kept.version)
    async with h.uow() as uow:
        assert await uow.repository(first).get(kept.id) == kept, (
            "an uncommitted write changed the store"
        )


@check("unit_of_work", writable)
async def an_error_inside_the_block_discards_every_write(h: Harness) -> None:
    """An exception raised inside the block leaves nothing written."""
    added = _everything(h)

    class Boom(Exception):
        pass

    try:
        async with h.uow() as uow:
            for entity in added:
                await f.repository_for(h.catalog, uow, entity).add(entity)
            raise Boom
    except Boom:
        pass
    await _assert_absent(h, *added)


@check("unit_of_work", writable)
async def a_commit_writes_all_repositories(h: Harness) -> None:
    """One commit stores entities of every repository, all visible afterwards."""
    added = _everything(h)
    await f.store(h.catalog, h.uow, *added)
    async with h.uow() as uow:
        for entity in added:
            assert await f.repository_for(h.catalog, uow, entity).get(entity.id) == entity


@check("atomic_commit", atomic)
async def a_failed_commit_writes_nothing(h: Harness) -> None:
    """When one write of a commit fails, the others of the same commit are not stored."""
    first = h.catalog.entities[0]
    made, existing = f.build(h.catalog, first)
    await f.store(h.catalog, h.uow, *made)
    added = _everything(h)
    duplicate = f.changed(h.catalog, existing)  # another entity with the same id
    async with expect(Conflict, "commit with a duplicate id at the end"):
        await f.store(h.catalog, h.uow, *added, duplicate)
    await _assert_absent(h, *added)


@check("atomic_commit", atomic)
async def a_failed_commit_undoes_updates_and_removes_too(h: Harness) -> None:
    """Updates and removes before the failing write of a commit are undone as well."""
    updated, removed, other = await one_of_each(h), await one_of_each(h), await one_of_each(h)
    async with expect(Conflict, "commit with a stale update at the end"), h.uow() as uow:
        for entity in updated:
            await f.repository_for(h.catalog, uow, entity).update(f.changed(h.catalog, entity))
        for entity in reversed(removed):
            await f.repository_for(h.catalog, uow, entity).remove(entity.id, entity.version)
        await f.repository_for(h.catalog, uow, other[0]).update(other[0].evolve(version=7))
        await uow.commit()
    async with h.uow() as uow:
        for entity in (*updated, *removed):
            stored = await f.repository_for(h.catalog, uow, entity).get(entity.id)
            assert stored == entity, f"a write of a failed commit stayed: {stored!r}"
