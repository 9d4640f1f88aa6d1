"""Why a port call is made: the role a read plays in a migration route (for telemetry).

The migration decorators set it around the calls they redirect; whatever wraps a source's
repositories further in (``app.telemetry``) reads it. A context variable, so that a role set
for one read never leaks into a concurrent one, and a shadow's task keeps its own.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, Generic, TypeVar
from uuid import UUID

from domain import Entity, Page, PageRequest, Query, UniqueKey
from domain.catalog import Plan
from domain.ports import planned_get, planned_list

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class Role(StrEnum):
    """The roles a port call can have: a bounded set, fit for a metric's label."""

    PRIMARY = "primary"
    """The route's own read or write source: every call outside a migration."""
    SHADOW = "shadow"
    """Off the request's path: the shadow's read, and the primary's noise-baseline re-read."""
    DIAL = "dial"
    """A read the dial sent to the new source."""
    FALLBACK = "fallback"
    """A read the fallback answered because the source it stands in for was unavailable."""
    MIRROR = "mirror"
    """A dual write's relay sending the mirror a change (and reading what the mirror holds)."""


ROLE: ContextVar[Role] = ContextVar("hexstudio_role", default=Role.PRIMARY)
"""The role of the port calls made in this context now."""


class InRole(Generic[E, Q]):
    """The read side of a repository whose every call is made in ``role``."""

    def __init__(self, role: Role, reads: Any) -> None:
        self._role, self._reads = role, reads

    async def get(self, id: UUID) -> E:
        """``Repository.get``."""
        token = ROLE.set(self._role)
        try:
            found: E = await self._reads.get(id)
            return found
        finally:
            ROLE.reset(token)

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``Repository.get_many``."""
        token = ROLE.set(self._role)
        try:
            found: Mapping[UUID, E] = await self._reads.get_many(ids)
            return found
        finally:
            ROLE.reset(token)

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """``Repository.list``."""
        token = ROLE.set(self._role)
        try:
            found: Page[E] = await self._reads.list(query, page)
            return found
        finally:
            ROLE.reset(token)

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """``Repository.find_by``."""
        token = ROLE.set(self._role)
        try:
            found: Collection[E] = await self._reads.find_by(key, values)
            return found
        finally:
            ROLE.reset(token)

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``PlannedReads.get_planned``, passed on (plainly read if the source cannot plan)."""
        token = ROLE.set(self._role)
        try:
            return await planned_get(self._reads, id, plan)
        finally:
            ROLE.reset(token)

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``PlannedReads.list_planned``, passed on (plainly read if the source cannot plan)."""
        token = ROLE.set(self._role)
        try:
            return await planned_list(self._reads, query, page, plan)
        finally:
            ROLE.reset(token)
