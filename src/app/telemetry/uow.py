"""The port-level decorator: each repository call and commit of a source, one span and timing.

Wrapped around each data source (not around the routed unit of work), so a span names the
source that actually answered; the role comes from the migration decorators above it
(``app.migration.roles``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Collection, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from opentelemetry import context, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from adapters.spi import Capabilities, DataSource
from app.migration.roles import ROLE
from app.telemetry.core import Telemetry
from app.wrapped_uow import WrappedUnitOfWork
from domain import (
    Conflict,
    DataSourceUnavailable,
    Entity,
    EntityType,
    InvalidInput,
    NotFound,
    Page,
    PageRequest,
    Query,
    Repository,
    RuleViolation,
    UniqueKey,
    UnitOfWork,
)
from domain.catalog import Plan
from domain.ports import planned_get, planned_list

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])
T = TypeVar("T")

REPOSITORY, OPERATION, SOURCE = (
    "hexstudio.repository",
    "hexstudio.operation",
    "hexstudio.data_source",
)
ROLE_ATTRIBUTE, OUTCOME, ERROR_TYPE = "hexstudio.role", "hexstudio.outcome", "error.type"
COMMIT = "commit"
"""The operation of a unit of work's commit; its repository label is empty."""

# A failure's outcome by its class: a bounded set, where the error type (a span attribute,
# not a label) says exactly which. First match wins, so subclasses before their bases.
_OUTCOMES: tuple[tuple[type[BaseException], str], ...] = (
    (NotFound, "not_found"),
    (Conflict, "conflict"),
    (InvalidInput, "invalid"),
    (RuleViolation, "invalid"),
    (DataSourceUnavailable, "unavailable"),
    (asyncio.CancelledError, "cancelled"),  # e.g. a shadow read past its deadline
)
_FAILED = frozenset({"unavailable", "error"})
"""Outcomes that mark the span as an error; the others are answers the port may give."""


def outcome_of(error: BaseException) -> str:
    """The outcome label of a call that raised ``error``."""
    for kind, outcome in _OUTCOMES:
        if isinstance(error, kind):
            return outcome
    return "error"


async def _measured(
    telemetry: Telemetry, repository: str, operation: str, source: str, call: Awaitable[T]
) -> T:
    """Await ``call`` inside a span (the current one meanwhile), and time it under its labels."""
    role = ROLE.get().value
    name = f"{repository}.{operation}" if repository else operation
    attributes = {OPERATION: operation, SOURCE: source, ROLE_ATTRIBUTE: role}
    if repository:
        attributes[REPOSITORY] = repository
    # start_span and attach by hand, not start_as_current_span: the same span and context
    # for a quarter less time per call (its context manager and exception handling are what
    # the try below does anyway), and on ListSlate the spans are most of telemetry's cost.
    span = telemetry.tracer.start_span(name, kind=SpanKind.INTERNAL, attributes=attributes)
    token = context.attach(trace.set_span_in_context(span))
    started = time.perf_counter()
    try:
        result = await call
    except BaseException as exc:
        elapsed = time.perf_counter() - started
        outcome = outcome_of(exc)
        # The port's answer (NotFound is one), not a crash: an outcome and a type, no stack.
        span.set_attribute(OUTCOME, outcome)
        span.set_attribute(ERROR_TYPE, type(exc).__qualname__)
        if outcome in _FAILED:
            span.set_status(Status(StatusCode.ERROR, type(exc).__qualname__))
        telemetry.metrics.observe((repository, operation, source, role, outcome), elapsed)
        raise
    else:
        elapsed = time.perf_counter() - started
        span.set_attribute(OUTCOME, "ok")
        telemetry.metrics.observe((repository, operation, source, role, "ok"), elapsed)
        return result
    finally:
        context.detach(token)
        span.end()


class _TracedRepository(Generic[E, Q]):
    """``domain.Repository`` over another, each call measured."""

    def __init__(
        self, inner: Repository[E, Q], repository: str, source: str, telemetry: Telemetry
    ) -> None:
        self._inner, self._repository, self._source = inner, repository, source
        self._telemetry = telemetry

    def _measure(self, operation: str, call: Awaitable[T]) -> Awaitable[T]:
        return _measured(self._telemetry, self._repository, operation, self._source, call)

    async def get(self, id: UUID) -> E:
        """``Repository.get``."""
        return await self._measure("get", self._inner.get(id))

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``Repository.get_many``."""
        return await self._measure("get_many", self._inner.get_many(ids))

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """``Repository.list``."""
        return await self._measure("list", self._inner.list(query, page))

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``PlannedReads.get_planned`` when the source plans, measured as a get."""
        return await self._measure("get", planned_get(self._inner, id, plan))

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """``PlannedReads.list_planned`` when the source plans, measured as a list."""
        return await self._measure("list", planned_list(self._inner, query, page, plan))

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """``Repository.find_by``."""
        return await self._measure("find_by", self._inner.find_by(key, values))

    async def add(self, entity: E) -> E:
        """``Repository.add``."""
        return await self._measure("add", self._inner.add(entity))

    async def update(self, entity: E) -> E:
        """``Repository.update``."""
        return await self._measure("update", self._inner.update(entity))

    async def remove(self, id: UUID, expected_version: int) -> None:
        """``Repository.remove``."""
        await self._measure("remove", self._inner.remove(id, expected_version))


class TracedUnitOfWork(WrappedUnitOfWork):
    """Implements ``domain.UnitOfWork`` over one source's unit of work, each call measured."""

    def __init__(self, inner: UnitOfWork, source: str, telemetry: Telemetry) -> None:
        super().__init__(inner)
        self._source, self._telemetry = source, telemetry

    def wrap(self, repository: Repository[Any, Any], entity: EntityType[Any, Any]) -> Any:
        """The source's repository of ``entity``, measured."""
        return _TracedRepository(repository, entity.plural, self._source, self._telemetry)

    async def commit(self) -> None:
        """Commit the source's unit of work, measured (a commit is a round trip too)."""
        await _measured(self._telemetry, "", COMMIT, self._source, self._inner.commit())


class TracedSource:
    """Implements ``adapters.spi.DataSource`` over another, its units of work measured."""

    def __init__(self, key: str, inner: DataSource, telemetry: Telemetry) -> None:
        self.key, self._inner, self._telemetry = key, inner, telemetry
        self.name: str = inner.name
        self.capabilities: Capabilities = inner.capabilities

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work of the source, measured under the source's configured name."""
        return TracedUnitOfWork(self._inner.unit_of_work(), self.key, self._telemetry)

    async def check(self) -> str:
        """The source's own check."""
        return await self._inner.check()

    async def aclose(self) -> None:
        """Close the source."""
        await self._inner.aclose()


def traced_sources(
    sources: Mapping[str, DataSource], telemetry: Telemetry
) -> dict[str, DataSource]:
    """``sources`` by the same names, their units of work measured."""
    return {key: TracedSource(key, source, telemetry) for key, source in sources.items()}
