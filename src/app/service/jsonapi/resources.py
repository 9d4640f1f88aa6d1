"""The resource types, one per entity type of the catalog, with their relationships.

Attributes are named as the entity fields; foreign keys are relationships, not attributes
(as the JSON:API spec recommends), and ``version`` travels in the resource's ``meta``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.json_api.wire import wire_type
from domain import STUDIO, Entity, UnitOfWork
from domain.catalog import AnyEntityType, Query


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


def _resource_type(entity: AnyEntityType) -> ResourceType:
    """The resource type of a catalog's entity type.

    The json_api adapter's wire type gives its name and to-one relationships (one
    description for both sides); every reference to the type gives it a to-many one.
    """
    wire = wire_type(entity)
    return ResourceType(
        wire.name,
        entity.model,
        entity.plural,
        entity.query,
        to_one=tuple(ToOne(name, target, field) for name, target, field in wire.to_one),
        to_many=tuple(
            ToMany(r.name, r.source.names.jsonapi_type, r.field.name)
            for r in entity.catalog.reverses(entity)
        ),
    )


TYPES: dict[str, ResourceType] = {t.name: t for t in map(_resource_type, STUDIO)}
"""Every resource type by its JSON:API type name (also its collection path under /api)."""

BY_ENTITY: dict[type[Entity], ResourceType] = {t.entity: t for t in TYPES.values()}
"""The resource type of each entity class."""

INCLUDE_DEPTH = 2
"""Include paths have at most two segments (``shoot_days.location``)."""
