"""The composition root: settings in, data sources and ready-to-call interactors out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from adapters.spi import DataSource
from app import registry
from app.settings import Settings, load_settings
from domain import (
    AdvanceProduction,
    CancelShootDay,
    GetProductionOverview,
    ListSlate,
    OnboardProduction,
    RegisterLocation,
    RegisterMovie,
    RescheduleShootDay,
    UnitOfWorkFactory,
)


@dataclass(frozen=True)
class Interactors:
    """Every use case, wired to one unit-of-work factory."""

    uow: UnitOfWorkFactory
    register_movie: RegisterMovie = field(init=False)
    register_location: RegisterLocation = field(init=False)
    onboard_production: OnboardProduction = field(init=False)
    advance_production: AdvanceProduction = field(init=False)
    reschedule_shoot_day: RescheduleShootDay = field(init=False)
    cancel_shoot_day: CancelShootDay = field(init=False)
    get_production_overview: GetProductionOverview = field(init=False)
    list_slate: ListSlate = field(init=False)

    def __post_init__(self) -> None:
        for name, kind in (
            ("register_movie", RegisterMovie),
            ("register_location", RegisterLocation),
            ("onboard_production", OnboardProduction),
            ("advance_production", AdvanceProduction),
            ("reschedule_shoot_day", RescheduleShootDay),
            ("cancel_shoot_day", CancelShootDay),
            ("get_production_overview", GetProductionOverview),
            ("list_slate", ListSlate),
        ):
            object.__setattr__(self, name, kind(self.uow))


@dataclass(frozen=True)
class Container:
    """What bootstrap builds: the settings, the open data sources and the interactors."""

    settings: Settings
    sources: dict[str, DataSource]
    interactors: Interactors


@asynccontextmanager
async def bootstrap(
    settings: Settings | None = None, *, source: DataSource | None = None
) -> AsyncIterator[Container]:
    """Open the configured data source (or use ``source``), yield the container, close it.

    Passing ``source`` replaces the configured one in place: tests and embedding apps use it
    to run the same wiring over, say, a memory store.
    """
    settings = settings or load_settings()
    if source is None:
        name = settings.data_source.default
        source = registry.create(name, settings.data_source.options(name))
    try:
        yield Container(
            settings=settings,
            sources={source.name: source},
            interactors=Interactors(source.unit_of_work),
        )
    finally:
        await source.aclose()
