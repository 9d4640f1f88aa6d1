"""Read decorators of one repository: dialed, with fallback, shadowed.

Each takes repositories (or unit-of-work factories, for work off the request's path) and
answers the read ports; writes never pass through them. ``app.routed_uow`` composes them per
route: shadow( dial( fallback(primary), fallback(dialed) ) ).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from app.migration.roles import ROLE, InRole, Role
from app.migration.state import Difference, MigrationState
from app.migration.values import Outcome, differences, outcome_of
from domain import (
    DataSourceUnavailable,
    DomainError,
    Entity,
    EntityType,
    Page,
    PageRequest,
    Query,
    UniqueKey,
    UnitOfWork,
)
from domain.catalog import Plan
from domain.ports import planned_get, planned_list

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])
QC = TypeVar("QC", bound=Query[Any], contravariant=True)
NOISE_SHARE = 0.1
"""Of the shadowed reads, the share also read again from the primary (the noise baseline):
one in ten is enough for a rate, and each is a primary read the caller's loop pays for."""

Read = Callable[[Any], Awaitable[Any]]
"""One read port call, made on whichever repository a decorator picks."""


class Reads(Protocol[E, QC]):
    """The read side of ``domain.Repository``: what these decorators answer."""

    async def get(self, id: UUID) -> E:
        """``Repository.get``."""
        ...

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``Repository.get_many``."""
        ...

    async def list(self, query: QC, page: PageRequest) -> Page[E]:
        """``Repository.list``."""
        ...

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """``Repository.find_by``."""
        ...


def bucket(key: str) -> float:
    """A stable place in [0, 100) for ``key``: the same key always lands in the same place."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 10_000 / 100


class DialedReads(Generic[E, Q]):
    """``percent`` of reads answered by ``dialed``, chosen by a stable hash of what is read.

    An id always goes to the same source (sticky: one reader sees one source for one entity);
    a list goes by its query, so every page of one listing comes from one source.
    """

    def __init__(
        self, repository: str, primary: Reads[E, Q], dialed: Reads[E, Q], percent: float
    ) -> None:
        self._name, self._primary, self._dialed, self._percent = (
            repository,
            primary,
            dialed,
            percent,
        )
        # Tagged, so telemetry tells a dialed read from the primary's (``app.migration.roles``).
        self._dialed = InRole(Role.DIAL, dialed)

    def _for(self, key: str) -> Reads[E, Q]:
        return self._dialed if bucket(f"{self._name}:{key}") < self._percent else self._primary

    async def get(self, id: UUID) -> E:
        """``Repository.get``."""
        return await self._for(str(id)).get(id)

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``Repository.get_many``."""
        dialed = {id for id in ids if self._for(str(id)) is self._dialed}
        found: dict[UUID, E] = {}
        if dialed:
            found.update(await self._dialed.get_many(dialed))
        if len(dialed) < len(ids):
            found.update(await self._primary.get_many([id for id in ids if id not in dialed]))
        return found

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """``Repository.list``."""
        return await self._for(query.model_dump_json()).list(query, page)

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """``Repository.find_by``."""
        return await self._for(f"{key.name}:{sorted(map(repr, values))}").find_by(key, values)

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``get``, with the plan passed to the source the id is dialed to."""
        return await planned_get(self._for(str(id)), id, plan)  # type: ignore[arg-type]

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``list``, with the plan passed to the source the query is dialed to."""
        reads = self._for(query.model_dump_json())
        return await planned_list(reads, query, page, plan)  # type: ignore[arg-type]


class FallbackReads(Generic[E, Q]):
    """Reads of ``source``; while it is unavailable (its breaker open), of ``fallback``."""

    def __init__(
        self,
        repository: str,
        source: str,
        primary: Reads[E, Q],
        fallback: Reads[E, Q],
        state: MigrationState,
    ) -> None:
        self._name, self._primary, self._fallback, self._state = (
            repository,
            primary,
            fallback,
            state,
        )
        self._fallback = InRole(Role.FALLBACK, fallback)
        self._breaker = state.breaker(source)

    async def _read(self, read: Read) -> Any:
        if self._breaker.allow():
            try:
                answer = await read(self._primary)
            except DataSourceUnavailable:
                self._breaker.failed()
            else:
                self._breaker.succeeded()
                return answer
        self._state.of(self._name).fallbacks += 1
        return await read(self._fallback)

    async def get(self, id: UUID) -> E:
        """``Repository.get``."""
        found: E = await self._read(lambda r: r.get(id))
        return found

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``Repository.get_many``."""
        found: Mapping[UUID, E] = await self._read(lambda r: r.get_many(ids))
        return found

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """``Repository.list``."""
        found: Page[E] = await self._read(lambda r: r.list(query, page))
        return found

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """``Repository.find_by``."""
        found: Collection[E] = await self._read(lambda r: r.find_by(key, values))
        return found

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``get`` with the plan, from the source or, while it is unavailable, the fallback."""
        found: E = await self._read(lambda r: planned_get(r, id, plan))
        return found

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``list`` with the plan, from the source or, while it is unavailable, the fallback."""
        found: Page[E] = await self._read(lambda r: planned_list(r, query, page, plan))
        return found


class ShadowReads(Generic[E, Q]):
    """The primary's answer to the caller; a share of reads also asked of a shadow, compared.

    The shadow runs after the primary answered, in a task of its own with its own unit of
    work and deadline, so nothing it does (fail, hang, lie) reaches the caller. A share of the
    shadowed reads (``NOISE_SHARE``) is also read again from the primary, the noise baseline:
    data that changed between two reads is not the shadow's fault.
    """

    def __init__(
        self,
        entity: EntityType[E, Q],
        primary: Reads[E, Q],
        primary_units: Callable[[], UnitOfWork],
        shadow_units: Callable[[], UnitOfWork],
        *,
        sample: float,
        timeout: float,
        state: MigrationState,
    ) -> None:
        self._entity, self._primary = entity, primary
        self._primary_units, self._shadow_units = primary_units, shadow_units
        self._sample, self._timeout, self._state = sample, timeout, state

    async def _read(self, operation: str, subject: str, read: Read) -> Any:
        try:
            answer = await read(self._primary)
        except DomainError as exc:
            self._maybe_shadow(operation, subject, read, outcome_of(error=exc))
            raise
        self._maybe_shadow(operation, subject, read, outcome_of(answer))
        return answer

    def _maybe_shadow(self, operation: str, subject: str, read: Read, primary: Outcome) -> None:
        if self._sample <= 0 or self._state.random.random() >= self._sample:
            return
        work = self._compare(operation, subject, read, primary)
        self._state.spawn(self._entity.plural, work)

    async def _compare(self, operation: str, subject: str, read: Read, primary: Outcome) -> None:
        ROLE.set(Role.SHADOW)  # this task's own context: nothing on the caller's path sees it
        counts = self._state.of(self._entity.plural)
        shadow = await self._outcome(self._shadow_units, read)
        if shadow is None:
            counts.shadow_failures += 1
        else:
            counts.comparisons += 1
            paths = differences(primary, shadow)
            if paths:
                counts.mismatches += 1
                self._state.differences.append(
                    Difference(self._entity.plural, operation, subject, tuple(paths))
                )
        if self._state.random.random() >= NOISE_SHARE:
            return
        again = await self._outcome(self._primary_units, read)
        if again is not None:
            counts.noise_comparisons += 1
            counts.noise_mismatches += bool(differences(primary, again))

    async def _outcome(self, units: Callable[[], UnitOfWork], read: Read) -> Outcome | None:
        """The answer through a unit of work of its own, within the deadline; None if not."""
        try:
            async with asyncio.timeout(self._timeout):
                async with units() as uow:
                    return outcome_of(await read(uow.repository(self._entity)))
        except DataSourceUnavailable:
            return None
        except DomainError as exc:
            return outcome_of(error=exc)
        except Exception:
            return None

    async def get(self, id: UUID) -> E:
        """``Repository.get``."""
        found: E = await self._read("get", str(id), lambda r: r.get(id))
        return found

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``Repository.get_many``."""
        subject = ",".join(sorted(map(str, ids)))
        found: Mapping[UUID, E] = await self._read("get_many", subject, lambda r: r.get_many(ids))
        return found

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """``Repository.list``."""
        subject = f"{query.model_dump_json(exclude_defaults=True)} {page.cursor or ''}".strip()
        found: Page[E] = await self._read("list", subject, lambda r: r.list(query, page))
        return found

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """``Repository.find_by``."""
        subject = f"{key.name}: {sorted(map(repr, values))}"
        found: Collection[E] = await self._read(
            "find_by", subject, lambda r: r.find_by(key, values)
        )
        return found

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``get`` with the plan: the primary plans, a shadowed read is compared as a get."""
        found: E = await self._read("get", str(id), lambda r: planned_get(r, id, plan))
        return found

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``list`` with the plan: the primary plans, a shadowed read is compared as a list."""
        subject = f"{query.model_dump_json(exclude_defaults=True)} {page.cursor or ''}".strip()
        found: Page[E] = await self._read(
            "list", subject, lambda r: planned_list(r, query, page, plan)
        )
        return found
