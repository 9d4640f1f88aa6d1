"""Ports: the Protocols the interactors need and the adapters implement."""

from domain.ports.repositories import Repository
from domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = ["Repository", "UnitOfWork", "UnitOfWorkFactory"]
