"""Checks of concurrent units of work: optimistic versions and unique keys hold under races."""

from __future__ import annotations

import asyncio

from adapters.testing import fixtures as f
from adapters.testing.checks_unique import keyed
from adapters.testing.kit import Harness, check, writable
from domain import Conflict, Entity


async def _update(h: Harness, entity: Entity) -> Entity:
    async with h.uow() as uow:
        stored: Entity = await f.repository_for(h.catalog, uow, entity).update(entity)
        await uow.commit()
    return stored


@check("concurrency", writable)
async def concurrent_updates_of_one_version_let_exactly_one_win(h: Harness) -> None:
    """Two units of work updating the same version at once: one wins, one gets Conflict."""
    first = h.catalog.entities[0]
    made, entity = f.build(h.catalog, first)
    await f.store(h.catalog, h.uow, *made)
    changes = [f.changed(h.catalog, entity) for _ in range(2)]
    outcomes = await asyncio.gather(*(_update(h, c) for c in changes), return_exceptions=True)
    winners = [o for o in outcomes if isinstance(o, Entity)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1, f"outcomes: {outcomes!r}"
    assert len(losers) == 1, f"outcomes: {outcomes!r}"
    async with h.uow() as uow:
        assert await uow.repository(first).get(entity.id) == winners[0], (
            "the stored entity is not the winner"
        )


@check("concurrency", writable, keyed)
async def concurrent_holders_of_one_unique_key_let_exactly_one_win(h: Harness) -> None:
    """Two units of work taking one unique key at once: one wins, one gets Conflict."""
    for entity in h.catalog:
        for key in entity.unique:
            made, holder = f.build(h.catalog, entity)
            await f.store(h.catalog, h.uow, *made[:-1])
            refs = {ref.name: getattr(holder, ref.name) for ref in entity.references}
            rival = f.build(h.catalog, entity, refs)[1]
            rival = rival.evolve(**{name: getattr(holder, name) for name in key.fields})
            outcomes = await asyncio.gather(
                *(f.store(h.catalog, h.uow, e) for e in (holder, rival)), return_exceptions=True
            )
            assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "NoneType"], (
                f"{entity.plural}.{key.name}: outcomes {outcomes!r}"
            )
