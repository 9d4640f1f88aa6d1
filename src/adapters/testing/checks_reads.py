"""Checks of get and get_many."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, seedable
from domain import Entity, NotFound


async def _one_of_each(h: Harness) -> list[Entity]:
    movie, location = f.movie(), f.location()
    production = f.production(movie.id)
    day = f.shoot_day(production.id, location.id, dt.date(2027, 3, 2))
    entities: list[Entity] = [movie, location, production, day]
    await f.store(h.writer, *entities)
    return entities


@check("reads", seedable)
async def get_returns_what_was_added(h: Harness) -> None:
    """Get returns each stored entity equal to what was added, at version 1."""
    entities = await _one_of_each(h)
    async with h.uow() as uow:
        for entity in entities:
            got = await f.repository_for(uow, entity).get(entity.id)
            assert got == entity, f"get returned {got!r}, stored {entity!r}"
            assert got.version == 1, f"a new {type(entity).__name__} is at version {got.version}"


@check("reads")
async def get_of_a_missing_id_raises_not_found(h: Harness) -> None:
    """Get of an id nobody stored raises NotFound in every repository."""
    async with h.uow() as uow:
        for repository in (uow.movies, uow.locations, uow.productions, uow.shoot_days):
            async with expect(NotFound, f"{type(repository).__name__}.get(missing)"):
                await repository.get(uuid4())


@check("reads", seedable)
async def get_many_leaves_out_missing_ids(h: Harness) -> None:
    """get_many returns the stored entities keyed by id and leaves unknown ids out."""
    entities = await _one_of_each(h)
    extra = [f.movie(), f.movie()]
    await f.store(h.writer, *extra)
    async with h.uow() as uow:
        for group in ([entities[0], *extra], *([e] for e in entities[1:])):
            repository = f.repository_for(uow, group[0])
            missing = uuid4()
            got = await repository.get_many([e.id for e in group] + [missing])
            assert dict(got) == {e.id: e for e in group}, f"get_many returned {dict(got)!r}"


@check("reads")
async def get_many_of_nothing_is_empty(h: Harness) -> None:
    """get_many of no ids, or of unknown ids only, returns an empty mapping."""
    async with h.uow() as uow:
        assert dict(await uow.movies.get_many([])) == {}
        assert dict(await uow.shoot_days.get_many([uuid4(), uuid4()])) == {}
