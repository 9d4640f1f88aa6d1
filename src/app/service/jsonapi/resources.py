"""The resource types, one per entity type of the catalog, with their relationships.

Attributes are named as the entity fields; foreign keys are relationships, not attributes
(as the JSON:API spec recommends), and ``version`` travels in the resource's ``meta``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter

from adapters.json_api.wire import wire_type
from domain import Catalog, Entity, UnitOfWork
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

    @property
    def filter_parameter(self) -> str:
        """The related link's query parameter, URL-quoted: ``filter%5Bproduction_id%5D``."""
        return quote(f"filter[{self.field}]")


@dataclass(frozen=True)
class ResourceType:
    """One JSON:API resource type over one repository."""

    name: str
    entity_type: AnyEntityType
    """The catalog's declaration of this type."""
    to_one: tuple[ToOne, ...] = ()
    to_many: tuple[ToMany, ...] = ()
    attributes: tuple[str, ...] = field(init=False)
    dumper: TypeAdapter[Any] = field(init=False, repr=False, compare=False)
    """Converts a list of these entities to JSON values in one call (in Rust)."""
    types: ResourceTypes = field(init=False, repr=False, compare=False)
    """Every resource type of the catalog, this one's included (relationship targets)."""

    def __post_init__(self) -> None:
        keys = {"id", "version"} | {r.field for r in self.to_one}
        names = tuple(n for n in self.entity.model_fields if n not in keys)
        object.__setattr__(self, "attributes", names)
        object.__setattr__(self, "dumper", TypeAdapter(list[self.entity]))  # type: ignore[name-defined]

    @property
    def entity(self) -> type[Entity]:
        """The entity class."""
        return self.entity_type.model

    @property
    def repository(self) -> str:
        """The repository's name (the entity type's plural)."""
        return self.entity_type.plural

    @property
    def query(self) -> type[Query[Any]]:
        """The query type of this type's collection."""
        return self.entity_type.query

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
        entity,
        to_one=tuple(ToOne(name, target, field) for name, target, field in wire.to_one),
        to_many=tuple(
            ToMany(r.name, r.source.names.jsonapi_type, r.field.name)
            for r in entity.catalog.reverses(entity)
        ),
    )


class ResourceTypes(Mapping[str, ResourceType]):
    """The resource types of one catalog, by JSON:API type name (their path under /api)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._by_name = {t.name: t for t in map(_resource_type, catalog)}
        for kind in self._by_name.values():
            object.__setattr__(kind, "types", self)
        self.by_entity: dict[type[Entity], ResourceType] = {
            t.entity: t for t in self._by_name.values()
        }
        """The resource type of each entity class."""

    def __getitem__(self, name: str) -> ResourceType:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)


@functools.cache
def resource_types(catalog: Catalog) -> ResourceTypes:
    """The resource types of ``catalog``, built once per catalog (they hold pydantic adapters)."""
    return ResourceTypes(catalog)


INCLUDE_DEPTH = 2
"""Include paths have at most two segments (``shoot_days.location``)."""
