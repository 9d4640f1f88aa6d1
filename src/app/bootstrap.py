"""The composition root: settings in, data sources and ready-to-call interactors out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from adapters.spi import DataSource
from app import domains
from app.errors import ConfigError
from app.migration import MigrationState
from app.routed_uow import RoutedUnitOfWork
from app.routing import Route, routes
from app.settings import Settings, load_settings
from app.sources import create, instances
from domain import UnitOfWork, UnitOfWorkFactory
from domain.declaration import Domain
from domain.interactors import Interactors

__all__ = ["Container", "Interactors", "bootstrap"]


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
    routes: dict[str, Route] = field(default_factory=dict)
    migration: MigrationState = field(default_factory=MigrationState)
    """Breakers and shadow comparisons of the routes (``app.migration``)."""

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
) -> AsyncIterator[Container]:
    """Open the configured data sources, yield the container, close them afterwards.

    ``source`` replaces the default data source (and is closed with the container);
    ``overrides`` replace single repositories in place, e.g. ``{"movies": memory}`` (the
    caller keeps ownership of those). Tests and embedding apps use both to run the real wiring
    over doubles without building a second container.
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
    try:
        for name in sorted({n for r in route_map.values() for n in r.sources}):
            if name in _names(overrides):
                sources[name] = overrides[name.removeprefix("override:")]
            elif source is not None and name == default:
                sources[name] = source
            else:
                sources[name] = create(tables, name, key=name)
        migration = MigrationState()
        uow = _uow_factory(sources, route_map, migration)
        use_cases = None if domain.use_cases is None else domain.use_cases(uow)
        try:
            yield Container(settings, sources, domain, uow, use_cases, route_map, migration)
        finally:
            await migration.drain()  # shadow reads in flight finish before their sources close
    finally:
        for name, opened in sources.items():
            if name not in _names(overrides):
                await opened.aclose()


def _names(overrides: Mapping[str, DataSource]) -> set[str]:
    return {f"override:{repository}" for repository in overrides}


def _uow_factory(
    sources: dict[str, DataSource], route_map: dict[str, Route], migration: MigrationState
) -> UnitOfWorkFactory:
    if len(sources) == 1:  # the common case: no routing layer at all
        return next(iter(sources.values())).unit_of_work

    buffered = frozenset(n for n, s in sources.items() if s.capabilities.buffered_writes)
    factories = {name: src.unit_of_work for name, src in sources.items()}
    # A shadow's source is read off the request's path, through units of its own.
    in_request = {n for r in route_map.values() for n in r.sources - {r.shadow and r.shadow.to}}

    def routed() -> UnitOfWork:
        units = {name: sources[name].unit_of_work() for name in in_request}
        return RoutedUnitOfWork(units, route_map, buffered, factories=factories, state=migration)

    return routed
