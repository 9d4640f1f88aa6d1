"""Entity factories with unique values, so checks never collide in a shared store."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID, uuid4

from domain import (
    Entity,
    Genre,
    Money,
    Movie,
    PageRequest,
    Phase,
    Production,
    Repository,
    ShootDay,
    ShootingLocation,
    UnitOfWork,
    UnitOfWorkFactory,
)
from domain.queries import Query

E = TypeVar("E", bound=Entity)

_serial = itertools.count(1)


def unique(label: str) -> str:
    """A readable value no other check uses."""
    return f"{label}-{next(_serial)}-{uuid4().hex[:8]}"


def movie(**changes: Any) -> Movie:
    """A valid movie; ``changes`` override fields."""
    fields: dict[str, Any] = {
        "title": unique("Conformance"),
        "logline": "A data source proves itself.",
        "genres": {Genre.DRAMA},
        "release_year": 2027,
    }
    return Movie(**{**fields, **changes})


def location(**changes: Any) -> ShootingLocation:
    """A valid location in a city no other check uses."""
    fields: dict[str, Any] = {
        "name": unique("Stage"),
        "city": unique("City"),
        "country": "PT",
        "latitude": 38.72,
        "longitude": -9.14,
    }
    return ShootingLocation(**{**fields, **changes})


def production(movie_id: UUID, **changes: Any) -> Production:
    """A valid production of ``movie_id`` in 2027."""
    fields: dict[str, Any] = {
        "movie_id": movie_id,
        "phase": Phase.PRE_PRODUCTION,
        "budget": Money(amount="2500000.00", currency="USD"),
        "starts_on": dt.date(2027, 3, 1),
        "wraps_on": dt.date(2027, 6, 30),
    }
    return Production(**{**fields, **changes})


def shoot_day(production_id: UUID, location_id: UUID, date: dt.date) -> ShootDay:
    """A shoot day booking ``location_id`` on ``date``."""
    return ShootDay(production_id=production_id, location_id=location_id, date=date)


def repository_for(uow: UnitOfWork, entity: Entity) -> Repository[Any, Any]:
    """The repository of ``uow`` that stores entities like ``entity``."""
    repositories: dict[type[Entity], Callable[[], Repository[Any, Any]]] = {
        Movie: lambda: uow.movies,
        ShootingLocation: lambda: uow.locations,
        Production: lambda: uow.productions,
        ShootDay: lambda: uow.shoot_days,
    }
    return repositories[type(entity)]()


async def store(writer: UnitOfWorkFactory, *entities: Entity) -> None:
    """Add ``entities`` in order and commit them in one unit of work."""
    async with writer() as uow:
        for entity in entities:
            await repository_for(uow, entity).add(entity)
        await uow.commit()


async def walk(repository: Repository[E, Any], query: Query[E], size: int) -> list[list[E]]:
    """Every page of ``query``, following cursors from the first page to the last."""
    pages: list[list[E]] = []
    cursor: str | None = None
    while True:
        page = await repository.list(query, PageRequest(size=size, cursor=cursor))
        pages.append(list(page.items))
        if page.next_cursor is None:
            return pages
        assert len(pages) < 100_000, "pagination never ends"
        cursor = page.next_cursor
