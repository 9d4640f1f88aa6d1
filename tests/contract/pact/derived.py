"""Interactions derived from the catalog: the same requests for every entity type.

For each type of a contract's examples (``app.contracts.examples``), the adapter's requests
are recorded as interactions: a get, a get of a missing id, a get_many, a list setting every
filter, the first page of a parent's children and the page after its cursor (types with an
equality filter on a reference), one lookup per unique key, and a commit of an add, an update
and a remove. A new entity type gets them all from its declaration.

What differs between the two consumers (paths or documents, bodies, error shapes) is their
``Wire``; the drives that call the adapter and check what it made of the answer are shared.
Interactions that are no entity type's (a malformed cursor, a 503, a use case) are written
by each consumer test by hand and registered next to these under names of their own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Protocol
from uuid import UUID

import pytest
from pact import Pact

from adapters.spi import DataSource
from app.contracts.examples import (
    MISSING,
    ContractExamples,
    TypeExamples,
    article,
    matching_query,
    scope_filter,
    words,
)
from domain import Entity, NotFound, PageRequest, Query, UniqueKey
from domain.catalog import AnyEntityType
from domain.catalog.names import plural

Drive = Callable[[DataSource], Awaitable[None]]
"""What an interaction's test does with the adapter once the mock server expects it."""
Interaction = Callable[[Pact], Drive]
"""Records one interaction on a Pact and returns its drive."""

FILTERED_PAGE_SIZE = 50
"""The page size of the list setting every filter (the adapters' default page)."""


class Wire(Protocol):
    """How one consumer's requests and the provider's answers look for any entity type.

    Each method records one interaction's request and answer on ``pact``; ``state`` is the
    provider state it is given.
    """

    verb: str
    """How descriptions name a request: ``a request`` (JSON:API), ``a query`` (GraphQL)."""
    caches_included: bool
    """Whether a read's answer also carries the entities it refers to, so that reading them
    next costs no request (the drive reads them: an extra request would fail the test)."""

    def get(self, pact: Pact, description: str, state: str, found: Entity) -> None:
        """A read of ``found`` by id."""
        ...

    def get_missing(
        self, pact: Pact, description: str, state: str, entity: AnyEntityType, id: UUID
    ) -> None:
        """A read by an id nothing has: the not-found answer."""
        ...

    def get_many(
        self, pact: Pact, description: str, state: str, ids: list[UUID], found: Entity
    ) -> None:
        """A read of ``ids`` in one request, of which only ``found`` exists."""
        ...

    def list_matching(
        self, pact: Pact, description: str, state: str, query: Query[Any], found: Entity
    ) -> None:
        """A first page of ``FILTERED_PAGE_SIZE`` holding at least ``found``; no next pinned."""
        ...

    def list_page(
        self,
        pact: Pact,
        description: str,
        state: str,
        query: Query[Any],
        page: PageRequest,
        items: list[Entity],
        next_cursor: str | None,
    ) -> None:
        """Exactly the page of ``items``, followed by ``next_cursor`` (None: the last page)."""
        ...

    def find_by(
        self, pact: Pact, description: str, state: str, key: UniqueKey, found: Entity
    ) -> None:
        """A lookup by ``key`` of the values ``found`` holds: exactly ``found``."""
        ...

    def commit(self, pact: Pact, description: str, state: str, own: TypeExamples) -> None:
        """The commit ``commit_drive`` makes, at ``edited``'s version 1, and its success."""
        ...


class Interactions(dict[str, Interaction]):
    """Interactions by name; a name given twice is a mistake, not an override."""

    def add(self, name: str, record: Interaction) -> Interaction:
        """Register ``record`` under ``name``."""
        if name in self:
            raise ValueError(f"interaction {name!r} is registered twice")
        self[name] = record
        return record

    def __call__(self, record: Interaction) -> Interaction:
        """Decorator: register ``record`` under its function name."""
        return self.add(record.__name__, record)


def key_values(key: UniqueKey, entity: Entity) -> tuple[Any, ...]:
    """The values ``entity`` holds for the fields of ``key``."""
    return tuple(getattr(entity, name) for name in key.fields)


async def commit_drive(source: DataSource, own: TypeExamples, edited_version: int) -> None:
    """Add ``new``, update ``edited`` to ``edit`` at ``edited_version``, remove ``removed``."""
    repository = own.entity
    async with source.unit_of_work() as uow:
        await uow.repository(repository).add(own.new)
        updated = await uow.repository(repository).update(own.edit.evolve(version=edited_version))
        await uow.repository(repository).remove(own.removed.id, 1)
        await uow.commit()
    assert updated.version == edited_version + 1


def derive(
    examples: ContractExamples, wire: Wire, nothing: str
) -> Iterator[tuple[str, Interaction]]:
    """Every derived interaction of ``examples``' types, by name; ``nothing``: the empty state."""
    for own in examples:
        yield from _of_type(examples, wire, own, nothing)


def _of_type(
    examples: ContractExamples, wire: Wire, own: TypeExamples, nothing: str
) -> Iterator[tuple[str, Interaction]]:
    entity = own.entity
    singular, many = entity.names.singular, entity.names.plural
    exist = examples.exist_state(entity)
    verb = wire.verb

    def get(pact: Pact) -> Drive:
        wire.get(pact, f"{verb} for {article(singular)}", exist, own.first)

        async def drive(source: DataSource) -> None:
            async with source.unit_of_work() as uow:
                assert await uow.repository(entity).get(own.first.id) == own.first
                if wire.caches_included:
                    for ref in entity.references:
                        target = examples.catalog.target(ref)
                        if not target.references:  # what the read included
                            parent = examples.stored(getattr(own.first, ref.name))
                            assert await uow.repository(target).get(parent.id) == parent

        return drive

    def get_missing(pact: Pact) -> Drive:
        description = f"{verb} for {article(singular)} that does not exist"
        wire.get_missing(pact, description, nothing, entity, MISSING)

        async def drive(source: DataSource) -> None:
            async with source.unit_of_work() as uow:
                with pytest.raises(NotFound) as caught:
                    await uow.repository(entity).get(MISSING)
            assert caught.value.entity == entity.label

        return drive

    def get_many(pact: Pact) -> Drive:
        ids = sorted([own.first.id, MISSING], key=str)
        wire.get_many(pact, f"{verb} for {words(many)} by ids", exist, ids, own.first)

        async def drive(source: DataSource) -> None:
            async with source.unit_of_work() as uow:
                found = await uow.repository(entity).get_many([own.first.id, MISSING])
            assert dict(found) == {own.first.id: own.first}

        return drive

    query = matching_query(entity, own.first)

    def list_matching(pact: Pact) -> Drive:
        description = f"{verb} for {words(many)} matching every filter"
        wire.list_matching(pact, description, exist, query, own.first)

        async def drive(source: DataSource) -> None:
            async with source.unit_of_work() as uow:
                page = await uow.repository(entity).list(
                    query, PageRequest(size=FILTERED_PAGE_SIZE)
                )
            assert own.first in page.items

        return drive

    yield f"get_{singular}", get
    yield f"get_missing_{singular}", get_missing
    yield f"get_many_{many}", get_many
    yield f"list_{many}_matching_every_filter", list_matching
    yield from _pages(examples, wire, own)
    for key in entity.unique:
        yield from _lookup(examples, wire, own, key)

    def commit(pact: Pact) -> Drive:
        description = f"a commit of an add, an update and a remove of {words(many)}"
        wire.commit(pact, description, examples.change_state(entity), own)

        async def drive(source: DataSource) -> None:
            await commit_drive(source, own, 1)

        return drive

    yield f"commit_{many}", commit


def _pages(
    examples: ContractExamples, wire: Wire, own: TypeExamples
) -> Iterator[tuple[str, Interaction]]:
    """The two pages of size 1 of the children of a contract parent, if a filter scopes them."""
    entity = own.entity
    scope = scope_filter(entity)
    if scope is None:
        return
    parent = examples.catalog.target(entity.field(scope.field)).names.singular
    query: Query[Any] = entity.query(**{scope.name: getattr(own.first, scope.field)})
    one, two = own.pages
    children = f"{article(parent)}'s {words(entity.plural)}"
    state = examples.exist_state(entity)

    def first_page(pact: Pact) -> Drive:
        description = f"{wire.verb} for the first page of {children}"
        wire.list_page(pact, description, state, query, PageRequest(size=1), [one], one.cursor)

        async def drive(source: DataSource) -> None:
            async with source.unit_of_work() as uow:
                page = await uow.repository(entity).list(query, PageRequest(size=1))
            assert page.items == (one,)
            assert page.next_cursor == one.cursor

        return drive

    def after_cursor(pact: Pact) -> Drive:
        description = f"{wire.verb} for the page of {children} after a cursor"
        request = PageRequest(size=1, cursor=one.cursor)
        wire.list_page(pact, description, state, query, request, [two], None)

        async def drive(source: DataSource) -> None:
            async with source.unit_of_work() as uow:
                page = await uow.repository(entity).list(query, request)
            assert page.items == (two,)
            assert page.next_cursor is None

        return drive

    yield f"list_{entity.plural}_first_page", first_page
    yield f"list_{entity.plural}_after_cursor", after_cursor


def _lookup(
    examples: ContractExamples, wire: Wire, own: TypeExamples, key: UniqueKey
) -> Iterator[tuple[str, Interaction]]:
    """The lookup of ``first`` by its values of the unique key ``key``."""
    entity = own.entity

    def lookup(pact: Pact) -> Drive:
        holding = words(plural(key.name))
        description = f"{wire.verb} for the {words(entity.plural)} holding some {holding}"
        wire.find_by(pact, description, examples.exist_state(entity), key, own.first)

        async def drive(source: DataSource) -> None:
            async with source.unit_of_work() as uow:
                found = await uow.repository(entity).find_by(key, [key_values(key, own.first)])
            assert list(found) == [own.first]

        return drive

    yield f"find_{entity.plural}_by_{key.name}", lookup
