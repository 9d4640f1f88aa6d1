"""Ports: the Protocols the interactors need and the adapters implement."""

from domain.ports.bulk import BulkAdds, bulk_add
from domain.ports.plans import PlannedReads, planned_get, planned_list
from domain.ports.repositories import Repository
from domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "BulkAdds",
    "PlannedReads",
    "Repository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "bulk_add",
    "planned_get",
    "planned_list",
]
