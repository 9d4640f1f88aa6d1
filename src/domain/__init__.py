"""hexstudio's core: studio production management with no knowledge of where data lives.

Import entities, errors, ports and interactors from here; adapters implement the ports.
"""

from domain.errors import (
    Conflict,
    DataSourceError,
    DataSourceUnavailable,
    DomainError,
    InvalidInput,
    NotFound,
    RuleViolation,
)
from domain.interactors import (
    AdvanceProduction,
    CancelShootDay,
    GetProductionOverview,
    ListSlate,
    OnboardProduction,
    RegisterLocation,
    RegisterMovie,
    RescheduleShootDay,
)
from domain.model import (
    ACTIVE_PHASES,
    Entity,
    Genre,
    Money,
    Movie,
    Phase,
    Production,
    ProductionOverview,
    ShootDay,
    ShootingLocation,
    SlateEntry,
)
from domain.paging import MAX_PAGE_SIZE, Page, PageRequest
from domain.ports import (
    LocationRepository,
    MovieRepository,
    ProductionRepository,
    Repository,
    ShootDayRepository,
    Slot,
    UnitOfWork,
    UnitOfWorkFactory,
)
from domain.queries import ALL_FILTERS, LocationQuery, MovieQuery, ProductionQuery, ShootDayQuery

__all__ = [
    "ACTIVE_PHASES",
    "ALL_FILTERS",
    "MAX_PAGE_SIZE",
    "AdvanceProduction",
    "CancelShootDay",
    "Conflict",
    "DataSourceError",
    "DataSourceUnavailable",
    "DomainError",
    "Entity",
    "Genre",
    "GetProductionOverview",
    "InvalidInput",
    "ListSlate",
    "LocationQuery",
    "LocationRepository",
    "Money",
    "Movie",
    "MovieQuery",
    "MovieRepository",
    "NotFound",
    "OnboardProduction",
    "Page",
    "PageRequest",
    "Phase",
    "Production",
    "ProductionOverview",
    "ProductionQuery",
    "ProductionRepository",
    "RegisterLocation",
    "RegisterMovie",
    "Repository",
    "RescheduleShootDay",
    "RuleViolation",
    "ShootDay",
    "ShootDayQuery",
    "ShootDayRepository",
    "ShootingLocation",
    "SlateEntry",
    "Slot",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
