"""Repositories over GraphQL: reads are one request each; writes wait for the commit."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from adapters.graphql import wire as w
from adapters.graphql.client import GraphQLClient
from adapters.graphql.kinds import Kind, wire_value
from domain import DataSourceError, Entity, NotFound, Page, PageRequest, Query, UniqueKey
from domain.catalog.names import camel, plural

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class GraphQLRepository(Generic[E, Q]):
    """One entity type; implements ``domain.ports.Repository``."""

    def __init__(self, client: GraphQLClient, kind: Kind[E], pending: list[dict[str, Any]]):
        self._client = client
        self._kind = kind
        self._pending = pending
        self._change = kind.entity.names.pascal
        self._catalog = kind.entity.catalog

    def _field(self, data: Mapping[str, Any], name: str, document: str) -> Any:
        value = data.get(name)
        if value is None:
            raise DataSourceError(
                f"graphql service answered {document} without {name}", reason="bad_response"
            )
        return value

    async def get(self, id: UUID) -> E:
        """Return the entity with ``id`` or raise NotFound.

        The service answers null for an id it does not hold; an error coded not_found (what
        it answered before, and other providers may) is NotFound too, through the client.
        """
        document = self._kind.documents[0]
        data = await self._client.execute(
            document, {"id": str(id)}, self._kind.one_shape, catalog=self._catalog
        )
        found = data.get(self._kind.entity.names.graphql_one)
        if found is None:
            raise NotFound.of(self._kind.label, id)
        return found

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the entities among ``ids`` that exist, in one request."""
        if not ids:
            return {}
        document = self._kind.documents[1]
        variables = {"ids": sorted({str(id) for id in ids})}
        data = await self._client.execute(
            document, variables, self._kind.many_shape, catalog=self._catalog
        )
        found: list[E] = self._field(data, self._kind.entity.names.graphql_by_ids, document)
        return {entity.id: entity for entity in found}

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """One page of the entities matching ``query``, in one request."""
        document = self._kind.documents[2]
        variables: dict[str, Any] = {"first": page.size}
        if page.cursor is not None:
            variables["after"] = page.cursor
        filters = self._kind.filters(query)
        if filters:
            variables["filter"] = filters
        data = await self._client.execute(
            document, variables, self._kind.page_shape, catalog=self._catalog
        )
        connection: w.Connection[E] = self._field(
            data, self._kind.entity.names.graphql_many, document
        )
        info = connection.page_info
        return Page(
            items=tuple(edge.node for edge in connection.edges),
            next_cursor=info.end_cursor if info.has_next_page else None,
        )

    async def add(self, entity: E) -> E:
        """Buffer the entity for the commit."""
        self._pending.append({f"add{self._change}": self._kind.to_input(entity)})
        return entity

    async def update(self, entity: E) -> E:
        """Buffer the update; the version is checked by the service at commit."""
        self._pending.append({f"update{self._change}": self._kind.to_input(entity)})
        return entity.evolve(version=entity.version + 1)

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Buffer the removal; the version is checked by the service at commit."""
        change = {"id": str(id), "version": expected_version}
        self._pending.append({f"remove{self._change}": change})

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """The entities holding any of ``values`` of ``key``, in one request."""
        if not values:
            return []
        fields = self._kind.entity.unique_key(key.name).fields
        variables = {
            camel(plural(key.name)): [
                {camel(name): wire_value(part) for name, part in zip(fields, value, strict=True)}
                for value in sorted(set(values))
            ]
        }
        document = self._kind.lookup_document(key)
        data = await self._client.execute(
            document, variables, self._kind.many_shape, catalog=self._catalog
        )
        found: list[E] = self._field(data, self._kind.lookup_field(key), document)
        return found
