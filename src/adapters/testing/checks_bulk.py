"""Checks of bulk adds: a batch changes round trips, never what is stored.

Every writable source passes them: one that implements ``domain.ports.BulkAdds`` stores a
batch as one ``add`` each would (versions, conflicts, all or nothing); one that does not is
written through the plain port by ``bulk_add``, which then adds one by one.
"""

from __future__ import annotations

from typing import Any

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, writable
from domain import Conflict, Entity, NotFound
from domain.catalog import AnyEntityType
from domain.ports import bulk_add

BATCH = 3
"""Entities of each type per batch: more than one, so a batch is not an add in disguise."""


async def _batch(h: Harness, entity: AnyEntityType, **changes: Any) -> list[Entity]:
    """``BATCH`` new examples of ``entity``, their parents stored (plainly), they not."""
    batch: list[Entity] = []
    for _ in range(BATCH):
        made, example = f.build(h.catalog, entity)
        await f.store(h.catalog, h.uow, *made[:-1])
        batch.append(example.evolve(**changes) if changes else example)
    return batch


@check("writes", writable)
async def bulk_add_stores_each_entity_as_add_does(h: Harness) -> None:
    """A batch added in one unit is what ``get_many`` returns after commit, version included.

    The batch is at version 3 and one twin at version 3 goes through a plain ``add``: each
    entity of the batch must be stored at the version the plain add stored its twin at.
    """
    for entity in h.catalog:
        batch = await _batch(h, entity, version=3)
        twin = (await _batch(h, entity, version=3))[0]
        async with h.uow() as uow:
            repository = uow.repository(entity)
            returned = await bulk_add(repository, batch)
            await repository.add(twin)
            await uow.commit()
        async with h.uow() as uow:
            stored = await uow.repository(entity).get_many([e.id for e in batch])
            plain = await uow.repository(entity).get(twin.id)
        assert sorted(stored) == sorted(e.id for e in batch), (
            f"{entity.plural}: stored {len(stored)} of a batch of {len(batch)}"
        )
        for given, back in zip(batch, returned, strict=True):
            assert stored[given.id] == back, (
                f"{entity.plural}: bulk_add returned {back!r}, get returned {stored[given.id]!r}"
            )
            assert back.version == plain.version, (
                f"{entity.plural}: batch stored at version {back.version}, "
                f"a plain add at {plain.version}"
            )


@check("writes", writable)
async def bulk_add_of_a_taken_id_conflicts_and_stores_none_of_the_batch(h: Harness) -> None:
    """A batch holding a taken id raises Conflict; the stored one and the store are unchanged.

    Conflict may come at the batch or at commit (as for ``add``); either way, on a source
    whose commits are all or nothing, no entity of the batch may be found afterwards.
    """
    for entity in h.catalog:
        made, original = f.build(h.catalog, entity)
        await f.store(h.catalog, h.uow, *made)
        batch = await _batch(h, entity)
        taken = [batch[0], f.changed(h.catalog, original), *batch[1:]]
        async with expect(Conflict, f"{entity.plural}: bulk_add(batch with an existing id)"):
            async with h.uow() as uow:
                await bulk_add(uow.repository(entity), taken)
                await uow.commit()
        async with h.uow() as uow:
            repository = uow.repository(entity)
            assert await repository.get(original.id) == original, (
                f"{entity.plural}: the original was overwritten by a batch"
            )
            if not h.capabilities.atomic_commit:
                continue  # a commit that is not all or nothing may keep part of the batch
            for new in batch:
                async with expect(NotFound, f"{entity.plural}: an entity of a refused batch"):
                    await repository.get(new.id)


@check("writes", writable)
async def an_empty_bulk_add_stores_nothing_and_returns_nothing(h: Harness) -> None:
    """``add_many`` of no entities returns nothing and the unit still commits.

    Asked of the source's own ``add_many`` (``bulk_add`` answers an empty batch itself), so a
    source that fails on, or makes something of, an empty batch is caught.
    """
    first = h.catalog.entities[0]
    async with h.uow() as uow:
        repository = uow.repository(first)
        add_many = getattr(repository, "add_many", None)
        stored = [] if add_many is None else list(await add_many([]))
        assert stored == [], f"{first.plural}: add_many([]) returned {stored!r}"
        await uow.commit()
