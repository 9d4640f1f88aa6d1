"""Repository ports: how interactors fetch and store entities, whatever the data source.

Semantics every adapter shares (the conformance kit checks them):
- ``get`` raises NotFound; ``get_many`` returns the entities found, keyed by id, and leaves
  missing ids out, in one round trip (the N+1 cure).
- ``list`` returns one page in the entity's stable order (``Entity.ordering``); following
  ``next_cursor`` visits every item that existed throughout exactly once.
- ``add`` stores a new entity (Conflict if its id exists); ``update`` needs the stored version
  and returns the entity with version + 1; ``remove`` needs the stored version.
- Write errors (Conflict, NotFound) may surface at the write or at ``UnitOfWork.commit``:
  data sources that batch writes into one atomic request can only tell at commit.
- Reads see committed data; portable code does not read its own uncommitted writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Protocol, TypeVar
from uuid import UUID

from domain.model import Entity, Movie, Production, ShootDay, ShootingLocation
from domain.paging import Page, PageRequest
from domain.queries import LocationQuery, MovieQuery, ProductionQuery, Query, ShootDayQuery

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query, contravariant=True)  # type: ignore[type-arg]


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

    async def add(self, entity: E) -> E:
        """Store a new entity; Conflict if its id is taken."""
        ...

    async def update(self, entity: E) -> E:
        """Replace the stored entity of the same id and version; return it with version + 1."""
        ...

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Delete the entity if its stored version is ``expected_version`` (else Conflict)."""
        ...


class MovieRepository(Repository[Movie, MovieQuery], Protocol):
    """Movies."""


class LocationRepository(Repository[ShootingLocation, LocationQuery], Protocol):
    """Shooting locations."""


class ProductionRepository(Repository[Production, ProductionQuery], Protocol):
    """Productions."""


Slot = tuple[UUID, dt.date]
"""A (location id, date) pair: at most one shoot day may occupy it."""


class ShootDayRepository(Repository[ShootDay, ShootDayQuery], Protocol):
    """Shoot days, which also know which location slots are taken."""

    async def bookings(self, slots: Collection[Slot]) -> Collection[ShootDay]:
        """Return the stored shoot days that occupy any of ``slots``, in one round trip."""
        ...
