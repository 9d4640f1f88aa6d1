"""Read decorators of one repository: dialed, with fallback, shadowed.

Each takes repositories (or unit-of-work factories, for work off the request's path) and
answers the read ports; writes never pass through them. ``app.routed_uow`` composes them per
route: shadow( dial( fallback(primary), fallback(dialed) ) ).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Collection, Mapping
from functools import partial
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from app.migration.roles import InRole, Role
from app.migration.shadow_worker import ShadowJob, ShadowWorker
from app.migration.state import MigrationState
from app.migration.values import Outcome, outcome_of
from domain import (
    DataSourceUnavailable,
    DomainError,
    Entity,
    EntityType,
    Page,
    PageRequest,
    Query,
    UniqueKey,
)
from domain.catalog import Plan
from domain.ports import planned_get, planned_list

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])
QC = TypeVar("QC", bound=Query[Any], contravariant=True)
NOISE_SHARE = 0.1
"""Of the shadowed reads, the share also read again from the primary (the noise baseline):
one in ten is enough for a rate, and each is one more primary read for the worker."""

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

    After the primary answered, a sampled read is handed to ``worker`` as a ``ShadowJob``
    and the caller goes on: the worker reads the shadow with its own unit of work and
    deadline, off the caller's path, so nothing the shadow does (fail, hang, lie) reaches the
    caller. A share of the shadowed reads (``NOISE_SHARE``) is also read again from the
    primary, the noise baseline: data that changed between two reads is not the shadow's fault.
    """

    def __init__(
        self,
        entity: EntityType[E, Q],
        primary: Reads[E, Q],
        worker: ShadowWorker,
        *,
        read_source: str,
        shadow_source: str,
        sample: float,
        timeout: float,
        state: MigrationState,
    ) -> None:
        self._plural, self._primary, self._worker = entity.plural, primary, worker
        self._read_source, self._shadow_source = read_source, shadow_source
        self._sample, self._timeout, self._state = sample, timeout, state

    async def _read(
        self, operation: str, subject: Callable[[], str], args: tuple[Any, ...], read: Read
    ) -> Any:
        try:
            answer = await read(self._primary)
        except DomainError as exc:
            self._maybe_shadow(operation, subject, args, partial(outcome_of, error=exc))
            raise
        self._maybe_shadow(operation, subject, args, partial(outcome_of, answer))
        return answer

    def _maybe_shadow(
        self,
        operation: str,
        subject: Callable[[], str],
        args: tuple[Any, ...],
        primary: Callable[[], Outcome],
    ) -> None:
        # Subject and outcome are made only for a sampled read: an unsampled one costs a draw.
        random = self._state.random
        if self._sample <= 0 or random.random() >= self._sample:
            return
        job = ShadowJob(
            self._plural,
            operation,
            args,
            subject(),
            primary(),
            self._read_source,
            self._shadow_source,
            self._timeout,
            random.random() < NOISE_SHARE,
        )
        self._worker.submit(job)

    async def get(self, id: UUID) -> E:
        """``Repository.get``."""
        found: E = await self._read("get", lambda: str(id), (id,), lambda r: r.get(id))
        return found

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``Repository.get_many``."""
        ids = tuple(ids)
        found: Mapping[UUID, E] = await self._read(
            "get_many", lambda: ",".join(sorted(map(str, ids))), (ids,), lambda r: r.get_many(ids)
        )
        return found

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """``Repository.list``."""
        found: Page[E] = await self._read(
            "list", lambda: _listing(query, page), (query, page), lambda r: r.list(query, page)
        )
        return found

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """``Repository.find_by``."""
        values = tuple(values)
        found: Collection[E] = await self._read(
            "find_by",
            lambda: f"{key.name}: {sorted(map(repr, values))}",
            (key, values),
            lambda r: r.find_by(key, values),
        )
        return found

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``get`` with the plan: the primary plans, a shadowed read is compared as a get."""
        found: E = await self._read(
            "get", lambda: str(id), (id,), lambda r: planned_get(r, id, plan)
        )
        return found

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``list`` with the plan: the primary plans, a shadowed read is compared as a list."""
        found: Page[E] = await self._read(
            "list",
            lambda: _listing(query, page),
            (query, page),
            lambda r: planned_list(r, query, page, plan),
        )
        return found


def _listing(query: Query[Any], page: PageRequest) -> str:
    """A list read's subject: its query (what differs from the defaults) and its cursor."""
    return f"{query.model_dump_json(exclude_defaults=True)} {page.cursor or ''}".strip()
