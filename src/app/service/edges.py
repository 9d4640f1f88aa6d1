"""A domain's own endpoints for its use cases, next to the generic ones its catalog gives.

Every entity type is served without a line of service code (reads, CRUD, ``/api/operations``,
``applyChanges``). A use case with rules of its own (the studio's onboarding) needs an endpoint
someone wrote; a distribution registers those in the entry-point group ``hexstudio.edges``
under its domain's name, as it registers the domain itself in ``hexstudio.domains``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points

from fastapi import APIRouter

from app.errors import ConfigError
from domain.declaration import Domain

ENTRY_POINT_GROUP = "hexstudio.edges"


@dataclass(frozen=True)
class UseCaseEdges:
    """The hand-written endpoints of one domain's use cases."""

    jsonapi: Callable[[APIRouter], None] | None = None
    """Adds the domain's use-case routes to the ``/api`` router (before the resources')."""
    graphql_mutations: type | None = None
    """A strawberry type whose mutations join the derived ``applyChanges`` on ``Mutation``."""


NONE = UseCaseEdges()
"""A domain served through its catalog alone."""


def edges_for(domain: Domain) -> UseCaseEdges:
    """The edges registered for ``domain``, or none."""
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == domain.name]
    if not found:
        return NONE
    loaded = found[0].load()
    if not isinstance(loaded, UseCaseEdges):
        raise ConfigError(
            f"{ENTRY_POINT_GROUP}: {domain.name!r} names {loaded!r}, not a UseCaseEdges"
        )
    return loaded
