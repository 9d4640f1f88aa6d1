"""Ports: the Protocols the interactors need and the adapters implement."""

from domain.ports.plans import PlannedReads, planned_get, planned_list
from domain.ports.repositories import Repository
from domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "PlannedReads",
    "Repository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "planned_get",
    "planned_list",
]
