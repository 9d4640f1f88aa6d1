"""Planned reads: an optional port a data source offers when it can fetch relatives in bulk.

``Repository`` stays as it is, so every data source (third-party ones included) keeps
working; a source that can follow a ``Plan`` also implements ``PlannedReads``, and
interactors read through ``planned_get`` / ``planned_list``, which use the plan when the
repository offers it and fall back to the plain read when it does not. Both answer the same:
the plan only changes how many round trips the reads that follow cost.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable
from uuid import UUID

from domain.catalog import Plan, Query
from domain.model import Entity
from domain.paging import Page, PageRequest
from domain.ports.repositories import Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any], contravariant=True)
Q2 = TypeVar("Q2", bound=Query[Any])


@runtime_checkable
class PlannedReads(Protocol[E, Q]):
    """Reads that also fetch a plan's relatives, for the unit of work's later reads."""

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``Repository.get``, fetching what ``plan`` names along with it."""
        ...

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``Repository.list``, fetching what ``plan`` names for the page's items."""
        ...


# On every planned read: ``getattr`` costs 0.04 µs where ``isinstance`` against the
# runtime-checkable protocol costs ~8 µs (Python 3.11 checks each member of the protocol).


async def planned_get(repository: Repository[E, Q2], id: UUID, plan: Plan[E]) -> E:
    """``repository.get(id)``, with ``plan`` followed if the repository can plan."""
    get_planned = getattr(repository, "get_planned", None)
    if get_planned is not None:
        found: E = await get_planned(id, plan)
        return found
    return await repository.get(id)


async def planned_list(
    repository: Repository[E, Q2], query: Q2, page: PageRequest, plan: Plan[E]
) -> Page[E]:
    """``repository.list(query, page)``, with ``plan`` followed if the repository can plan."""
    list_planned = getattr(repository, "list_planned", None)
    if list_planned is not None:
        found: Page[E] = await list_planned(query, page, plan)
        return found
    return await repository.list(query, page)
