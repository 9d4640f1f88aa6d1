"""The four resource types: their entity, repository, query, attributes and relationships.

Attributes are named as the entity fields; foreign keys are relationships, not attributes
(as the JSON:API spec recommends), and ``version`` travels in the resource's ``meta``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain import STUDIO, Entity, Movie, Production, ShootDay, ShootingLocation, UnitOfWork
from domain.catalog import AnyEntityType, Query
from domain.queries import LocationQuery, MovieQuery, ProductionQuery, ShootDayQuery


@dataclass(frozen=True)
class ToOne:
    """A to-one relationship read from a foreign-key field of the entity."""

    name: str
    target: str
    field: str


@dataclass(frozen=True)
class ToMany:
    """A to-many relationship: the resources of ``target`` whose ``field`` is this id."""

    name: str
    target: str
    field: str


@dataclass(frozen=True)
class ResourceType:
    """One JSON:API resource type over one repository."""

    name: str
    entity: type[Entity]
    repository: str
    query: type[Query[Any]]
    to_one: tuple[ToOne, ...] = ()
    to_many: tuple[ToMany, ...] = ()
    attributes: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        keys = {"id", "version"} | {r.field for r in self.to_one}
        names = tuple(n for n in self.entity.model_fields if n not in keys)
        object.__setattr__(self, "attributes", names)

    @property
    def relationships(self) -> tuple[str, ...]:
        """Every relationship name, to-one first."""
        return tuple(r.name for r in self.to_one) + tuple(r.name for r in self.to_many)

    def sparse(self, fieldset: frozenset[str] | None) -> tuple[str, ...]:
        """The attribute names ``fieldset`` keeps (all when None), in declaration order."""
        if fieldset is None:
            return self.attributes
        return tuple(name for name in self.attributes if name in fieldset)

    @property
    def fields(self) -> frozenset[str]:
        """The names a sparse fieldset of this type may list."""
        return frozenset(self.attributes) | frozenset(self.relationships)

    @property
    def entity_type(self) -> AnyEntityType:
        """The catalog's declaration of this type."""
        return STUDIO[self.repository]

    def repo(self, uow: UnitOfWork) -> Any:
        """Return the repository of this type in ``uow``."""
        return uow.repository(self.entity_type)

    def relation(self, name: str) -> ToOne | ToMany | None:
        """The relationship called ``name``, or None."""
        relations: tuple[ToOne | ToMany, ...] = (*self.to_one, *self.to_many)
        return next((r for r in relations if r.name == name), None)


MOVIES = ResourceType("movies", Movie, "movies", MovieQuery)
LOCATIONS = ResourceType("locations", ShootingLocation, "locations", LocationQuery)
PRODUCTIONS = ResourceType(
    "productions",
    Production,
    "productions",
    ProductionQuery,
    to_one=(ToOne("movie", "movies", "movie_id"),),
    to_many=(ToMany("shoot_days", "shoot-days", "production_id"),),
)
SHOOT_DAYS = ResourceType(
    "shoot-days",
    ShootDay,
    "shoot_days",
    ShootDayQuery,
    to_one=(
        ToOne("production", "productions", "production_id"),
        ToOne("location", "locations", "location_id"),
    ),
)

TYPES: dict[str, ResourceType] = {t.name: t for t in (MOVIES, LOCATIONS, PRODUCTIONS, SHOOT_DAYS)}
"""Every resource type by its JSON:API type name (also its collection path under /api)."""

BY_ENTITY: dict[type[Entity], ResourceType] = {t.entity: t for t in TYPES.values()}
"""The resource type of each entity class."""

INCLUDE_DEPTH = 2
"""Include paths have at most two segments (``shoot_days.location``)."""
