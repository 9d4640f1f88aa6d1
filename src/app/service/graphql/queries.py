"""The query root: one entity by id, a batch by ids, pages (connections) with filters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from app.service.graphql.inputs import (
    LocationFilter,
    MovieFilter,
    ProductionFilter,
    ShootDayFilter,
    SlotInput,
)
from app.service.graphql.loaders import prefetch
from app.service.graphql.paging import page_args, to_uuid, to_uuids
from app.service.graphql.types import (
    Connection,
    Ctx,
    Movie,
    Production,
    ShootDay,
    ShootingLocation,
    connection,
)
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    SLOT,
    InvalidInput,
    LocationQuery,
    MovieQuery,
    ProductionQuery,
    ShootDayQuery,
    UnitOfWork,
)

T = TypeVar("T")
MAX_IDS = 1000
"""Largest batch ``*ByIds`` and ``shootDayBookings`` accept in one request."""


async def _read(info: Ctx, read: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    async with info.context.interactors.uow() as uow:
        return await read(uow)


def _selects(selections: Sequence[Selection], path: tuple[str, ...]) -> bool:
    """Whether ``selections`` reach the field ``path`` (through fragments too)."""
    if not path:
        return True
    for selection in selections:
        if not isinstance(selection, SelectedField):  # inline fragment or fragment spread
            if _selects(selection.selections, path):
                return True
        elif selection.name == path[0] and _selects(selection.selections, path[1:]):
            return True
    return False


_NODE_MOVIE = ("edges", "node", "movie")


def _ids(ids: list[strawberry.ID]) -> list[Any]:
    if len(ids) > MAX_IDS:
        raise InvalidInput(f"ids: at most {MAX_IDS} per request, got {len(ids)}", field="ids")
    return to_uuids(ids, "ids")


@strawberry.type(description="Reads.")
class Query:
    """Every read of the service."""

    @strawberry.field(description="A movie by id (error not_found when missing).")
    async def movie(self, info: Ctx, id: strawberry.ID) -> Movie | None:
        """One movie."""
        key = to_uuid(id, "id")
        return cast(Movie, await _read(info, lambda u: u.repository(MOVIES).get(key)))

    @strawberry.field(description="Movies by id, in one read; missing ids are left out.")
    async def movies_by_ids(self, info: Ctx, ids: list[strawberry.ID]) -> list[Movie]:
        """A batch of movies."""
        keys = _ids(ids)
        found = await _read(info, lambda u: u.repository(MOVIES).get_many(keys))
        return cast(list[Movie], list(found.values()))

    @strawberry.field(description="Movies in (id) order, one page.")
    async def movies(
        self,
        info: Ctx,
        first: int = 50,
        after: str | None = None,
        filter: MovieFilter | None = None,
    ) -> Connection[Movie]:
        """A page of movies."""
        page = page_args(first, after)
        query = filter.to_query() if filter else MovieQuery()
        return cast(
            Connection[Movie],
            connection(await _read(info, lambda u: u.repository(MOVIES).list(query, page))),
        )

    @strawberry.field(description="A shooting location by id.")
    async def location(self, info: Ctx, id: strawberry.ID) -> ShootingLocation | None:
        """One location."""
        key = to_uuid(id, "id")
        return cast(ShootingLocation, await _read(info, lambda u: u.repository(LOCATIONS).get(key)))

    @strawberry.field(description="Locations by id, in one read.")
    async def locations_by_ids(self, info: Ctx, ids: list[strawberry.ID]) -> list[ShootingLocation]:
        """A batch of locations."""
        keys = _ids(ids)
        found = await _read(info, lambda u: u.repository(LOCATIONS).get_many(keys))
        return cast(list[ShootingLocation], list(found.values()))

    @strawberry.field(description="Locations in (id) order, one page.")
    async def locations(
        self,
        info: Ctx,
        first: int = 50,
        after: str | None = None,
        filter: LocationFilter | None = None,
    ) -> Connection[ShootingLocation]:
        """A page of locations."""
        page = page_args(first, after)
        query = filter.to_query() if filter else LocationQuery()
        found = await _read(info, lambda u: u.repository(LOCATIONS).list(query, page))
        return cast(Connection[ShootingLocation], connection(found))

    @strawberry.field(description="A production by id.")
    async def production(self, info: Ctx, id: strawberry.ID) -> Production | None:
        """One production."""
        key = to_uuid(id, "id")
        return cast(Production, await _read(info, lambda u: u.repository(PRODUCTIONS).get(key)))

    @strawberry.field(description="Productions by id, in one read.")
    async def productions_by_ids(self, info: Ctx, ids: list[strawberry.ID]) -> list[Production]:
        """A batch of productions."""
        keys = _ids(ids)
        found = await _read(info, lambda u: u.repository(PRODUCTIONS).get_many(keys))
        return cast(list[Production], list(found.values()))

    @strawberry.field(description="Productions in (startsOn, id) order, one page.")
    async def productions(
        self,
        info: Ctx,
        first: int = 50,
        after: str | None = None,
        filter: ProductionFilter | None = None,
    ) -> Connection[Production]:
        """A page of productions (and, when selected, their movies in one batch)."""
        page = page_args(first, after)
        query = filter.to_query() if filter else ProductionQuery()
        found = await _read(info, lambda u: u.repository(PRODUCTIONS).list(query, page))
        if _selects(info.selected_fields, ("productions", *_NODE_MOVIE)):
            # The same batched load the movie fields would make, made before they resolve.
            await prefetch(info.context.loaders.movies, {p.movie_id for p in found.items})
        return cast(Connection[Production], connection(found))

    @strawberry.field(description="A shoot day by id.")
    async def shoot_day(self, info: Ctx, id: strawberry.ID) -> ShootDay | None:
        """One shoot day."""
        key = to_uuid(id, "id")
        return cast(ShootDay, await _read(info, lambda u: u.repository(SHOOT_DAYS).get(key)))

    @strawberry.field(description="Shoot days by id, in one read.")
    async def shoot_days_by_ids(self, info: Ctx, ids: list[strawberry.ID]) -> list[ShootDay]:
        """A batch of shoot days."""
        keys = _ids(ids)
        found = await _read(info, lambda u: u.repository(SHOOT_DAYS).get_many(keys))
        return cast(list[ShootDay], list(found.values()))

    @strawberry.field(description="Shoot days in (date, id) order, one page.")
    async def shoot_days(
        self,
        info: Ctx,
        first: int = 50,
        after: str | None = None,
        filter: ShootDayFilter | None = None,
    ) -> Connection[ShootDay]:
        """A page of shoot days."""
        page = page_args(first, after)
        query = filter.to_query() if filter else ShootDayQuery()
        found = await _read(info, lambda u: u.repository(SHOOT_DAYS).list(query, page))
        return cast(Connection[ShootDay], connection(found))

    @strawberry.field(description="The shoot days occupying any of these (location, date) slots.")
    async def shoot_day_bookings(self, info: Ctx, slots: list[SlotInput]) -> list[ShootDay]:
        """Which slots are taken, in one read."""
        if len(slots) > MAX_IDS:
            raise InvalidInput(f"slots: at most {MAX_IDS} per request", field="slots")
        keys = [
            (to_uuid(slot.location_id, f"slots[{i}].locationId"), slot.date)
            for i, slot in enumerate(slots)
        ]
        found = await _read(info, lambda u: u.repository(SHOOT_DAYS).find_by(SLOT, keys))
        return cast(list[ShootDay], sorted(found, key=lambda d: d.sort_key))
