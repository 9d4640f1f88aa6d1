"""hexstudio's core: studio production management with no knowledge of where data lives.

Import entities, errors, ports and interactors from here; adapters implement the ports.
"""

from domain.catalog import Catalog, EntityType, Query, UniqueKey
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
    Slot,
)
from domain.paging import MAX_PAGE_SIZE, Page, PageRequest
from domain.ports import Repository, UnitOfWork, UnitOfWorkFactory
from domain.queries import LocationQuery, MovieQuery, ProductionQuery, ShootDayQuery
from domain.studio import LOCATIONS, MOVIES, PRODUCTIONS, SHOOT_DAYS, SLOT, STUDIO

__all__ = [
    "ACTIVE_PHASES",
    "LOCATIONS",
    "MOVIES",
    "PRODUCTIONS",
    "SHOOT_DAYS",
    "SLOT",
    "STUDIO",
    "Catalog",
    "EntityType",
    "Query",
    "UniqueKey",
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
    "Money",
    "Movie",
    "MovieQuery",
    "NotFound",
    "OnboardProduction",
    "Page",
    "PageRequest",
    "Phase",
    "Production",
    "ProductionOverview",
    "ProductionQuery",
    "RegisterLocation",
    "RegisterMovie",
    "Repository",
    "RescheduleShootDay",
    "RuleViolation",
    "ShootDay",
    "ShootDayQuery",
    "ShootingLocation",
    "SlateEntry",
    "Slot",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
