"""Checks of get and get_many, over every entity type of the catalog."""

from __future__ import annotations

from uuid import uuid4

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, seedable
from domain import Entity, NotFound


async def one_of_each(h: Harness) -> list[Entity]:
    """Store one example of every type (with what it refers to); return those examples."""
    stored: list[Entity] = []
    examples: list[Entity] = []
    for entity in h.catalog:
        made, example = f.build(h.catalog, entity)
        stored += made
        examples.append(example)
    await f.store(h.catalog, h.writer, *stored)
    return examples


@check("reads", seedable)
async def get_returns_what_was_added(h: Harness) -> None:
    """Get returns each stored entity equal to what was added, at version 1."""
    entities = await one_of_each(h)
    async with h.uow() as uow:
        for entity in entities:
            got = await f.repository_for(h.catalog, uow, entity).get(entity.id)
            assert got == entity, f"get returned {got!r}, stored {entity!r}"
            assert got.version == 1, f"a new {type(entity).__name__} is at version {got.version}"


@check("reads")
async def get_of_a_missing_id_raises_not_found(h: Harness) -> None:
    """Get of an id nobody stored raises NotFound in every repository."""
    async with h.uow() as uow:
        for entity in h.catalog:
            async with expect(NotFound, f"{entity.plural}.get(missing)"):
                await uow.repository(entity).get(uuid4())


@check("reads", seedable)
async def get_many_leaves_out_missing_ids(h: Harness) -> None:
    """get_many returns the stored entities keyed by id and leaves unknown ids out."""
    first = h.catalog.entities[0]
    extra = [f.build(h.catalog, first)[1] for _ in range(2)]
    entities = await one_of_each(h)
    await f.store(h.catalog, h.writer, *extra)
    async with h.uow() as uow:
        for group in ([entities[0], *extra], *([e] for e in entities[1:])):
            repository = f.repository_for(h.catalog, uow, group[0])
            missing = uuid4()
            got = await repository.get_many([e.id for e in group] + [missing])
            assert dict(got) == {e.id: e for e in group}, f"get_many returned {dict(got)!r}"


@check("reads")
async def get_many_of_nothing_is_empty(h: Harness) -> None:
    """get_many of no ids, or of unknown ids only, returns an empty mapping."""
    async with h.uow() as uow:
        for entity in h.catalog:
            repository = uow.repository(entity)
            assert dict(await repository.get_many([])) == {}, f"{entity.plural}: get_many([])"
            unknown = await repository.get_many([uuid4(), uuid4()])
            assert dict(unknown) == {}, f"{entity.plural}: get_many of unknown ids"
