"""Where shadow reads run: the seam between ``ShadowReads`` and the work it hands off.

``ShadowReads`` answers the caller from the primary, then hands a ``ShadowJob`` (which
repository, which read, its arguments, the primary's outcome) to a ``ShadowWorker`` and
returns. The worker reads the shadow (and, for the noise baseline, the primary again) within
the deadline, compares as domain values and applies a ``ShadowResult`` to ``MigrationState``.

Two workers: ``InLoopShadowWorker`` runs the job as a task on the caller's own event loop
(fine for tests, memory sources and tiny deployments, but the shadow's CPU is the caller's);
``app.migration.shadow_worker_process.ProcessShadowWorker`` runs it in a process of its own,
so the caller pays for handing the job over and for counting the result, nothing else.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, NamedTuple, Protocol

from app.migration.roles import ROLE, Role
from app.migration.state import Difference, MigrationState
from app.migration.values import Outcome, differences, outcome_of
from domain import Catalog, DataSourceUnavailable, DomainError, EntityType, UnitOfWork

OPERATIONS = frozenset({"get", "get_many", "list", "find_by"})
"""The read ports a shadow job may call (a planned read is shadowed as its plain read)."""


class ShadowJob(NamedTuple):
    """One shadowed read, as handed off: cheap to build and to pickle (a tuple)."""

    repository: str
    """The entity type's plural."""
    operation: str
    """One of ``OPERATIONS``."""
    args: tuple[Any, ...]
    """The port call's arguments (ids, query and page, key and values)."""
    subject: str
    """What was read, as a difference names it (an id, a query and cursor)."""
    primary: Outcome
    """What the caller got."""
    read_source: str
    """The route's read source: the one the noise baseline reads again."""
    shadow_source: str
    timeout: float
    noise: bool
    """Whether to read the primary again too (the noise baseline), decided by the caller."""


class Timing(NamedTuple):
    """One port call a worker made, for the port-call histogram: what a span would have said."""

    operation: str
    source: str
    outcome: str
    seconds: float


class ShadowResult(NamedTuple):
    """What a shadow job found: the shadow's differences (None: it failed), the noise's."""

    repository: str
    operation: str
    subject: str
    paths: tuple[str, ...] | None
    """The differing field paths; ``()`` when equal; None when the shadow failed or timed out."""
    noise: bool | None
    """Whether the primary disagreed with itself; None when not re-read (or that failed)."""
    timings: tuple[Timing, ...] = ()


class ShadowWorker(Protocol):
    """Runs shadow jobs off the caller's path and applies their results to the state."""

    def submit(self, job: ShadowJob) -> None:
        """Take ``job``, or shed it (counted) when too much is in flight; never blocks or raises."""
        ...

    async def drain(self) -> None:
        """Wait until every job submitted so far has its result applied (or was given up)."""
        ...

    async def aclose(self) -> None:
        """Stop: finish what is in flight within its deadline, release what the worker holds."""
        ...


def apply(state: MigrationState, result: ShadowResult) -> None:
    """Count ``result`` in ``state``: comparisons, mismatches with their paths, the noise."""
    counts = state.of(result.repository)
    if result.paths is None:
        counts.shadow_failures += 1
    else:
        counts.comparisons += 1
        if result.paths:
            counts.mismatches += 1
            state.differences.append(
                Difference(result.repository, result.operation, result.subject, result.paths)
            )
    if result.noise is not None:
        counts.noise_comparisons += 1
        counts.noise_mismatches += result.noise


Units = Callable[[str], Callable[[], UnitOfWork]]
"""The unit-of-work factory of a source, by its name."""
Entities = Catalog | Mapping[str, EntityType[Any, Any]]
"""The entity types by plural: a catalog, or the ones a unit of work shadows."""
Label = Callable[[BaseException], str]
"""A failure's outcome label, as telemetry names it (``app.telemetry.uow.outcome_of``)."""


async def run(
    job: ShadowJob, units: Units, catalog: Entities, label: Label | None = None
) -> ShadowResult:
    """Read the shadow (and the primary again, if asked) within the deadline; compare.

    With ``label`` each read's duration and outcome are kept in the result's ``timings``
    (a worker whose sources are not traced reports them so); without, none are.
    """
    timings: list[Timing] = []
    shadow = await _outcome(job, job.shadow_source, units, catalog, label, timings)
    paths = None if shadow is None else tuple(differences(job.primary, shadow))
    noise = None
    if job.noise:
        again = await _outcome(job, job.read_source, units, catalog, label, timings)
        noise = None if again is None else bool(differences(job.primary, again))
    return ShadowResult(job.repository, job.operation, job.subject, paths, noise, tuple(timings))


async def _outcome(
    job: ShadowJob,
    source: str,
    units: Units,
    catalog: Entities,
    label: Label | None,
    timings: list[Timing],
) -> Outcome | None:
    """The answer of ``source`` in a unit of work of its own, within the deadline; None if not."""
    started = time.perf_counter()
    outcome: Outcome | None = None
    failure: BaseException | None = None
    try:
        async with asyncio.timeout(job.timeout):
            async with units(source)() as uow:
                repository = uow.repository(catalog[job.repository])
                read: Callable[..., Awaitable[Any]] = getattr(repository, job.operation)
                outcome = outcome_of(await read(*job.args))
    except TimeoutError as exc:
        failure = exc
    except DataSourceUnavailable as exc:
        failure = exc
    except DomainError as exc:  # an answer (NotFound is one), compared by its class
        outcome, failure = outcome_of(error=exc), exc
    except Exception as exc:  # a bug in the shadow source: its failure, never the caller's
        failure = exc
    if label is not None:
        kind = "cancelled" if isinstance(failure, TimeoutError) else None
        shown = kind or ("ok" if failure is None else label(failure))
        timings.append(Timing(job.operation, source, shown, time.perf_counter() - started))
    return outcome


class InLoopShadowWorker:
    """Shadow jobs as tasks on the caller's own event loop (``MigrationState.spawn``).

    Nothing leaves the process, so memory sources and test doubles work; the shadow's CPU
    (mapping, validating, comparing) is paid by the caller's loop, though. The sources'
    units of work are the traced ones when telemetry is on, so spans say ``role = shadow``.
    """

    def __init__(
        self,
        factories: Mapping[str, Callable[[], UnitOfWork]],
        catalog: Entities,
        state: MigrationState,
    ) -> None:
        self._factories, self._catalog, self._state = factories, catalog, state

    def submit(self, job: ShadowJob) -> None:
        """Run ``job`` in a task of its own (shed and counted over ``state.max_shadows``)."""
        self._state.spawn(job.repository, self._run(job))

    async def _run(self, job: ShadowJob) -> None:
        ROLE.set(Role.SHADOW)  # this task's own context: nothing on the caller's path sees it
        apply(self._state, await run(job, self._factories.__getitem__, self._catalog))

    async def drain(self) -> None:
        """Wait for the jobs' tasks (the state's, shared with other work off the path)."""
        await self._state.drain()

    async def aclose(self) -> None:
        """Nothing of its own to release: the tasks are the state's, drained at close."""
