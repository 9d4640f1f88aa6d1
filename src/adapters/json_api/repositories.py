"""Repositories over the JSON:API service: reads are requests, writes wait for the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from adapters.identity import children_page
from adapters.json_api.session import Session, next_cursor
from adapters.json_api.wire import Resource, WireType, from_resource, to_resource
from domain import DataSourceError, Entity, NotFound, Page, PageRequest, Query, UniqueKey
from domain.catalog import Plan

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])

BATCH = 200
"""Ids (or slots) per request: keeps URLs well under the 16 KiB servers accept for a request
line. A get_many of up to 200 ids is one request."""

INCLUDE_DEPTH = 2
"""The longest include path the reference service accepts (``shoot_days.location``); a plan's
longer paths are cut, and what they would have brought is read when asked for."""


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def _filter_value(value: Any) -> str:
    if isinstance(value, frozenset | set | list | tuple):
        return ",".join(sorted(str(v) for v in value))
    if isinstance(value, dt.date | UUID):
        return str(value)
    return str(value)


class JsonApiRepository(Generic[E, Q]):
    """One resource type of the service; implements ``domain.ports.Repository``."""

    def __init__(self, session: Session, kind: WireType) -> None:
        self._session = session
        self._kind = kind
        self._path = f"/{kind.name}"

    def _params(self, plan: Plan[Any] | None = None) -> dict[str, str]:
        if plan is not None and plan.root is self._kind.entity:
            return {"include": ",".join(plan.dotted(INCLUDE_DEPTH))}
        return {"include": self._kind.include} if self._kind.include else {}

    def _linked(self, plan: Plan[Any] | None) -> frozenset[str]:
        """The types whose to-many linkage the planned read brings (within the include depth)."""
        if plan is None or plan.root is not self._kind.entity:
            return frozenset()
        return frozenset(
            hop.source.names.jsonapi_type
            for path in plan.hops
            for hop in path[:INCLUDE_DEPTH]
            if hop.to_many
        )

    def _entities(self, data: Any, where: str) -> list[E]:
        if not isinstance(data, list):
            raise DataSourceError(f"{where}: expected a collection", reason="bad_response")
        kind = self._kind
        entities = [from_resource(kind, r, where, i) for i, r in enumerate(data)]
        return entities  # type: ignore[return-value]

    def _entity(self, resource: Resource, where: str) -> E:
        entity: E = from_resource(self._kind, resource, where)  # type: ignore[assignment]
        return entity

    async def get(self, id: UUID) -> E:
        """Return the entity (from this unit of work's included reads if there) or NotFound."""
        cached = self._session.cache.get((self._kind.name, id))
        if cached is not None:
            return cached  # type: ignore[return-value]
        return await self._get(id, None)

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``get`` in one request that includes every path of ``plan`` (to depth 2).

        Implements ``domain.ports.PlannedReads``: the unit of work's later reads of what was
        included (a movie, the shoot days of this production, their locations) send nothing.
        """
        return await self._get(id, plan)

    async def _get(self, id: UUID, plan: Plan[E] | None) -> E:
        try:
            document = await self._session.read(
                f"{self._path}/{id}", self._params(plan), linked=self._linked(plan)
            )
        except NotFound:
            raise NotFound.of(self._kind.entity.label, id) from None
        data = document["data"]
        if not isinstance(data, dict):
            raise DataSourceError(
                f"GET {self._path}/{id}: data is not a resource", reason="bad_response"
            )
        return self._entity(data, "data")

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the entities among ``ids``: one request per 200 ids not already read."""
        found: dict[UUID, E] = {}
        missing: list[UUID] = []
        for id in set(ids):
            cached = self._session.cache.get((self._kind.name, id))
            if cached is None:
                missing.append(id)
            else:
                found[id] = cached  # type: ignore[assignment]
        for chunk in _chunks(sorted(missing, key=str)):
            params = {**self._params(), "filter[id]": ",".join(map(str, chunk))}
            document = await self._session.read(self._path, params)
            found.update((e.id, e) for e in self._entities(document["data"], "data"))
        return found

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """One page of the matching entities in the service's stable order.

        The children of one parent, when a planned read included them all, come from this
        unit of work's reads without a request.
        """
        session = self._session
        known = children_page(
            self._kind.entity, self._kind.name, query, page, session.cache, session.children
        )
        if known is not None:
            return known
        return await self._list(query, page, None)

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``list`` in one request that includes every path of ``plan`` for the page's items."""
        return await self._list(query, page, plan)

    async def _list(self, query: Q, page: PageRequest, plan: Plan[E] | None) -> Page[E]:
        params = self._params(plan)
        for name, value in query:
            if isinstance(value, frozenset) and not value:
                # ``filter[phases]=`` cannot say "none of these", and nothing matches an empty
                # set anyway: answer without a request (found by the equivalence machine).
                if page.cursor is not None:
                    self._kind.entity.model.cursor_key(page.cursor)
                return Page(items=())
            if value is not None:
                params[f"filter[{name}]"] = _filter_value(value)
        params["page[size]"] = str(page.size)
        if page.cursor is not None:
            params["page[after]"] = page.cursor
        document = await self._session.read(self._path, params, linked=self._linked(plan))
        items = tuple(self._entities(document["data"], "data"))
        return Page(items=items, next_cursor=next_cursor(document))

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """The entities holding any of ``values`` of ``key``, one request per 200 values.

        The values travel as ``filter[<key>]=a@b,c@d``: each value's parts joined by ``@``.
        """
        found: dict[UUID, E] = {}
        wanted = sorted({"@".join(_filter_value(part) for part in value) for value in values})
        for chunk in _chunks(wanted):
            params = {**self._params(), f"filter[{key.name}]": ",".join(chunk)}
            document = await self._session.read(self._path, params)
            found.update((e.id, e) for e in self._entities(document["data"], "data"))
        return list(found.values())

    async def add(self, entity: E) -> E:
        """Queue the entity's creation for the commit."""
        self._session.pending.append({"op": "add", "data": to_resource(self._kind, entity)})
        return entity

    async def update(self, entity: E) -> E:
        """Queue the update at ``entity.version``; return the entity at the next version."""
        self._session.pending.append({"op": "update", "data": to_resource(self._kind, entity)})
        return entity.evolve(version=entity.version + 1)

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Queue the removal at ``expected_version``."""
        self._session.pending.append(
            {
                "op": "remove",
                "ref": {"type": self._kind.name, "id": str(id)},
                "meta": {"version": expected_version},
            }
        )
