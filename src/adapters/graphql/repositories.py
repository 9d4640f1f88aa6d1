"""Repositories over GraphQL: reads are one request each; writes wait for the commit."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import TypeAdapter

from adapters.graphql import wire as w
from adapters.graphql.client import GraphQLClient
from adapters.graphql.kinds import Kind
from domain import DataSourceError, Entity, NotFound, Page, PageRequest, ShootDay, Slot
from domain.queries import Query

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query)  # type: ignore[type-arg]


class GraphQLRepository(Generic[E, Q]):
    """One entity type; implements ``domain.ports.Repository``."""

    def __init__(self, client: GraphQLClient, kind: Kind[E], pending: list[dict[str, Any]]):
        self._client = client
        self._kind = kind
        self._pending = pending

    def _field(self, data: Mapping[str, Any], name: str, document: str) -> Any:
        value = data.get(name)
        if value is None:
            raise DataSourceError(
                f"graphql service answered {document} without {name}", reason="bad_response"
            )
        return value

    async def get(self, id: UUID) -> E:
        """Return the entity with ``id`` or raise NotFound."""
        document = f"get_{self._kind.stem}"
        data = await self._client.execute(document, {"id": str(id)}, self._kind.one_shape)
        found = data.get(self._kind.one)
        if found is None:  # a provider may answer null instead of the error not_found
            raise NotFound.of(self._kind.entity.__name__, id)
        return found

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the entities among ``ids`` that exist, in one request."""
        if not ids:
            return {}
        document = f"get_many_{self._kind.stem}s"
        variables = {"ids": sorted({str(id) for id in ids})}
        data = await self._client.execute(document, variables, self._kind.many_shape)
        found: list[E] = self._field(data, self._kind.many, document)
        return {entity.id: entity for entity in found}

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """One page of the entities matching ``query``, in one request."""
        document = f"list_{self._kind.stem}s"
        variables: dict[str, Any] = {"first": page.size}
        if page.cursor is not None:
            variables["after"] = page.cursor
        filters = self._kind.filters(query)
        if filters:
            variables["filter"] = filters
        data = await self._client.execute(document, variables, self._kind.page_shape)
        connection: w.Connection[E] = self._field(data, self._kind.page, document)
        info = connection.page_info
        return Page(
            items=tuple(edge.node for edge in connection.edges),
            next_cursor=info.end_cursor if info.has_next_page else None,
        )

    async def add(self, entity: E) -> E:
        """Buffer the entity for the commit."""
        self._pending.append({f"add{self._kind.change}": self._kind.to_input(entity)})
        return entity

    async def update(self, entity: E) -> E:
        """Buffer the update; the version is checked by the service at commit."""
        self._pending.append({f"update{self._kind.change}": self._kind.to_input(entity)})
        return entity.evolve(version=entity.version + 1)

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Buffer the removal; the version is checked by the service at commit."""
        change = {"id": str(id), "version": expected_version}
        self._pending.append({f"remove{self._kind.change}": change})


_BOOKINGS = TypeAdapter(w.Envelope[list[w.ShootDayNode]])


class GraphQLShootDayRepository(GraphQLRepository[ShootDay, Any]):
    """Shoot days, which also answer which slots are booked."""

    async def bookings(self, slots: Collection[Slot]) -> Collection[ShootDay]:
        """The shoot days holding any of ``slots``, in one request."""
        if not slots:
            return []
        variables = {
            "slots": [
                {"locationId": str(location), "date": date.isoformat()}
                for location, date in sorted(set(slots))
            ]
        }
        data = await self._client.execute("shoot_day_bookings", variables, _BOOKINGS)
        found: list[ShootDay] = self._field(data, "shootDayBookings", "shoot_day_bookings")
        return found
