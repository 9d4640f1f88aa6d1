"""Output types: the domain's entities as GraphQL objects, with relationships both ways.

Resolvers receive the domain entities themselves as ``root`` (no copies into GraphQL
objects); scalar fields are read straight off them. Relationships go through the request's
DataLoaders, so a nested selection costs one batched read per level, not one per node.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Awaitable
from decimal import Decimal
from typing import Generic, TypeVar, cast

import strawberry
from strawberry.types import Info

from app.service.graphql.context import GraphQLContext
from app.service.graphql.enums import Genre, Phase
from app.service.graphql.loaders import loaded_now
from app.service.graphql.paging import PageArgs, page_args, to_uuid
from domain import Entity, NotFound, Page, ProductionQuery, ShootDayQuery
from domain import Movie as DomainMovie
from domain import Production as DomainProduction
from domain import ShootDay as DomainShootDay
from domain import ShootingLocation as DomainLocation

N = TypeVar("N")

Ctx = Info[GraphQLContext, None]


@strawberry.type(description="Relay page information.")
class PageInfo:
    """Whether another page follows, and the cursor to ask for it with ``after``."""

    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="One node of a connection and its cursor.")
class Edge(Generic[N]):
    """A node and (computed only when asked for) its cursor."""

    node: N

    @strawberry.field(description="Pass as `after` to continue after this node.")
    def cursor(self) -> str:
        """The opaque cursor of the page that ends with this node."""
        return cast(Entity, self.node).cursor


@strawberry.type(description="A page of nodes in the stable order.")
class Connection(Generic[N]):
    """Relay-style connection: edges and page info."""

    edges: list[Edge[N]]
    page_info: PageInfo


def connection(page: Page[N]) -> Connection[N]:
    """Wrap a port's page as a connection (endCursor is the last node's cursor)."""
    end = page.next_cursor
    if end is None and page.items:
        end = cast(Entity, page.items[-1]).cursor
    return Connection(
        edges=[Edge(node=item) for item in page.items],
        page_info=PageInfo(has_next_page=page.next_cursor is not None, end_cursor=end),
    )


def _found(entity: N | None, kind: str, id: object) -> N:
    if entity is None:
        # Foreign keys make this impossible on one database; say so rather than return null.
        raise NotFound.of(kind, id)
    return entity


async def _found_later(pending: Awaitable[N | None], kind: str, id: object) -> N:
    return _found(await pending, kind, id)


@strawberry.type(description="An amount of money in an ISO 4217 currency.")
class Money:
    """Budget amounts: decimal strings with two places, never floats."""

    amount: Decimal
    currency: str


@strawberry.type(description="A movie of the catalogue.")
class Movie:
    """A movie and its productions."""

    id: strawberry.ID
    version: int
    title: str
    logline: str
    genres: list[Genre]
    release_year: int | None

    @strawberry.field(description="Productions of this movie, in production order.")
    async def productions(
        self,
        root: strawberry.Parent[DomainMovie],
        info: Ctx,
        first: int = 50,
        after: str | None = None,
        phases: list[Phase] | None = None,
    ) -> Connection[Production]:
        """One page of the movie's productions."""
        args = page_args(first, after)
        query = ProductionQuery(
            movie_id=root.id,
            phases=None if phases is None else frozenset(p.value for p in phases),
        )
        page = await info.context.loaders.productions_page.load((query, args))
        return connection(cast(Page[Production], page))


@strawberry.type(description="A place where shoot days happen.")
class ShootingLocation:
    """A shooting location and the shoot days booked there."""

    id: strawberry.ID
    version: int
    name: str
    city: str
    country: str
    latitude: float
    longitude: float

    @strawberry.field(description="Shoot days booked at this location, in date order.")
    async def shoot_days(
        self,
        root: strawberry.Parent[DomainLocation],
        info: Ctx,
        first: int = 50,
        after: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> Connection[ShootDay]:
        """One page of the location's shoot days."""
        query = ShootDayQuery(location_id=root.id, date_from=date_from, date_to=date_to)
        return await _shoot_days(info, query, page_args(first, after))


@strawberry.type(description="The making of one movie, from development to wrap.")
class Production:
    """A production, its movie and its shoot days."""

    id: strawberry.ID
    version: int
    movie_id: strawberry.ID
    phase: Phase
    budget: Money
    starts_on: dt.date
    wraps_on: dt.date

    @strawberry.field(description="The movie this production makes.")
    def movie(self, root: strawberry.Parent[DomainProduction], info: Ctx) -> Movie:
        """The production's movie, batched with every other in this request.

        Synchronous when the page's resolver already loaded the movies (``Query.productions``),
        otherwise an awaitable of the batched load.
        """
        found = loaded_now(info.context.loaders.movies, root.movie_id)
        if inspect.isawaitable(found):
            return cast(Movie, _found_later(found, "Movie", root.movie_id))
        return cast(Movie, _found(found, "Movie", root.movie_id))

    @strawberry.field(description="The production's shoot days, in date order.")
    async def shoot_days(
        self,
        root: strawberry.Parent[DomainProduction],
        info: Ctx,
        first: int = 50,
        after: str | None = None,
        location_id: strawberry.ID | None = None,
    ) -> Connection[ShootDay]:
        """One page of the production's shoot days."""
        location = None if location_id is None else to_uuid(location_id, "locationId")
        query = ShootDayQuery(production_id=root.id, location_id=location)
        return await _shoot_days(info, query, page_args(first, after))


@strawberry.type(description="One production booking one location on one date.")
class ShootDay:
    """A shoot day, its production and its location."""

    id: strawberry.ID
    version: int
    production_id: strawberry.ID
    location_id: strawberry.ID
    date: dt.date

    @strawberry.field(description="The production shooting that day.")
    async def production(self, root: strawberry.Parent[DomainShootDay], info: Ctx) -> Production:
        """The shoot day's production, batched."""
        found = await info.context.loaders.productions.load(root.production_id)
        return cast(Production, _found(found, "Production", root.production_id))

    @strawberry.field(description="Where the shoot day happens.")
    async def location(
        self, root: strawberry.Parent[DomainShootDay], info: Ctx
    ) -> ShootingLocation:
        """The shoot day's location, batched."""
        found = await info.context.loaders.locations.load(root.location_id)
        return cast(ShootingLocation, _found(found, "ShootingLocation", root.location_id))


async def _shoot_days(info: Ctx, query: ShootDayQuery, args: PageArgs) -> Connection[ShootDay]:
    page = await info.context.loaders.shoot_days_page.load((query, args))
    return connection(cast(Page[ShootDay], page))


__all__ = [
    "Connection",
    "Edge",
    "Money",
    "Movie",
    "PageInfo",
    "Production",
    "ShootDay",
    "ShootingLocation",
    "connection",
]
