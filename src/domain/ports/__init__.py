"""Ports: the Protocols the interactors need and the adapters implement."""

from domain.ports.repositories import (
    LocationRepository,
    MovieRepository,
    ProductionRepository,
    Repository,
    ShootDayRepository,
    Slot,
)
from domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "LocationRepository",
    "MovieRepository",
    "ProductionRepository",
    "Repository",
    "ShootDayRepository",
    "Slot",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
