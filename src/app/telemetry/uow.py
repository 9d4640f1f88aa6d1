"""The port-level decorator: each repository call and commit of a source, one span and timing.

Wrapped around each data source (not around the routed unit of work), so a span names the
source that actually answered; the role comes from the migration decorators above it
(``app.migration.roles``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Collection, Coroutine, Mapping, Sequence
from time import perf_counter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from uuid import UUID

from opentelemetry import context, trace
from opentelemetry.trace import Status, StatusCode

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
from domain.ports import bulk_add, planned_get, planned_list

if TYPE_CHECKING:
    from prometheus_client import Histogram

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


class _Call:
    """One kind of port call (repository, operation, source, role): what its spans reuse.

    Built once per container rather than once per call, with the timings' histogram children.

    A port call is a few microseconds of our own work around the SDK's span; building the
    attributes, the span's name and the label tuple, and finding the histogram's child, for
    every call was a good part of it.
    """

    __slots__ = ("_children", "_key", "_metrics", "attributes", "name", "observe_ok")

    def __init__(
        self, telemetry: Telemetry, repository: str, operation: str, source: str, role: str
    ) -> None:
        self.name = f"{repository}.{operation}" if repository else operation
        attributes = {OPERATION: operation, SOURCE: source, ROLE_ATTRIBUTE: role}
        if repository:
            attributes[REPOSITORY] = repository
        # Read-only: one mapping is handed to every span of this kind (the SDK copies it).
        self.attributes: Mapping[str, str] = MappingProxyType(attributes)
        self._key, self._metrics = (repository, operation, source, role), telemetry.metrics
        self.observe_ok = telemetry.metrics.child((*self._key, "ok")).observe
        self._children: dict[str, Histogram] = {}

    def failed(self, span: trace.Span, error: BaseException, seconds: float) -> None:
        """Record a call that raised ``error``: its outcome and type, on the span and labels."""
        outcome = outcome_of(error)
        child = self._children.get(outcome)
        if child is None:
            child = self._children[outcome] = self._metrics.child((*self._key, outcome))
        child.observe(seconds)
        if span.is_recording():
            # The port's answer (NotFound is one), not a crash: an outcome and a type, no
            # stack (record_exception would format one for every NotFound).
            kind = type(error).__qualname__
            span.set_attributes({OUTCOME: outcome, ERROR_TYPE: kind})
            if outcome in _FAILED:
                span.set_status(Status(StatusCode.ERROR, kind))


class _Calls:
    """The ``_Call`` of each (operation, role) of a repository on a source, made at first use."""

    __slots__ = ("_calls", "_repository", "_source", "_telemetry")

    def __init__(self, telemetry: Telemetry, repository: str, source: str) -> None:
        self._telemetry, self._repository, self._source = telemetry, repository, source
        self._calls: dict[tuple[str, str], _Call] = {}

    def __call__(self, operation: str) -> _Call:
        """The ``_Call`` of ``operation`` in the role of the port calls made in this context."""
        role = ROLE.get()
        call = self._calls.get((operation, role))
        if call is None:  # a new label set: a bounded number, as the roles and operations are
            call = self._calls[operation, role] = _Call(
                self._telemetry, self._repository, operation, self._source, role.value
            )
        return call


async def _measured(tracer: trace.Tracer, call: _Call, awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` inside a span (the current one meanwhile), timed under its labels."""
    # start_span and attach by hand, not start_as_current_span: the same span and context
    # for less time per call (its context manager and exception handling are what the try
    # below does anyway). The span is current while the call runs, so the spans a source's
    # client library makes (an instrumented httpx or SQLAlchemy) are its children.
    span = tracer.start_span(call.name, attributes=call.attributes)
    token = context.attach(trace.set_span_in_context(span))
    started = perf_counter()
    try:
        result = await awaitable
    except BaseException as exc:
        call.failed(span, exc, perf_counter() - started)
        raise
    else:
        call.observe_ok(perf_counter() - started)
        span.set_attribute(OUTCOME, "ok")
        return result
    finally:
        context.detach(token)
        span.end()


class _TracedRepository(Generic[E, Q]):
    """``domain.Repository`` over another, each call measured.

    Its methods return ``_measured``'s coroutine rather than awaiting it in one of their own:
    one coroutine less per call, awaited by the caller all the same.
    """

    def __init__(self, inner: Repository[E, Q], calls: _Calls, tracer: trace.Tracer) -> None:
        self._inner, self._calls, self._tracer = inner, calls, tracer

    def get(self, id: UUID) -> Coroutine[Any, Any, E]:
        """``Repository.get``."""
        return _measured(self._tracer, self._calls("get"), self._inner.get(id))

    def get_many(self, ids: Collection[UUID]) -> Coroutine[Any, Any, Mapping[UUID, E]]:
        """``Repository.get_many``."""
        return _measured(self._tracer, self._calls("get_many"), self._inner.get_many(ids))

    def list(self, query: Q, page: PageRequest) -> Coroutine[Any, Any, Page[E]]:
        """``Repository.list``."""
        return _measured(self._tracer, self._calls("list"), self._inner.list(query, page))

    def get_planned(self, id: UUID, plan: Plan[E]) -> Coroutine[Any, Any, E]:
        """``PlannedReads.get_planned`` when the source plans, measured as a get."""
        return _measured(self._tracer, self._calls("get"), planned_get(self._inner, id, plan))

    def list_planned(
        self, query: Q, page: PageRequest, plan: Plan[E]
    ) -> Coroutine[Any, Any, Page[E]]:
        """``PlannedReads.list_planned`` when the source plans, measured as a list."""
        planned = planned_list(self._inner, query, page, plan)
        return _measured(self._tracer, self._calls("list"), planned)

    def find_by(
        self, key: UniqueKey, values: Collection[tuple[Any, ...]]
    ) -> Coroutine[Any, Any, Collection[E]]:
        """``Repository.find_by``."""
        return _measured(self._tracer, self._calls("find_by"), self._inner.find_by(key, values))

    def add(self, entity: E) -> Coroutine[Any, Any, E]:
        """``Repository.add``."""
        return _measured(self._tracer, self._calls("add"), self._inner.add(entity))

    def add_many(self, entities: Sequence[E]) -> Coroutine[Any, Any, Sequence[E]]:
        """``BulkAdds.add_many``: one span for the batch (one ``add`` each where unsupported)."""
        return _measured(self._tracer, self._calls("add_many"), bulk_add(self._inner, entities))

    def update(self, entity: E) -> Coroutine[Any, Any, E]:
        """``Repository.update``."""
        return _measured(self._tracer, self._calls("update"), self._inner.update(entity))

    def remove(self, id: UUID, expected_version: int) -> Coroutine[Any, Any, None]:
        """``Repository.remove``."""
        removal = self._inner.remove(id, expected_version)
        return _measured(self._tracer, self._calls("remove"), removal)


class TracedUnitOfWork(WrappedUnitOfWork):
    """Implements ``domain.UnitOfWork`` over one source's unit of work, each call measured."""

    def __init__(self, inner: UnitOfWork, source: TracedSource) -> None:
        super().__init__(inner)
        self._source = source

    def wrap(self, repository: Repository[Any, Any], entity: EntityType[Any, Any]) -> Any:
        """The source's repository of ``entity``, measured."""
        return _TracedRepository(repository, self._source.calls(entity.plural), self._source.tracer)

    async def commit(self) -> None:
        """Commit the source's unit of work, measured (a commit is a round trip too)."""
        source = self._source
        await _measured(source.tracer, source.calls("")(COMMIT), self._inner.commit())


class TracedSource:
    """Implements ``adapters.spi.DataSource`` over another, its units of work measured.

    Holds what the spans and timings of its calls reuse (``_Calls`` by repository): a unit of
    work lasts a request, the source the container's life.
    """

    def __init__(self, key: str, inner: DataSource, telemetry: Telemetry) -> None:
        self.key, self._inner, self._telemetry = key, inner, telemetry
        self.name: str = inner.name
        self.capabilities: Capabilities = inner.capabilities
        self.tracer = telemetry.tracer
        self._calls: dict[str, _Calls] = {}

    def calls(self, repository: str) -> _Calls:
        """The calls of ``repository`` (``""``: the commits) on this source."""
        found = self._calls.get(repository)
        if found is None:
            found = self._calls[repository] = _Calls(self._telemetry, repository, self.key)
        return found

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work of the source, measured under the source's configured name."""
        return TracedUnitOfWork(self._inner.unit_of_work(), self)

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
