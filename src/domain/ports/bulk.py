"""Bulk adds: an optional port a data source offers when it can store many entities at once.

``Repository`` stays as it is, so every data source (third-party ones included) keeps
working; a source that can write a batch in one statement also implements ``BulkAdds``, and
callers that add many entities (``app.migration.copy``) go through ``bulk_add``, which uses
``add_many`` when the repository offers it and adds one by one when it does not. Both store
the same: the batch only changes how many round trips the adds cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

from domain.catalog import Query
from domain.model import Entity
from domain.ports.repositories import Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


@runtime_checkable
class BulkAdds(Protocol[E]):
    """``Repository.add`` of many entities, in as few round trips as the source can."""

    async def add_many(self, entities: Sequence[E]) -> Sequence[E]:
        """Store each new entity as ``add`` does (its version kept); return them as stored.

        Conflict if an id is taken or a unique key is broken, at this call or at commit (as
        for ``add``); the unit of work is then not to be committed.
        """
        ...


async def bulk_add(repository: Repository[E, Q], entities: Sequence[E]) -> list[E]:
    """``repository.add`` of each of ``entities``, in one batch if the repository can."""
    if not entities:
        return []
    # getattr, not isinstance against the runtime-checkable protocol: see domain.ports.plans.
    add_many = getattr(repository, "add_many", None)
    if add_many is not None:
        return list(await add_many(entities))
    return [await repository.add(entity) for entity in entities]
