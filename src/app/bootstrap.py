"""The composition root: settings in, data sources and ready-to-call interactors out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.spi import DataSource
from app import domains
from app.errors import ConfigError
from app.migration import MigrationState
from app.migration.mirror import Relay, recover
from app.migration.outbox import Outbox
from app.migration.shadow_worker import InLoopShadowWorker, ShadowWorker
from app.routed_uow import RoutedUnitOfWork
from app.routing import Route, routes
from app.settings import Settings, load_settings
from app.sources import create, instances
from domain import UnitOfWork, UnitOfWorkFactory
from domain.declaration import Domain
from domain.interactors import Interactors

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider

    from app.telemetry import Telemetry

__all__ = ["Container", "Interactors", "bootstrap"]


class RouteTable:
    """The routes in force, swapped whole: a unit of work keeps the routes it started with.

    ``hexstudio serve`` reloads them on SIGHUP (``reload_routes``); a request in flight
    finishes on the old table, the next one starts on the new.
    """

    def __init__(self, routes: dict[str, Route]) -> None:
        self.swap(routes)

    def swap(self, routes: dict[str, Route]) -> None:
        """Put ``routes`` in force, with the sources a request opens units of work on."""
        # One tuple, assigned at once: a reader never sees new routes with old sources.
        in_request = {n for r in routes.values() for n in r.in_request}
        self.current: tuple[dict[str, Route], frozenset[str]] = (routes, frozenset(in_request))

    @property
    def routes(self) -> dict[str, Route]:
        """The routes in force."""
        return self.current[0]


@dataclass(frozen=True)
class Container:
    """What bootstrap builds: the settings, the open data sources and the domain's use cases."""

    settings: Settings
    sources: dict[str, DataSource]
    domain: Domain
    uow: UnitOfWorkFactory
    """Units of work over the routed sources: what every generic edge (reads, CRUD) uses."""
    use_cases: Any = None
    """What the domain's ``use_cases`` built over ``uow`` (None when it declares none)."""
    table: RouteTable = field(default_factory=lambda: RouteTable({}))
    migration: MigrationState = field(default_factory=MigrationState)
    """Breakers and shadow comparisons of the routes (``app.migration``)."""
    telemetry: Telemetry | None = None
    """Spans and metrics of the port calls (``app.telemetry``); None when ``telemetry`` is off."""

    @property
    def routes(self) -> dict[str, Route]:
        """Each repository's route, as in force now."""
        return self.table.routes

    @property
    def interactors(self) -> Interactors:
        """The studio's interactors; the studio's own commands and endpoints call these."""
        if not isinstance(self.use_cases, Interactors):
            raise ConfigError(
                f"domain: {self.domain.name!r} has no studio use cases "
                "(this command belongs to the studio domain: HEXSTUDIO_DOMAIN=studio)"
            )
        return self.use_cases


@asynccontextmanager
async def bootstrap(
    settings: Settings | None = None,
    *,
    source: DataSource | None = None,
    overrides: Mapping[str, DataSource] | None = None,
    tracer_provider: TracerProvider | None = None,
    source_name: str | None = None,
) -> AsyncIterator[Container]:
    """Open the configured data sources, yield the container, close them afterwards.

    ``source`` replaces the default data source (and is closed with the container);
    ``overrides`` replace single repositories in place, e.g. ``{"movies": memory}`` (the
    caller keeps ownership of those). Tests and embedding apps use both to run the real wiring
    over doubles without building a second container. With ``telemetry.enabled`` spans go to
    ``tracer_provider`` (default: OpenTelemetry's global one). ``source_name`` says which
    ``[data_source]`` table ``source`` was built from, so a shadow worker process can build it
    again (``[migration] shadow_worker = "process"``).
    """
    settings = settings or load_settings()
    overrides = dict(overrides or {})
    default = settings.data_source.default
    tables = settings.data_source.model_extra or {}
    known = set(instances(tables)) | ({default} if source is not None else set())
    overridden = {repository: f"override:{repository}" for repository in overrides}
    domain = domains.load(settings.domain)
    route_map = routes(
        default, {**settings.repositories, **overridden}, known | _names(overrides), domain.catalog
    )
    sources: dict[str, DataSource] = {}
    stack = ExitStack()
    telemetry: Telemetry | None = None
    migration: MigrationState | None = None
    shadows: ShadowWorker | None = None
    try:
        for name in sorted({n for r in route_map.values() for n in r.sources}):
            if name in _names(overrides):
                sources[name] = overrides[name.removeprefix("override:")]
            elif source is not None and name == default:
                sources[name] = source
            else:
                sources[name] = create(tables, name, key=name, catalog=domain.catalog)
        migration = MigrationState()
        telemetry = _telemetry(settings, migration, tracer_provider, sources)
        table = RouteTable(route_map)
        traced = _traced(sources, telemetry)
        # The relays write through measured units of work too (their role: mirror).
        mirrors = await _mirrors(traced, route_map, domain, migration)
        for outbox in {id(o): o for o, _ in mirrors.values()}.values():
            stack.callback(outbox.close)
        given = _names(overrides) | ({default} if source is not None else set())
        aliases = {default: source_name} if source is not None and source_name else {}
        shadows = await _shadow_worker(
            settings, route_map, traced, given - set(aliases), aliases, domain, migration, telemetry
        )
        uow = _uow_factory(traced, table, migration, mirrors, shadows)
        use_cases = None if domain.use_cases is None else domain.use_cases(uow)
        yield Container(settings, sources, domain, uow, use_cases, table, migration, telemetry)
    finally:
        # Also when the wiring itself failed: a worker process started never outlives it.
        if migration is not None:
            await migration.drain()  # shadow reads in flight finish before their sources close
        if shadows is not None:
            await shadows.aclose()  # and a worker process stops with the service
        stack.close()
        for name, opened in sources.items():
            if name not in _names(overrides):
                await opened.aclose()
        if telemetry is not None:
            await telemetry.aclose()  # its own exporter's last spans are sent before the exit


def _telemetry(
    settings: Settings,
    migration: MigrationState,
    provider: TracerProvider | None,
    sources: Mapping[str, DataSource],
) -> Telemetry | None:
    if not settings.telemetry.enabled:
        return None  # nothing imported, nothing wrapped: off costs nothing per call
    from app.telemetry import start

    return start(migration, provider, sources, settings.telemetry)


def _traced(sources: dict[str, DataSource], telemetry: Telemetry | None) -> dict[str, DataSource]:
    """What the units of work are made from: each source, measured when telemetry is on."""
    if telemetry is None:
        return sources
    from app.telemetry import traced_sources

    return traced_sources(sources, telemetry)


async def _shadow_worker(
    settings: Settings,
    route_map: Mapping[str, Route],
    sources: Mapping[str, DataSource],
    given: set[str],
    aliases: dict[str, str],
    domain: Domain,
    migration: MigrationState,
    telemetry: Telemetry | None,
) -> ShadowWorker:
    """Where shadow reads run, as ``[migration] shadow_worker`` says; a process is started.

    A worker process builds the sources it reads from the configuration again, so a source
    handed in as an object, or one whose data lives in this process (memory), is refused.
    """
    factories = {name: src.unit_of_work for name, src in sources.items()}
    if settings.migration.shadow_worker == "in_loop":
        return InLoopShadowWorker(factories, domain.catalog, migration)
    from app.migration.shadow_worker_process import ProcessShadowWorker, WorkerConfig

    tables = settings.data_source.model_extra or {}
    _refuse_unbuildable_shadows(route_map, instances(tables), given, aliases)
    observe = None if telemetry is None else telemetry.metrics.observe
    worker = ProcessShadowWorker(
        WorkerConfig(settings.domain, tables, telemetry is not None, aliases=aliases),
        migration,
        observe=observe,
    )
    if any(route.shadow for route in route_map.values()):
        await worker.start()  # else at the first shadowed read, should a reload add a shadow
    return worker


def _names(overrides: Mapping[str, DataSource]) -> set[str]:
    return {f"override:{repository}" for repository in overrides}


def _refuse_unbuildable_shadows(
    route_map: Mapping[str, Route],
    kinds: Mapping[str, str],
    given: set[str],
    aliases: Mapping[str, str],
) -> None:
    """ConfigError if a worker process could not build a shadowed route's sources again."""
    for route in route_map.values():
        for name in (route.read, route.shadow.to) if route.shadow else ():
            if name in given or kinds.get(aliases.get(name, name)) == "memory":
                what = "was handed in as an object" if name in given else "is a memory source"
                raise ConfigError(
                    f"migration.shadow_worker: 'process' builds the shadowed sources again in a "
                    f"process of its own, and {name!r} {what}, whose data is this process's "
                    "(choices: in_loop, process)"
                )


def reload_routes(container: Container, settings: Settings) -> str:
    """Put the routes of ``settings`` in force; ConfigError (nothing changed) if they cannot be.

    Only routes over the sources already open can be: opening a source is a restart's job.
    """
    tables = settings.data_source.model_extra or {}
    new = routes(
        settings.data_source.default,
        settings.repositories,
        set(instances(tables)),
        container.domain.catalog,
    )
    needed = {n for r in new.values() for n in r.sources}
    missing = sorted(needed - set(container.sources))
    if missing:
        raise ConfigError(
            f"repositories: {', '.join(missing)} is not open in this service; restart it to "
            "add a source (a reload changes routes between open sources only)"
        )
    if len(container.sources) == 1:
        raise ConfigError(
            "repositories: the service started on one source without routes; restart it to "
            "route reads between sources"
        )
    if container.settings.migration.shadow_worker == "process":
        # As at start: a route reloaded onto a memory shadow would compare against an empty
        # store in the worker, and every difference it reported would be false.
        _refuse_unbuildable_shadows(new, instances(tables), set(), {})
    changed = [name for name, route in new.items() if route != container.routes.get(name)]
    container.table.swap(new)
    return "routes reloaded" + (f": {', '.join(changed)}" if changed else ", none changed")


async def _mirrors(
    sources: dict[str, DataSource],
    route_map: dict[str, Route],
    domain: Domain,
    migration: MigrationState,
) -> dict[str, tuple[Outbox, Relay]]:
    """A journal per outbox file and a relay per mirror; what a crash left staged, decided."""
    outboxes: dict[str, Outbox] = {}
    mirrors: dict[str, tuple[Outbox, Relay]] = {}
    primaries: dict[str, UnitOfWorkFactory] = {}
    for plural, route in route_map.items():
        if route.mirror is None:
            continue
        outbox = outboxes.get(route.mirror.outbox)
        if outbox is None:
            outbox = outboxes[route.mirror.outbox] = Outbox(Path(route.mirror.outbox))
        if route.mirror.to not in mirrors:
            mirror = sources[route.mirror.to]
            relay = Relay(route.mirror.to, mirror.unit_of_work, domain.catalog, outbox)
            mirrors[route.mirror.to] = (outbox, relay)
            migration.relays[route.mirror.to] = relay
        primaries[plural] = sources[route.write].unit_of_work
    for outbox in outboxes.values():
        await recover(outbox, primaries, domain.catalog)
    for _, relay in mirrors.values():
        relay.kick()  # catch up on what a mirror that was down has not received yet
    return mirrors


def _uow_factory(
    sources: dict[str, DataSource],
    table: RouteTable,
    migration: MigrationState,
    mirrors: dict[str, tuple[Outbox, Relay]] | None = None,
    shadows: ShadowWorker | None = None,
) -> UnitOfWorkFactory:
    if len(sources) == 1:  # the common case: no routing layer at all
        return next(iter(sources.values())).unit_of_work

    buffered = frozenset(n for n, s in sources.items() if s.capabilities.buffered_writes)
    factories = {name: src.unit_of_work for name, src in sources.items()}

    def routed() -> UnitOfWork:
        route_map, in_request = table.current  # one read: routes and their sources agree
        units = {name: sources[name].unit_of_work() for name in in_request}
        return RoutedUnitOfWork(
            units,
            route_map,
            buffered,
            factories=factories,
            state=migration,
            mirrors=mirrors,
            shadows=shadows,
        )

    return routed
