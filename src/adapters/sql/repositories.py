"""Repositories over SQLAlchemy Core: one statement per read, explicit mapping both ways."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Integer, Select, and_, bindparam, delete, insert, or_, select, update

from adapters.sql import mapping as m
from adapters.sql.filters import Filters, after_key, cursor_parameters
from adapters.sql.transaction import Transaction
from domain import Conflict, Entity, NotFound, Page, PageRequest, Query, UniqueKey
from domain.paging import encode_cursor

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])

_LIST_STATEMENTS: dict[tuple[str, frozenset[str], bool], Select[Any]] = {}
"""List statements by (table, filters set, has cursor): SQLAlchemy keys them in O(1)."""


class SqlRepository(Generic[E, Q]):
    """One entity type's tables; implements ``domain.ports.Repository`` and ``BulkAdds``."""

    def __init__(self, tx: Transaction, mapper: m.Mapper[E], filters: Filters) -> None:
        self._tx = tx
        self._mapper = mapper
        self._filters = filters
        self._name = mapper.kind.__name__
        self._id = mapper.table.c.id

    async def _fetch(
        self, statement: Select[Any], parameters: Mapping[str, Any] | None = None
    ) -> list[E]:
        result = await self._tx.execute(statement, parameters, entity=self._name)
        return self._mapper.entities(list(result.keys()), result.all())

    async def get(self, id: UUID) -> E:
        """Return the entity with ``id`` or raise NotFound."""
        found = await self._fetch(*self._mapper.lookup.statement(self._tx.dialect, [id]))
        if not found:
            raise NotFound.of(self._name, id)
        return found[0]

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the entities among ``ids`` that exist, by id, in one statement."""
        if not ids:
            return {}
        statement = self._mapper.lookup.statement(self._tx.dialect, set(ids))
        found = await self._fetch(*statement)
        return {entity.id: entity for entity in found}

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """One page in the stable order: a keyset range, never an OFFSET."""
        parameters = self._filters.parameters(query)
        shape = (frozenset(parameters), page.cursor is not None)
        if page.cursor is not None:
            parameters.update(cursor_parameters(self._mapper.entity, page.cursor))
        # One row more than asked says whether another page exists without a COUNT.
        parameters["limit"] = page.size + 1
        items = await self._fetch(self._list_statement(shape), parameters)
        if len(items) <= page.size:
            return Page(items=tuple(items))
        items = items[: page.size]
        return Page(items=tuple(items), next_cursor=encode_cursor(items[-1].sort_key))

    def _list_statement(self, shape: tuple[frozenset[str], bool]) -> Select[Any]:
        """The list statement for a set of filters (with or without a cursor), built once."""
        statement = _LIST_STATEMENTS.get((self._mapper.table.name, *shape))
        if statement is None:
            names, after_cursor = shape
            where = [self._filters.clauses[name] for name in sorted(names)]
            if after_cursor:
                where.append(after_key(self._mapper.table, self._mapper.entity.order))
            statement = self._mapper.ordered.where(*where).limit(bindparam("limit", type_=Integer))
            _LIST_STATEMENTS[(self._mapper.table.name, *shape)] = statement
        return statement

    async def add(self, entity: E) -> E:
        """Insert the entity; Conflict if its id is taken."""
        statement = insert(self._mapper.table).values(self._mapper.values(entity))
        await self._tx.execute(statement, entity=self._name, operation="add")
        await self._after_write(entity, replace=False)
        return entity

    async def add_many(self, entities: Sequence[E]) -> Sequence[E]:
        """Insert the entities, versions as given: one executemany per table, not per entity.

        Conflict if an id is taken (the transaction is then not to be committed: rows of the
        batch before the taken one may be in it, as after a failed ``add``).
        """
        if not entities:
            return entities
        rows = [self._mapper.values(entity) for entity in entities]
        await self._tx.execute(insert(self._mapper.table), rows, entity=self._name, operation="add")
        await self._insert_collections(entities)
        return entities

    async def update(self, entity: E) -> E:
        """Write the next version where the stored one is ``entity.version``."""
        stored = entity.evolve(version=entity.version + 1)
        values = self._mapper.values(stored)
        del values["id"]
        statement = (
            update(self._mapper.table)
            .where(self._id == entity.id, self._mapper.table.c.version == entity.version)
            .values(values)
        )
        result = await self._tx.execute(statement, entity=self._name, operation="update")
        if result.rowcount != 1:
            raise await self._missing_or_stale(entity.id, entity.version)
        await self._after_write(stored, replace=True)
        return stored

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Delete the entity stored at ``expected_version``."""
        statement = delete(self._mapper.table).where(
            self._id == id, self._mapper.table.c.version == expected_version
        )
        result = await self._tx.execute(statement, entity=self._name, operation="remove")
        if result.rowcount != 1:
            raise await self._missing_or_stale(id, expected_version)

    async def _after_write(self, entity: E, *, replace: bool) -> None:
        """Write the rows of the collections the entity owns (the stored ones dropped first)."""
        if replace:
            for owned in self._mapper.collections:
                statement = delete(owned.table).where(owned.owner == entity.id)
                await self._tx.execute(statement, entity=self._name, operation="update")
        await self._insert_collections([entity])

    async def _insert_collections(self, entities: Sequence[E]) -> None:
        """Insert the rows of each collection the entities own: one statement per table."""
        for owned in self._mapper.collections:
            rows = [r for e in entities for r in self._mapper.collection_rows(owned, e)]
            if rows:
                await self._tx.execute(
                    insert(owned.table), rows, entity=self._name, operation="add"
                )

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """Return the entities holding any of ``values`` of ``key``, in one statement."""
        if not values:
            return []
        c = self._mapper.table.c
        names = self._mapper.entity.unique_key(key.name).fields
        # OR of equalities rather than a row-value IN: every engine probes the unique index.
        held = or_(
            *(
                and_(*(c[n] == v for n, v in zip(names, value, strict=True)))
                for value in set(values)
            )
        )
        return await self._fetch(self._mapper.ordered.where(held))

    async def _missing_or_stale(self, id: UUID, expected_version: int) -> Exception:
        """Why a versioned write touched no row: NotFound or a stale version."""
        statement = select(self._mapper.table.c.version).where(self._id == id)
        stored = (await self._tx.execute(statement, entity=self._name)).scalar()
        if stored is None:
            return NotFound.of(self._name, id)
        return Conflict(
            f"{self._name} {id} is at version {stored}, not {expected_version}",
            entity=self._name,
            field="version",
            reason="stale_version",
        )
