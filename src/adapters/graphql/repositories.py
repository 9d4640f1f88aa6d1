"""Repositories over GraphQL: reads are one request each; writes wait for the commit.

A planned read (``domain.Plan``) is one nested query (``adapters.graphql.plans``); what it
brings is kept in the unit of work's ``Loaded``, and the reads that follow (the movie, the
shoot days of that production, their locations) are answered from it without a request.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from adapters.graphql import plans as planned
from adapters.graphql import wire as w
from adapters.graphql.client import GraphQLClient
from adapters.graphql.kinds import Kind, kind_of, wire_value
from adapters.identity import children_page
from domain import DataSourceError, Entity, NotFound, Page, PageRequest, Query, UniqueKey
from domain.catalog import AnyEntityType, Plan
from domain.catalog.names import camel, plural

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])

_RAW: TypeAdapter[w.Envelope[dict[str, Any]]] = TypeAdapter(w.Envelope[dict[str, Any]])
"""A planned read's answer: a tree walked by the plan, its nodes validated one by one."""


@dataclass
class Loaded:
    """What this unit of work's planned reads brought (``adapters.identity``'s two maps)."""

    entities: dict[tuple[str, UUID], Entity] = field(default_factory=dict)
    children: dict[tuple[str, str, UUID], tuple[UUID, ...]] = field(default_factory=dict)

    def clear(self) -> None:
        """Forget everything: at commit and at the end of the unit of work."""
        self.entities.clear()
        self.children.clear()


class GraphQLRepository(Generic[E, Q]):
    """One entity type; implements ``domain.ports.Repository``."""

    def __init__(
        self,
        client: GraphQLClient,
        kind: Kind[E],
        pending: list[dict[str, Any]],
        loaded: Loaded | None = None,
    ):
        self._client = client
        self._kind = kind
        self._pending = pending
        self._loaded = loaded if loaded is not None else Loaded()
        self._type = kind.entity.plural
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
        known = self._loaded.entities.get((self._type, id))
        if known is not None:
            return known  # type: ignore[return-value]
        document = self._kind.documents[0]
        data = await self._client.execute(
            document, {"id": str(id)}, self._kind.one_shape, catalog=self._catalog
        )
        found = data.get(self._kind.entity.names.graphql_one)
        if found is None:
            raise NotFound.of(self._kind.label, id)
        return found

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the entities among ``ids`` that exist, in one request (none if all known)."""
        result: dict[UUID, E] = {}
        missing: set[UUID] = set()
        for id in ids:
            known = self._loaded.entities.get((self._type, id))
            if known is None:
                missing.add(id)
            else:
                result[id] = known  # type: ignore[assignment]
        if not missing:
            return result
        document = self._kind.documents[1]
        variables = {"ids": sorted(str(id) for id in missing)}
        data = await self._client.execute(
            document, variables, self._kind.many_shape, catalog=self._catalog
        )
        found: list[E] = self._field(data, self._kind.entity.names.graphql_by_ids, document)
        result.update((entity.id, entity) for entity in found)
        return result

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """One page of the entities matching ``query``, in one request.

        The children of one parent, when a planned read brought them all, cost none.
        """
        loaded = self._loaded
        known = children_page(
            self._kind.entity, self._type, query, page, loaded.entities, loaded.children
        )
        if known is not None:
            return known
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

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``get`` and everything ``plan`` names, in one nested query (``PlannedReads``)."""
        followed = planned.for_get(plan) if plan.root is self._kind.entity else None
        if followed is None:
            return await self.get(id)
        name, text = planned.sent(followed, "get")
        data = await self._client.execute(
            name, {"id": str(id)}, _RAW, catalog=self._catalog, text=text
        )
        found = data.get(self._kind.entity.names.graphql_one)
        if found is None:
            raise NotFound.of(self._kind.label, id)
        entity: E = self._absorb(self._kind.entity, found, planned.tree(followed), name)
        return entity

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``list`` with the plan's to-one relatives of each item, in one nested query."""
        listed = planned.for_list(plan) if plan.root is self._kind.entity else None
        if listed is None:
            return await self.list(query, page)
        name, text = planned.sent(listed, "list")
        variables: dict[str, Any] = {"first": page.size}
        if page.cursor is not None:
            variables["after"] = page.cursor
        filters = self._kind.filters(query)
        if filters:
            variables["filter"] = filters
        data = await self._client.execute(name, variables, _RAW, catalog=self._catalog, text=text)
        connection = self._field(data, self._kind.entity.names.graphql_many, name)
        below = planned.tree(listed)
        try:
            edges, info = connection["edges"], connection["pageInfo"]
            items = tuple(self._absorb(self._kind.entity, e["node"], below, name) for e in edges)
            more, cursor = info["hasNextPage"], info["endCursor"]
        except (KeyError, TypeError) as exc:
            raise _bad(name, f"missing or malformed {exc}") from None
        return Page(items=items, next_cursor=cursor if more else None)

    def _absorb(self, entity: AnyEntityType, node: Any, below: planned.Tree, name: str) -> Any:
        """Validate ``node`` and the relatives under it; keep each in ``Loaded``."""
        if not isinstance(node, dict):
            raise _bad(name, f"a {entity.label} is not an object")
        related = {key: node.pop(key, None) for key in below}
        try:
            found: Entity = kind_of(entity).node_shape.validate_python(node)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            raise _bad(name, f"{entity.label}.{where}: {first['msg']}") from None
        self._loaded.entities[(entity.plural, found.id)] = found
        for key, (hop, rest) in below.items():
            value = related[key]
            if not hop.to_many:
                if value is None:
                    raise _bad(name, f"{entity.label} {found.id} without {key}")
                self._absorb(hop.target, value, rest, name)
                continue
            try:
                nodes = [self._absorb(hop.target, e["node"], rest, name) for e in value["edges"]]
                complete = not value["pageInfo"]["hasNextPage"]
            except (KeyError, TypeError) as exc:
                raise _bad(name, f"{entity.label}.{key}: missing or malformed {exc}") from None
            if complete:
                # Only a complete list may answer a later list of these children.
                key_ = (hop.target.plural, hop.field.name, found.id)
                self._loaded.children[key_] = tuple(n.id for n in nodes)
        return found

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


def _bad(document: str, message: str) -> DataSourceError:
    return DataSourceError(
        f"graphql service answered {document} with an unexpected shape: {message}",
        reason="bad_response",
    )
