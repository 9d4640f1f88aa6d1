"""The repository port: how interactors fetch and store entities, whatever the data source.

Semantics every adapter shares (the conformance kit checks them):
- ``get`` raises NotFound; ``get_many`` returns the entities found, keyed by id, and leaves
  missing ids out, in one round trip (the N+1 cure).
- ``list`` returns one page in the entity's stable order (``Entity.ordering``); following
  ``next_cursor`` visits every item that existed throughout exactly once.
- ``find_by`` returns the entities whose unique key (``EntityType.unique``) takes any of the
  values given, in one round trip.
- ``add`` stores a new entity (Conflict if its id exists, or if it breaks a unique key);
  ``update`` needs the stored version and returns the entity with version + 1; ``remove``
  needs the stored version.
- Write errors (Conflict, NotFound) may surface at the write or at ``UnitOfWork.commit``:
  data sources that batch writes into one atomic request can only tell at commit.
- Reads see committed data; portable code does not read its own uncommitted writes.

One Protocol serves every entity type, so a data source implements it once, generically, and
keeps working when a domain adds a type.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol, TypeVar
from uuid import UUID

from domain.catalog import Query, UniqueKey
from domain.model import Entity
from domain.paging import Page, PageRequest

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any], contravariant=True)


class Repository(Protocol[E, Q]):
    """The operations every repository offers for its entity type ``E`` and query ``Q``."""

    async def get(self, id: UUID) -> E:
        """Return the entity with ``id`` or raise NotFound."""
        ...

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the entities among ``ids`` that exist, by id, in one round trip."""
        ...

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """Return one page of the entities matching ``query``, in the stable order."""
        ...

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """Return the stored entities whose ``key`` fields equal one of ``values``."""
        ...

    async def add(self, entity: E) -> E:
        """Store a new entity; Conflict if its id is taken."""
        ...

    async def update(self, entity: E) -> E:
        """Replace the stored entity of the same id and version; return it with version + 1."""
        ...

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Delete the entity if its stored version is ``expected_version`` (else Conflict)."""
        ...
