"""Checks of unique keys (``EntityType.unique``): one holder per value, and ``find_by``.

The studio has one, the slot: one shoot day per location and date, across productions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, seedable, writable
from domain import Conflict, Entity, UniqueKey
from domain.catalog import AnyEntityType


def keyed(caps: Any, h: Harness) -> str | None:
    """Requirement: the catalog declares a unique key."""
    return None if any(e.unique for e in h.catalog) else "the catalog declares no unique key"


def _keys(h: Harness) -> Iterator[tuple[AnyEntityType, UniqueKey]]:
    for entity in h.catalog:
        for key in entity.unique:
            yield entity, key


def _value(key: UniqueKey, entity: Entity) -> tuple[Any, ...]:
    return tuple(getattr(entity, name) for name in key.fields)


async def _holder(h: Harness, entity: AnyEntityType) -> Entity:
    made, holder = f.build(h.catalog, entity)
    assert isinstance(holder, Entity)
    await f.store(h.catalog, h.writer, *made)
    return holder


def _wanting(
    h: Harness, entity: AnyEntityType, key: UniqueKey, holder: Entity
) -> tuple[list[Entity], list[Entity]]:
    """Parents to store, and two new entities wanting ``holder``'s key.

    One has ``holder``'s references, one new ones where the key allows (another
    production booking the same slot).
    """
    kept = {name: getattr(holder, name) for name in key.fields if name in _refs(entity)}
    same = {name: getattr(holder, name) for name in _refs(entity)}
    parents: list[Entity] = []
    wanting: list[Entity] = []
    for refs in (same, kept):
        made, other = f.build(h.catalog, entity, refs)
        parents += made[:-1]
        wanting.append(other.evolve(**dict(zip(key.fields, _value(key, holder), strict=True))))
    return parents, wanting


def _refs(entity: AnyEntityType) -> list[str]:
    return [ref.name for ref in entity.references]


@check("unique_keys", writable, keyed)
async def a_second_holder_of_a_unique_key_conflicts(h: Harness) -> None:
    """A second entity with a taken unique key raises Conflict with the key's reason."""
    for entity, key in _keys(h):
        holder = await _holder(h, entity)
        parents, wanting = _wanting(h, entity, key, holder)
        await f.store(h.catalog, h.uow, *parents)
        for other in wanting:
            async with expect(Conflict, f"a second holder of {entity.plural}.{key.name}"):
                await f.store(h.catalog, h.uow, other)
        async with h.uow() as uow:
            found = list(await uow.repository(entity).find_by(key, [_value(key, holder)]))
        assert found == [holder], f"find_by after refused holders gave {found!r}"


@check("unique_keys", seedable, keyed)
async def find_by_returns_exactly_the_holders(h: Harness) -> None:
    """find_by returns the entities holding the values asked for, and no others."""
    for entity, key in _keys(h):
        first, second = await _holder(h, entity), await _holder(h, entity)
        held = [_value(key, first), _value(key, second)]
        crossed = [  # the fields of one holder mixed with the other's: nobody holds these
            (*held[0][:1], *held[1][1:]),
            (*held[1][:1], *held[0][1:]),
        ]
        asked = held + [v for v in crossed if v not in held]
        async with h.uow() as uow:
            found = await uow.repository(entity).find_by(key, asked)
            nothing = await uow.repository(entity).find_by(key, [])
        assert sorted(e.id for e in found) == sorted([first.id, second.id]), (
            f"find_by({key.name}) gave {found!r}"
        )
        assert list(nothing) == [], "find_by of no values returned entities"


@check("unique_keys", writable, keyed)
async def moving_or_removing_frees_a_unique_key(h: Harness) -> None:
    """After an entity's key changes or it is removed, its old value can be taken again."""
    for entity, key in _keys(h):
        holder = await _holder(h, entity)
        async with h.uow() as uow:
            moved = await uow.repository(entity).update(f.changed(h.catalog, holder))
            await uow.commit()
        if _value(key, moved) == _value(key, holder):
            continue  # the example factory varies no field of this key but references
        parents, (again, taker) = _wanting(h, entity, key, holder)
        await f.store(h.catalog, h.uow, *parents, taker)
        async with h.uow() as uow:
            await uow.repository(entity).remove(taker.id, taker.version)
            await uow.commit()
        await f.store(h.catalog, h.uow, again)
        async with h.uow() as uow:
            holders = await uow.repository(entity).find_by(key, [_value(key, moved)])
        assert list(holders) == [moved], f"the moved entity's new value is held by {holders!r}"


@check("unique_keys", writable, keyed)
async def moving_onto_a_taken_unique_key_conflicts(h: Harness) -> None:
    """An update that moves an entity onto another's key raises Conflict, changing nothing."""
    for entity, key in _keys(h):
        mine, theirs = await _holder(h, entity), await _holder(h, entity)
        onto = mine.evolve(**dict(zip(key.fields, _value(key, theirs), strict=True)))
        async with expect(Conflict, f"moving onto a taken {entity.plural}.{key.name}"):
            async with h.uow() as uow:
                await uow.repository(entity).update(onto)
                await uow.commit()
        async with h.uow() as uow:
            assert await uow.repository(entity).get(mine.id) == mine, "the refused move changed it"
